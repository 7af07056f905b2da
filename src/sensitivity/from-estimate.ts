/**
 * From an estimator's dynamic aggregate to a sensitivity analysis, and from there to the engine's result
 * records: what the `analysis.sensitivity` scenario estimands are. The event study is formed as
 * HonestDiD forms it from R did's aggte (from-dynamic.ts: the reference period dropped, pre-periods
 * before it, consecutive event times). With R did's varying base period the pre-period rows are short
 * differences, not deviations from one reference: the scenario check refuses that combination.
 */
import type { Estimate } from '../estimators/types.js';
import type { DrawRecord } from '../engine/simulation.js';
import type { Rng } from '../random/stream.js';
import { eventStudyFromDynamic } from './from-dynamic.js';
import { sensitivity } from './index.js';
import { targetEstimate } from './original-ci.js';
import { type Shape, shapeFields } from './shape-rows.js';
import type { CiType, RestrictionMethod } from './types.js';

export interface SensitivitySpec {
  type: RestrictionMethod;
  /** M̄ (relative_magnitudes) or M (smoothness). */
  bounds: number[];
  ci?: CiType;
  /** A sign or monotonicity restriction intersected with the type's. */
  shape?: Shape;
  lVec?: number[];
  /** The estimator's anticipation δ: the reference period is −1 − δ. */
  anticipation?: number;
}

/**
 * The estimand id of one robust set: robust:relative_magnitudes:mbar=0.5, robust:smoothness:m=0.01, and
 * with a shape robust:smoothness:bias_direction=positive:m=0.01.
 */
export function robustEstimandId(type: RestrictionMethod, bound: number, shape?: Shape): string {
  const s = Object.entries(shapeFields(shape))
    .map(([k, v]) => `${k}=${v}:`)
    .join('');
  return `robust:${type}:${s}${type === 'smoothness' ? 'm' : 'mbar'}=${bound}`;
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
  const es = eventStudyFromDynamic(estimate.aggregates.dynamic, {
    ...(spec.lVec ? { lVec: spec.lVec } : {}),
    reference: -1 - (spec.anticipation ?? 0),
  });
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
      estimand: robustEstimandId(spec.type, b, spec.shape),
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
  const r = sensitivity(rng, es.coef, {
    method: spec.type,
    bounds: spec.bounds,
    ci: spec.ci,
    alpha,
    breakdown: false,
    ...(spec.shape ? { shape: spec.shape } : {}),
  });
  return r.robust.map((set, i) => {
    const rec: DrawRecord = {
      estimator,
      estimand: robustEstimandId(spec.type, spec.bounds[i], spec.shape),
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
