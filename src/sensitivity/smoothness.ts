/**
 * The smoothness restriction Δ^SD(M) of Rambachan & Roth (2023, Section 2.3; HonestDiD's
 * `createSensitivityResults` without sign or monotonicity restrictions): the slope of the difference in
 * trends may change by at most M between consecutive periods (M in the outcome's units per period²).
 * M = 0 is an exactly linear violation, extrapolated from the pre-periods.
 *
 * Constructions: 'flci' (the default, as in HonestDiD: the optimal fixed-length interval, flci.ts);
 * 'conditional' (Andrews, Roth & Pakes), 'c-f' (conditional with an FLCI first stage, what 'hybrid'
 * resolves to) and 'c-lf' (conditional with a least-favourable first stage), from arp.ts.
 */
import { cholesky, cholSolve } from '../linalg/small.js';
import { type Rng, seeded } from '../random/stream.js';
import { arpConfidenceSet } from './arp.js';
import { flciProblem, optimalFlci } from './flci.js';
import { setFromGrid } from './grid-set.js';
import { targetEstimate } from './original-ci.js';
import { postCurvatureBound, postPeriodRows, smoothnessConstraints } from './smoothness-geometry.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

/** Points of the θ grid: HonestDiD's computeConditionalCS_DeltaSD default, gridPoints = 10^3. */
export const SD_GRID_POINTS = 1000;
/**
 * Without an FLCI first stage the grid is the identified set at β = 0, [−M·Σ|c_u|, M·Σ|c_u|], widened by
 * 20 sd(l'β̂_post) on each side (HonestDiD's default grid.lb, grid.ub for hybrid_flag ARP and LF).
 */
export const SD_GRID_HALF_WIDTH_SD = 20;

type Ci = Exclude<CiType, 'hybrid'>;

function checkShape(coef: EventStudyCoefficients): string | null {
  const { betahat, sigma, numPre, numPost, lVec } = coef;
  if (numPre < 1) return 'Δ^SD needs at least one pre-period: without one the slope of the violation into the reference period is free';
  if (numPost < 1) return 'Δ^SD needs at least one post-period coefficient';
  if (betahat.length !== numPre + numPost) return `betahat has ${betahat.length} entries, expected numPre + numPost = ${numPre + numPost}`;
  if (sigma.length !== betahat.length || sigma.some((r) => r.length !== betahat.length)) {
    return `sigma must be ${betahat.length} × ${betahat.length}`;
  }
  if (lVec.length !== numPost) return `lVec has ${lVec.length} entries, expected numPost = ${numPost}`;
  return null;
}

/** The FLCI as a robust set. */
function flciSet(coef: EventStudyCoefficients, m: number, alpha: number): RobustSet {
  let f: ReturnType<typeof optimalFlci>;
  try {
    f = optimalFlci(flciProblem(coef.sigma, coef.numPre, coef.numPost, coef.lVec), coef.betahat, m, alpha);
  } catch (e) {
    // lassoPath refuses a covariance whose pre-period block (in second differences) is not positive definite.
    if (e instanceof Error && e.message.startsWith('lassoPath')) {
      return { method: 'smoothness', m, ci: 'flci', lb: null, ub: null, reason: `the FLCI could not be computed: ${e.message}` };
    }
    throw e;
  }
  return { method: 'smoothness', m, ci: 'flci', lb: f.lb, ub: f.ub };
}

/**
 * v̄ with Aᵀv̄ = f for the FLCI hybrid (HonestDiD minimises ‖f − Aᵀv̄‖² with a conic solver): A = [Ã; −Ã]
 * and f (the FLCI's weights) is orthogonal to Ã's null space (linear trends through the reference
 * period, which the FLCI's estimator is unbiased for), so Ãᵀw = f has the one solution
 * w = (ÃÃᵀ)⁻¹Ãf, and v̄ = (w/2, −w/2) is the least-norm split. The FLCI first stage and its
 * v_lo/v_up depend on v̄ only through Aᵀv̄ = f (the v̄'d terms cancel in arp.ts's dbar), so the
 * split HonestDiD's solver happens to return does not matter.
 */
