/**
 * From an estimator's dynamic aggregate to a sensitivity analysis, and from there to the engine's result
 * records: the pieces `analysis.sensitivity` scenario estimands are made of (not yet wired into the
 * scenario schema or the simulation; docs/readme-parts/covariance-pretest.md says how).
 *
 * The event study is the dynamic detail rows with an SE and a covariance (AggregateEstimate.vcov):
 * keys < 0 are the pre-periods, keys ≥ 0 the post-periods, in key order; rows without an SE (the
 * normalised reference period, rows not identified) are left out, as HonestDiD takes betahat without
 * the reference. With R did's varying base period the pre-period rows are short differences, not
 * deviations from one reference: HonestDiD's guidance is the universal base period for did.
 */
import type { AggregateEstimate, Estimate } from '../estimators/types.js';
import type { DrawRecord } from '../engine/simulation.js';
import type { Rng } from '../random/stream.js';
import { sensitivity } from './index.js';
import { targetEstimate } from './original-ci.js';
import type { CiType, EventStudyCoefficients, RestrictionMethod } from './types.js';

export interface EventStudyFromAggregate {
  coef: EventStudyCoefficients;
  /** The event time of each coefficient (pre then post). */
  keys: number[];
}

/**
 * @param lVec weights of the post-period coefficients (default: the first post-period, HonestDiD's
 *   basisVector(1)); its length must equal the number of post-period rows.
 * @returns the coefficients, or a reason they cannot be formed.
 */
export function eventStudyFromAggregate(
  agg: AggregateEstimate | undefined,
  lVec?: readonly number[],
): EventStudyFromAggregate | { reason: string } {
  if (!agg?.detail) return { reason: 'no dynamic aggregate (event study)' };
  if (!agg.vcov) return { reason: 'the estimator gives no event-study covariance' };
  const idx = agg.detail
    .map((d, a) => (d.att !== null && d.se !== null && agg.vcov![a][a] !== null ? a : -1))
    .filter((a) => a >= 0)
    .sort((a, b) => agg.detail![a].key - agg.detail![b].key);
  const keys = idx.map((a) => agg.detail![a].key);
  const numPre = keys.filter((k) => k < 0).length;
  const numPost = keys.length - numPre;
  if (numPre < 1) return { reason: 'no pre-period event-study coefficient with a standard error' };
  if (numPost < 1) return { reason: 'no post-period event-study coefficient with a standard error' };
  const l = lVec ? [...lVec] : Array.from({ length: numPost }, (_, j) => (j === 0 ? 1 : 0));
  if (l.length !== numPost) return { reason: `l_vec has ${l.length} weights, the event study ${numPost} post-periods` };
  return {
    coef: {
      betahat: idx.map((a) => agg.detail![a].att!),
      sigma: idx.map((a) => idx.map((b) => agg.vcov![a][b]!)),
      numPre,
      numPost,
      lVec: l,
    },
    keys,
  };
}

export interface SensitivitySpec {
  type: RestrictionMethod;
  /** M̄ (relative_magnitudes) or M (smoothness). */
  bounds: number[];
  ci?: CiType;
  lVec?: number[];
}

/** The estimand id of one robust set: robust:relative_magnitudes:mbar=0.5, robust:smoothness:m=0.01. */
export function robustEstimandId(type: RestrictionMethod, bound: number): string {
  return `robust:${type}:${type === 'relative_magnitudes' ? 'mbar' : 'm'}=${bound}`;
}

/**
 * One record per bound: estimate θ̂ = l'β̂_post, se the original one (√(l'Σ_post l), so the record's
 * estimate and se are the usual ones), the interval the robust set (so coverage and rejection are the
 * robust set's: diagnosis/diagnosands.ts reads ciLow/ciHigh first), truth l'τ_post from the truth's
 * dynamic rows at the same event times (null when the truth lacks one).
 * @param rng the draw's own stream, streamFor(seed, point, draw, 'sensitivity:' + estimator) in the engine.
 */
export function robustRecords(
  estimator: string,
  estimate: Estimate,
  truth: Estimate,
  population: Estimate | null,
  spec: SensitivitySpec,
  rng: Rng,
  alpha: number,
): DrawRecord[] {
  const es = eventStudyFromAggregate(estimate.aggregates.dynamic, spec.lVec);
  const combination = (e: Estimate | null, keys: number[], l: number[]): number | null => {
    const rows = new Map((e?.aggregates.dynamic?.detail ?? []).map((d) => [d.key, d.att]));
    let s = 0;
    for (let j = 0; j < l.length; j++) {
      const v = rows.get(keys[j]);
      if (v === undefined || v === null) return null;
      s += l[j] * v;
    }
    return s;
  };
  if ('reason' in es) {
    return spec.bounds.map((b) => ({
      estimator,
      estimand: robustEstimandId(spec.type, b),
      estimate: null,
      se: null,
      reason: es.reason,
      truth: null,
      popTruth: null,
    }));
  }
  const postKeys = es.keys.slice(es.coef.numPre);
  const truthTheta = combination(truth, postKeys, es.coef.lVec);
  const popTheta = combination(population, postKeys, es.coef.lVec);
  const { theta, se } = targetEstimate(es.coef);
  const r = sensitivity(rng, es.coef, { method: spec.type, bounds: spec.bounds, ci: spec.ci, alpha, breakdown: false });
  return r.robust.map((set, i) => {
    const rec: DrawRecord = {
      estimator,
      estimand: robustEstimandId(spec.type, spec.bounds[i]),
      estimate: set.lb === null ? null : theta,
      se: set.lb === null ? null : se,
      reason: set.lb === null ? (set.reason ?? 'the robust set could not be computed') : null,
      truth: truthTheta,
      popTruth: popTheta,
    };
    if (set.lb !== null && set.ub !== null) Object.assign(rec, { ciLow: set.lb, ciHigh: set.ub });
    return rec;
  });
}
