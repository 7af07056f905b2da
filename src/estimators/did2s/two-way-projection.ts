/**
 * Least squares on two sets of dummies — a grouping of units (the units themselves, or the panel's
 * cluster column) and periods — over a subset of a balanced panel's observations: the first stage of
 * Gardner's (2022) two-stage DiD, Y_it(0) = α_{a(i)} + λ_t on the untreated observations.
 *
 * The normal equations D'D [α; λ] = [R; s] are solved by eliminating α (α_a = (R_a − Σ_t n_at λ_t)/N_a)
 * and solving the T×T system M λ = s − n'(R/N), M_ts = N_t δ_ts − Σ_a n_at n_as / N_a, with λ of the
 * first period that has observations pinned to 0 (the dummies' one linear dependence). Cost O(A·T²),
 * no n·T × (A + T) matrix.
 */
import { cholesky, cholSolve } from '../../linalg/small.js';

export interface TwoWayProjection {
  /** Groups (A) and periods (T). */
  readonly nGroups: number;
  readonly nPeriods: number;
  /** Observations per group and per period in the sample; 0 = that effect is not identified. */
  readonly groupCount: Float64Array;
  readonly periodCount: Float64Array;
  /** Solve D'D θ = [R; s] for group sums R (length A) and period sums s (length T). */
  solve(R: ArrayLike<number>, s: ArrayLike<number>): { alpha: Float64Array; lambda: Float64Array };
}

/**
 * @param groupOf group index of each unit (0 … A−1)
 * @param inSample whether observation (period t, unit i) is in the regression
 * @returns null when the sample does not identify the period effects (the groups and periods are not
 * connected through the sample)
 */
export function twoWayProjection(
  groupOf: Int32Array,
  nGroups: number,
  nPeriods: number,
  inSample: (t: number, i: number) => boolean,
): TwoWayProjection | null {
  const A = nGroups,
    T = nPeriods,
    n = groupOf.length;
  const nat = new Float64Array(A * T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) if (inSample(t, i)) nat[groupOf[i] * T + t] += 1;
  const Na = new Float64Array(A),
    Nt = new Float64Array(T);
  for (let a = 0; a < A; a++)
    for (let t = 0; t < T; t++) {
      Na[a] += nat[a * T + t];
      Nt[t] += nat[a * T + t];
    }
  // Free period effects: periods with observations other than the pinned first one.
  const free: number[] = [];
  let pinned = -1;
  for (let t = 0; t < T; t++) if (Nt[t] > 0) pinned < 0 ? (pinned = t) : free.push(t);
  if (pinned < 0) return null;
  const k = free.length;
  const M = new Float64Array(k * k);
  for (let a = 0; a < A; a++) {
    if (Na[a] === 0) continue;
    for (let x = 0; x < k; x++) {
      const v = nat[a * T + free[x]];
      if (v === 0) continue;
      for (let y = 0; y < k; y++) M[x * k + y] -= (v * nat[a * T + free[y]]) / Na[a];
    }
  }
  for (let x = 0; x < k; x++) M[x * k + x] += Nt[free[x]];
  const L = k > 0 ? cholesky(M, k) : new Float64Array(0);
  if (!L) return null;
  // A connected design has M positive definite; a near-zero pivot means a disconnected one.
  for (let x = 0; x < k; x++) if (!(L[x * k + x] > 1e-9 * Math.sqrt(Math.max(1, Nt[free[x]])))) return null;
  return {
    nGroups: A,
    nPeriods: T,
    groupCount: Na,
    periodCount: Nt,
    solve(R, s) {
      const rhs = new Float64Array(k);
      for (let x = 0; x < k; x++) {
        const t = free[x];
        let v = s[t];
        for (let a = 0; a < A; a++) if (Na[a] > 0) v -= (nat[a * T + t] * R[a]) / Na[a];
        rhs[x] = v;
      }
      const sol = k > 0 ? cholSolve(L, k, rhs) : rhs;
      const lambda = new Float64Array(T);
      for (let x = 0; x < k; x++) lambda[free[x]] = sol[x];
      const alpha = new Float64Array(A);
      for (let a = 0; a < A; a++) {
        if (Na[a] === 0) continue;
        let v = R[a];
        for (let t = 0; t < T; t++) v -= nat[a * T + t] * lambda[t];
        alpha[a] = v / Na[a];
      }
      return { alpha, lambda };
    },
  };
}
