/**
 * Δ^RM(M̄) intersected with a sign restriction (Δ^RMB = Δ^RMPB / Δ^RMNB) or a monotonicity restriction
 * (Δ^RMM = Δ^RMI / Δ^RMD): Rambachan & Roth (2023, sec. 2.4.3), HonestDiD's
 * computeConditionalCS_DeltaRMB and _DeltaRMM. Each polyhedron of Δ^RM (relative-magnitudes.ts's
 * rmConstraints) gains the shape's rows Bδ ≤ 0; the set is the union of the ARP sets (relative-union.ts).
 * Constructions: c-lf (HonestDiD's default) and conditional, as for Δ^RM.
 */
import type { Rng } from '../random/stream.js';
import type { GridSpec } from './grid-set.js';
import { rmConstraints } from './relative-magnitudes.js';
import { unionRobustSet } from './relative-union.js';
import { type Shape, shapeFields, shapeRows, shapeSuffix, shapeText } from './shape-rows.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

/** The polyhedra of Δ^RM(M̄) ∩ shape: per s ∈ {−(K−1), …, 0}, the positive then the negative one. */
export function rmShapePolyhedra(numPre: number, numPost: number, mbar: number, shape: Shape): number[][][] {
  const extra = shapeRows(numPre, numPost, shape);
  const out: number[][][] = [];
  for (let s = -(numPre - 1); s <= 0; s++) {
    for (const positive of [true, false]) out.push([...rmConstraints(numPre, numPost, mbar, s, positive), ...extra]);
  }
  return out;
}

/** The robust set for Δ^RMB or Δ^RMM at M̄, on HonestDiD's grid (±20 sd(θ̂), 1000 points) unless given. */
export function rmShapeSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  mbar: number,
  shape: Shape,
  ci: 'conditional' | 'c-lf',
  alpha: number,
  grid?: GridSpec,
): RobustSet {
  const base = { method: 'relative_magnitudes' as const, mbar, ci, ...shapeFields(shape) };
  return unionRobustSet(rng, coef, rmShapePolyhedra(coef.numPre, coef.numPost, mbar, shape), ci, alpha, base, grid);
}

/** Δ^RMB or Δ^RMM as the dispatcher (index.ts) calls it. */
export function relativeMagnitudesShaped(shape: Shape): Restriction {
  return {
    method: 'relative_magnitudes',
    shape,
    delta: `DeltaRM${shapeSuffix(shape)}`,
    cis: ['c-lf', 'conditional'],
    hybrid: 'c-lf',
    robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Exclude<CiType, 'hybrid'>, alpha: number): RobustSet {
      if (ci !== 'c-lf' && ci !== 'conditional') {
        throw new RangeError(`relative_magnitudes with ${shapeText(shape)} implements c-lf and conditional, not ${ci}`);
      }
      return rmShapeSet(rng, coef, bound, shape, ci, alpha);
    },
  };
}
