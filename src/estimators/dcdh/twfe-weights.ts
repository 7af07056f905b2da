/**
 * twowayfeweights (de Chaisemartin & D'Haultfœuille 2020, AER) on a balanced panel with one unit per
 * group and any treatment D_it (a start group's 1{t ≥ g}, or a column that switches on and off or takes
 * other values): the weights of the fixed-effects or first-difference regression's coefficient on the
 * treated cells (types feTR, fdTR) or on the treatment's changes (feS, fdS), from twfe-weights-types.ts,
 * and their summary (R twowayfeweights_result.R):
 *   β̂ = Σ w_it Δ_it under the type's assumptions,   w = W·ν,   Σ ν = 1,   Σ ν W = 1
 * (ν the natural weight, e.g. D_it/Σ D for feTR: a treated cell with ε < 0 gets a negative weight).
 * Sensitivity (Corollary 1): (i) σ̲ = |β̂| / σ(W), the smallest standard deviation of the Δ across the
 * cells under which β̂ could be of the opposite sign to their ν-weighted mean, with
 *   σ(W) = √(Σ ν (W − 1)²) · √(M/(M − 1)),   M = cells with ν ≠ 0
 * (the √(M/(M−1)) is the degrees-of-freedom factor twowayfeweights_result.R applies); (ii) the smallest
 * standard deviation under which β̂ could be of a different sign than every Δ_it, found over the
 * cells sorted by W (twowayfeweights_result.R, only when some weight is negative). With other
 * treatments neither is defined (the package reports none); the other treatments' contamination
 * weights are summarised instead.
 * The random-weights test (`test_random_weights`) regresses a column on W over the cells with ν ≠ 0,
 * ν-weighted, with SEs clustered by unit (CR1, G/(G−1)·(n−1)/(n−2), fixest's default), and reports
 * the coefficient, SE, t and the signed √R² (twowayfeweights_test_random_weights in utils.R).
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { startGroupsOf } from '../twfe/start-groups.js';
import { treatmentOf } from './design.js';
import { panelColumn } from './panel-column.js';
import { type TwfeType, typeWeights } from './twfe-weights-types.js';
import { FitError } from './weighted-fe-fit.js';

export interface TwfeWeightCell {
  /** Start period of the unit's cohort (with a treatment column: the panel's group, 0 if none). */
  group: number;
  time: number;
  /** w_it of one unit-period cell (every unit of a cohort-period cell shares it when cells are cohorts). */
  weight: number;
  /** Units in the cell: the cohort's size when cells are cohort-periods, else 1. */
  units: number;
  /** The unit's id, when cells are unit-periods (a treatment column, controls or regression weights). */
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

export interface WeightSummary {
  positive: { count: number; sum: number };
  negative: { count: number; sum: number };
}

export interface OtherTreatmentWeights extends WeightSummary {
  column: string;
  /** Unit-period cells where this treatment is not 0 (the package's tot_cells for it). */
  treated_cells: number;
  cells: TwfeWeightCell[];
}

export interface TwfeWeights {
  /** The regression: feTR, feS (fixed effects), fdTR, fdS (first differences). */
  type: TwfeType;
  /** β̂, the regression's coefficient on the treatment (on ΔD for the first-difference types). */
  beta: number;
  /** Its CR1 standard error (clustered by unit, or by the cluster column), null when not defined (se_reason says why). */
  se: number | null;
  se_reason?: string;
  /** Rows the data hold that miss an outcome, treatment, control, other treatment or weight, left out as the package drops them. */
  rows_left_out?: number;
  cells: TwfeWeightCell[];
  /** Cells with a positive / negative weight and their total weight. */
  positive: { count: number; sum: number };
  negative: { count: number; sum: number };
  /** Unit-period cells with ν ≠ 0 (treated cells, or changes of treatment for feS, fdS: the package's tot_cells; some may have weight 0). */
  treated_cells: number;
  /** σ̲, Corollary 1 (i); null when every weight is 1 (σ(W) = 0: β̂ is the ATT under any heterogeneity) or with other treatments. */
  sigma_fe: number | null;
  sigma_fe_reason?: string;
  /** Corollary 1 (ii): the smallest SD of the effects under which β̂ and every Δ_it could differ in sign; null without negative weights. */
  sigma_fe_all: number | null;
  sigma_fe_all_reason?: string;
  /** Controls in the regressions, and those the fixed effects absorb (left out, as feols does). */
  controls?: { kept: string[]; absorbed: string[] };
  /** The other treatments' contamination weights (de Chaisemartin & D'Haultfœuille 2020b, Corollary 1). */
  other_treatments?: OtherTreatmentWeights[];
  /** The random-weights tests asked for, in their order. */
  random_weights?: RandomWeightsTest[];
}

