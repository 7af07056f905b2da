/**
 * Student's t distribution: cdf and quantile for any real df > 0 (Satterthwaite degrees of freedom are
 * not whole), through the regularised incomplete beta function
 *   P(|T| > |t|) = I_x(ν/2, 1/2),  x = ν / (ν + t²)
 * (Abramowitz & Stegun 26.7.1), with I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4,
 * eq. 6.4.5), used on the side x < (a + 1)/(a + b + 2) where it converges fast, else by symmetry.
 */
import { pnorm, qnorm } from './normal.js';

/**
 * log Γ(x), x > 0, to ~1e−15: the recurrence Γ(x) = Γ(x + n)/(x(x+1)…(x+n−1)) lifts x to ≥ 15, then
 * Stirling's series with the Bernoulli terms up to x⁻¹³ (A&S 6.1.41). (chisq.ts's Lanczos version is
 * good to ~1e−7 only, too coarse for a t cdf compared with R at 1e−12.)
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  let shift = 0;
  let prod = 1;
  while (x < 15) {
    prod *= x;
    x += 1;
    if (prod > 1e280) {
      shift += Math.log(prod);
      prod = 1;
    }
  }
  shift += Math.log(prod);
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + stirlingCorrection(x) - shift;
}

/** log Γ(x) − [(x − ½) log x − x + ½ log 2π] for x ≥ 15 (Stirling's series, A&S 6.1.41). */
function stirlingCorrection(x: number): number {
  const z = 1 / (x * x);
  return (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z * (1 / 1680 - z * (1 / 1188 - z * (691 / 360360 - z * (1 / 156))))))) / x;
}

/**
 * log B(a, b). With the larger argument q ≥ 15 the difference log Γ(q) − log Γ(p + q) is taken from
 * Stirling's form directly, (q − ½) log1p(p/q) + p log(p + q) − p + corrections, so no digits are lost
 * to cancellation at large df (as R's lbeta does).
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b),
    q = Math.max(a, b);
  if (q < 15) return logGamma(p) + logGamma(q) - logGamma(p + q);
  const diff = -((q - 0.5) * Math.log1p(p / q) + p * Math.log(p + q) - p) + stirlingCorrection(q) - stirlingCorrection(p + q);
  return logGamma(p) + diff;
}

/** Continued fraction of I_x(a, b) (NR eq. 6.4.5), modified Lentz. */
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

/** Regularised incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), a, b > 0, x ∈ [0, 1]. */
export function betaInc(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`betaInc: a and b must be > 0, got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`betaInc: x must lie in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(-logBeta(a, b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Beyond this df the t and normal cdfs agree to double precision in the tails we use. */
const NORMAL_DF = 1e10;

/**
 * P(T ≤ t) for T ~ t(df), df > 0 (Infinity: the normal).
 * @example pt(2.262157162798205, 9) ≈ 0.975, as R: pt(2.262157, 9)
 */
export function pt(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`pt: df must be > 0, got ${df}`);
  if (df >= NORMAL_DF) return pnorm(t);
  if (t === 0) return 0.5;
  // The tail by I_x(ν/2, 1/2); near 0 the complement I_{1−x}(1/2, ν/2) keeps the digits.
  const t2 = t * t;
  const tail = t2 < df ? 0.5 * (1 - betaInc(t2 / (df + t2), 0.5, df / 2)) : 0.5 * betaInc(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Two-sided p-value P(|T| ≥ |t|) for T ~ t(df), computed on the tail (no cancellation). */
export function ptTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`ptTwoSided: df must be > 0, got ${df}`);
  if (df >= NORMAL_DF) return 2 * pnorm(-Math.abs(t));
  const t2 = t * t;
  return t2 < df ? 1 - betaInc(t2 / (df + t2), 0.5, df / 2) : betaInc(df / (df + t2), df / 2, 0.5);
}

/** Density of t(df) at t. */
function dt(t: number, df: number): number {
  return Math.exp(-logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Quantile of t(df): Newton's method on pt from the normal quantile, safeguarded by bisection on a
 * bracket (the cdf is monotone), to a relative step of 1e-14. @throws RangeError outside (0, 1).
 * @example qt(0.975, 9) // 2.262157162798205, as R: qt(0.975, 9)
 */
export function qt(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`qt: p must lie in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`qt: df must be > 0, got ${df}`);
  if (df >= NORMAL_DF) return qnorm(p);
  if (p === 0.5) return 0;
  // Solve on the upper half and reflect: q(p) = −q(1 − p).
  const upper = p > 0.5;
  const target = upper ? 1 - p : p; // lower tail probability of −|q|
  let lo = -1;
  while (pt(lo, df) > target) lo *= 2;
  let hi = 0;
  let x = Math.max(lo, Math.min(hi, qnorm(target)));
  for (let it = 0; it < 200; it++) {
    const f = pt(x, df) - target;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / dt(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return upper ? -x : x;
}
