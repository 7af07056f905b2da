/**
 * The aggregation plan of each estimand: which ATT(g,t) cells it averages and how their weights move
 * with the group shares P(G = g), as R did's compute.aggte weights them (Callaway & Sant'Anna 2021,
 * eqs. 3.4–3.7). One plan serves three readers, so they cannot disagree about what an estimand is:
 * the estimator's aggregate and its influence function (plan-influence.ts: ψ·W plus the weight
 * effect, R did's get_agg_inf_func with wif), the draw's sample truth (sample-truth.ts) and the
 * population truth (population-cells.ts), each evaluating the plan on its own cells.
 *
 * A plan is a mean of parts, each part a mean of cells:
 *   inner 'shares'  Σ_c P(G=g_c) ATT_c / Σ_c P(G=g_c)   (the weights move with the shares)
 *   inner 'mean'    the plain mean of the cells          (θ(g): within a group the shares are equal)
 *   outer 'one'     the single part;  'mean'  the plain mean of the parts (θ over event times, periods);
 *   outer 'shares'  Σ_p P(G=g_p) θ_p / Σ_p P(G=g_p)      (group_avg over start groups)
 * so that
 *   simple       one part: the post cells (t ≥ g), inner shares;
 *   group:g      one part: g's post cells, inner mean;      group_avg: the groups' parts, outer shares;
 *   dynamic:e    one part: cells with t − g = e, shares;    dynamic_avg: the parts e ≥ 0 (in the window), outer mean;
 *   dynamic_pre_avg: the parts e < 0 in its window, outer mean;
 *   calendar:t   one part: post cells at t, shares;         its overall (R did's, no estimand id): outer mean.
 * The dynamic parts keep e in [min_e, max_e] and, with balance_e, R did's balanced event times.
 */
import { averagesLabel, labelsAtRanks, within, type AverageOptions } from './averages.js';
import { estimandString, type Estimand } from './estimand.js';
import type { AggregationType } from '../estimators/types.js';

export interface PlanPart {
  /** The part's key: start group, event time or period. */
  key: number;
  /** Indices into the cell list the plan was built over. */
  cells: number[];
  inner: 'mean' | 'shares';
}

export interface EstimandPlan {
  estimand: Estimand;
  /** The canonical string id; null for a figure R did reports that no analysis names (calendar's overall). */
  id: string | null;
  parts: PlanPart[];
  outer: 'one' | 'mean' | 'shares';
  /** What a narrowed overall figure averages (averages.ts); absent: the default rows. */
  averages?: string;
  /** Why the plan averages nothing (no part, or a part with no cell). */
  reason?: string;
}

/** The plans of one aggregation: its overall figure, its detail rows and (dynamic) the pre-period average. */
export interface AggregationPlans {
  type: AggregationType;
  overall: EstimandPlan;
  detail: EstimandPlan[];
  pre?: EstimandPlan;
  /** Why the aggregation has no rows at all (then detail is empty). */
  reason?: string;
}

/** The inquiry's rule: what the analysis block asks for (compiled by inquiry.ts). */
export interface PlanOptions {
  /** Event times of the dynamic detail (R did's min_e, max_e). */
  eventWindow: readonly [number, number];
  /** R did's balance_e (estimators only; the truths have every cell). */
  balanceE?: number | null;
  /** The first period of the panel (balance_e's bound). */
  firstPeriod?: number;
  averages?: AverageOptions;
  /** The panel's start-group labels, to find the groups averages.excludeGroups names by position. */
  groupLabels?: ArrayLike<number>;
  /** The labels of the start groups left out of group_avg, when already known (instead of groupLabels). */
  excludeLabels?: ReadonlySet<number>;
}

type GT = { group: number; time: number };

function keyed(cells: readonly GT[], key: (c: GT, k: number) => number | null): Map<number, number[]> {
  const out = new Map<number, number[]>();
  cells.forEach((c, k) => {
    const v = key(c, k);
    if (v === null) return;
    const l = out.get(v);
    if (l) l.push(k);
    else out.set(v, [k]);
  });
  return out;
}

