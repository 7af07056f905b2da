/**
 * Two-way fixed effects (TWFE), static and event study, with CR1 cluster-robust standard errors.
 *
 * Static:      y_it = α_i + λ_t + β D_it + ε_it,  D_it = 1{t ≥ g_i}            → aggregates.simple
 * Event study: y_it = α_i + λ_t + Σ_{e ≠ r} β_e 1{bin(t − g_i) = e} + ε_it          → aggregates.dynamic
 * where bin() puts event times below minE into minE and above maxE into maxE (binned end points) and
 * r is the reference event time (default −1), normalised to 0. Never-treated units have no event time.
 * The dynamic aggregate's overall att is the mean of the post-period coefficients (e ≥ 0) with its SE
 * from the covariance matrix (w'Vw), and the Wald pre-test tests the pre-period coefficients jointly.
 * Under heterogeneous effects both are weighted averages with possibly negative weights
 * (Goodman-Bacon 2021; Sun & Abraham 2021): that is what the comparison estimators are here to show.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator, WaldPretest } from '../types.js';
import { clusterCodes, cohortsOf, type Cohorts } from './cohorts.js';
import { fitWithin, quadForm, seOf } from './within.js';

export interface TwfeOptions {
  /** Event-study window: event times below minE are binned into minE, above maxE into maxE. */
  minE: number;
  maxE: number;
  /** Reference event time, left out of the event study (its coefficient is 0 by construction). */
  reference: number;
  /** Cluster the standard errors by unit (default) or by the panel's cluster column. */
  cluster: 'unit' | 'column';
  /** Also fit the event study (aggregates.dynamic and the pre-test). */
  eventStudy: boolean;
}

export const DEFAULT_TWFE: TwfeOptions = { minE: -Infinity, maxE: Infinity, reference: -1, cluster: 'unit', eventStudy: true };

export function twfeOptions(o: Partial<TwfeOptions> = {}): TwfeOptions {
  const set = definedOnly(o);
  const out = { ...DEFAULT_TWFE, ...set };
  if (!(out.minE <= out.reference && out.reference <= out.maxE)) {
    throw new EstimatorInputError(`twfe: the reference event time ${out.reference} must lie in the window [${out.minE}, ${out.maxE}]`);
  }
  if (!['unit', 'column'].includes(out.cluster)) throw new EstimatorInputError(`twfe: cluster must be unit or column, got "${out.cluster}"`);
  return out;
}

/** D_ct = 1{t ≥ g_c} as a C × T cohort-period array. */
export function treatedCells(panel: Panel, cohorts: Cohorts): Float64Array {
  const T = panel.nPeriods, C = cohorts.start.length;
  const d = new Float64Array(C * T);
  for (let c = 0; c < C; c++) for (let t = cohorts.firstIndex[c]; t < T; t++) d[c * T + t] = 1;
  return d;
}

export interface StaticTwfe {
  att: number | null;
  se: number | null;
  reason?: string;
}

/** The static TWFE coefficient on D_it with its CR1 SE. */
export function staticTwfe(panel: Panel, o: TwfeOptions, cohorts = cohortsOf(panel)): StaticTwfe {
  const fit = fitWithin(panel, cohorts, [treatedCells(panel, cohorts)], clusterCodes(panel, o.cluster === 'column'));
  if (!fit.beta) return { att: null, se: null, reason: fit.reason ?? 'not identified' };
  const out: StaticTwfe = { att: fit.beta[0], se: fit.vcov ? seOf(fit.vcov[0]) : null };
  if (out.se === null) out.reason = fit.reason ?? 'no standard error';
  return out;
}

/** Event times of the design: bin(t − g) for every treated cohort with a period before its start. */
function eventKeys(panel: Panel, cohorts: Cohorts, o: TwfeOptions, use: Uint8Array): number[] {
  const keys = new Set<number>();
  cohorts.start.forEach((g, c) => {
    if (!use[c] || !Number.isFinite(g)) return;
    for (let t = 0; t < panel.nPeriods; t++) keys.add(bin(panel.periods[t] - g, o));
  });
  return [...keys].sort((a, b) => a - b);
}

function bin(e: number, o: TwfeOptions): number {
  return Math.min(o.maxE, Math.max(o.minE, e));
}

export interface EventStudy {
  aggregate: AggregateEstimate;
  pretest: WaldPretest;
  messages: string[];
}

