/**
 * An Estimate's rows by estimand id (diagnosis/estimand-id.ts): the detail rows of each aggregation,
 * its overall figure (`simple`, `group_avg`, `dynamic_avg`) and `dynamic_pre_avg` when present. The
 * engine's records and effect.target both read estimates through it.
 */
import { estimandId } from '../diagnosis/estimand-id.js';
import type { AggregateEstimate, AggregationType, Estimate } from '../estimators/types.js';

export type Row = { att: number | null; se: number | null; reason?: string; averages?: string };

/** The estimand ids of an aggregation's overall figure. */
const OVERALL: Partial<Record<AggregationType, string>> = { simple: 'simple', group: 'group_avg', dynamic: 'dynamic_avg' };

function rowsOf(a: AggregateEstimate | undefined, type: AggregationType, m: Map<string, Row>): void {
  if (!a) return;
  const overall = OVERALL[type];
  if (overall) m.set(overall, a);
  if (type === 'dynamic' && a.pre) m.set('dynamic_pre_avg', a.pre);
  if (type !== 'simple') for (const d of a.detail ?? []) m.set(estimandId(type, d.key), d);
}

/** The rows of the given aggregations, in their order. */
export function estimandRows(e: Estimate, types: readonly AggregationType[]): Map<string, Row> {
  const m = new Map<string, Row>();
  for (const type of types) rowsOf(e.aggregates[type], type, m);
  return m;
}
