/**
 * de Chaisemartin & D'Haultfœuille (2020, AER) weights of the static two-way fixed-effects coefficient
 * (`twowayfeweights`, type feTR), for a balanced panel with one unit per group and any treatment
 * D_it (a start group's 1{t ≥ g}, or a column that switches on and off or takes other values):
 *   β̂_fe = Σ_{(i,t): D_it ≠ 0} w_it Δ_it      under parallel trends            (Theorem 1)
 *   w_it = ε_it D_it / Σ_{j,s} ε_js D_js,   ε_it = D_it − D̄_i· − D̄_·t + D̄_··
 * ε is the residual of the treatment on unit and period effects (the balanced-panel two-way
 * demeaning), so Σ w = 1 and a treated cell with ε < 0 gets a negative weight. In the package's terms
 * (R twowayfeweights_calculate.R) w = W·ν with the natural weight ν_it = D_it / Σ D and
 * W_it = ε_it·D̄ / mean(εD), whose ν-weighted mean is 1.
 * Sensitivity (Corollary 1): (i) σ̲_fe = |β̂_fe| / σ(W), the smallest standard deviation of the Δ across
 * treated cells under which β̂_fe could be of the opposite sign to the ATT, with
 *   σ(W) = √(Σ ν (W − 1)²) · √(M/(M − 1)),   M = treated cells
 * (the √(M/(M−1)) is the degrees-of-freedom factor twowayfeweights_result.R applies); (ii) the smallest
 * standard deviation under which β̂_fe could be of a different sign than every Δ_it, found over the
 * cells sorted by W (twowayfeweights_result.R, only when some weight is negative).
 * The random-weights test (`test_random_weights`) regresses a column on W over the treated cells,
 * ν-weighted, with SEs clustered by unit (CR1, G/(G−1)·(n−1)/(n−2), fixest's default), and reports
 * the coefficient, SE, t and the signed √R² (twowayfeweights_test_random_weights in utils.R).
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { panelColumn } from './panel-column.js';
import { startGroupsOf } from '../twfe/start-groups.js';
import { treatmentOf } from './design.js';

export interface TwfeWeightCell {
  /** Start period of the unit's cohort (with a treatment column: the panel's group, 0 if none). */
  group: number;
  time: number;
  /** w_it of one unit-period cell (every unit of a cohort-period cell shares it). */
  weight: number;
  /** Units in the cell: the cohort's size for a start-group panel, 1 with a treatment column. */
  units: number;
  /** The unit's id, with a treatment column (cells are then unit-periods). */
  unit?: string;
}

export interface RandomWeightsTest {
  column: string;
  coef: number;
  se: number;
  t: number;
  /** sign(coef)·√R² of the ν-weighted regression. */
  correlation: number;
}

export interface TwfeWeights {
  /** β̂_fe = Σ ε y / Σ ε D (Frisch–Waugh–Lovell), the static TWFE coefficient. */
  beta: number;
  cells: TwfeWeightCell[];
  /** Treated unit-period cells with a positive / negative weight and their total weight. */
  positive: { count: number; sum: number };
  negative: { count: number; sum: number };
  /** Unit-period cells with D ≠ 0 (the package's tot_cells; some may have weight 0). */
  treated_cells: number;
  /** σ̲_fe, Corollary 1 (i); null when every weight is 1 (σ(W) = 0: β̂_fe is the ATT under any heterogeneity). */
  sigma_fe: number | null;
  sigma_fe_reason?: string;
  /** Corollary 1 (ii): the smallest SD of the effects under which β̂_fe and every Δ_it could differ in sign; null without negative weights. */
  sigma_fe_all: number | null;
  sigma_fe_all_reason?: string;
  /** The random-weights tests asked for, in their order. */
  random_weights?: RandomWeightsTest[];
}

/** Weights closer to 0 than this count as zero (as the package does). */
const ZERO = 1e-10;

export interface TwfeWeightsInput {
  /** Columns whose correlation with the weights is tested (the package's test_random_weights). */
  randomWeights?: readonly string[];
}