const SE_REASON = 'no standard error: the residuals are all 0, or one cluster or no residual degrees of freedom';

/** Weights closer to 0 than this count as zero (as the package does). */
const ZERO = 1e-10;

export interface TwfeWeightsInput {
  /** The regression (default feTR). */
  type?: TwfeType;
  /** Columns whose correlation with the weights is tested (the package's test_random_weights). */
  randomWeights?: readonly string[];
  /** Control columns (the package's controls); in first differences for the fd types. */
  controls?: readonly string[];
  /** Other treatment columns (the package's other_treatments; feTR only). */
  otherTreatments?: readonly string[];
  /** Regression-weight column (the package's weights), unit-level or per unit and period, ≥ 0. */
  weights?: string;
  /** Clusters of units for β̂'s CR1 SE (default: each unit its own). */
  cluster?: { code: Int32Array; count: number };
}

/** A column's value in every cell (a unit-level column repeated over periods; NaN where missing). */
function cellColumn(panel: Panel, name: string, what: string): Float64Array {
  const n = panel.nUnits,
    NT = n * panel.nPeriods;
  const c = panelColumn(panel, name, `twowayfeweights: ${what}`);
  return c.length === NT ? c : Float64Array.from({ length: NT }, (_, k) => c[k % n]);
}

function summarise(w: Float64Array): WeightSummary {
  const positive = { count: 0, sum: 0 },
    negative = { count: 0, sum: 0 };
  for (const x of w)
    if (x > 0) {
      positive.count++;
      positive.sum += x;
    } else if (x < 0) {
      negative.count++;
      negative.sum += x;
    }
  return { positive, negative };
}

