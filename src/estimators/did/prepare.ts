/**
 * Pre-processing of a panel for the group-time estimator, as R `did` 2.5.1's pre_process_did2 does it:
 * never-treated coded as +∞, groups starting after the last period (+ δ) treated as never treated,
 * the no-never-treated rule, units already treated in the first period dropped, groups too small
 * flagged — and the units sorted by start group so that every cohort is one contiguous index range.
 * Three tiers of messages (R/pre_process_did.R): throw on what cannot be estimated, warn in
 * `messages` when the data forces a change, and leave cell-level failures to the cells.
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import type { DidOptions } from './options.js';

/** Bad input to the group-time estimator; `notIdentified` when the data forced it (errors.ts). */
export class DidInputError extends EstimatorInputError {
  override name = 'DidInputError';
}

/** The data cannot answer: a not-identified draw in a simulation, bad input on a user's CSV. */
export const DATA_NOT_IDENTIFIED = { notIdentified: true } as const;
const DATA = DATA_NOT_IDENTIFIED;

export interface StartGroupBlock {
  /** First treated period (+∞ for never treated). */
  value: number;
  start: number;
  end: number;
}

export interface Prepared {
  /** Units kept. */
  n: number;
  /** Periods kept. */
  T: number;
  periods: Float64Array;
  /** Outcome, T × n, units in sorted order. */
  y: Float64Array;
  /** Start group of each sorted unit (+∞ = never treated). */
  group: Float64Array;
  /** StartGroups in ascending order of value, +∞ last, as contiguous ranges of sorted units. */
  cohorts: StartGroupBlock[];
  /** The groups whose ATT(g,t) are estimated. */
  glist: number[];
  /** Covariates in sorted unit order; each has n values (time-invariant) or T × n (time-varying). */
  covariates: Float64Array[];
  covariateNames: string[];
  /** Cluster codes in sorted unit order (dense 0..C−1), when the panel has them. */
  cluster: Int32Array | null;
  /** Sampling weights in sorted unit order, divided by their mean over the input units (as R did's
   *  pre_process_did2), when the panel has them. */
  weights: Float64Array | null;
  /** sorted position → index of the unit in the input panel. */
  order: Int32Array;
  messages: string[];
}

/**
 * R did's rule when no unit is never treated: periods from the last cohort's start (− δ) have no
 * comparison and are dropped (periods ≥ cutoff); the last cohort becomes the never-treated comparison
 * (control never: relabelled Infinity in g0, in place) or serves only as a not-yet-treated comparison
 * (control notyet: it is left out of the groups estimated). Says which in `messages`.
 */
export function lastGroupAsComparison(
  g0: Float64Array,
  latestG: number,
  delta: number,
  control: DidOptions['control'],
  messages: string[],
): { cutoff: number; excludeFromGlist: number | null } {
  const cutoff = latestG - delta;
  if (control === 'never') {
    messages.push(
      `No never-treated units: using the last treated group (g=${latestG}) as the comparison and dropping periods ≥ ${cutoff}.`,
    );
    for (let i = 0; i < g0.length; i++) if (g0[i] === latestG) g0[i] = Infinity;
    return { cutoff, excludeFromGlist: null };
  }
  messages.push(
    `No never-treated units: the last treated group (g=${latestG}) serves only as a not-yet-treated comparison; periods ≥ ${cutoff} are dropped.`,
  );
  return { cutoff, excludeFromGlist: latestG };
}

/** R did: "The weights variable must be non-negative with a positive mean", then w / mean(w). */
function sortedWeights(panel: Panel, order: Int32Array): Float64Array | null {
  const w = panel.weights;
  if (!w) return null;
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0))
      throw new DidInputError(
        `unit ${panel.ids[i]}: sampling weight ${w[i]} is negative or not a number; the weights must be non-negative with a positive mean`,
      );
    sum += w[i];
  }
  if (!(sum > 0)) throw new DidInputError('the sampling weights are all 0; they must be non-negative with a positive mean');
  const mean = sum / w.length;
  return Float64Array.from(order, (i) => w[i] / mean);
}

function fmt(g: number): string {
  return Number.isFinite(g) ? String(g) : '0 (never treated)';
}