export function twfeWeights(panel: Panel, input: TwfeWeightsInput = {}): TwfeWeights | { reason: string } {
  const n = panel.nUnits,
    T = panel.nPeriods,
    NT = n * T;
  if (panel.observed) throw new EstimatorInputError('twowayfeweights: the panel has gaps; it takes a balanced panel');
  const D = treatmentOf(panel);
  for (let k = 0; k < NT; k++)
    if (!Number.isFinite(D[k]))
      throw new EstimatorInputError(
        `twowayfeweights: the treatment of unit ${panel.ids[k % n]} in period ${panel.periods[Math.floor(k / n)]} is not a number`,
      );
  // ε: D two-way demeaned (balanced panel).
  const rowMean = new Float64Array(n),
    colMean = new Float64Array(T);
  let grand = 0;
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const v = D[t * n + i];
      rowMean[i] += v / T;
      colMean[t] += v / n;
      grand += v / NT;
    }
  const eps = new Float64Array(NT);
  let den = 0,
    sumD = 0,
    num = 0,
    M = 0;
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      eps[k] = D[k] - rowMean[i] - colMean[t] + grand;
      den += eps[k] * D[k];
      num += eps[k] * panel.y[k];
      sumD += D[k];
      if (D[k] !== 0) M++;
    }
  if (!(Math.abs(den) > ZERO) || sumD === 0)
    return { reason: 'no unit changes treatment status inside the panel, so the TWFE estimate is not identified' };
  const beta = num / den;
  // Per treated cell: W (mean 1 under ν), ν and the weight w = W·ν (0 when |w| < 1e-10).
  const meanD = sumD / NT;
  const cellsOf: number[] = [];
  const W = new Float64Array(NT),
    nu = new Float64Array(NT),
    w = new Float64Array(NT);
  const positive = { count: 0, sum: 0 },
    negative = { count: 0, sum: 0 };
  for (let k = 0; k < NT; k++) {
    if (D[k] === 0) continue;
    cellsOf.push(k);
    W[k] = (eps[k] * meanD * NT) / den;
    nu[k] = D[k] / sumD;
    let x = (eps[k] * D[k]) / den;
    if (Math.abs(x) < ZERO) x = 0;
    w[k] = x;
    if (x > 0) {
      positive.count++;
      positive.sum += x;
    } else if (x < 0) {
      negative.count++;
      negative.sum += x;
    }
  }
  let mean = 0;
  for (const k of cellsOf) mean += nu[k] * W[k];
  let ss = 0;
  for (const k of cellsOf) ss += nu[k] * (W[k] - mean) ** 2;
  const sd = Math.sqrt(ss) * Math.sqrt(M / (M - 1));
  const out: TwfeWeights = {
    beta,
    cells: cellList(panel, D, w),
    positive,
    negative,
    treated_cells: M,
    sigma_fe: null,
    sigma_fe_all: null,
  };
  if (M > 1 && sd > ZERO) out.sigma_fe = Math.abs(beta) / sd;
  else
    out.sigma_fe_reason = 'every treated cell has the same weight (σ(W) = 0): the TWFE coefficient is the ATT whatever the heterogeneity';
  if (negative.sum < 0) {
    out.sigma_fe_all = sigmaAll(panel, cellsOf, W, nu, w, Math.abs(beta));
    if (out.sigma_fe_all === null) out.sigma_fe_all_reason = 'no cell meets the condition of Corollary 1 (ii)';
  } else out.sigma_fe_all_reason = 'no treated cell has a negative weight, so β̂_fe has the sign of every cell effect when they share one';
  if (input.randomWeights?.length) out.random_weights = input.randomWeights.map((c) => randomWeightsTest(panel, c, cellsOf, W, nu));
  return out;
}

/** The cells to list: cohort-periods for a start-group panel, unit-periods with a treatment column. */
function cellList(panel: Panel, D: Float64Array, w: Float64Array): TwfeWeightCell[] {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const cells: TwfeWeightCell[] = [];
  if (panel.treatment) {
    for (let i = 0; i < n; i++)
      for (let t = 0; t < T; t++)
        if (D[t * n + i] !== 0)
          cells.push({ group: panel.group[i], time: panel.periods[t], weight: w[t * n + i], units: 1, unit: panel.ids[i] });
    return cells;
  }
  // Every unit of a cohort has the same D path, hence the same ε and weight in each period.
  const co = startGroupsOf(panel);
  const first = new Int32Array(co.start.length).fill(-1);
  for (let i = 0; i < n; i++) if (first[co.of[i]] < 0) first[co.of[i]] = i;
  co.start.forEach((g, c) => {
    for (let t = co.firstIndex[c]; t < T; t++)
      cells.push({ group: g, time: panel.periods[t], weight: w[t * n + first[c]], units: co.size[c] });
  });
  return cells;
}

