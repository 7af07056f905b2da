/**
 * The bounds HonestDiD computes robust sets at when none are given.
 *   smoothness (createSensitivityResults, Mvec = NULL): 10 points from 0 to DeltaSD_upperBound_Mpre
 *     (α = 0.05), or to sd(β̂_{−K}) = sqrt(Σ_11) with a single pre-period;
 *   relative magnitudes, either bound (createSensitivityResults_relativeMagnitudes, Mbarvec = NULL):
 *     10 points from 0 to 2.
 */
import { qnorm } from '../stats/normal.js';
import { smoothnessConstraints } from './smoothness-geometry.js';
import type { EventStudyCoefficients, RestrictionMethod } from './types.js';

/** R's seq(from, to, length.out = n). */
export function seqLength(from: number, to: number, n: number): number[] {
  if (n === 1) return [from];
  const by = (to - from) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? to : from + i * by));
}

/**
 * HonestDiD's DeltaSD_upperBound_Mpre: the largest one-sided (1 − α) upper confidence bound of the
 * pre-period second differences ±(δ_{t+1} − 2δ_t + δ_{t−1}) (through δ_0 = 0), max_j (Aβ̂_pre)_j +
 * z_{1−α}·sd_j. An upper bound on the M the pre-periods are consistent with.
 */
export function smoothnessUpperBoundMpre(coef: EventStudyCoefficients, alpha = 0.05): number {
  const k = coef.numPre;
  if (k < 2) throw new RangeError('smoothnessUpperBoundMpre: needs at least two pre-periods (one pre-period second difference)');
  // With no post-periods the Δ^SD rows are the pre-period second differences, the last through δ_0 = 0.
  const a = smoothnessConstraints(k, 0);
  const z = qnorm(1 - alpha);
  let best = Number.NEGATIVE_INFINITY;
  for (const row of a) {
    let mean = 0;
    let v = 0;
    for (let i = 0; i < k; i++) {
      mean += row[i] * coef.betahat[i];
      for (let j = 0; j < k; j++) v += row[i] * coef.sigma[i][j] * row[j];
    }
    best = Math.max(best, mean + z * Math.sqrt(Math.max(0, v)));
  }
  return best;
}

/** HonestDiD's default bounds for a method (see the module comment). */
export function defaultBounds(method: RestrictionMethod, coef: EventStudyCoefficients): number[] {
  if (method !== 'smoothness') return seqLength(0, 2, 10);
  if (coef.numPre === 1) return seqLength(0, Math.sqrt(coef.sigma[0][0]), 10);
  return seqLength(0, smoothnessUpperBoundMpre(coef), 10);
}
