/**
 * The robust set of a restriction that is a union of polyhedra {δ : A_j δ ≤ 0} (Rambachan & Roth 2023,
 * appendix, "Δ^RM as a finite union of polyhedra"): the union over j of the ARP sets on one θ grid
 * (HonestDiD's computeConditionalCS_DeltaRMB, _RMM, _SDRM, _SDRMB, _SDRMM, which take the pointwise
 * max of the per-polyhedron acceptances). One polyhedron per period s of the largest pre-period
 * change and its sign.
 */
import { seeded, type Rng } from '../random/stream.js';
import { arpConfidenceSet, type LfNormals } from './arp.js';
import { type GridSpec, setFromGrid } from './grid-set.js';
import { targetEstimate } from './original-ci.js';
import { rowsTouchingPost } from './shape-rows.js';
import type { EventStudyCoefficients, RobustSet } from './types.js';

/** HonestDiD's gridPoints default for these sets, 10^3. */
export const UNION_GRID_POINTS = 1000;
/** HonestDiD's default grid for these sets: ±20 sd(θ̂) (grid.lb = -20·sdTheta, grid.ub = 20·sdTheta). */
export const UNION_GRID_HALF_WIDTH_SD = 20;

/**
 * The union of the ARP sets over `polyhedra` (each A with d = 0). Moments: the rows touching a post
 * period (postPeriodMomentsOnly); with one post-period HonestDiD drops the other rows from A itself
 * (and so from the least-favourable simulation too). Grid: ±20 sd(θ̂) around 0 unless given.
 * Every polyhedron's least-favourable simulation starts from the same key (HonestDiD re-seeds, seed 0),
 * seeded by `label`; `lfNormals` (parity tests) replaces that simulation's normals.
 */
export function unionRobustSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  polyhedra: number[][][],
  ci: 'conditional' | 'c-lf',
  alpha: number,
  base: Omit<RobustSet, 'lb' | 'ub' | 'reason'>,
  grid: GridSpec = {},
  label = 'union-lf',
  lfNormals?: LfNormals,
): RobustSet {
  const w = UNION_GRID_HALF_WIDTH_SD * targetEstimate(coef).se;
  const g = { lb: grid.lb ?? -w, ub: grid.ub ?? w, points: grid.points ?? UNION_GRID_POINTS };
  const { thetas, accept } = unionAcceptance(seedKey(rng), label, coef, polyhedra, ci, alpha, g, lfNormals);
  return setFromGrid(base, thetas, accept, g);
}

/** One key for every polyhedron's least-favourable simulation (HonestDiD re-seeds, seed 0, before each). */
function seedKey(rng: Rng): number {
  return Math.floor(rng() * 4294967296);
}

/**
 * The pointwise union of the per-polyhedron ARP acceptances on one θ grid, each polyhedron's test
 * seeded from `label` and `key` alike. Moments: the rows touching a post period (postPeriodMomentsOnly);
 * with one post-period the other rows leave A itself. `lfNormals` (parity tests) replaces the
 * least-favourable simulation's normals.
 */
function unionAcceptance(
  key: number,
  label: string,
  coef: EventStudyCoefficients,
  polyhedra: readonly number[][][],
  ci: 'conditional' | 'c-lf',
  alpha: number,
  grid: { lb: number; ub: number; points: number },
  lfNormals?: LfNormals,
): { thetas: number[]; accept: boolean[] } {
  const { numPre, numPost } = coef;
  let accept: boolean[] = [];
  let thetas: number[] = [];
  for (const polyhedron of polyhedra) {
    let a = polyhedron;
    const post = rowsTouchingPost(a, numPre);
    let rows: number[] | undefined = post;
    if (numPost === 1) {
      a = post.map((i) => a[i]);
      rows = undefined;
    }
    const res = arpConfidenceSet(seeded(`${label}\0${key}`), {
      betahat: coef.betahat,
      sigma: coef.sigma,
      numPre,
      numPost,
      lVec: coef.lVec,
      a,
      d: new Array<number>(a.length).fill(0),
      alpha,
      hybrid: ci === 'c-lf' ? { kind: 'lf', kappa: alpha / 10 } : { kind: 'arp' },
      grid,
      rows,
      skip: accept,
      lfNormals,
    });
    thetas = res.grid;
    accept = accept.length === 0 ? res.accept : accept.map((v, i) => v || res.accept[i]);
  }
  return { thetas, accept };
}
