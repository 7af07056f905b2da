/**
 * `stacked`: stacked difference-in-differences (Cengiz, Dube, Lindner & Zipperer 2019) with the
 * corrective weights of Wing, Freedman & Hollingsworth (2024) — `weighting: 'wing'` (default, the
 * trimmed aggregate ATT) or `'cengiz'` (unweighted).
 *
 * aggregates.simple: the static coefficient of D_as·1{t ≥ a} in the stacked regression (regression.ts),
 * the sub-experiments' post-minus-pre 2×2 DiDs averaged with weights N^D_a / N^D under `wing`.
 * aggregates.dynamic: the event-study coefficients at k = −κ_pre … κ_post (k = −1 the reference, not a
 * row), their covariance, and the mean of the post rows (k ≥ 0) with its SE. The Wald pre-test tests
 * the pre rows jointly. κ_pre / κ_post default to −minE / maxE of the analysis window, else 3 / 3.
 */
import type { Panel } from '../../panel/panel.js';
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import { definedOnly } from '../defined.js';
import { EstimatorInputError } from '../errors.js';
import { clusterCodes } from '../twfe/start-groups.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator, WaldPretest } from '../types.js';
import { fitStacked } from './regression.js';
import { buildStack, type StackWeights } from './stack.js';

export interface StackedOptions {
  kappaPre?: number;
  kappaPost?: number;
  weighting: StackWeights;
  cluster: 'unit' | 'column';
  minE: number;
  maxE: number;
}

export const DEFAULT_STACKED: StackedOptions = { weighting: 'wing', cluster: 'unit', minE: -Infinity, maxE: Infinity };
const DEFAULT_KAPPA = 3;

function waldOf(beta: Float64Array, V: Float64Array, k: number, idx: number[]): WaldPretest | null {
  if (idx.length === 0) return null;
  const m = idx.length;
  const sub = new Float64Array(m * m);
  idx.forEach((a, p) => idx.forEach((b, q) => (sub[p * m + q] = V[a * k + b])));
  const L = cholesky(sub, m);
  if (!L) return { W: null, df: m, p: null, reason: 'the pre-period coefficients’ covariance is singular' };
  const b = Float64Array.from(idx, (a) => beta[a]);
  const x = cholSolve(L, m, b);
  let W = 0;
  for (let p = 0; p < m; p++) W += b[p] * x[p];
  return { W, df: m, p: chisqUpper(W, m) };
}

export function estimateStacked(panel: Panel, options: Partial<StackedOptions> = {}): Estimate {
  const o: StackedOptions = { ...DEFAULT_STACKED, ...definedOnly(options) };
  const kappaPre = o.kappaPre ?? (Number.isFinite(o.minE) ? -o.minE : DEFAULT_KAPPA);
  const kappaPost = o.kappaPost ?? (Number.isFinite(o.maxE) ? o.maxE : DEFAULT_KAPPA);
  if (!(Number.isInteger(kappaPre) && kappaPre >= 1))
    throw new EstimatorInputError(
      `stacked: kappaPre must be a whole number ≥ 1 (the reference period −1 is in the window), got ${kappaPre}`,
    );
  if (!(Number.isInteger(kappaPost) && kappaPost >= 0))
    throw new EstimatorInputError(`stacked: kappaPost must be a whole number ≥ 0, got ${kappaPost}`);
  const cluster = clusterCodes(panel, o.cluster === 'column');
  const stack = buildStack(panel, kappaPre, kappaPost, o.weighting);
  const messages = [...stack.dropped.map((d) => `left out of the stack: ${d}`)];
  if (stack.subs.length === 0) {
    const reason = `no adoption cohort has a full event window −${kappaPre}…${kappaPost} inside the panel and a clean control`;
    return {
      estimator: 'stacked',
      att_gt: [],
      wald_pretest: null,
      aggregates: { simple: { att: null, se: null, reason }, dynamic: { att: null, se: null, reason } },
      messages: [...messages, reason],
    };
  }
  messages.push(
    `stacked ${stack.subs.length} sub-experiment(s): ${stack.subs.map((s) => `${s.cohort} (${s.treated.length} treated, ${s.controls.length} controls)`).join(', ')}`,
  );

  const se = (v: number) => (v > 0 && Number.isFinite(v) ? Math.sqrt(v) : null);
  const noSe = 'too few clusters or rows for a cluster-robust variance';
  // Static: one regressor, D·1{k ≥ 0}.
  const st = fitStacked(panel, stack, 1, (e) => [e >= 0 ? 1 : 0], cluster);
  const simple: AggregateEstimate = st
    ? { att: st.beta[0], se: st.vcov ? se(st.vcov[0]) : null, ...(st.vcov && se(st.vcov[0]) !== null ? {} : { reason: noSe }) }
    : { att: null, se: null, reason: 'the stacked regression is singular' };

  // Event study: one regressor per event time except −1.
  const events: number[] = [];
  for (let e = -kappaPre; e <= kappaPost; e++) if (e !== -1) events.push(e);
  const k = events.length;
  const es = fitStacked(
    panel,
    stack,
    k,
    (e) => {
      const x = new Float64Array(k);
      const at = events.indexOf(e);
      if (at >= 0) x[at] = 1;
      return x;
    },
    cluster,
  );
  let dynamic: AggregateEstimate;
  let wald: WaldPretest | null = null;
  if (!es) {
    dynamic = { att: null, se: null, reason: 'the stacked event-study regression is singular' };
  } else {
    const V = es.vcov;
    const detail: DetailEstimate[] = events.map((e, a) => {
      const s = V ? se(V[a * k + a]) : null;
      return { key: e, att: es.beta[a], se: s, ...(s === null ? { reason: noSe } : {}) };
    });
    const post = events.map((e, a) => (e >= 0 ? a : -1)).filter((a) => a >= 0);
    const w = 1 / post.length;
    let att = 0,
      v = 0;
    for (const a of post) {
      att += w * es.beta[a];
      if (V) for (const b of post) v += w * w * V[a * k + b];
    }
    const s = V ? se(v) : null;
    dynamic = {
      att,
      se: s,
      ...(s === null ? { reason: noSe } : {}),
      detail,
      ...(V ? { vcov: events.map((_, a) => events.map((_, b) => V[a * k + b])) } : {}),
    };
    if (V)
      wald = waldOf(
        es.beta,
        V,
        k,
        events.map((e, a) => (e < -1 ? a : -1)).filter((a) => a >= 0),
      );
  }
  return { estimator: 'stacked', att_gt: [], wald_pretest: wald, aggregates: { simple, dynamic }, messages };
}

export function stackedEstimator(options: Partial<StackedOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'stacked', estimate: (panel: Panel) => estimateStacked(panel, opts) };
}
