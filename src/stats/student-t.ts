/**
 * Student t distribution: upper tail and quantile, through the regularised incomplete beta function
 * (P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2); Abramowitz & Stegun 26.7.1, 26.5.8; the beta function by
 * Lentz's continued fraction, Numerical Recipes §6.4). For t(G − 1) critical values of few-cluster
 * inference.
 */
import { logGamma } from './chisq.js';
import { pnorm, qnorm } from './normal.js';

/** Continued fraction of the incomplete beta (modified Lentz), valid for x < (a + 1)/(a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lf = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lf) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(lf) * betaFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for T ~ t(df); df = Infinity is the normal. @example tUpper(2, 5) ≈ 0.05096973941492914, as R: pt(2, 5, lower.tail = FALSE) */
export function tUpper(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`tUpper: df must be positive, got ${df}`);
  if (df === Infinity) return pnorm(-t);
  const half = 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? half : 1 - half;
}

/**
 * Quantile of t(df): Newton steps on the upper tail from the normal quantile (the density is
 * explicit), safeguarded by bisection. @example tQuantile(0.975, 9) ≈ 2.262157162798205, as R: qt(0.975, 9)
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must lie in (0, 1), got ${p}`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (p === 0.5) return 0;
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (df === Infinity) return qnorm(p);
  const logc = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const target = 1 - p;
  let lo = 0;
  let hi = Math.max(1, 2 * qnorm(p));
  while (tUpper(hi, df) > target) hi *= 2;
  let x = Math.min(qnorm(p), hi);
  for (let it = 0; it < 200; it++) {
    const f = tUpper(x, df) - target;
    if (f > 0) lo = x;
    else hi = x;
    const dens = Math.exp(logc - ((df + 1) / 2) * Math.log1p((x * x) / df));
    let nx = x + f / dens;
    if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
    if (Math.abs(nx - x) <= 1e-14 * Math.max(1, Math.abs(x))) return nx;
    x = nx;
  }
  return x;
}
