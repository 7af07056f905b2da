/**
 * An Estimate's tidy rows `{estimand, estimate, se, p, ci_low, ci_high, reason}` under the canonical
 * estimand ids (estimand.ts): the detail rows of each aggregation, its overall figure (`simple`,
 * `group_avg`, `dynamic_avg`) and `dynamic_pre_avg` when present. p and the interval are the
 * estimator's own where it gives them (a Fisher p-value, a bootstrap band: RowInference), the Wald
 * test and interval from the SE otherwise. The engine's records read estimates only through these
 * rows (the truths, which have no SE, through estimand-rows.ts). A figure with an estimate but no SE
 * keeps its estimate, with se, p and the interval null and its reason.
 */
import { criticalValue } from '../diagnosis/normal.js';
import { pnorm } from '../stats/normal.js';
import type { AggregationType, Estimate, EstimandRow } from '../estimators/types.js';
import { estimandRows, type Row } from './estimand-rows.js';

/** One figure as a tidy row, at level α. */
export function tidyRow(estimand: string, f: Row, alpha: number): EstimandRow {
  // An estimate without an SE keeps its estimate (bias and RMSE use it) and has no test or interval;
  // a normalised reference row's 0 is no estimate.
  const hasEstimate = f.att !== null && Number.isFinite(f.att) && !f.reference;
  const ok = hasEstimate && f.se !== null && Number.isFinite(f.se);
  const z = criticalValue(alpha);
  const own = f.p !== undefined || f.ci !== undefined;
  const row: EstimandRow = {
    estimand,
    estimate: hasEstimate ? f.att : null,
    se: ok ? f.se : null,
    // Wald: p = 2(1 − Φ(|θ̂/se|)), interval θ̂ ± z·se.
    // An interval of the estimator's own without a p-value of its own (a uniform band) has no p.
    p: !ok ? null : (f.p ?? (f.ci ? null : f.se! > 0 ? 2 * pnorm(-Math.abs(f.att! / f.se!)) : f.att === 0 ? 1 : 0)),
    ci_low: !ok ? null : f.ci ? f.ci[0] : f.att! - z * f.se!,
    ci_high: !ok ? null : f.ci ? f.ci[1] : f.att! + z * f.se!,
    reason: ok ? null : (f.reason ?? (f.att === null ? 'not identified (no reason given)' : 'no standard error')),
    inference: own ? (f.inference ?? 'estimator') : 'wald',
  };
  if (f.averages !== undefined) row.averages = f.averages;
  return row;
}

/** The tidy rows of the given aggregations, in their order. */
export function tidyRows(e: Estimate, types: readonly AggregationType[], alpha = 0.05, subgroup?: string): EstimandRow[] {
  return [...estimandRows(e, types, subgroup)].map(([id, f]) => tidyRow(id, f, alpha));
}

/** The rows by canonical id. */
export function rowsById(e: Estimate, types: readonly AggregationType[], alpha = 0.05, subgroup?: string): Map<string, EstimandRow> {
  return new Map(tidyRows(e, types, alpha, subgroup).map((r) => [r.estimand, r]));
}
