/**
 * Δ^RM(M̄), the relative-magnitudes restriction (Rambachan & Roth 2023, sec. 2.4.1, eq. 2.4 / 5.1):
 * the post-period violations' period-to-period changes are at most M̄ times the largest pre-period one,
 *   |δ_{t+1} − δ_t| ≤ M̄ · max_{s<0} |δ_{s+1} − δ_s|  for t ≥ 0.
 * Δ^RM is not convex but is the union, over the period s of the largest pre-period change and its
 * sign, of polyhedra Δ^RM_{s,±} = {δ : Aδ ≤ 0} (their Lemma 2.1 / appendix); the robust confidence set
 * is the union of the ARP confidence sets over those polyhedra (HonestDiD computeConditionalCS_DeltaRM).
 */
import type { Rng } from '../random/stream.js';
import type { LfNormals } from './arp.js';
import { unionRobustSet } from './relative-union.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

/**
 * The rows of A for Δ^RM_{s,sign}(M̄) with the reference period dropped (HonestDiD .create_A_RM):
 * for every period's first difference Δ_t = δ_{t} − δ_{t−1} (t over the pre and post periods, δ_0 = 0),
 * ±Δ_t ≤ sign·Δ_s (pre) and ±Δ_t ≤ M̄·sign·Δ_s (post); all-zero rows (Δ_s against itself) are dropped.
 * s ∈ {−(numPre − 1), …, 0} indexes the pre-period difference δ_s − δ_{s−1} as HonestDiD does.
 */
export function rmConstraints(numPre: number, numPost: number, mbar: number, s: number, positive: boolean): number[][] {
  const T = numPre + numPost;
  const width = T + 1; // with the reference period, column numPre
  const vMax = new Array<number>(width).fill(0);
  vMax[numPre - 1 + s] = positive ? -1 : 1;
  vMax[numPre + s] = positive ? 1 : -1;
  const rows: number[][] = [];
  for (const sgn of [1, -1]) {
    for (let r = 0; r < T; r++) {
      const bound = r < numPre ? 1 : mbar;
      const row = new Array<number>(width).fill(0);
      row[r] += -sgn;
      row[r + 1] += sgn;
      for (let j = 0; j < width; j++) row[j] -= bound * vMax[j];
      rows.push(row);
    }
  }
  return rows.filter((row) => row.reduce((s2, v) => s2 + v * v, 0) > 1e-10).map((row) => row.filter((_, j) => j !== numPre));
}

/**
 * The robust set for Δ^RM(M̄): the union over s and sign of the ARP sets, on HonestDiD's grid (relative-union.ts: 1000 points on ±20 sd(θ̂)).
 * `lfNormals` (internal, for parity tests) replaces the least-favourable simulation's normals; it is
 * called afresh, from draw 0, for every polyhedron, as HonestDiD re-seeds before each simulation.
 */
export function rmRobustSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  mbar: number,
  ci: 'conditional' | 'c-lf',
  alpha: number,
  grid?: { lb: number; ub: number; points: number },
  lfNormals?: LfNormals,
): RobustSet {
  const { numPre, numPost } = coef;
  const polyhedra: number[][][] = [];
  for (let s = -(numPre - 1); s <= 0; s++) {
    for (const positive of [true, false]) polyhedra.push(rmConstraints(numPre, numPost, mbar, s, positive));
  }
  return unionRobustSet(rng, coef, polyhedra, ci, alpha, { method: 'relative_magnitudes', mbar, ci }, grid, 'rm-lf', lfNormals);
}

/** Δ^RM as the dispatcher sees it: c-lf (HonestDiD's default, method = "C-LF") and conditional. */
export const relativeMagnitudes: Restriction = {
  method: 'relative_magnitudes',
  cis: ['c-lf', 'conditional'],
  hybrid: 'c-lf',
  robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Exclude<CiType, 'hybrid'>, alpha: number): RobustSet {
    if (ci !== 'c-lf' && ci !== 'conditional') {
      throw new RangeError(`relative_magnitudes implements c-lf and conditional, not ${ci}`);
    }
    return rmRobustSet(rng, coef, bound, ci, alpha);
  },
};
