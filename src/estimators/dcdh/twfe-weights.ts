/**
 * de Chaisemartin & D'Haultfœuille (2020, AER) weights of the static two-way fixed-effects coefficient
 * (`twowayfeweights`, type feTR), for a balanced panel with one unit per group:
 *   β̂_fe = Σ_{(i,t): D_it = 1} W_it Δ_it      under parallel trends            (Theorem 1)
 *   W_it = ε_it / Σ_{D = 1} ε_jt,   ε_it = D_it − D̄_i· − D̄_·t + D̄_··
 * ε is the residual of the treatment on unit and period effects (the balanced-panel two-way
 * demeaning), so Σ_{D=1} W = 1 and a treated cell with ε < 0 gets a negative weight. W depends only on
 * the cohort and the period: `cells` lists it per cohort-period, counts are over unit-period cells (the
 * package run with the unit as the group).
 * Sensitivity (Corollary 1): σ̲_fe = |β̂_fe| / σ(w), the smallest standard deviation of the Δ across
 * treated cells under which β̂_fe could be of the opposite sign to the ATT, with w = N_1·W (mean 1) and
 *   σ(w) = √(Σ_{D=1} (1/N_1)(w − 1)²) · √(M/(M − 1)),   M = N_1 treated cells
 * — the √(M/(M−1)) is the degrees-of-freedom factor twowayfeweights applies (R twowayfeweights_result.R).
 */
import type { Panel } from '../../panel/panel.js';
import { startGroupsOf } from '../twfe/start-groups.js';

export interface TwfeWeightCell {
  /** Start period of the cohort (0 = never treated never appears: its cells are untreated). */
  group: number;
  time: number;
  /** W_it of one unit-period cell of the cohort. */
  weight: number;
  /** Units in the cohort (their cells share the weight). */
  units: number;
}

export interface TwfeWeights {
  /** β̂_fe = Σ ε y / Σ ε D (Frisch–Waugh–Lovell), the static TWFE coefficient. */
  beta: number;
  cells: TwfeWeightCell[];
  /** Treated unit-period cells with a positive / negative weight and their total weight. */
  positive: { count: number; sum: number };
  negative: { count: number; sum: number };
  /** σ̲_fe; null when every weight is 1 (σ(w) = 0, β̂_fe is the ATT under any heterogeneity). */
  sigma_fe: number | null;
  /** Why sigma_fe is null. */
  sigma_fe_reason?: string;
}

/** Weights closer to 0 than this count as zero (as the package does). */
const ZERO = 1e-10;

export function twfeWeights(panel: Panel): TwfeWeights | { reason: string } {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const co = startGroupsOf(panel);
  const C = co.start.length;
  const d = (c: number, t: number) => (t >= co.firstIndex[c] ? 1 : 0);
  const row = Float64Array.from({ length: C }, (_, c) => (T - Math.min(T, co.firstIndex[c])) / T);
  const col = new Float64Array(T);
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) col[t] += (co.size[c] * d(c, t)) / n;
  let grand = 0;
  for (let c = 0; c < C; c++) grand += (co.size[c] * row[c]) / n;
  const eps = (c: number, t: number) => d(c, t) - row[c] - col[t] + grand;
  let den = 0,
    N1 = 0;
  for (let c = 0; c < C; c++)
    for (let t = 0; t < T; t++)
      if (d(c, t)) {
        den += co.size[c] * eps(c, t);
        N1 += co.size[c];
      }
  if (!(Math.abs(den) > ZERO))
    return { reason: 'no unit changes treatment status inside the panel, so the TWFE estimate is not identified' };
  let num = 0;
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) num += eps(co.of[i], t) * panel.y[t * n + i];
  const beta = num / den;
  const cells: TwfeWeightCell[] = [];
  const positive = { count: 0, sum: 0 },
    negative = { count: 0, sum: 0 };
  let ss = 0;
  for (let c = 0; c < C; c++)
    for (let t = 0; t < T; t++) {
      if (!d(c, t)) continue;
      let W = eps(c, t) / den;
      if (Math.abs(W) < ZERO) W = 0;
      cells.push({ group: co.start[c], time: panel.periods[t], weight: W, units: co.size[c] });
      if (W > 0) {
        positive.count += co.size[c];
        positive.sum += co.size[c] * W;
      } else if (W < 0) {
        negative.count += co.size[c];
        negative.sum += co.size[c] * W;
      }
      ss += (co.size[c] / N1) * (N1 * W - 1) ** 2;
    }
  const sd = Math.sqrt(ss) * Math.sqrt(N1 / (N1 - 1));
  if (!(sd > ZERO))
    return {
      beta,
      cells,
      positive,
      negative,
      sigma_fe: null,
      sigma_fe_reason: 'every treated cell has the same weight (σ(w) = 0): the TWFE coefficient is the ATT whatever the heterogeneity',
    };
  return { beta, cells, positive, negative, sigma_fe: Math.abs(beta) / sd };
}
