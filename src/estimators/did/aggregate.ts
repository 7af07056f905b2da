/**
 * Aggregations of ATT(g,t) (Callaway & Sant'Anna 2021, section 3; R did's compute.aggte):
 *   simple   θ = Σ_{t≥g} P(G=g) ATT(g,t) / Σ P(G=g)                         (eq. 3.5 type weights)
 *   group    θ(g) = mean_{t≥g} ATT(g,t), θ = Σ_g P(G=g) θ(g) / Σ P(G=g)      (eq. 3.6)
 *   dynamic  θ(e) = Σ_g P(G=g | t−g=e) ATT(g, g+e), θ = mean_{e≥0} θ(e)     (eq. 3.4)
 *   calendar θ(t) = Σ_{g≤t} P(G=g | g≤t) ATT(g,t),  θ = mean_t θ(t)          (eq. 3.7)
 * Which cells each figure averages, with which weights, is the estimand's plan (estimands/plan.ts),
 * the same plan the truths evaluate; its influence function is ψ·W plus the weight effect
 * (estimands/plan-influence.ts, R did's get_agg_inf_func with wif). Cells that are not identified
 * are left out (R did's na.rm = TRUE): the plans are built over the identified cells.
 */
import { planAggregation, type AggregationPlans, type EstimandPlan, type PlanOptions } from '../../estimands/plan.js';
import { planWithInfluence, type Evaluated, type InfluenceCells } from '../../estimands/plan-influence.js';
import type { AverageOptions } from '../../estimands/averages.js';
import { Float64Arena } from '../../linalg/arena.js';
import type { AggregateEstimate, AggregationType, DetailEstimate } from '../types.js';
import type { Cell } from './att-gt.js';
import { cohortShares, seFromInf } from './influence.js';
import type { DidOptions } from './options.js';
import type { Prepared } from './prepare.js';

const REFERENCE_ROW = 'reference period (universal base): 0 by construction';

/** An aggregate with the influence functions behind it (kept for the bootstrap). */
export interface AggregateWithInf {
  estimate: AggregateEstimate;
  overallInf: Float64Array | null;
  detailInf: Array<Float64Array | null>;
  /** The influence function of the dynamic_pre_avg row, when asked for. */
  preInf?: Float64Array | null;
}

/** The identified cells with their shares and influence functions, by index. */
function usableCells(p: Prepared, cells: Cell[], mem: Float64Arena): { ok: Cell[]; c: InfluenceCells } {
  const ok = cells.filter((c) => c.att !== null);
  const sizes = cohortShares(p);
  return {
    ok,
    c: {
      n: p.n,
      att: ok.map((c) => c.att!),
      pg: ok.map((c) => sizes.get(c.group)!),
      groups: ok.map((c) => c.group),
      cols: ok.map((c) => (c.idx && c.inf ? { idx: c.idx, inf: c.inf } : null)),
      cohorts: p.cohorts,
      weights: p.weights,
      mem,
    },
  };
}

/** An aggregation's figures from its plans: detail rows first, the overall figures average their parts. */
export function aggregateByPlan(
  p: Prepared,
  cells: Cell[],
  type: AggregationType,
  o: PlanOptions,
  mem = new Float64Arena(),
): AggregateWithInf {
  const { ok, c } = usableCells(p, cells, mem);
  const plans: AggregationPlans = planAggregation(type, ok, o);
  if (plans.reason) return { estimate: { att: null, se: null, reason: plans.reason, detail: [] }, overallInf: null, detailInf: [] };
  const detail: DetailEstimate[] = [];
  const detailInf: Array<Float64Array | null> = [];
  const byKey = new Map<number, Evaluated>();
  for (const d of plans.detail) {
    const r = planWithInfluence(d, c);
    detailInf.push(r?.inf ?? null);
    if (!r) {
      detail.push({ key: d.estimand.key!, att: null, se: null, reason: d.reason! });
      continue;
    }
    byKey.set(d.estimand.key!, r);
    // The universal base period's row: every cell is the reference cell (0 by construction).
    const reference = d.parts.every((q) => q.cells.every((k) => ok[k].reference));
    detail.push(
      reference
        ? { key: d.estimand.key!, att: r.att, se: null, reason: REFERENCE_ROW, reference: true }
        : { key: d.estimand.key!, att: r.att, se: seFromInf(r.inf, p.n) },
    );
  }
  // An overall figure's parts are the detail rows (same cells, same weights): reuse them.
  const evaluate = (plan: EstimandPlan) =>
    planWithInfluence(plan, c, type === 'simple' ? undefined : plan.parts.map((q) => byKey.get(q.key)!));
  const overall = evaluate(plans.overall);
  const estimate: AggregateEstimate = overall
    ? { att: overall.att, se: seFromInf(overall.inf, p.n) }
    : { att: null, se: null, reason: plans.overall.reason! };
  if (type !== 'simple') estimate.detail = detail;
  if (plans.overall.averages) estimate.averages = plans.overall.averages;
  let preInf: Float64Array | null | undefined;
  if (plans.pre) {
    const pre = evaluate(plans.pre);
    estimate.pre = pre ? { att: pre.att, se: seFromInf(pre.inf, p.n) } : { att: null, se: null, reason: plans.pre.reason! };
    preInf = pre?.inf ?? null;
  }
  return { estimate, overallInf: overall?.inf ?? null, detailInf, ...(preInf !== undefined ? { preInf } : {}) };
}

/** Each aggregation takes `mem`, where its influence functions are kept (default: their own memory). */
export function aggregateSimple(p: Prepared, cells: Cell[], mem = new Float64Arena()): AggregateWithInf {
  return aggregateByPlan(p, cells, 'simple', { eventWindow: [-Infinity, Infinity] }, mem);
}

/** @param left labels of the start groups left out of the overall figure (analysis.group_avg_exclude) */
export function aggregateGroup(
  p: Prepared,
  cells: Cell[],
  mem = new Float64Arena(),
  left: ReadonlySet<number> = new Set(),
  averages?: AverageOptions,
): AggregateWithInf {
  return aggregateByPlan(
    p,
    cells,
    'group',
    { eventWindow: [-Infinity, Infinity], excludeLabels: left, ...(averages ? { averages } : {}) },
    mem,
  );
}

export function aggregateDynamic(p: Prepared, cells: Cell[], o: DidOptions, mem = new Float64Arena()): AggregateWithInf {
  return aggregateByPlan(
    p,
    cells,
    'dynamic',
    { eventWindow: [o.minE, o.maxE], balanceE: o.balanceE, firstPeriod: p.periods[0], averages: o.averages ?? {} },
    mem,
  );
}

export function aggregateCalendar(p: Prepared, cells: Cell[], mem = new Float64Arena()): AggregateWithInf {
  return aggregateByPlan(p, cells, 'calendar', { eventWindow: [-Infinity, Infinity] }, mem);
}
