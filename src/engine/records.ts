/**
 * From an Estimate and its truths to the engine's result records: one per estimand the truth defines
 * (the draw's own sample decides which groups, event times and periods exist), matched field by field.
 * An estimand the truth has but the estimate lacks is "not identified", with the estimate's reason.
 */
import { estimandId } from '../diagnosis/estimand-id.js';
import type { AggregateEstimate, AggregationType, Estimate } from '../estimators/types.js';
import type { DrawRecord } from './simulation.js';

type Row = { att: number | null; se: number | null; reason?: string };

function rowsOf(a: AggregateEstimate | undefined, type: AggregationType): Map<string, Row> {
  const m = new Map<string, Row>();
  if (!a) return m;
  if (type === 'simple') m.set('', a);
  else for (const d of a.detail ?? []) m.set(String(d.key), d);
  return m;
}

export function recordsFor(
  estimator: string,
  types: readonly AggregationType[],
  estimate: Estimate,
  truth: Estimate,
  population: Estimate | null,
  subgroup?: string,
): DrawRecord[] {
  const out: DrawRecord[] = [];
  for (const type of types) {
    const t = rowsOf(truth.aggregates[type], type);
    const e = rowsOf(estimate.aggregates[type], type);
    const p = rowsOf(population?.aggregates[type], type);
    for (const [key, tr] of t) {
      const est = e.get(key);
      const identified = est && est.att !== null && est.se !== null;
      out.push({
        estimator,
        estimand: estimandId(type, key === '' ? undefined : key, subgroup),
        estimate: identified ? est.att : null,
        se: identified ? est.se : null,
        reason: identified ? null : est?.reason ?? (est ? 'no standard error' : `the estimate has no ${type} row ${key}`.trim()),
        truth: tr.att,
        popTruth: p.get(key)?.att ?? null,
      });
    }
  }
  return out;
}
