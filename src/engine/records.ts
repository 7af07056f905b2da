/**
 * From an Estimate and its truths to the engine's result records: one per estimand the truth defines
 * (the draw's own sample decides which groups, event times and periods exist; estimands/plan.ts). The
 * estimate answers with tidy rows (estimands/tidy-rows.ts), the truths with their plans' values, all
 * under the canonical estimand ids. An estimand the truth has but the estimate lacks is "not
 * identified", with the estimate's reason; so is an overall figure the estimate computed over other
 * rows than the truth's (an estimator that ignores analysis.dynamic_avg_window or group_avg_exclude:
 * the `averages` labels differ). A row with an estimate but no SE keeps the estimate, with se null
 * and its reason (diagnosis/diagnosands.ts: in bias and RMSE, not in power or coverage). The
 * estimator's own p-value and interval (Fisher, bootstrap band) go with the record; the Wald ones
 * follow from estimate and se and are not stored.
 */
import { estimandRows, type Row } from '../estimands/estimand-rows.js';
import { rowsById } from '../estimands/tidy-rows.js';
import type { AggregationType, Estimate } from '../estimators/types.js';
import type { DrawRecord } from './simulation.js';

export function recordsFor(
  estimator: string,
  types: readonly AggregationType[],
  estimate: Estimate,
  truth: Estimate,
  population: Estimate | null,
  subgroup?: string,
  alpha = 0.05,
): DrawRecord[] {
  const out: DrawRecord[] = [];
  const rows = rowsById(estimate, types, alpha, subgroup);
  const pop = population ? estimandRows(population, types, subgroup) : new Map<string, Row>();
  for (const [id, tr] of estimandRows(truth, types, subgroup)) {
    const found = rows.get(id);
    const differs = found !== undefined && found.averages !== tr.averages;
    const row = differs ? undefined : found;
    const identified = row !== undefined && row.reason === null;
    // An estimate without an SE is kept (bias, RMSE) beside its reason (power and coverage: not identified).
    const missing = differs
      ? `the estimate's ${id} averages ${found.averages ?? 'the default rows'}, the analysis asks for ${tr.averages ?? 'the default rows'}`
      : `the estimate has no ${id} row`;
    const rec: DrawRecord = {
      estimator,
      estimand: id,
      estimate: row?.estimate ?? null,
      se: identified ? row.se : null,
      reason: identified ? null : (row?.reason ?? missing),
      truth: tr.att,
      popTruth: pop.get(id)?.att ?? null,
    };
    if (identified && row.inference !== 'wald') {
      if (row.p !== null) rec.p = row.p;
      Object.assign(rec, { ciLow: row.ci_low, ciHigh: row.ci_high });
    }
    out.push(rec);
  }
  return out;
}
