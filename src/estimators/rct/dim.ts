/**
 * Difference in means at the wait-list horizon, for randomised rollouts (R1-type), and the Fisher
 * randomisation test that re-draws the start times the way the design drew them.
 *
 * With start times assigned at random (Roth & Sant'Anna 2023, random treatment timing), units not yet
 * treated at period t are a valid comparison for those treated at g ≤ t in levels, without a
 * pre-period. At horizon h (event time h ≥ 0), cohort g is compared with every cohort still untreated at
 * t = g + h (including the never treated): θ̂_g = ȳ_{g,t} − ȳ_{C(t),t}; the overall estimate is the
 * cohort-size weighted mean Σ_g n_g θ̂_g / Σ_g n_g over cohorts that have such a comparison.
 * SE: Neyman's conservative variance through unit contributions, V̂ = Σ_i φ_i² with
 *   φ_i = Σ_g w_g [1{i∈g}(y_it − ȳ_g)/√(n_g(n_g − 1)) − 1{i∈C_g}(y_it − ȳ_{C_g})/√(n_{C_g}(n_{C_g} − 1))],
 * which is s²_g/n_g + s²_C/n_C for one cohort and adds the covariance of cohorts sharing comparison
 * units; design-based, with the cohort sizes (hence the weights) fixed by the design. With covariates,
 * each cohort's comparison is Lin's (2013) adjusted difference with HC2 contributions (lin.ts).
 */
import type { Rng } from '../../random/stream.js';
import type { Panel } from '../../panel/panel.js';
import { permutation } from '../../random/discrete.js';
import { EstimatorInputError } from '../errors.js';
import { startGroupsOf } from '../twfe/start-groups.js';
import { seOf } from '../twfe/within.js';
import { linFit } from './lin.js';

export interface DimResult {
  att: number | null;
  se: number | null;
  reason?: string;
  /** Per cohort: its estimate and the number of treated and comparison units. */
  cohorts: { group: number; att: number; nTreated: number; nControl: number }[];
}

/**
 * Difference in means at event time h, aggregated over cohorts with a not-yet-treated comparison.
 * @param covariates unit-level columns: each cohort's comparison becomes Lin's (2013) regression-adjusted
 *   difference (lin.ts) with HC2 unit contributions in place of the arm means.
 */
/** Why an estimate carries no Fisher test. */
export const NO_FISHER = 'no Fisher randomisation test: permutations is 0 (set permutations ≥ 1 to run it)';