/** The binned event-study regression. Always-treated cohorts (no period before their start) are left out. */
export function eventStudyTwfe(panel: Panel, o: TwfeOptions, cohorts = cohortsOf(panel)): EventStudy {
  const T = panel.nPeriods, C = cohorts.start.length;
  const messages: string[] = [];
  const use = Uint8Array.from(cohorts.firstIndex, (f) => (f === 0 ? 0 : 1));
  const always = cohorts.start.filter((_, c) => !use[c]);
  if (always.length > 0) {
    const units = cohorts.size.reduce((s, v, c) => s + (use[c] ? 0 : v), 0);
    messages.push(`Event study: ${units} always-treated unit(s) (start ${always.join(', ')}) have no pre-period and are left out.`);
  }
  const keys = eventKeys(panel, cohorts, o, use);
  const est = keys.filter((e) => e !== o.reference);
  const regressors = est.map((e) => {
    const x = new Float64Array(C * T);
    cohorts.start.forEach((g, c) => {
      if (!use[c] || !Number.isFinite(g)) return;
      for (let t = 0; t < T; t++) if (bin(panel.periods[t] - g, o) === e) x[c * T + t] = 1;
    });
    return x;
  });
  const refRow: DetailEstimate = { key: o.reference, att: 0, se: null, reason: 'reference period (normalised to 0)' };
  const fail = (reason: string): EventStudy => ({
    aggregate: { att: null, se: null, reason, detail: est.map((key) => ({ key, att: null, se: null, reason })) },
    pretest: { W: null, df: 0, p: null, reason },
    messages,
  });
  if (!keys.includes(o.reference)) return fail(`the reference event time ${o.reference} is not observed for any treated cohort`);
  if (est.length === 0) return fail('no event times besides the reference period');
  const fit = fitWithin(panel, cohorts, regressors, clusterCodes(panel, o.cluster === 'column'), use);
  if (!fit.beta) {
    const why = cohorts.start.some((g, c) => use[c] && !Number.isFinite(g)) ? '' : ' (with no never-treated units, bin the end points: set minE and maxE)';
    return fail(`${fit.reason}${why}`);
  }
  const k = est.length;
  const beta = fit.beta, V = fit.vcov;
  const detail: DetailEstimate[] = est.map((key, j) => {
    const se = V ? seOf(V[j * k + j]) : null;
    const row: DetailEstimate = { key, att: beta[j], se };
    if (se === null) row.reason = fit.reason ?? 'no standard error';
    return row;
  });
  detail.push(refRow);
  detail.sort((a, b) => a.key - b.key);

  const post = est.map((e) => (e >= 0 ? 1 : 0));
  const nPost = post.reduce<number>((s, v) => s + v, 0);
  const aggregate: AggregateEstimate = { att: null, se: null, detail };
  if (nPost === 0) aggregate.reason = 'no post-treatment event times';
  else {
    const w = post.map((v) => v / nPost);
    aggregate.att = w.reduce((s, wj, j) => s + wj * beta[j], 0);
    aggregate.se = V ? seOf(quadForm(V, k, w)) : null;
    if (aggregate.se === null) aggregate.reason = fit.reason ?? 'no standard error';
  }
  const pre = est.map((e, j) => (e < 0 ? j : -1)).filter((j) => j >= 0);
  return { aggregate, pretest: V ? wald(beta, V, k, pre) : { W: null, df: pre.length, p: null, reason: fit.reason ?? 'no covariance matrix' }, messages };
}

/** Wald test that the coefficients `idx` are jointly zero: W = b' V_bb⁻¹ b ~ χ²(q). */
export function wald(beta: Float64Array, V: Float64Array, k: number, idx: number[]): WaldPretest {
  const q = idx.length;
  if (q === 0) return { W: null, df: 0, p: null, reason: 'no pre-treatment event times to test' };
  const sub = new Float64Array(q * q);
  idx.forEach((a, r) => idx.forEach((b, c) => { sub[r * q + c] = V[a * k + b]; }));
  const l = cholesky(sub, q);
  if (!l) return { W: null, df: q, p: null, reason: 'the covariance matrix of the pre-period coefficients is not positive definite' };
  const b = Float64Array.from(idx, (j) => beta[j]);
  const x = cholSolve(l, q, b);
  let W = 0;
  for (let r = 0; r < q; r++) W += b[r] * x[r];
  return { W, df: q, p: chisqUpper(W, q) };
}

export function estimateTwfe(panel: Panel, options: Partial<TwfeOptions> = {}): Estimate {
  const o = twfeOptions(options);
  const cohorts = cohortsOf(panel);
  const messages: string[] = [];
  if (!cohorts.start.some(Number.isFinite)) {
    const reason = 'no unit is ever treated';
    return { estimator: 'twfe', att_gt: [], wald_pretest: null, aggregates: { simple: { att: null, se: null, reason } }, messages: [reason] };
  }
  const s = staticTwfe(panel, o, cohorts);
  const simple: AggregateEstimate = { att: s.att, se: s.se };
  if (s.reason) simple.reason = s.reason;
  const est: Estimate = { estimator: 'twfe', att_gt: [], wald_pretest: null, aggregates: { simple }, messages };
  if (o.eventStudy) {
    const es = eventStudyTwfe(panel, o, cohorts);
    est.aggregates.dynamic = es.aggregate;
    est.wald_pretest = es.pretest;
    messages.push(...es.messages);
  }
  return est;
}

export function twfeEstimator(options: Partial<TwfeOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  const o = twfeOptions(opts);
  return { name: name ?? 'twfe', estimate: (panel: Panel) => estimateTwfe(panel, o) };
}
