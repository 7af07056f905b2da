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
 *
 * Covariates enter linearly, as fixest's `feols(y ~ D + x | id + year)`: x_it'γ is added to both models
 * (two-way-fit.ts; a covariate constant within units is absorbed by α_i and left out with a message).
 * Anticipation δ: units may react from g − δ, so D_it = 1{t ≥ g − δ}, the default reference event time
 * is −1 − δ, the coefficients at −δ … −1 are estimated (anticipation effects) and left out of the
 * pre-test, which tests only the event times before −δ.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator, WaldPretest } from '../types.js';
import { checkAnticipation, checkCovariates, clusterCodes, startGroupsOf, reactionIndex, type StartGroups } from './start-groups.js';
import { fitTwoWay, type CovariateCoefficient } from './two-way-fit.js';
import { fitWithin, quadForm, seOf, type WithinFit } from './within.js';
import { DEFAULT_FEW_CLUSTER, fewClusterActive, type DfType, type VcovType } from '../few-cluster/inference.js';
import type { WildWeights } from '../few-cluster/wild-cluster.js';
import type { Rng } from '../../random/stream.js';
import { inferRows } from './few-cluster-rows.js';
import { vcovSubmatrix } from '../event-vcov.js';

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
  /** Periods δ ≥ 0 before the start in which units may already react. */
  anticipation: number;
  /** Panel covariate columns entering both regressions linearly. */
  covariates: string[];
  /** Few-cluster inference (estimators/few-cluster/): variance cr1 (default) or cr2 (Bell & McCaffrey). */
  vcov: VcovType;
  /** Reference distribution: normal (default), t(G − 1) ('cluster') or t with Satterthwaite df. */
  df: DfType;
  /** Restricted wild cluster bootstrap draws for the static coefficient (0 = off). */
  wild: number;
  wildWeights: WildWeights;
  /** Level of the intervals the few-cluster options set. */
  alpha: number;
}

export const DEFAULT_TWFE: TwfeOptions = {
  minE: -Infinity,
  maxE: Infinity,
  reference: -1,
  cluster: 'unit',
  eventStudy: true,
  anticipation: 0,
  covariates: [],
  ...DEFAULT_FEW_CLUSTER,
};

export function twfeOptions(o: Partial<TwfeOptions> = {}): TwfeOptions {
  const set = definedOnly(o);
  const delta = checkAnticipation('twfe', set.anticipation ?? 0);
  // The reference defaults to the last period before units may react.
  const out = { ...DEFAULT_TWFE, reference: -1 - delta, ...set };
  if (out.reference > -1 - delta) {
    throw new EstimatorInputError(
      `twfe: with anticipation ${delta} the reference event time must be ≤ ${-1 - delta} (units may react from ${-delta}), got ${out.reference}`,
    );
  }
  if (!(out.minE <= out.reference && out.reference <= out.maxE)) {
    throw new EstimatorInputError(`twfe: the reference event time ${out.reference} must lie in the window [${out.minE}, ${out.maxE}]`);
  }
  if (!['unit', 'column'].includes(out.cluster))
    throw new EstimatorInputError(`twfe: cluster must be unit or column, got "${out.cluster}"`);
  if (fewClusterActive(out) && out.covariates.length > 0)
    throw new EstimatorInputError('twfe: vcov cr2, df cluster/satterthwaite and wild are not implemented with covariates (yet)');
  return out;
}

/** D_ct = 1{t ≥ g_c − δ} as a C × T cohort-period array. */
export function treatedCells(panel: Panel, cohorts: StartGroups, anticipation = 0): Float64Array {
  const T = panel.nPeriods,
    C = cohorts.start.length;
  const from = anticipation === 0 ? cohorts.firstIndex : reactionIndex(panel, cohorts, anticipation);
  const d = new Float64Array(C * T);
  for (let c = 0; c < C; c++) for (let t = from[c]; t < T; t++) d[c * T + t] = 1;
  return d;
}

/** The fit with covariates when there are any (two-way-fit.ts), else the cell-level within fit. */
function fit(
  panel: Panel,
  cohorts: StartGroups,
  regressors: Float64Array[],
  o: TwfeOptions,
  use?: Uint8Array,
): WithinFit & { covariates?: CovariateCoefficient[]; messages?: string[] } {
  const cluster = clusterCodes(panel, o.cluster === 'column');
  return o.covariates.length > 0
    ? fitTwoWay(panel, cohorts, regressors, o.covariates, cluster, use)
    : fitWithin(panel, cohorts, regressors, cluster, use);
}

