/**
 * Δ^SD(M) intersected with a sign restriction (Δ^SDB = Δ^SDPB / Δ^SDNB) or a monotonicity restriction
 * (Δ^SDM = Δ^SDI / Δ^SDD): Rambachan & Roth (2023, sec. 2.4.3), HonestDiD's computeConditionalCS_DeltaSDB
 * and computeConditionalCS_DeltaSDM. The polyhedron is {δ : A_SD δ ≤ M, Bδ ≤ 0} (smoothness-geometry.ts,
 * shape-rows.ts), tested by ARP (arp.ts) on a θ grid.
 *
 * Constructions: c-f (HonestDiD's default with a shape), conditional and c-lf. The FLCI is not one:
 * HonestDiD's createSensitivityResults computes the plain Δ^SD FLCI with a warning that it "does not
 * use the sign [shape] restriction"; we refuse it instead (index.ts's resolveCi).
 */
import { type Rng, seeded } from '../random/stream.js';
import { arpConfidenceSet } from './arp.js';
import { flciProblem, optimalFlci } from './flci.js';
import { type GridSpec, setFromGrid } from './grid-set.js';
import { polyhedralIdentifiedSet } from './identified-set-lp.js';
import { targetEstimate } from './original-ci.js';
import { rowsTouchingPost, type Shape, shapeFields, shapeRows, shapeSuffix, shapeText } from './shape-rows.js';
import { flciVbar, SD_GRID_HALF_WIDTH_SD } from './smoothness.js';
import { smoothnessConstraints } from './smoothness-geometry.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

/** HonestDiD's gridPoints default for these sets, 10^3. */
export const SD_SHAPE_GRID_POINTS = 1000;

type ShapeCi = 'conditional' | 'c-f' | 'c-lf';

/**
 * The robust set for Δ^SD(M) ∩ shape. Grid (HonestDiD's defaults): c-f, the first-stage FLCI (level
 * 1 − κ, κ = α/10); conditional and c-lf, the identified set at β = 0 widened by 20 sd(θ̂) — with
 * more than one post-period and a negative sign restriction HonestDiD flips that identified set to
 * [−ub, −lb] before widening, which we keep, since the grid decides the printed bounds.
 * The conditional test uses the rows that involve a post period when T̄ > 1 (postPeriodMomentsOnly).
 */
export function sdShapeSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  m: number,
  shape: Shape,
  ci: ShapeCi,
  alpha: number,
  grid: GridSpec = {},
): RobustSet {
  const { numPre, numPost, lVec, sigma, betahat } = coef;
  const aSd = smoothnessConstraints(numPre, numPost);
  const aShape = shapeRows(numPre, numPost, shape);
  const a = [...aSd, ...aShape];
  const d = [...new Array<number>(aSd.length).fill(m), ...new Array<number>(aShape.length).fill(0)];
  const rows = numPost > 1 ? rowsTouchingPost(a, numPre) : undefined;
  const kappa = alpha / 10;
  const points = grid.points ?? SD_SHAPE_GRID_POINTS;
  let g: { lb: number; ub: number };
  let hybrid: Parameters<typeof arpConfidenceSet>[1]['hybrid'] = { kind: 'arp' };
  if (ci === 'c-f') {
    const f = optimalFlci(flciProblem(sigma, numPre, numPost, lVec), betahat, m, kappa);
    // Aᵀv̄ = f is solved by the Δ^SD rows alone (flciVbar); the shape rows get weight 0.
    const vbar = [...flciVbar(numPre, numPost, f.weights), ...new Array<number>(aShape.length).fill(0)];
    hybrid = { kind: 'flci', kappa, vbar, halfLength: f.halfLength };
    g = { lb: f.lb, ub: f.ub };
  } else {
    if (ci === 'c-lf') hybrid = { kind: 'lf', kappa };
    let id = polyhedralIdentifiedSet(a, d, new Array<number>(numPre + numPost).fill(0), numPre, lVec);
    if (numPost > 1 && 'bias' in shape && shape.bias === 'negative') id = { lb: -id.ub, ub: -id.lb };
    const w = SD_GRID_HALF_WIDTH_SD * targetEstimate(coef).se;
    g = { lb: id.lb - w, ub: id.ub + w };
  }
  g = { lb: grid.lb ?? g.lb, ub: grid.ub ?? g.ub };
  const key = Math.floor(rng() * 4294967296);
  const res = arpConfidenceSet(seeded(`sd-shape-lf\0${key}`), {
    betahat,
    sigma,
    numPre,
    numPost,
    lVec,
    a,
    d,
    alpha,
    hybrid,
    grid: { ...g, points },
    rows,
  });
  return setFromGrid({ method: 'smoothness', m, ci, ...shapeFields(shape) }, res.grid, res.accept, g);
}

/** Δ^SDB or Δ^SDM as the dispatcher (index.ts) calls it. */
export function smoothnessShaped(shape: Shape): Restriction {
  return {
    method: 'smoothness',
    shape,
    delta: `DeltaSD${shapeSuffix(shape)}`,
    cis: ['c-f', 'conditional', 'c-lf'],
    hybrid: 'c-f',
    robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Exclude<CiType, 'hybrid'>, alpha: number): RobustSet {
      if (!(bound >= 0) || !Number.isFinite(bound)) throw new RangeError(`M: expected a finite number ≥ 0, found ${bound}`);
      if (ci === 'flci') throw new RangeError(`smoothness with ${shapeText(shape)} implements c-f, conditional and c-lf, not flci`);
      if (coef.numPre < 1) {
        return {
          method: 'smoothness',
          m: bound,
          ci,
          ...shapeFields(shape),
          lb: null,
          ub: null,
          reason: 'Δ^SD needs at least one pre-period: without one the slope of the violation into the reference period is free',
        };
      }
      return sdShapeSet(rng, coef, bound, shape, ci, alpha);
    },
  };
}
