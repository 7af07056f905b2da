/**
 * The truths' aggregations: each estimand's plan (plan.ts, the weights R did's compute.aggte gives the
 * ATT(g,t) cells, the very plan the estimator's aggregate evaluates) applied to truth cells with the
 * group shares pg. Shaped as an Estimate's aggregates (se null), so diagnosis compares estimate and
 * truth row by row.
 */
import type { AggregateEstimate, AggregationType, DetailEstimate } from '../estimators/types.js';
import type { AverageOptions } from './averages.js';
import { planAggregation, planValue, type EstimandPlan } from './plan.js';

export interface Cell {
  group: number;
  time: number;
  att: number;
}

const TYPES: readonly AggregationType[] = ['simple', 'group', 'dynamic', 'calendar'];

/**
 * The four aggregations of truth cells.
 * @param groupLabels the panel's start-group labels, to find the groups `averages.excludeGroups` names
 */
export function aggregateCells(
  cells: Cell[],
  pg: Map<number, number>,
  eventWindow: [number, number],
  averages?: AverageOptions,
  groupLabels?: ArrayLike<number>,
): Record<AggregationType, AggregateEstimate> {
  const att = cells.map((c) => c.att);
  const shares = cells.map((c) => pg.get(c.group) ?? 0);
  const value = (plan: EstimandPlan) => planValue(plan, att, shares);
  const figure = (plan: EstimandPlan): { att: number | null; se: null; reason?: string } => {
    const v = value(plan);
    return { att: v, se: null, ...(v === null ? { reason: plan.reason ?? 'no post-treatment cells' } : {}) };
  };
  const out = {} as Record<AggregationType, AggregateEstimate>;
  for (const type of TYPES) {
    const a = planAggregation(type, cells, { eventWindow, ...(averages ? { averages } : {}), groupLabels: groupLabels ?? [] });
    const agg: AggregateEstimate = figure(a.overall);
    // A truth has every cell: a detail row exists where its plan has cells (a group with post cells).
    if (type !== 'simple')
      agg.detail = a.detail.filter((d) => d.parts.length > 0).map((d): DetailEstimate => ({ key: d.estimand.key!, ...figure(d) }));
    if (a.overall.averages) agg.averages = a.overall.averages;
    if (a.pre) agg.pre = figure(a.pre);
    out[type] = agg;
  }
  return out;
}