export interface StaticTwfe {
  att: number | null;
  se: number | null;
  reason?: string;
  /** Covariate coefficients (CR1 SEs), when covariates were given. */
  covariates?: CovariateCoefficient[];
  messages?: string[];
}

/** The static TWFE coefficient on D_it with its CR1 SE. */
export function staticTwfe(panel: Panel, o: TwfeOptions, cohorts = startGroupsOf(panel)): StaticTwfe {
  return staticTwfeOn(panel, o, cohorts, [treatedCells(panel, cohorts, o.anticipation)]);
}

function staticTwfeOn(panel: Panel, o: TwfeOptions, cohorts: StartGroups, regressors: Float64Array[]): StaticTwfe {
  const f = fit(panel, cohorts, regressors, o);
  const extra = f.covariates ? { covariates: f.covariates, messages: f.messages } : {};
  if (!f.beta) return { att: null, se: null, reason: f.reason ?? 'not identified', ...extra };
  const out: StaticTwfe = { att: f.beta[0], se: f.vcov ? seOf(f.vcov[0]) : null, ...extra };
  if (out.se === null) out.reason = f.reason ?? 'no standard error';
  return out;
}

/** Event times of the design: bin(t − g) for every treated cohort with a period before its start. */
function eventKeys(panel: Panel, cohorts: StartGroups, o: TwfeOptions, use: Uint8Array): number[] {
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
export function eventStudyTwfe(panel: Panel, o: TwfeOptions, cohorts = startGroupsOf(panel), rng?: Rng): EventStudy {
  const T = panel.nPeriods,
    C = cohorts.start.length;
  const messages: string[] = [];
  const use = Uint8Array.from(reactionIndex(panel, cohorts, o.anticipation), (f) => (f === 0 ? 0 : 1));
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
  const refRow: DetailEstimate = { key: o.reference, att: 0, se: null, reason: 'reference period (normalised to 0)', reference: true };
  const fail = (reason: string): EventStudy => ({
    aggregate: { att: null, se: null, reason, detail: est.map((key) => ({ key, att: null, se: null, reason })) },
    pretest: { W: null, df: 0, p: null, reason },
    messages,
  });
  if (!keys.includes(o.reference)) return fail(`the reference event time ${o.reference} is not observed for any treated cohort`);
  if (est.length === 0) return fail('no event times besides the reference period');
  const f = fit(panel, cohorts, regressors, o, use);
  if (!f.beta) {
    const why = cohorts.start.some((g, c) => use[c] && !Number.isFinite(g))
      ? ''
      : ' (with no never-treated units, bin the end points: set minE and maxE)';
    return fail(`${f.reason}${why}`);
  }
  const k = est.length;
  const beta = f.beta,
    V = f.vcov;
  const detail: DetailEstimate[] = est.map((key, j) => {
    const se = V ? seOf(V[j * k + j]) : null;
    const row: DetailEstimate = { key, att: beta[j], se };
    if (se === null) row.reason = f.reason ?? 'no standard error';
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
    if (aggregate.se === null) aggregate.reason = f.reason ?? 'no standard error';
  }
  if (fewClusterActive(o) && rng) {
    const rows: Parameters<typeof inferRows>[7] = est.map((_, j) => ({
      row: detail.find((d) => d.key === est[j])!,
      contrast: unitVector(k, j),
      wild: false,
    }));
    if (aggregate.att !== null) rows.push({ row: aggregate, contrast: post.map((v) => v / nPost), wild: false });
    inferRows(rng, panel, cohorts, regressors, o.cluster === 'column', use, o, rows);
  }
  // The event-study covariance: the coefficients' CR1 submatrix (the SEs' own, same small-sample
  // factor), in detail order; CR2 replaces the SEs row by row and gives no joint matrix here.
  // Few-cluster inference may replace a row's SE (its observation-level refit): then the matrix would
  // not be the SEs' own, and none is given.
  const ownSe = detail.every((d) => {
    const j = est.indexOf(d.key);
    return d.se === null || j < 0 || (V !== null && Math.abs(d.se * d.se - V[j * k + j]) <= 1e-10 * V[j * k + j]);
  });
  if (V && o.vcov === 'cr1' && ownSe) {
    aggregate.vcov = vcovSubmatrix(
      V,
      k,
      detail.map((d) => est.indexOf(d.key)),
      detail.map((d) => d.se !== null),
    );
  }
  // The pre-test leaves out the anticipation event times −δ … −1.
  const pre = est.map((e, j) => (e < -o.anticipation ? j : -1)).filter((j) => j >= 0);
  return {
    aggregate,
    pretest: V ? wald(beta, V, k, pre) : { W: null, df: pre.length, p: null, reason: f.reason ?? 'no covariance matrix' },
    messages,
  };
}

/** Wald test that the coefficients `idx` are jointly zero: W = b' V_bb⁻¹ b ~ χ²(q). */
export function wald(beta: Float64Array, V: Float64Array, k: number, idx: number[]): WaldPretest {
  const q = idx.length;
  if (q === 0) return { W: null, df: 0, p: null, reason: 'no pre-treatment event times to test' };
  const sub = new Float64Array(q * q);
  idx.forEach((a, r) =>
    idx.forEach((b, c) => {
      sub[r * q + c] = V[a * k + b];
    }),
  );
  const l = cholesky(sub, q);
  if (!l) return { W: null, df: q, p: null, reason: 'the covariance matrix of the pre-period coefficients is not positive definite' };
  const b = Float64Array.from(idx, (j) => beta[j]);
  const x = cholSolve(l, q, b);
  let W = 0;
  for (let r = 0; r < q; r++) W += b[r] * x[r];
  return { W, df: q, p: chisqUpper(W, q) };
}

export interface TwfeEstimate extends Estimate {
  /** Covariate coefficients of the static regression with their CR1 SEs (only with covariates). */
  covariates?: CovariateCoefficient[];
}

/** The stream handed on when no bootstrap draws are taken (wild = 0, or event-study rows): never read. */
const NO_DRAWS: Rng = () => {
  throw new Error('twfe: no random draws expected here');
};

function unitVector(k: number, j: number): Float64Array {
  const e = new Float64Array(k);
  e[j] = 1;
  return e;
}

/** @param rng the wild bootstrap's stream (the estimator's own in the engine); needed only with `wild`. */
export function estimateTwfe(panel: Panel, options: Partial<TwfeOptions> = {}, rng?: Rng): TwfeEstimate {
  const o = twfeOptions(options);
  checkCovariates(panel, 'twfe', o.covariates);
  const cohorts = startGroupsOf(panel);
  const messages: string[] = [];
  if (!cohorts.start.some(Number.isFinite)) {
    const reason = 'no unit is ever treated';
    return {
      estimator: 'twfe',
      att_gt: [],
      wald_pretest: null,
      aggregates: { simple: { att: null, se: null, reason } },
      messages: [reason],
    };
  }
  const d = [treatedCells(panel, cohorts, o.anticipation)];
  const s = staticTwfeOn(panel, o, cohorts, d);
  const simple: AggregateEstimate = { att: s.att, se: s.se };
  if (s.reason) simple.reason = s.reason;
  if (fewClusterActive(o)) {
    if (o.wild > 0 && !rng) throw new EstimatorInputError('twfe: wild needs a random stream (estimate(panel, rng))');
    inferRows(rng ?? NO_DRAWS, panel, cohorts, d, o.cluster === 'column', undefined, o, [{ row: simple, contrast: [1], wild: o.wild > 0 }]);
  }
  const est: TwfeEstimate = { estimator: 'twfe', att_gt: [], wald_pretest: null, aggregates: { simple }, messages };
  if (s.covariates) {
    est.covariates = s.covariates;
    messages.push(...(s.messages ?? []));
  }
  if (o.eventStudy) {
    const es = eventStudyTwfe(panel, o, cohorts, rng ?? NO_DRAWS);
    est.aggregates.dynamic = es.aggregate;
    est.wald_pretest = es.pretest;
    messages.push(...es.messages);
  }
  return est;
}

export function twfeEstimator(options: Partial<TwfeOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  const o = twfeOptions(opts);
  return { name: name ?? 'twfe', estimate: (panel: Panel, rng: Rng) => estimateTwfe(panel, o, rng) };
}
