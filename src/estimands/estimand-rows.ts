/**
 * An Estimate's figures by canonical estimand id (estimand.ts): the detail rows of each aggregation,
 * its overall figure (`simple`, `group_avg`, `dynamic_avg`) and `dynamic_pre_avg` when present. The
 * one place that names an aggregate's rows; tidy rows (tidy-rows.ts), the truths' values and
 * effect.target read estimates through it.
 */
import type { AggregateEstimate, AggregationType, Estimate, RowInference } from '../estimators/types.js';
import { estimandString, type EstimandType } from './estimand.js';

export type Row = { att: number | null; se: number | null; reason?: string; averages?: string; reference?: true } & RowInference;

/** The estimand type of an aggregation's overall figure (calendar's has none). */
const OVERALL: Partial<Record<AggregationType, EstimandType>> = { simple: 'simple', group: 'group_avg', dynamic: 'dynamic_avg' };

function rowsOf(a: AggregateEstimate | undefined, type: AggregationType, m: Map<string, Row>, subgroup?: string): void {
  if (!a) return;
  const overall = OVERALL[type];
  if (overall) m.set(estimandString({ type: overall, subgroup }), a);
  if (type === 'dynamic' && a.pre) m.set(estimandString({ type: 'dynamic_pre_avg', subgroup }), a.pre);
  if (type === 'simple') return;
  // A bootstrapped aggregation's detail rows carry its uniform (sup-t) band: θ̂ ± crit·se (R did's cband).
  const crit = a.crit;
  for (const d of a.detail ?? []) {
    const band = crit !== undefined && d.att !== null && d.se !== null && d.ci === undefined;
    m.set(
      estimandString({ type, key: d.key, subgroup }),
      band ? { ...d, ci: [d.att! - crit * d.se!, d.att! + crit * d.se!], inference: 'bootstrap band' } : d,
    );
  }
}

/** The figures of the given aggregations, in their order. */
export function estimandRows(e: Estimate, types: readonly AggregationType[], subgroup?: string): Map<string, Row> {
  const m = new Map<string, Row>();
  for (const type of types) rowsOf(e.aggregates[type], type, m, subgroup);
  return m;
}
