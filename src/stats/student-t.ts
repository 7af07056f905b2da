/**
 * Student's t distribution: the upper tail through the regularised incomplete beta function
 * (P(T > t) = ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0; continued fraction by the modified Lentz method,
 * Numerical Recipes §6.4) and the quantile by safeguarded Newton steps.
 */
import { pnorm, qnorm } from './normal.js';

/**
 * log Γ(x), x > 0: Stirling's series after shifting x above 15 by Γ(x + 1) = xΓ(x) (error < 1e-15; the
 * Lanczos form in chisq.ts is good to only ~1e-7 relative, too coarse for t quantiles to R's digits).
 */
export function logGammaAccurate(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const r = 1 / (x * x);
  const series = (1 / x) * (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** Continued fraction of I_x(a, b) (NR eq. 6.4.5), evaluated by the modified Lentz method. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    // Even step d_{2m}, then odd step d_{2m+1}.
    for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + num * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-16) break;
  }
  return f;
}

/** Regularised incomplete beta I_x(a, b), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster. */
export function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGammaAccurate(a + b) - logGammaAccurate(a) - logGammaAccurate(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for T ~ t(df); df = Infinity is the normal. @example tUpper(2.262157162740992, 9) ≈ 0.025 (R: pt(2.262157, 9, lower = FALSE)) */
export function tUpper(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`tUpper: df must be positive, got ${df}`);
  if (df === Infinity) return pnorm(-t);
  const tail = 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** Density of t(df). */
function tDensity(t: number, df: number): number {
  return Math.exp(
    logGammaAccurate((df + 1) / 2) - logGammaAccurate(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/**
 * Quantile of t(df) (R's qt): Newton steps on the upper tail from the normal quantile, kept inside a
 * bracket that bisection shrinks whenever a step leaves it.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must lie in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (df === Infinity) return qnorm(p);
  if (p < 0.5) return -tQuantile(1 - p, df);
  const q = 1 - p; // wanted upper tail
  let lo = 0;
  let hi = 1;
  while (tUpper(hi, df) > q) hi *= 2;
  let t = Math.min(Math.max(qnorm(p), lo), hi);
  for (let i = 0; i < 200; i++) {
    const g = tUpper(t, df) - q; // decreasing in t
    if (g > 0) lo = t;
    else hi = t;
    let next = t + g / tDensity(t, df);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