export function prepare(panel: Panel, o: DidOptions): Prepared {
  const messages: string[] = [];
  if (panel.nPeriods < 2) throw new DidInputError(`the panel has ${panel.nPeriods} period(s); at least two are needed`);
  for (const c of o.covariates) {
    if (!(c in panel.covariates)) {
      throw new DidInputError(
        `covariate "${c}" is not in the panel (it has: ${Object.keys(panel.covariates).join(', ') || 'no covariates'})`,
      );
    }
  }
  let periods = Array.from(panel.periods);
  const maxT = periods[periods.length - 1];
  const delta = o.anticipation;

  // Group codes: 0 → +∞; a start after the last period (+ δ) can never be seen, so it is never treated.
  const nAll = panel.nUnits;
  const g0 = new Float64Array(nAll);
  for (let i = 0; i < nAll; i++) {
    const g = panel.group[i];
    if (!(g >= 0)) throw new DidInputError(`unit ${panel.ids[i]}: start group must be 0 (never treated) or a period, got ${g}`);
    g0[i] = g === 0 || g > maxT + delta ? Infinity : g;
  }
  const hasNever = g0.some((g) => g === Infinity);
  let latestG = -Infinity;
  for (const g of g0) if (Number.isFinite(g) && g > latestG) latestG = g;
  if (!Number.isFinite(latestG))
    throw new DidInputError('no unit is ever treated: the start-group column has only 0 (never treated)', DATA);

  let periodKeep = periods.map(() => true);
  let excludeFromGlist: number | null = null;
  if (!hasNever) {
    const rule = lastGroupAsComparison(g0, latestG, delta, o.control, messages);
    periodKeep = periods.map((t) => t < rule.cutoff);
    excludeFromGlist = rule.excludeFromGlist;
  }
  const keptPeriodIdx: number[] = [];
  periods.forEach((_, t) => {
    if (periodKeep[t]) keptPeriodIdx.push(t);
  });
  periods = keptPeriodIdx.map((t) => periods[t]);
  if (periods.length < 2) {
    throw new DidInputError(
      `after dropping periods without a comparison group, ${periods.length} period(s) remain; at least two are needed`,
      DATA,
    );
  }
  const first = periods[0];

  // Units already treated in the first period (+ δ) have no pre-period: drop them.
  const keepUnit: number[] = [];
  let droppedFirst = 0;
  for (let i = 0; i < nAll; i++) {
    if (Number.isFinite(g0[i]) && g0[i] <= first + delta) droppedFirst++;
    else keepUnit.push(i);
  }
  if (droppedFirst > 0) {
    messages.push(
      `Dropped ${droppedFirst} units that were already treated in the first period${delta > 0 ? ` (accounting for anticipation = ${delta})` : ''}.`,
    );
  }
  // Sort by (group, input order): cohorts become contiguous ranges, +∞ last.
  keepUnit.sort((a, b) => g0[a] - g0[b] || a - b || 0);
  // (∞ − ∞ is NaN: the `|| (a − b)` keeps never-treated units in input order.)
  const n = keepUnit.length;
  const order = Int32Array.from(keepUnit);
  const group = new Float64Array(n);
  for (let j = 0; j < n; j++) group[j] = g0[order[j]];

  const cohorts: StartGroupBlock[] = [];
  for (let j = 0; j < n; j++) {
    const last = cohorts[cohorts.length - 1];
    if (last && last.value === group[j]) last.end = j + 1;
    else cohorts.push({ value: group[j], start: j, end: j + 1 });
  }
  const glist = cohorts.map((c) => c.value).filter((g) => Number.isFinite(g) && g > first + delta && g !== excludeFromGlist);
  if (glist.length === 0) {
    throw new DidInputError(
      'no start group can be estimated: every treated group starts in the first period (or has no comparison period)',
      DATA,
    );
  }

  // Small groups: R did warns under k + 5 units and stops when the never-treated comparison is that small.
  const reqsize = o.covariates.length + 5;
  const small = cohorts.filter((c) => c.end - c.start < reqsize);
  if (small.length > 0) {
    messages.push(
      `Some groups have very few units (fewer than ${reqsize}), which may cause estimation problems: ${small.map((c) => `${fmt(c.value)} (${c.end - c.start})`).join(', ')}.`,
    );
    if (o.control === 'never' && small.some((c) => c.value === Infinity)) {
      throw new DidInputError(
        `the never-treated group has only ${small.find((c) => c.value === Infinity)!.end - small.find((c) => c.value === Infinity)!.start} units, too few to serve as a comparison with ${o.covariates.length} covariate(s); use --control notyet to add not-yet-treated units`,
        DATA,
      );
    }
  }

  // Outcome and covariates in sorted unit order, kept periods only: one copy, done once.
  const T = periods.length;
  const N = panel.nUnits;
  const y = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const src = keptPeriodIdx[t] * N;
    const dst = t * n;
    for (let j = 0; j < n; j++) y[dst + j] = panel.y[src + order[j]];
  }
  const covariates = o.covariates.map((name) => {
    const v = panel.covariates[name];
    if (v.length === N) {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) out[j] = v[order[j]];
      return out;
    }
    const out = new Float64Array(T * n);
    for (let t = 0; t < T; t++) {
      const src = keptPeriodIdx[t] * N;
      for (let j = 0; j < n; j++) out[t * n + j] = v[src + order[j]];
    }
    return out;
  });
  let cluster: Int32Array | null = null;
  if (panel.cluster) {
    const codes = new Map<number, number>();
    cluster = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const c = panel.cluster[order[j]];
      let code = codes.get(c);
      if (code === undefined) {
        code = codes.size;
        codes.set(c, code);
      }
      cluster[j] = code;
    }
  }
  return {
    n,
    T,
    periods: Float64Array.from(periods),
    y,
    group,
    cohorts,
    glist,
    covariates,
    covariateNames: [...o.covariates],
    cluster,
    weights: sortedWeights(panel, order),
    order,
    messages,
  };
}
