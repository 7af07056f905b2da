/**
 * A robust set read off a test-inversion grid as HonestDiD reads it (min and max of the accepted
 * points): shared by every restriction read off a grid (Δ^SD, Δ^RM, their shaped sets, Δ^SDRM).
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
