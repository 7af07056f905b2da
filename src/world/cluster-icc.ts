/**
 * The latent correlation behind a binary outcome's intra-cluster correlation on its own scale.
 *
 * Two people i ≠ i' of one cluster and period have Y = 1{Z < c}, c = Φ⁻¹(π), (Z, Z') standard
 * bivariate normal with correlation r (the latent cluster variance). Then
 *   P(Y = 1, Y' = 1) = Φ₂(c, c; r),   corr(Y, Y') = (Φ₂(c, c; r) − π²) / (π(1 − π)),
 * and the r giving corr(Y, Y') = icc solves Φ₂(c, c; r) = π² + icc·π(1 − π). Φ₂ rises in r with
 * ∂Φ₂/∂r = φ₂(c, c; r) = exp(−c²/(1 + r)) / (2π√(1 − r²)) (Plackett 1954), and is convex in r for
 * r ≥ 0, so Newton's method from a point left of the root overshoots once and then falls monotonely;
 * it is safeguarded by the bracket (a bisection step whenever Newton leaves it).
 */
import { bvnCdf } from '../calibrate/bvn.js';
import { normalQuantile } from '../random/phi.js';

const R_MAX = 0.9999;

/** P(Y = 1, Y' = 1) of two people in one cell whose latent correlation is r (the closed form above). */
export function jointOnes(pi: number, r: number): number {
  const c = normalQuantile(pi);
  return bvnCdf(c, c, r);
}

/**
 * The latent correlation r in [0, 1) with corr(Y, Y') = icc for a cell with marginal probability π.
 * @throws {RangeError} when π is outside (0, 1) or icc outside [0, 1)
 * @example latentCorrelation(0.04, 0.02) // ≈ 0.0975: the latent scale needs a larger correlation
 */
export function latentCorrelation(pi: number, icc: number): number {
  if (!(pi > 0 && pi < 1)) throw new RangeError(`latentCorrelation: expected π in (0, 1), found ${pi}`);
  if (!(icc >= 0 && icc < 1)) throw new RangeError(`latentCorrelation: expected icc in [0, 1), found ${icc}`);
  if (icc === 0) return 0;
  const c = normalQuantile(pi);
  const target = pi * pi + icc * pi * (1 - pi);
  const f = (r: number) => bvnCdf(c, c, r) - target;
  if (f(R_MAX) <= 0) return R_MAX;
  let lo = 0;
  let hi = R_MAX;
  // The latent correlation is never below the outcome-scale one (the tetrachoric ≥ the phi coefficient).
  let r = icc;
  for (let it = 0; it < 60; it++) {
    const v = f(r);
    if (Math.abs(v) < 1e-13) return r;
    if (v < 0) lo = r;
    else hi = r;
    const slope = Math.exp((-c * c) / (1 + r)) / (2 * Math.PI * Math.sqrt(1 - r * r));
    let next = r - v / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - r) < 1e-12) return next;
    r = next;
  }
  return r;
}

/**
 * latentCorrelation memoised by (π, icc): a design point's cells share few distinct probabilities
 * (trends by binary covariates), so most cells are a map look-up. Bounded: cleared when full.
 */
const memo = new Map<string, number>();
export function latentCorrelationCached(pi: number, icc: number): number {
  const key = `${pi}|${icc}`;
  let r = memo.get(key);
  if (r === undefined) {
    if (memo.size >= 10000) memo.clear();
    r = latentCorrelation(pi, icc);
    memo.set(key, r);
  }
  return r;
}