const asc = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);

function row(estimand: Estimand, part: PlanPart, reason: string): EstimandPlan {
  return {
    estimand,
    id: estimandString(estimand),
    parts: part.cells.length ? [part] : [],
    outer: 'one',
    ...(part.cells.length ? {} : { reason }),
  };
}

function overall(
  estimand: Estimand,
  id: string | null,
  parts: PlanPart[],
  outer: 'mean' | 'shares',
  reason: string,
  averages?: string,
): EstimandPlan {
  return { estimand, id, parts, outer, ...(averages ? { averages } : {}), ...(parts.length ? {} : { reason }) };
}

export function planSimple(cells: readonly GT[]): AggregationPlans {
  const post = cells.map((c, k) => (c.group <= c.time ? k : -1)).filter((k) => k >= 0);
  const p = row({ type: 'simple' }, { key: 0, cells: post, inner: 'shares' }, 'no identified post-treatment ATT(g,t)');
  return { type: 'simple', overall: p, detail: [] };
}

export function planGroup(cells: readonly GT[], o: PlanOptions): AggregationPlans {
  const left = o.excludeLabels ?? labelsAtRanks(o.groupLabels ?? [], o.averages?.excludeGroups);
  const postOf = keyed(cells, (c) => (c.group <= c.time ? c.group : null));
  const detail = asc(cells.map((c) => c.group)).map((g) =>
    row(
      { type: 'group', key: g },
      { key: g, cells: postOf.get(g) ?? [], inner: 'mean' },
      `no identified post-treatment ATT(g,t) for group ${g}`,
    ),
  );
  const label = averagesLabel('group', o.averages);
  const parts = detail.filter((d) => d.parts.length && !left.has(d.estimand.key!)).map((d) => d.parts[0]);
  const reason = label
    ? `no group (${label}) has an identified post-treatment ATT(g,t)`
    : 'no group has an identified post-treatment ATT(g,t)';
  const est: Estimand = { type: 'group_avg', ...(left.size ? { exclude: [...left] } : {}) };
  return { type: 'group', overall: overall(est, 'group_avg', parts, 'shares', reason, label), detail };
}

export function planDynamic(cells: readonly GT[], o: PlanOptions): AggregationPlans {
  const ev = cells.map((c) => c.time - c.group);
  let include = cells.map(() => true);
  let eseq = asc(ev);
  const b = o.balanceE ?? null;
  if (b !== null) {
    // R did's balance_e: keep groups observed at least balance_e periods after treatment.
    const maxT = Math.max(...cells.map((c) => c.time));
    const minTG = Math.min(o.firstPeriod ?? Infinity, ...cells.map((c) => c.group));
    include = cells.map((c) => maxT - c.group >= b);
    eseq = asc(ev.filter((_, k) => include[k])).filter((e) => e <= b && e >= b - maxT + minTG);
  }
  eseq = eseq.filter((e) => e >= o.eventWindow[0] && e <= o.eventWindow[1]);
  const at = keyed(cells, (_, k) => (include[k] ? ev[k] : null));
  const detail = eseq.map((e) => row({ type: 'dynamic', key: e }, { key: e, cells: at.get(e)!, inner: 'shares' }, ''));
  const dw = o.averages?.dynamicAvg;
  const pw = o.averages?.dynamicPreAvg;
  const partsWhere = (keep: (e: number) => boolean) => detail.filter((d) => keep(d.estimand.key!)).map((d) => d.parts[0]);
  const label = averagesLabel('dynamic', o.averages);
  const none = eseq.length === 0 ? 'no event time falls within the requested window (min_e, max_e, balance_e)' : undefined;
  const main = overall(
    { type: 'dynamic_avg', ...(dw ? { window: dw } : {}) },
    'dynamic_avg',
    partsWhere((e) => e >= 0 && (!dw || within(e, dw))),
    'mean',
    none ?? (dw ? `no event time in ${dw[0]}..${dw[1]} in the window` : 'no event time ≥ 0 in the window'),
    label,
  );
  const out: AggregationPlans = { type: 'dynamic', overall: main, detail, ...(none ? { reason: none } : {}) };
  if (pw) {
    out.pre = overall(
      { type: 'dynamic_pre_avg', window: pw },
      'dynamic_pre_avg',
      partsWhere((e) => e < 0 && within(e, pw)),
      'mean',
      `no pre-period event time in ${pw[0]}..${pw[1]} has an identified ATT(g,t)`,
    );
  }
  return out;
}

