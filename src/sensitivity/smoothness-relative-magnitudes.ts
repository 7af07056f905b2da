/**
 * Δ^SDRM(M̄), relative magnitudes of the deviation from a linear trend (Rambachan & Roth 2023, sec.
 * 2.4.2; HonestDiD's createSensitivityResults_relativeMagnitudes with bound = "deviation from linear
 * trend"): the post-period second differences are at most M̄ times the largest pre-period one,
 *   |(δ_{t+1} − δ_t) − (δ_t − δ_{t−1})| ≤ M̄ · max_{s<0} |(δ_{s+1} − δ_s) − (δ_s − δ_{s−1})|  for t ≥ 0.
 * Like Δ^RM it is a union over the period and sign of the largest pre-period second difference of
 * polyhedra {δ : Aδ ≤ 0} (HonestDiD .create_A_SDRM), optionally with a sign or monotonicity restriction
 * (Δ^SDRMB, Δ^SDRMM). It needs two pre-periods: one pre-period second difference at least.
 * Constructions: c-lf (HonestDiD's default) and conditional.
 */
import type { Rng } from '../random/stream.js';
import type { GridSpec } from './grid-set.js';
import { unionRobustSet } from './relative-union.js';
import { type Shape, shapeFields, shapeRows, shapeSuffix, shapeText } from './shape-rows.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

/**
 * The rows of Δ^SDRM_{s,sign}(M̄) with the reference period dropped. On the full axis −K..T̄ (column
 * K is t = 0) the second difference centred on t is δ_{t+1} − 2δ_t + δ_{t−1}; the largest pre-period
 * one is centred on s − 1, s ∈ {−(K−2), …, 0}. Rows: ±(second difference at t) ≤ sign·(the one at s − 1)
 * for the K − 1 pre-period centres t = −K+1, …, −1, and ≤ M̄·sign·(the one at s − 1) for the T̄ centres
 * t = 0, …, T̄−1; the all-zero row (the largest one against itself) is dropped. HonestDiD's row order.
 */
export function sdrmConstraints(numPre: number, numPost: number, mbar: number, s: number, positive: boolean): number[][] {
  const T = numPre + numPost;
  const width = T + 1;
  const vMax = new Array<number>(width).fill(0);
  const sign = positive ? 1 : -1;
  // Centre s − 1 is column numPre + s − 1: the stencil covers columns numPre + s − 2 … numPre + s.
  vMax[numPre + s - 2] = sign;
  vMax[numPre + s - 1] = -2 * sign;
  vMax[numPre + s] = sign;
  const rows: number[][] = [];
  for (const sgn of [1, -1]) {
    for (let r = 0; r < T - 1; r++) {
      const bound = r < numPre - 1 ? 1 : mbar;
      const row = new Array<number>(width).fill(0);
      row[r] += sgn;
      row[r + 1] += -2 * sgn;
      row[r + 2] += sgn;
      for (let j = 0; j < width; j++) row[j] -= bound * vMax[j];
      rows.push(row);
    }
  }
  return rows.filter((row) => row.reduce((a, v) => a + v * v, 0) > 1e-10).map((row) => row.filter((_, j) => j !== numPre));
}

/** The polyhedra of Δ^SDRM(M̄) (∩ shape): per s ∈ {−(K−2), …, 0}, the positive then the negative one. */
export function sdrmPolyhedra(numPre: number, numPost: number, mbar: number, shape?: Shape): number[][][] {
  const extra = shape ? shapeRows(numPre, numPost, shape) : [];
  const out: number[][][] = [];
  for (let s = -(numPre - 2); s <= 0; s++) {
    for (const positive of [true, false]) out.push([...sdrmConstraints(numPre, numPost, mbar, s, positive), ...extra]);
  }
  return out;
}

/** Why Δ^SDRM cannot be formed for these coefficients, or null. */
function sdrmProblem(coef: EventStudyCoefficients): string | null {
  if (coef.numPre < 2)
    return 'Δ^SDRM needs at least two pre-periods: the bound is relative to the largest pre-period second difference (HonestDiD: "not enough pre-periods")';
  if (coef.numPost < 1) return 'Δ^SDRM needs at least one post-period coefficient';
  return null;
}

/** The robust set for Δ^SDRM (∩ shape) at M̄, on HonestDiD's grid (±20 sd(θ̂), 1000 points) unless given. */
export function sdrmSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  mbar: number,
  ci: 'conditional' | 'c-lf',
  alpha: number,
  shape?: Shape,
  grid?: GridSpec,
): RobustSet {
  const base = { method: 'smoothness_relative_magnitudes' as const, mbar, ci, ...shapeFields(shape) };
  const bad = sdrmProblem(coef);
  if (bad) return { ...base, lb: null, ub: null, reason: bad };
  return unionRobustSet(rng, coef, sdrmPolyhedra(coef.numPre, coef.numPost, mbar, shape), ci, alpha, base, grid);
}

function make(shape?: Shape): Restriction {
  return {
    method: 'smoothness_relative_magnitudes',
    ...(shape ? { shape } : {}),
    delta: `DeltaSDRM${shapeSuffix(shape)}`,
    cis: ['c-lf', 'conditional'],
    hybrid: 'c-lf',
    robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Exclude<CiType, 'hybrid'>, alpha: number): RobustSet {
      if (ci !== 'c-lf' && ci !== 'conditional') {
        throw new RangeError(
          `smoothness_relative_magnitudes${shape ? ` with ${shapeText(shape)}` : ''} implements c-lf and conditional, not ${ci}`,
        );
      }
      return sdrmSet(rng, coef, bound, ci, alpha, shape);
    },
  };
}

/** Δ^SDRM as the dispatcher (index.ts) calls it. */
export const smoothnessRelativeMagnitudes: Restriction = make();

/** Δ^SDRMB or Δ^SDRMM. */
export function smoothnessRelativeMagnitudesShaped(shape: Shape): Restriction {
  return make(shape);
}
