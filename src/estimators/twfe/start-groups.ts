/**
 * Units grouped by start period ("cohorts"): every regressor of a two-way fixed-effects model on a
 * staggered adoption panel is a function of (start group, period) alone, so the regression only ever
 * needs C × T cohort-period cells, never n·T rows of dummies.
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';

export interface StartGroups {
  /** Start period of each cohort, ascending; +∞ = never treated (0 in the panel or after the last period). */
  start: number[];
  /** Index of the first treated period in the panel's periods (T for never treated, 0 for always treated). */
  firstIndex: Int32Array;
  /** Units per cohort. */
  size: Float64Array;
  /** Cohort of each unit. */
  of: Int32Array;
}

/** Never treated: 0, or a start after the last observed period. */
export function startOf(panel: Panel, g: number): number {
  return g === 0 || g > panel.periods[panel.nPeriods - 1] ? Infinity : g;
}

export function startGroupsOf(panel: Panel): StartGroups {
  const n = panel.nUnits;
  const starts = new Set<number>();
  for (let i = 0; i < n; i++) {
    const g = panel.group[i];
    if (!(g >= 0)) throw new EstimatorInputError(`unit ${panel.ids[i]}: start group must be 0 (never treated) or a period, got ${g}`);
    starts.add(startOf(panel, g));
  }
  const start = [...starts].sort((a, b) => a - b);
  const pos = new Map(start.map((g, c) => [g, c]));
  const of = new Int32Array(n);
  const size = new Float64Array(start.length);
  for (let i = 0; i < n; i++) {
    const c = pos.get(startOf(panel, panel.group[i]))!;
    of[i] = c;
    size[c]++;
  }
  const firstIndex = Int32Array.from(start, (g) => {
    let t = 0;
    while (t < panel.nPeriods && panel.periods[t] < g) t++;
    return t;
  });
  return { start, firstIndex, size, of };
}

/** Dense cluster codes 0..G−1 per unit: the panel's cluster column, or one cluster per unit. */
export function clusterCodes(panel: Panel, byColumn: boolean): { code: Int32Array; count: number } {
  const n = panel.nUnits;
  if (!byColumn) return { code: Int32Array.from({ length: n }, (_, i) => i), count: n };
  if (!panel.cluster) throw new EstimatorInputError('clustering by a column needs the panel to carry a cluster column (--cluster NAME)');
  const seen = new Map<number, number>();
  const code = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = panel.cluster[i];
    let c = seen.get(v);
    if (c === undefined) {
      c = seen.size;
      seen.set(v, c);
    }
    code[i] = c;
  }
  return { code, count: seen.size };
}

/**
 * Index of the first period from which each cohort may react: the first period ≥ g − δ with δ periods
 * of anticipation (δ = 0: the first treated period). T for never-treated cohorts; 0 when the cohort has
 * no period before it (it cannot serve as its own comparison).
 */
export function reactionIndex(panel: Panel, cohorts: StartGroups, anticipation: number): Int32Array {
  return Int32Array.from(cohorts.start, (g) => {
    if (!Number.isFinite(g)) return panel.nPeriods;
    let t = 0;
    while (t < panel.nPeriods && panel.periods[t] < g - anticipation) t++;
    return t;
  });
}

/** The covariate names, each checked to be a panel column; the error names the family and the columns. */
export function checkCovariates(panel: Panel, family: string, names: readonly string[]): string[] {
  const cols = Object.keys(panel.covariates);
  for (const nm of names) {
    if (!(nm in panel.covariates)) {
      throw new EstimatorInputError(
        `${family}: covariate "${nm}" is not a column of the panel (covariate columns: ${cols.length ? cols.join(', ') : 'none'})`,
      );
    }
  }
  return [...names];
}

/** Anticipation δ: a whole number of periods ≥ 0. */
export function checkAnticipation(family: string, delta: number): number {
  if (!(Number.isInteger(delta) && delta >= 0))
    throw new EstimatorInputError(`${family}: anticipation must be a whole number of periods ≥ 0, got ${delta}`);
  return delta;
}
