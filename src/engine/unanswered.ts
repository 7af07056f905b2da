/**
 * A draw an estimator cannot answer. On a generated panel, an estimator's refusal that the data forced
 * (estimators/errors.ts isNotIdentified: no unit ever treated in a subgroup of a tiny sample, no start
 * group with a comparison period, …) is one draw's fact, not the run's end: every estimand the truth
 * defines gets a not-identified record with the refusal as its reason, so diagnosis counts it in
 * not_identified and power_identified like any other not-identified row and the run goes on. Any other
 * error (an option no draw can satisfy, a bug) still stops the run as a DrawError.
 */
import { isNotIdentified } from '../estimators/errors.js';
import type { AggregationType, Estimate } from '../estimators/types.js';
import { recordsFor } from './records.js';
import { step, type DrawRecord } from './simulation.js';

/** An estimate or, when the data forced the estimator to refuse, the refusal's message. */
export type Attempt = { est: Estimate; reason?: undefined } | { est?: undefined; reason: string };

/** Run one estimation step: a data-forced refusal is returned as a reason, anything else re-thrown as a DrawError. */
export function attempt(name: string, ctx: Parameters<typeof step>[1], fn: () => Estimate): Attempt {
  try {
    return { est: fn() };
  } catch (err) {
    if (isNotIdentified(err)) return { reason: err.message };
    return step(name, ctx, () => {
      throw err;
    });
  }
}

const EMPTY: Estimate = { estimator: '', att_gt: [], wald_pretest: null, aggregates: {}, messages: [] };

/** The records of an estimate, or, for a refusal, every estimand of the truth not identified with its reason. */
export function attemptRecords(
  estimator: string,
  types: readonly AggregationType[],
  a: Attempt,
  truth: Estimate,
  population: Estimate | null,
  subgroup: string | undefined,
  alpha: number,
): DrawRecord[] {
  if (a.est) return recordsFor(estimator, types, a.est, truth, population, subgroup, alpha);
  return recordsFor(estimator, types, EMPTY, truth, population, subgroup, alpha).map((r) => ({
    ...r,
    estimate: null,
    se: null,
    reason: a.reason,
  }));
}
