/**
 * What a pre-trend test can see (Roth 2022, "Pretest with Caution: Event-Study Estimates after Testing
 * for Parallel Trends", AER: Insights 4(3), section II; the R package `pretrends`' slope_for_power):
 * the linear pre-trend slope γ that a pre-test detects with a given power, from the event study's
 * pre-period coefficients β̂_pre ~ N(δ(γ), Σ_pre) with δ(γ) = γ·v.
 *
 * v depends on how the coefficients are differenced: with a varying base period (R did's default, each
 * pre-period cell compares t with t − 1) a linear trend adds γ to every pre-period coefficient (v = 1);
 * against a fixed reference period r (universal base, TWFE) it adds γ(e − r).
 *
 * Tests: `wald` rejects when β̂'Σ⁻¹β̂ > χ²_q(1 − α), with power P(χ²_q(λ) > c), λ = γ² v'Σ⁻¹v (noncentral
 * χ², Poisson mixture of central ones); `individual` rejects when any |β̂_j|/σ_j > z_{1−α/2} (the visual
 * "no pre-period coefficient is significant" rule Roth studies), its power by seeded Monte Carlo.
 */
import { cholesky, cholSolve } from '../../linalg/small.js';
import { randomNormal, type Rng } from '../../random/index.js';
import { chisqUpper } from '../../stats/chisq.js';
import { qnorm } from '../../stats/normal.js';

export type PretestKind = 'wald' | 'individual';

/** P(χ²_q(λ) > c): Σ_j Pois(j; λ/2) · P(χ²_{q+2j} > c). */
export function noncentralChisqUpper(c: number, q: number, lambda: number): number {
  if (lambda <= 0) return chisqUpper(c, q);
  const mu = lambda / 2;
  let s = 0;
  // Sum outward from the Poisson mode so no term underflows before it matters.
  const mode = Math.floor(mu);
  const logPois = (j: number) => -mu + j * Math.log(mu) - logFactorial(j);
  for (let j = mode; ; j++) {
    const t = Math.exp(logPois(j)) * chisqUpper(c, q + 2 * j);
    s += t;
    if (j > mode + 10 && Math.exp(logPois(j)) < 1e-14) break;
  }
  for (let j = mode - 1; j >= 0; j--) {
    const w = Math.exp(logPois(j));
    s += w * chisqUpper(c, q + 2 * j);
    if (w < 1e-14) break;
  }
  return Math.min(1, s);
}

function logFactorial(j: number): number {
  let s = 0;
  for (let k = 2; k <= j; k++) s += Math.log(k);
  return s;
}

/** χ²_q quantile by bisection on the upper tail. */
export function chisqQuantile(p: number, q: number): number {
  let lo = 0,
    hi = q + 20 * Math.sqrt(2 * q) + 50;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (1 - chisqUpper(mid, q) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface PretestDesign {
  /** Σ_pre, q × q row-major. */
  sigma: Float64Array;
  /** Trend direction v (δ = γ v), length q. */
  v: Float64Array;
  alpha: number;
  kind: PretestKind;
}

/** Power of the pre-test against the trend γ·v. @param draws the Monte Carlo normals of `individual` (q per draw) */
export function pretestPower(d: PretestDesign, gamma: number, draws?: Float64Array): number {
  const q = d.v.length;
  const L = cholesky(d.sigma, q);
  if (!L) throw new Error('pretest: the covariance of the pre-period coefficients is not positive definite');
  if (d.kind === 'wald') {
    const x = cholSolve(L, q, d.v);
    let vSv = 0;
    for (let j = 0; j < q; j++) vSv += d.v[j] * x[j];
    return noncentralChisqUpper(chisqQuantile(1 - d.alpha, q), q, gamma * gamma * vSv);
  }
  if (!draws) throw new Error('pretest: the individual test needs Monte Carlo draws');
  const crit = qnorm(1 - d.alpha / 2);
  const sd = Float64Array.from({ length: q }, (_, j) => Math.sqrt(d.sigma[j * q + j]));
  const S = draws.length / q;
  let reject = 0;
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < q; j++) {
      let b = gamma * d.v[j];
      for (let k = 0; k <= j; k++) b += L[j * q + k] * draws[s * q + k];
      if (Math.abs(b) > crit * sd[j]) {
        reject++;
        break;
      }
    }
  }
  return reject / S;
}

/**
 * The slope γ > 0 the pre-test detects with the given power (bisection; power rises with |γ|).
 * @param rng the stream of the Monte Carlo normals (first, required; unused by the Wald test)
 */
export function slopeForPower(rng: Rng, d: PretestDesign, power: number, mcDraws = 20000): number {
  const q = d.v.length;
  const z = randomNormal(rng);
  const draws = d.kind === 'individual' ? Float64Array.from({ length: mcDraws * q }, () => z()) : undefined;
  const base = pretestPower(d, 0, draws);
  if (power <= base) return 0;
  let hi = 1e-12;
  for (let j = 0; j < q; j++) hi = Math.max(hi, Math.sqrt(d.sigma[j * q + j]) / Math.max(Math.abs(d.v[j]), 1e-12));
  while (pretestPower(d, hi, draws) < power) hi *= 2;
  let lo = 0;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (pretestPower(d, mid, draws) < power) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