/** Unit ids in the package's order of G: numerically when both are numbers, else as text. */
function compareIds(a: string, b: string): number {
  const x = Number(a),
    y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && a.trim() !== '' && b.trim() !== '') return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Corollary 1 (ii), as twowayfeweights_result.R computes it: over the cells of non-zero weight sorted by
 * W ascending (ties: G, then T, descending), the running sums P_k = Σ ν, S_k = Σ w, T_k = Σ ν W² give
 * σ_k = |β| / √(T_k + S_k²/(1 − P_k)); in the descending order an indicator 1{W < −S_k/(1 − P_k)} (0 for
 * the first cell), maxed with its predecessor's (−1 before the first), counts the cells to skip, and the
 * measure is σ at position N − Σ indicator + 1 (1-based) of the descending order.
 */
function sigmaAll(panel: Panel, cellsOf: number[], W: Float64Array, nu: Float64Array, w: Float64Array, absBeta: number): number | null {
  const n = panel.nUnits;
  const ks = cellsOf.filter((k) => w[k] !== 0);
  const N = ks.length;
  ks.sort((a, b) => W[a] - W[b] || -compareIds(panel.ids[a % n], panel.ids[b % n]) || Math.floor(b / n) - Math.floor(a / n));
  const P = new Float64Array(N),
    S = new Float64Array(N),
    Tk = new Float64Array(N);
  let p = 0,
    s = 0,
    q = 0;
  for (let j = 0; j < N; j++) {
    const k = ks[j];
    p += nu[k];
    s += w[k];
    q += nu[k] * W[k] * W[k];
    P[j] = p;
    S[j] = s;
    Tk[j] = q;
  }
  // Descending order: position r (0-based) is ascending position N − 1 − r.
  const ind = new Float64Array(N);
  for (let r = 0; r < N; r++) {
    const j = N - 1 - r;
    ind[r] = r === 0 ? 0 : W[ks[j]] < -S[j] / (1 - P[j]) ? 1 : 0;
  }
  let total = 0;
  for (let r = 0; r < N; r++) total += Math.max(ind[r], r === 0 ? -1 : ind[r - 1]);
  const r = N - total; // 1-based N − total + 1
  if (r < 0 || r >= N) return null;
  const j = N - 1 - r;
  const v = absBeta / Math.sqrt(Tk[j] + (S[j] * S[j]) / (1 - P[j]));
  return Number.isFinite(v) ? v : null;
}

/** The ν-weighted regression of a column on W over the treated cells, CR1 by unit (test_random_weights). */
function randomWeightsTest(panel: Panel, column: string, cellsOf: number[], W: Float64Array, nu: Float64Array): RandomWeightsTest {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const x = panelColumn(panel, column, 'twowayfeweights: random-weights column');
  const at = (k: number) => (x.length === n * T ? x[k] : x[k % n]);
  // Weighted least squares of v on (1, W): closed form with weighted means.
  let sw = 0,
    mw = 0,
    mv = 0;
  for (const k of cellsOf) {
    sw += nu[k];
    mw += nu[k] * W[k];
    mv += nu[k] * at(k);
  }
  mw /= sw;
  mv /= sw;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (const k of cellsOf) {
    const dx = W[k] - mw,
      dy = at(k) - mv;
    sxx += nu[k] * dx * dx;
    sxy += nu[k] * dx * dy;
    syy += nu[k] * dy * dy;
  }
  const b = sxy / sxx,
    a = mv - b * mw;
  // Cluster scores of the slope: with centred W the sandwich's (2,2) element is Σ_g (Σ ν (W − W̄) e)² / sxx².
  const score = new Map<number, number>();
  let ssr = 0;
  for (const k of cellsOf) {
    const e = at(k) - a - b * W[k];
    ssr += nu[k] * e * e;
    const i = k % n;
    score.set(i, (score.get(i) ?? 0) + nu[k] * (W[k] - mw) * e);
  }
  let meat = 0;
  for (const v of score.values()) meat += v * v;
  const G = score.size,
    N = cellsOf.length;
  const se = Math.sqrt((meat / (sxx * sxx)) * (G / (G - 1)) * ((N - 1) / (N - 2)));
  const r2 = 1 - ssr / syy;
  return { column, coef: b, se, t: b / se, correlation: (b > 0 ? 1 : -1) * Math.sqrt(r2) };
}