export function planCalendar(cells: readonly GT[]): AggregationPlans {
  const postAt = keyed(cells, (c) => (c.group <= c.time ? c.time : null));
  const minG = Math.min(...cells.map((c) => c.group));
  const times = asc(cells.map((c) => c.time)).filter((t) => t >= minG && postAt.has(t));
  const detail = times.map((t) => row({ type: 'calendar', key: t }, { key: t, cells: postAt.get(t)!, inner: 'shares' }, ''));
  const reason = cells.length === 0 ? 'no identified ATT(g,t)' : 'no calendar period has an identified post-treatment ATT(g,t)';
  return {
    type: 'calendar',
    overall: overall(
      { type: 'calendar' },
      null,
      detail.map((d) => d.parts[0]),
      'mean',
      reason,
    ),
    detail,
    ...(times.length === 0 ? { reason } : {}),
  };
}

/** The plans of an aggregation over the given cells (those identified, for an estimator). */
export function planAggregation(type: AggregationType, cells: readonly GT[], o: PlanOptions): AggregationPlans {
  if (type === 'simple') return planSimple(cells);
  if (type === 'group') return planGroup(cells, o);
  if (type === 'dynamic') return planDynamic(cells, o);
  return planCalendar(cells);
}

/** Every plan of the aggregations, each estimand once (the ones with a string id). */
export function estimandPlans(types: readonly AggregationType[], cells: readonly GT[], o: PlanOptions): EstimandPlan[] {
  const out: EstimandPlan[] = [];
  for (const t of types) {
    const a = planAggregation(t, cells, o);
    for (const p of [a.overall, ...(a.pre ? [a.pre] : []), ...a.detail]) if (p.id !== null) out.push(p);
  }
  return out;
}

/** A part's weights over its cells (they sum to 1). */
export function partWeights(part: PlanPart, pg: ArrayLike<number>): number[] {
  if (part.inner === 'mean') return part.cells.map(() => 1 / part.cells.length);
  const s = part.cells.reduce((a, k) => a + pg[k], 0);
  return part.cells.map((k) => pg[k] / s);
}

/** The parts' weights in the overall figure (they sum to 1). */
export function outerWeights(plan: EstimandPlan, pg: ArrayLike<number>): number[] {
  const n = plan.parts.length;
  if (plan.outer !== 'shares') return plan.parts.map(() => 1 / n);
  const w = plan.parts.map((p) => pg[p.cells[0]]);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

/** Each cell's weight in the estimand (zero for cells it does not average), at the given shares. */
export function cellWeights(plan: EstimandPlan, pg: ArrayLike<number>, nCells: number): Float64Array {
  const w = new Float64Array(nCells);
  const ow = outerWeights(plan, pg);
  plan.parts.forEach((part, j) => partWeights(part, pg).forEach((v, m) => (w[part.cells[m]] += ow[j] * v)));
  return w;
}

/**
 * The estimand's value from the cells' ATTs and their groups' shares (both by cell index); null when
 * the plan averages nothing. Sums run in cell order, as R did's.
 */
export function planValue(plan: EstimandPlan, att: ArrayLike<number>, pg: ArrayLike<number>): number | null {
  if (plan.parts.length === 0) return null;
  const parts = plan.parts.map((part) => {
    const w = partWeights(part, pg);
    return part.cells.reduce((s, k, m) => s + w[m] * att[k], 0);
  });
  if (plan.outer === 'one') return parts[0];
  if (plan.outer === 'mean') return parts.reduce((a, b) => a + b, 0) / parts.length;
  const ow = outerWeights(plan, pg);
  return parts.reduce((s, v, j) => s + ow[j] * v, 0);
}
