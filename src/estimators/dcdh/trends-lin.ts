/**
 * did_multiplegt_dyn's `trends_lin` (de Chaisemartin & D'Haultfœuille 2024, Section 5: group-specific
 * linear trends): the estimator runs on first differences. As the package does (did_multiplegt_main.R,
 * the trends_lin block): outcomes (and time-varying covariates) become Y_t − Y_{t−1}, the first period
 * goes, and the units whose treatment first changes in the second period are left out (they have no
 * period before their switch once differenced). Baseline treatment and first switch are read on the
 * original treatment, so every other unit keeps its D_{g,1} and F_g. did-l.ts then sums the effects of
 * the differences (trendsLinDiff).
 */
import { makePanel, type Panel } from '../../panel/panel.js';
import { type DcdhDesign, type DesignShape, treatmentOf } from './design.js';

export interface TrendsLinPanel {
  /** The first-differenced panel: periods 2 … T, y_t − y_{t−1}, the treatment from period 2. */
  panel: Panel;
  /** Per unit: 1 = left out (first switch in the second period). */
  exclude: Uint8Array;
  messages: string[];
  /**
   * On a panel with gaps: how the design on the differences must read them (the levels' baselines and
   * first changes, units without an outcome kept), the conventions having run on the levels.
   */
  design?: Pick<DesignShape, 'baseline' | 'keepWithoutOutcome'>;
}

/** Row-wise first difference of a periods × units array (period 0 dropped). */
function firstDifference(x: Float64Array, n: number, T: number): Float64Array {
  const out = new Float64Array(n * (T - 1));
  for (let t = 1; t < T; t++) for (let i = 0; i < n; i++) out[(t - 1) * n + i] = x[t * n + i] - x[(t - 1) * n + i];
  return out;
}

export function trendsLinPanel(panel: Panel): TrendsLinPanel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const D = treatmentOf(panel);
  const exclude = new Uint8Array(n);
  let dropped = 0;
  for (let i = 0; i < n; i++)
    if (T > 1 && D[n + i] !== D[i]) {
      exclude[i] = 1;
      dropped++;
    }
  const covariates: Record<string, Float64Array> = {};
  for (const [name, c] of Object.entries(panel.covariates)) covariates[name] = c.length === n ? c : firstDifference(c, n, T);
  const reduced = makePanel({
    periods: panel.periods.subarray(1),
    ids: panel.ids,
    group: panel.group,
    y: firstDifference(panel.y, n, T),
    covariates,
    cluster: panel.cluster,
    weights: panel.weights,
    treatment: D.slice(n),
  });
  const messages =
    dropped > 0
      ? [
          `trends_lin: ${dropped} unit(s) whose treatment first changes in period ${panel.periods[1]} are left out (no period before their switch once outcomes are first-differenced, as the package drops F_g = 2).`,
        ]
      : [];
  return { panel: reduced, exclude, messages };
}

/**
 * The most placebos the package computes under trends_lin: max_g min(L_g, F_g − 2) − 1 in its 1-based
 * original periods (did_multiplegt_main.R: L_g_placebo_XX, less one "because data starts at period 2"),
 * i.e. max_g min(L_g, F_g) − 1 with F_g the 0-based first switch in the differenced panel. (When L_g
 * binds this is one fewer than the differences allow; the package's count is kept so the rows match.)
 */
export function trendsLinPlaceboCap(d: DcdhDesign, keep: (dir: number) => boolean): number {
  let cap = 0;
  for (let i = 0; i < d.n; i++) {
    if (d.dir[i] === 0 || !keep(d.dir[i])) continue;
    cap = Math.max(cap, Math.min(d.Tg[i] - d.F[i] + 1, d.F[i]));
  }
  return Math.max(0, cap - 1);
}

/**
 * trends_lin on a panel read with its gaps, in the package's order (did_multiplegt_main.R): its
 * missing-data conventions and deletions run on the levels first (`levels`, the design of the panel in
 * levels), then the units whose first change is in the second period go, and the outcome and the
 * time-varying covariates are differenced within each unit against the previous row the package still
 * holds (data.table's shift before the panel is balanced: across a gap, Y_t − Y_{t−k}), the first period
 * dropped. The treatment is the levels' after the conventions' fills, so the design on the differences
 * meets the same baselines and first changes.
 */
export function trendsLinGapPanel(panel: Panel, levels: DcdhDesign): TrendsLinPanel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const exclude = new Uint8Array(n);
  let dropped = 0;
  for (let i = 0; i < n; i++)
    if (levels.F[i] === 1) {
      exclude[i] = 1;
      dropped++;
    }
  const R = T - 1;
  const observed = new Uint8Array(n * R);
  const prevOf = new Int32Array(n * R).fill(-1);
  for (let i = 0; i < n; i++) {
    let prev = -1;
    for (let t = 0; t < T; t++) {
      if (!levels.obs[t * n + i]) continue;
      if (t >= 1) {
        observed[(t - 1) * n + i] = 1;
        prevOf[(t - 1) * n + i] = prev;
      }
      prev = t;
    }
  }
  const differenced = (x: Float64Array) =>
    Float64Array.from({ length: n * R }, (_, k) => {
      const p = prevOf[k];
      return observed[k] && p >= 0 ? x[k + n] - x[p * n + (k % n)] : Number.NaN;
    });
  const covariates: Record<string, Float64Array> = {};
  for (const [name, c] of Object.entries(panel.covariates)) covariates[name] = c.length === n ? c : differenced(c);
  const D = Float64Array.from({ length: n * R }, (_, k) => (observed[k] ? levels.D[k + n] : Number.NaN));
  const reduced = makePanel({
    periods: panel.periods.subarray(1),
    ids: panel.ids,
    group: panel.group,
    y: differenced(levels.y),
    covariates,
    cluster: panel.cluster,
    weights: panel.weights,
    treatment: D,
    observed,
    ...(panel.cellWeights ? { cellWeights: panel.cellWeights.slice(n) } : {}),
  });
  const messages = [
    ...(dropped > 0
      ? [
          `trends_lin: ${dropped} unit(s) whose treatment first changes in period ${panel.periods[1]} are left out (no period before their switch once outcomes are first-differenced, as the package drops F_g = 2).`,
        ]
      : []),
    ...levels.messages,
  ];
  // The levels' first changes, one period earlier on the differences (T − 1 = never there).
  const F = Int32Array.from(levels.F, (f) => (f >= T ? R : f - 1));
  return { panel: reduced, exclude, messages, design: { baseline: { d1: levels.d1, F }, keepWithoutOutcome: true } };
}
