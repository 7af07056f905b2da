/**
 * From an Estimate and its truths to the engine's result records: one per estimand the truth defines
 * (the draw's own sample decides which groups, event times and periods exist), matched field by field.
 * Besides the detail rows, the overall figure of the group and dynamic aggregations is an estimand of
 * its own, `group_avg` (the average of the start groups' ATTs, weighted by group size: what R1's seed
 * reports) and `dynamic_avg` (the average of the event-time ATTs from 0 to the event window's end: the
 * effect over the first months, which the `simple` ATT dilutes with every later month of follow-up),
 * and, when the analysis asks for it, `dynamic_pre_avg` (the mean of the pre-period event-time ATTs
 * over analysis.dynamic_pre_avg_window: R1's "before"). An estimand the truth has but the estimate
 * lacks is "not identified", with the estimate's reason; so is an overall figure the estimate computed
 * over other rows than the truth's (an estimator that ignores analysis.dynamic_avg_window or
 * group_avg_exclude: the `averages` labels differ).
 */
import { estimandRows, type Row } from '../estimands/estimand-rows.js';
import type { AggregationType, Estimate } from '../estimators/types.js';
import type { DrawRecord } from './simulation.js';

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
    const t = estimandRows(truth, [type]);
    const e = estimandRows(estimate, [type]);
    const p = population ? estimandRows(population, [type]) : new Map<string, Row>();
    for (const [id, tr] of t) {
      const found = e.get(id);
      const differs = found !== undefined && found.averages !== tr.averages;
      const est = differs ? undefined : found;
      const identified = est && est.att !== null && est.se !== null;
      const missing = differs
        ? `the estimate's ${id} averages ${found.averages ?? 'the default rows'}, the analysis asks for ${tr.averages ?? 'the default rows'}`
        : `the estimate has no ${id} row`;
      out.push({
        estimator,
        estimand: subgroup ? `${id}@${subgroup}` : id,
        estimate: identified ? est.att : null,
        se: identified ? est.se : null,
        reason: identified ? null : est?.reason ?? (est ? 'no standard error' : missing),
        truth: tr.att,
        popTruth: p.get(id)?.att ?? null,
      });
    }
  }
  return out;
}
