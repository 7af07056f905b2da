/**
 * Event-study coefficients for the sensitivity analysis from an estimator's dynamic aggregate (its
 * detail rows by event time and their covariance `vcov`), as HonestDiD's honest_did.AGGTEobj takes
 * them from R did's aggte(type = "dynamic"): the reference period is event time −1; its row, when
 * present, is the normalised zero and is dropped; rows before it are the pre-periods, the rest the
 * post-periods; event times must be consecutive. HonestDiD also requires a universal base period
 * (with a varying one the pre-period rows are not comparable to the post-period ones): the caller,
 * which knows the estimator's options, checks that.
 */
import type { AggregateEstimate } from '../estimators/types.js';
import type { EventStudyCoefficients } from './types.js';

export const REFERENCE_EVENT_TIME = -1;

/**
 * @param e the post-period event time θ targets (HonestDiD's e, default 0: basisVector(e + 1)), or
 *   explicit post-period weights lVec.
 * @returns the coefficients, or a reason they cannot be formed (never NaN).
 */
export function eventStudyFromDynamic(
  dynamic: AggregateEstimate,
  target: { e?: number; lVec?: number[] } = {},
): { coef: EventStudyCoefficients } | { reason: string } {
  const detail = dynamic.detail ?? [];
  const vcov = dynamic.vcov;
  if (detail.length === 0) return { reason: 'the dynamic aggregate has no event-time rows' };
  if (!vcov) return { reason: 'the estimator gives no event-study covariance (aggregates.dynamic.vcov)' };
  const keys = detail.map((d) => d.key);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i] !== keys[i - 1] + 1)
      return { reason: `event times must be consecutive (HonestDiD's requirement), found ${keys[i - 1]} then ${keys[i]}` };
  }
  const rows = detail.map((_, i) => i).filter((i) => keys[i] !== REFERENCE_EVENT_TIME);
  for (const i of rows) {
    const d = detail[i];
    if (d.att === null || vcov[i][i] === null)
      return {
        reason: `event time ${d.key} is not identified${d.reason ? ` (${d.reason})` : ''}; the sensitivity analysis needs every row`,
      };
  }
  const numPre = rows.filter((i) => keys[i] < REFERENCE_EVENT_TIME).length;
  const numPost = rows.length - numPre;
  if (numPre < 1) return { reason: 'no pre-period event times before the reference period −1' };
  if (numPost < 1) return { reason: 'no post-period event times (0 or later)' };
  const betahat = rows.map((i) => detail[i].att as number);
  const sigma = rows.map((i) => rows.map((j) => vcov[i][j] as number));
  if (sigma.some((r) => r.some((v) => v === null))) return { reason: 'the event-study covariance has missing entries' };
  let lVec: number[];
  if (target.lVec) {
    if (target.lVec.length !== numPost)
      return { reason: `l_vec: expected ${numPost} weights (the post-periods), found ${target.lVec.length}` };
    lVec = target.lVec;
  } else {
    const e = target.e ?? 0;
    const postKeys = rows.filter((i) => keys[i] >= 0).map((i) => keys[i]);
    const at = postKeys.indexOf(e);
    if (at < 0) return { reason: `event time ${e} is not among the post-periods ${postKeys[0]}..${postKeys[postKeys.length - 1]}` };
    lVec = new Array<number>(numPost).fill(0);
    lVec[at] = 1;
  }
  return { coef: { betahat, sigma, numPre, numPost, lVec } };
}
