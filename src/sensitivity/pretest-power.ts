/**
 * What the usual pre-test can see (Roth 2022, "Pretest with Caution: Event-Study Estimates after
 * Testing for Parallel Trends", AER: Insights 4(3), section II; the R package pretrends'
 * slope_for_power): the slope γ of a linear violation of parallel trends, δ_t = γ·(t − r) for the
 * pre-period event times t (r the reference period, normalised to 0), that the pre-test "no
 * pre-period coefficient is individually significant at 5 %" detects with a given probability.
 *
 * With β̂_pre ~ N(δ(γ), Σ_pre) the test passes when every |β̂_j| ≤ 1.96·σ_j (pretrends'
 * thresholdTstat.Pretest = 1.96), so its power is
 *   π(γ) = 1 − P(−1.96σ ≤ β̂_pre ≤ 1.96σ),
 * a multivariate normal rectangle probability (stats/mvn-rectangle.ts). π is symmetric in γ and
 * increasing in |γ|; the slope for power π* is its root on [0, 8·max σ_j] (pretrends' bracket), here
 * found to 1e-10 by regula falsi (Illinois) on a deterministic π.
 */
import { mvnRectangle } from '../stats/mvn-rectangle.js';
import type { EventStudyCoefficients } from './types.js';

/** pretrends' t threshold of the individual pre-tests (it uses 1.96, not qnorm(0.975)). */
export const PRETEST_T = 1.96;

/** π(δ) = P(some |β̂_j| > 1.96·σ_j) for β̂_pre ~ N(δ, Σ_pre) (pretrends' rejectionProbability_NIS). */
export function rejectionProbability(deltaPre: readonly number[], sigmaPre: readonly (readonly number[])[], t = PRETEST_T): number {
  const ub = sigmaPre.map((row, j) => t * Math.sqrt(row[j]));
  const lb = ub.map((v) => -v);
  return 1 - mvnRectangle(lb, ub, deltaPre, sigmaPre, { absTol: 1e-10 }).p;
}

/**
 * The slope γ ≥ 0 at which the pre-test rejects with probability `targetPower`.
 * @param relT t − r of each pre-period coefficient
 * @throws {RangeError} when the target is not above the test's size under parallel trends (π(0)) or not
 *   reached inside pretrends' bracket.
 */
export function slopeForPower(sigmaPre: readonly (readonly number[])[], relT: readonly number[], targetPower: number): number {
  if (!(targetPower > 0 && targetPower < 1)) throw new RangeError(`pretest power: a power must lie in (0, 1), got ${targetPower}`);
  const g = (s: number) =>
    rejectionProbability(
      relT.map((t) => s * t),
      sigmaPre,
    ) - targetPower;
  let lo = 0,
    hi = 8 * Math.max(...sigmaPre.map((r, j) => Math.sqrt(r[j])));
  let flo = g(lo),
    fhi = g(hi);
  if (flo >= 0) {
    throw new RangeError(
      `pretest power: the pre-test already rejects with probability ${(flo + targetPower).toFixed(4)} under parallel trends (slope 0), so no slope gives power ${targetPower}`,
    );
  }
  if (fhi < 0) throw new RangeError(`pretest power: power ${targetPower} is not reached by slope ${hi} (8 × the largest pre-period SE)`);
  // Illinois regula falsi: superlinear, and the bracket always holds the root.
  let side = 0;
  for (let it = 0; it < 200 && hi - lo > 1e-10; it++) {
    const x = (lo * fhi - hi * flo) / (fhi - flo);
    const fx = g(x);
    if (fx === 0) return x;
    if (fx < 0) {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

/**
 * For each power, the linear pre-trend slope the pre-test detects with it, from event-study
 * coefficients (betahat = pre-periods then post-periods, the reference left out).
 * @param tVec the event time of each coefficient (length numPre + numPost); the first numPre are the
 *   pre-periods tested (pretrends' prePeriodIndices)
 * @param referencePeriod the omitted period r: δ_t = γ·(t − r)
 */
export function pretestPower(
  coef: EventStudyCoefficients,
  tVec: readonly number[],
  referencePeriod: number,
  powers: readonly number[],
): { power: number; slope: number }[] {
  const k = coef.numPre + coef.numPost;
  if (tVec.length !== k) {
    throw new RangeError(
      `pretest power: tVec has ${tVec.length} event times, the coefficients ${k} (numPre ${coef.numPre} + numPost ${coef.numPost})`,
    );
  }
  if (coef.numPre < 1) throw new RangeError('pretest power: no pre-period coefficients to test');
  const pre = Array.from({ length: coef.numPre }, (_, j) => j);
  const sigmaPre = pre.map((a) => pre.map((b) => coef.sigma[a][b]));
  const relT = pre.map((j) => tVec[j] - referencePeriod);
  return powers.map((power) => ({ power, slope: slopeForPower(sigmaPre, relT, power) }));
}

/**
 * The event times `stagger sensitivity` assumes without --t-vec: the pre-periods end just before the
 * reference r and the post-periods start just after it, r − num_pre … r − 1 and r + 1 … r + num_post
 * (He & Wang's layout with r = −1: −4, −3, −2 | 0, 1, 2, 3).
 */
export function defaultTVec(coef: Pick<EventStudyCoefficients, 'numPre' | 'numPost'>, referencePeriod = -1): number[] {
  return [
    ...Array.from({ length: coef.numPre }, (_, j) => referencePeriod - coef.numPre + j),
    ...Array.from({ length: coef.numPost }, (_, j) => referencePeriod + 1 + j),
  ];
}