export function dimAtHorizon(
  panel: Panel,
  h: number,
  group: ArrayLike<number> = panel.group,
  covariates: readonly Float64Array[] = [],
): DimResult {
  if (!(Number.isInteger(h) && h >= 0)) throw new EstimatorInputError(`dim: the horizon must be a whole number of periods ≥ 0, got ${h}`);
  const n = panel.nUnits,
    T = panel.nPeriods;
  const co = startGroupsOf(group === panel.group ? panel : { ...panel, group: Float64Array.from(group) });
  const C = co.start.length,
    a = co.firstIndex;
  const parts: { c: number; t: number; ctrl: Uint8Array; w: number }[] = [];
  for (let c = 0; c < C; c++) {
    if (a[c] >= T) continue;
    const t = a[c] + h;
    if (t >= T) continue;
    const ctrl = Uint8Array.from(a, (ac) => (ac > t ? 1 : 0));
    if (!ctrl.some((v) => v === 1)) continue;
    parts.push({ c, t, ctrl, w: co.size[c] });
  }
  if (parts.length === 0) {
    return { att: null, se: null, reason: `no cohort has units still untreated ${h} period(s) after its start`, cohorts: [] };
  }
  const W = parts.reduce((s, p) => s + p.w, 0);
  // Unit contributions φ_i; V̂ = Σ φ_i² (Neyman-type, with n−1 denominators per arm).
  const phi = new Float64Array(n);
  let att = 0;
  const cohorts: DimResult['cohorts'] = [];
  for (const p of parts) {
    const row = p.t * n;
    if (covariates.length > 0) {
      const units: number[] = [];
      for (let i = 0; i < n; i++) if (co.of[i] === p.c || p.ctrl[co.of[i]]) units.push(i);
      const d = Uint8Array.from(units, (i) => (co.of[i] === p.c ? 1 : 0));
      const fit = linFit(
        units,
        d,
        Float64Array.from(units, (i) => panel.y[row + i]),
        covariates,
      );
      if (!fit)
        return {
          att: null,
          se: null,
          reason: `covariate adjustment not identified for g=${co.start[p.c]}: a covariate is constant within an arm or there are too few units`,
          cohorts: [],
        };
      const w = p.w / W,
        n1 = d.reduce((s, v) => s + v, 0);
      att += w * fit.tau;
      cohorts.push({ group: co.start[p.c], att: fit.tau, nTreated: n1, nControl: units.length - n1 });
      units.forEach((i, j) => {
        phi[i] += w * fit.phi[j];
      });
      continue;
    }
    let s1 = 0,
      n1 = 0,
      s0 = 0,
      n0 = 0;
    for (let i = 0; i < n; i++) {
      if (co.of[i] === p.c) {
        s1 += panel.y[row + i];
        n1++;
      } else if (p.ctrl[co.of[i]]) {
        s0 += panel.y[row + i];
        n0++;
      }
    }
    const m1 = s1 / n1,
      m0 = s0 / n0,
      w = p.w / W;
    att += w * (m1 - m0);
    cohorts.push({ group: co.start[p.c], att: m1 - m0, nTreated: n1, nControl: n0 });
    const f1 = n1 > 1 ? w / Math.sqrt(n1 * (n1 - 1)) : 0,
      f0 = n0 > 1 ? w / Math.sqrt(n0 * (n0 - 1)) : 0;
    for (let i = 0; i < n; i++) {
      if (co.of[i] === p.c) phi[i] += f1 * (panel.y[row + i] - m1);
      else if (p.ctrl[co.of[i]]) phi[i] -= f0 * (panel.y[row + i] - m0);
    }
  }
  let v = 0;
  for (let i = 0; i < n; i++) v += phi[i] * phi[i];
  const se = seOf(v);
  return se === null ? { att, se, reason: 'no standard error (zero variance or single units)', cohorts } : { att, se, cohorts };
}

export interface FisherResult {
  statistic: number;
  /** Two-sided randomisation p-value (1 + #{|T_b| ≥ |T_obs|}) / (1 + B). */
  p: number;
  draws: number;
}

/**
 * Fisher randomisation test of the sharp null of no effect for any unit in any period: re-draw the
 * assignment as the design drew it — a random permutation of the start times among the units (complete
 * randomisation with the realised cohort sizes) — and recompute the statistic on the same outcomes.
 * @param rng the seeded stream of the permutations (first, required argument).
 * @example fisherTest(seeded(1), panel, (g) => dimAtHorizon(panel, 0, g).att, 999)
 */
export function fisherTest(rng: Rng, panel: Panel, statistic: (group: Float64Array) => number | null, draws: number): FisherResult | null {
  if (!(Number.isInteger(draws) && draws >= 1))
    throw new EstimatorInputError(`fisher: the number of re-randomisations must be a whole number ≥ 1, got ${draws}`);
  const obs = statistic(panel.group);
  if (obs === null) return null;
  const g = new Float64Array(panel.nUnits);
  let extreme = 0;
  for (let b = 0; b < draws; b++) {
    const perm = permutation(rng, panel.nUnits);
    for (let i = 0; i < g.length; i++) g[i] = panel.group[perm[i]];
    const s = statistic(g);
    if (s !== null && Math.abs(s) >= Math.abs(obs) - 1e-12 * Math.abs(obs)) extreme++;
  }
  return { statistic: obs, p: (1 + extreme) / (1 + draws), draws };
}
