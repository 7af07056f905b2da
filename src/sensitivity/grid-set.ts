/**
 * A robust set read off a test-inversion grid as HonestDiD reads it (min and max of the accepted
 * points): shared by the shape-restricted and Δ^SDRM modules.
 */
import type { RobustSet } from './types.js';

/** A θ grid, HonestDiD's (grid.lb, grid.ub, gridPoints); parts left out take the restriction's default. */
export interface GridSpec {
  lb?: number;
  ub?: number;
  points?: number;
}

/**
 * The set from the accepted grid points: empty (null bounds with reason) when none is accepted, and a
 * reason when an end of the grid is accepted (HonestDiD warns "CI is open at one of the endpoints").
 */
export function setFromGrid(
  base: Omit<RobustSet, 'lb' | 'ub' | 'reason'>,
  grid: readonly number[],
  accept: readonly boolean[],
  g: { lb: number; ub: number },
): RobustSet {
  const inSet = grid.filter((_, i) => accept[i]);
  if (inSet.length === 0) return { ...base, lb: null, ub: null, reason: 'the robust set is empty on the grid (every θ rejected)' };
  const out: RobustSet = { ...base, lb: inSet[0], ub: inSet[inSet.length - 1] };
  if (accept[0] || accept[accept.length - 1]) {
    out.reason = `the set reaches the end of the θ grid [${g.lb}, ${g.ub}] (HonestDiD warns "CI is open at one of the endpoints"); the bound there is the grid's`;
  }
  return out;
}

/** sd(l'β̂_post) = sqrt(l'Σ_post l): the unit of HonestDiD's default grid widths. */
export function sdTheta(sigma: readonly number[][], numPre: number, lVec: readonly number[]): number {
  let v = 0;
  for (let s = 0; s < lVec.length; s++) for (let r = 0; r < lVec.length; r++) v += lVec[s] * sigma[numPre + s][numPre + r] * lVec[r];
  return Math.sqrt(Math.max(0, v));
}