export function twfeWeights(panel: Panel, input: TwfeWeightsInput = {}): TwfeWeights | { reason: string } {
  const n = panel.nUnits,
    T = panel.nPeriods,
    NT = n * T;
  const type = input.type ?? 'feTR';
  const D = treatmentOf(panel);
  const weight = input.weights ? cellColumn(panel, input.weights, 'weight column') : new Float64Array(NT).fill(1);
  for (let k = 0; k < NT; k++)
    if (weight[k] < 0)
      throw new EstimatorInputError(
        `twowayfeweights: weight column "${input.weights}" is ${weight[k]} for unit ${panel.ids[k % n]} in period ${panel.periods[Math.floor(k / n)]}; weights must be ≥ 0`,
      );
  const controls = (input.controls ?? []).map((name) => ({ name, values: cellColumn(panel, name, 'control') }));
  const otherTreatments = (input.otherTreatments ?? []).map((name) => ({ name, values: cellColumn(panel, name, 'other treatment') }));
  // The rows the regressions use: those the data hold with an outcome, a treatment, every control and
  // other treatment and a weight (the package drops a row missing any of them; an unbalanced panel is
  // its absent rows). For fdTR the weights' D0 rows need only the treatment (and a weight).
  const present = new Uint8Array(NT),
    d0 = new Uint8Array(NT);
  let leftOut = 0;
  for (let k = 0; k < NT; k++) {
    if (panel.observed && !panel.observed[k]) continue;
    const fine = (x: Float64Array) => Number.isFinite(x[k]);
    d0[k] = Number.isFinite(D[k]) && Number.isFinite(weight[k]) ? 1 : 0;
    present[k] =
      d0[k] && Number.isFinite(panel.y[k]) && controls.every((c) => fine(c.values)) && otherTreatments.every((c) => fine(c.values)) ? 1 : 0;
    if (!present[k]) leftOut++;
  }
  const absent = present.includes(0);
  let tw: ReturnType<typeof typeWeights>;
  try {
    tw = typeWeights(type, {
      n,
      T,
      y: panel.y,
      D,
      weight,
      present,
      d0,
      controls,
      otherTreatments,
      cluster: input.cluster ?? { code: Int32Array.from({ length: n }, (_, i) => i), count: n },
    });
  } catch (e) {
    if (e instanceof FitError) throw new EstimatorInputError(e.message);
    throw e;
  }
  if ('reason' in tw) return tw;
  const { W, nu } = tw;
  const w = Float64Array.from(tw.w, (x) => (Math.abs(x) < ZERO ? 0 : x));
  const cellsOf: number[] = [];
  for (let k = 0; k < NT; k++) if (nu[k] !== 0) cellsOf.push(k);
  const M = cellsOf.length;
  const { positive, negative } = summarise(w);
  const beta = tw.fit.beta;
  // Cohort-period cells when every unit of a cohort has the same weight in every period.
  const byCohort = !absent && !panel.treatment && !input.weights && controls.length === 0 && otherTreatments.length === 0;
  const out: TwfeWeights = {
    type,
    beta,
    se: tw.fit.se,
    ...(tw.fit.se === null ? { se_reason: SE_REASON } : {}),
    ...(leftOut > 0 ? { rows_left_out: leftOut } : {}),
    cells: cellList(panel, w, nu, byCohort),
    positive,
    negative,
    treated_cells: M,
    sigma_fe: null,
    sigma_fe_all: null,
  };
  if (controls.length) out.controls = { kept: tw.kept.filter((c) => !otherTreatments.some((o) => o.name === c)), absorbed: tw.absorbed };
  if (otherTreatments.length) {
    out.other_treatments = otherTreatments.map((o, j) => {
      const ow = Float64Array.from(tw.other[j], (x) => (Math.abs(x) < ZERO ? 0 : x));
      // Its cells: the rows present where it is not 0.
      const on = Float64Array.from(o.values, (v, k) => (present[k] ? v : 0));
      let treated = 0;
      for (const v of on) if (v !== 0) treated++;
      return { column: o.name, ...summarise(ow), treated_cells: treated, cells: cellList(panel, ow, on, false) };
    });
    out.sigma_fe_reason = out.sigma_fe_all_reason =
      "not defined with other treatments (de Chaisemartin & D'Haultfœuille 2020b): the coefficient also carries the other treatments' contamination weights";
  } else {
    let mean = 0;
    for (const k of cellsOf) mean += nu[k] * W[k];
    let ss = 0;
    for (const k of cellsOf) ss += nu[k] * (W[k] - mean) ** 2;
    const sd = Math.sqrt(ss) * Math.sqrt(M / (M - 1));
    if (M > 1 && sd > ZERO) out.sigma_fe = Math.abs(beta) / sd;
    else
      out.sigma_fe_reason = 'every treated cell has the same weight (σ(W) = 0): the TWFE coefficient is the ATT whatever the heterogeneity';
    if (negative.sum < 0) {
      out.sigma_fe_all = sigmaAll(panel, cellsOf, W, nu, w, Math.abs(beta));
      if (out.sigma_fe_all === null) out.sigma_fe_all_reason = 'no cell meets the condition of Corollary 1 (ii)';
    } else out.sigma_fe_all_reason = 'no treated cell has a negative weight, so β̂_fe has the sign of every cell effect when they share one';
  }
  if (input.randomWeights?.length) out.random_weights = input.randomWeights.map((c) => randomWeightsTest(panel, c, cellsOf, W, nu));
  return out;
}

/** The cells to list (ν ≠ 0): cohort-periods when every unit of a cohort shares its weights, else unit-periods. */
function cellList(panel: Panel, w: Float64Array, nu: Float64Array, byCohort: boolean): TwfeWeightCell[] {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const cells: TwfeWeightCell[] = [];
  if (!byCohort) {
    for (let i = 0; i < n; i++)
      for (let t = 0; t < T; t++)
        if (nu[t * n + i] !== 0)
          cells.push({ group: panel.group[i], time: panel.periods[t], weight: w[t * n + i], units: 1, unit: panel.ids[i] });
    return cells;
  }
  // Every unit of a cohort has the same D path, hence the same ε and weight in each period.
  const co = startGroupsOf(panel);
  const first = new Int32Array(co.start.length).fill(-1);
  for (let i = 0; i < n; i++) if (first[co.of[i]] < 0) first[co.of[i]] = i;
  co.start.forEach((g, c) => {
    for (let t = 0; t < T; t++) {
      const k = t * n + first[c];
      if (nu[k] !== 0) cells.push({ group: g, time: panel.periods[t], weight: w[k], units: co.size[c] });
    }
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
function randomWeightsTest(panel: Panel, column: string, cells: number[], W: Float64Array, nu: Float64Array): RandomWeightsTest {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const x = panelColumn(panel, column, 'twowayfeweights: random-weights column');
  const at = (k: number) => (x.length === n * T ? x[k] : x[k % n]);
  // A cell whose value is missing is left out (as feols drops it).
  const cellsOf = cells.filter((k) => Number.isFinite(at(k)));
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
