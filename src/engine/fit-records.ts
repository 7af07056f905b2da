/**
 * Propensity fits that did not converge, as a diagnosand: an estimate whose ATT(g,t) cells include
 * one with `converged: false` (did's logit reached glm's maxit; the estimate is kept, as R's glm keeps
 * it with a warning) is counted, never used silently. Like the pre-test's, the count travels as a
 * pseudo-estimator, `NAME|fit`, with one record per draw (estimand `propensity`): identified (estimate
 * 1) when every fit of the draw converged, not identified with the first fit's reason when one did
 * not. Diagnosis reports that estimator's not-identified share — the share of draws with at least one
 * non-converged fit, with its binomial MC SE and the reasons — as the single row
 * `diagnosand: not_converged` (diagnosis/diagnosis.ts), so the draws file needs no new field.
 */
import type { Estimate } from '../estimators/types.js';
import type { DrawRecord } from './simulation.js';

export const FIT_SUFFIX = '|fit';
export const FIT_ESTIMAND = 'propensity';

/** Whether an estimator's name is a fit pseudo-estimator (`NAME|fit`). */
export function isFitEstimator(name: string): boolean {
  return name.endsWith(FIT_SUFFIX);
}

/** Whether an analysis entry fits propensity scores (did with covariates; method reg fits none, so its record always says converged). */
export function fitsPropensity(e: { type: string; covariates: readonly string[] }): boolean {
  return e.type === 'did' && e.covariates.length > 0;
}

/**
 * The draw's `NAME|fit` record from every estimate NAME made in it (whole sample and subgroups).
 * @param estimates each with where it was made ('' for the whole sample, else the subgroup's name).
 */
export function fitRecord(name: string, estimates: readonly { where: string; est: Estimate }[], outcome?: string): DrawRecord {
  let reason: string | null = null;
  for (const { where, est } of estimates) {
    const bad = est.att_gt.find((c) => c.converged === false);
    if (!bad) continue;
    // The cell's note names the fit; its (g, t) is dropped so that the reasons stay few.
    const why = (bad.reason ?? 'a propensity-score fit did not converge').replace(/ \(g=[^)]*\)$/, '');
    reason = where ? `${why} (subgroup ${where})` : why;
    break;
  }
  return {
    ...(outcome !== undefined ? { outcome } : {}),
    estimator: `${name}${FIT_SUFFIX}`,
    estimand: FIT_ESTIMAND,
    estimate: reason === null ? 1 : null,
    se: reason === null ? 0 : null,
    reason,
    truth: null,
    popTruth: null,
  };
}