export function flciVbar(numPre: number, numPost: number, f: readonly number[]): number[] {
  const a = smoothnessConstraints(numPre, numPost);
  const r = a.length / 2;
  const at = a.slice(0, r);
  const n = at[0]?.length ?? 0;
  const g = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) for (let t = 0; t < n; t++) g[i * r + j] += at[i][t] * at[j][t];
  const l = cholesky(g, r);
  if (!l) throw new Error('flciVbar: ÃÃᵀ is not positive definite');
  const af = at.map((row) => row.reduce((s2, v, t) => s2 + v * f[t], 0));
  const w = cholSolve(l, r, af);
  return [...Array.from(w, (v) => v / 2), ...Array.from(w, (v) => -v / 2)];
}

/**
 * The ARP-based robust sets for Δ^SD(M) (HonestDiD's computeConditionalCS_DeltaSD): test inversion on
 * a grid of θ of the moments A_SD β − M ≤ 0 with the other post-period effects as nuisance; the
 * conditional test uses the rows that involve a post period when T̄ > 1 (postPeriodMomentsOnly), all
 * rows when T̄ = 1. c-f: first stage the FLCI at level 1 − κ, κ = α/10, and the grid is that FLCI;
 * c-lf: first stage the least-favourable test at κ = α/10 (its critical value simulated from rng).
 * HonestDiD runs its no-nuisance code when T̄ = 1; arp.ts's test with no nuisance is the same test.
 * @param grid default: HonestDiD's (see SD_GRID_POINTS, SD_GRID_HALF_WIDTH_SD); any part given
 *   replaces that part (HonestDiD's grid.lb, grid.ub, gridPoints).
 * @param cv the FLCI's critical value (c-f's first stage); default exact (see flci.ts).
 */
export function sdConditionalSet(
  rng: Rng,
  coef: EventStudyCoefficients,
  m: number,
  ci: 'conditional' | 'c-f' | 'c-lf',
  alpha: number,
  grid: { lb?: number; ub?: number; points?: number } = {},
  cv?: (b: number, alpha: number) => number,
): RobustSet {
  const { numPre, numPost, lVec, sigma, betahat } = coef;
  const a = smoothnessConstraints(numPre, numPost);
  const d = new Array<number>(a.length).fill(m);
  const rows = numPost > 1 ? postPeriodRows(numPre, numPost) : undefined;
  const kappa = alpha / 10;
  let g: { lb: number; ub: number; points: number };
  let hybrid: Parameters<typeof arpConfidenceSet>[1]['hybrid'] = { kind: 'arp' };
  if (ci === 'c-f') {
    const f = optimalFlci(flciProblem(sigma, numPre, numPost, lVec), betahat, m, kappa, cv);
    hybrid = { kind: 'flci', kappa, vbar: flciVbar(numPre, numPost, f.weights), halfLength: f.halfLength };
    g = { lb: f.lb, ub: f.ub, points: SD_GRID_POINTS };
  } else {
    if (ci === 'c-lf') hybrid = { kind: 'lf', kappa };
    const half = m * postCurvatureBound(lVec) + SD_GRID_HALF_WIDTH_SD * targetEstimate(coef).se;
    g = { lb: -half, ub: half, points: SD_GRID_POINTS };
  }
  g = { lb: grid.lb ?? g.lb, ub: grid.ub ?? g.ub, points: grid.points ?? g.points };
  const key = Math.floor(rng() * 4294967296);
  const res = arpConfidenceSet(seeded(`sd-lf\0${key}`), { betahat, sigma, numPre, numPost, lVec, a, d, alpha, hybrid, grid: g, rows });
  return setFromGrid({ method: 'smoothness', m, ci }, res.grid, res.accept, g);
}

/** Δ^SD(M) as the dispatcher (index.ts) calls it. */
export const smoothness: Restriction = {
  method: 'smoothness',
  cis: ['flci', 'conditional', 'c-f', 'c-lf'],
  hybrid: 'c-f',
  robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Ci, alpha: number): RobustSet {
    if (!(bound >= 0) || !Number.isFinite(bound)) throw new RangeError(`M: expected a finite number ≥ 0, found ${bound}`);
    const bad = checkShape(coef);
    if (bad) return { method: 'smoothness', m: bound, ci, lb: null, ub: null, reason: bad };
    if (ci === 'flci') return flciSet(coef, bound, alpha);
    return sdConditionalSet(rng, coef, bound, ci, alpha);
  },
};
