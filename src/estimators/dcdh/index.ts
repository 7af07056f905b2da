/**
 * `dcdh`: de Chaisemartin & D'Haultfœuille (2024) DID_ℓ as an estimator (R/Stata did_multiplegt_dyn).
 *
 * aggregates.dynamic.detail: the placebos and effects keyed by event time as every other estimator
 * here keys them — DID_ℓ at e = ℓ − 1 (ℓ = 1: the first treated period against F − 1), placebo ℓ at
 * e = −1 − ℓ (Y_{F−1−ℓ} against Y_{F−1}); e = −1 is the reference, not a row. dynamic.att is the mean of
 * the effects (e ≥ 0) with its SE from the rows' covariance (dynamic.vcov), as for R did's dynamic
 * aggregate; aggregates.simple is the package's average total effect Σ_ℓ N_ℓ DID_ℓ / Σ_ℓ N_ℓ.
 * The Wald pre-test is the joint test of the placebos (the package's "joint test of nullity of the
 * placebos"); `tests` holds its joint tests of the effects. The treatment is the panel's own column
 * when it has one (binary or discrete, possibly switching back: `stagger estimate --treatment COL`),
 * else 1{period ≥ first treated period}.
 */
import type { Panel } from '../../panel/panel.js';
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import { definedOnly } from '../defined.js';
import { EstimatorInputError } from '../errors.js';
import { clusterCodes } from '../twfe/start-groups.js';
import { pinvSym } from '../../linalg/pinv.js';
import type { AggregateEstimate, DetailEstimate, Estimate, EstimateTest, Estimator, WaldPretest } from '../types.js';
import type { Rng } from '../../random/stream.js';
import { withBootstrap } from './bootstrap.js';
import { continuousPanel } from './continuous.js';
import { controlColumns, fitControls } from './controls.js';
import { type DcdhDesign, dcdhDesign, tnpCodes, treatmentOf } from './design.js';
import { dropRowsMissingControls, gapsOf } from './missing-data.js';
import { type DcdhControl, dcdhEstimates, dcdhHorizon } from './did-l.js';
import { predictHet } from './predict-het.js';
import { trendsLinGapPanel, trendsLinPanel } from './trends-lin.js';

export interface DcdhOptions {
  /** Number of effects DID_1..DID_L (unset: from maxE, else every one the panel identifies). */
  effects?: number;
  /** Number of placebos (unset: from minE, else every one the panel identifies). */
  placebo?: number;
  /** Comparison units: not-yet-treated (the package's default) or never treated (only_never_switchers). */
  control: DcdhControl;
  cluster: 'unit' | 'column';
  minE: number;
  maxE: number;
  /** Only switchers in (D_{g,1} = 0) or only switchers out (D_{g,1} = 1); unset: both. */
  switchers?: 'in' | 'out';
  /** DID_ℓ per unit of treatment accumulated since the first switch (δ^D_ℓ). */
  normalized?: boolean;
  /** Only the switchers that have every effect asked for. */
  sameSwitchers?: boolean;
  /** Switchers demeaned within their treatment path (the package's less_conservative_se). */
  lessConservativeSe?: boolean;
  /** Unit-level columns: switchers and controls are compared within their cells. */
  trendsNonparam?: string[];
  /** Placebos only from switchers that have every placebo asked for (needs sameSwitchers). */
  sameSwitchersPl?: boolean;
  /** Unit-specific linear trends (trends_lin): the estimator on first differences, effects summed. */
  trendsLin?: boolean;
  /** Time-varying covariates netted out of the outcome's changes (did_multiplegt_dyn's controls). */
  covariates?: string[];
  /** predict_het: time-invariant columns the switchers' effects are regressed on. */
  predictHet?: string[];
  /** predict_het's effects ℓ (unset: every effect); the placebos with the same numbers come too. */
  predictHetEffects?: number[];
  /** continuous: the degree of the baseline polynomial (continuous.ts); unset = off. */
  continuous?: number;
  /** did_multiplegt_dyn's bootstrap: replications B ≥ 2 for the SEs (bootstrap.ts); unset or 0 = analytic. */
  bootstrap?: number;
  /** No Design Restriction 2 cut; no-first-stage switchers left out (did_multiplegt_dyn's option). */
  dontDropLargerLower?: boolean;
  /** A panel with missing treatments: drop a unit's outcomes from its first missing treatment before its first change on. */
  dropIfDMissBeforeFirstSwitch?: boolean;
}

export const DEFAULT_DCDH: DcdhOptions = { control: 'notyet', cluster: 'unit', minE: -Infinity, maxE: Infinity };

function wald(rows: DetailEstimate[], vcov: (number | null)[][], idx: number[]): WaldPretest | null {
  const ok = idx.filter((i) => rows[i].att !== null);
  if (ok.length === 0) return null;
  const k = ok.length;
  const V = new Float64Array(k * k);
  const b = new Float64Array(k);
  ok.forEach((i, a) => {
    b[a] = rows[i].att!;
    ok.forEach((j, c) => {
      V[a * k + c] = vcov[i][j]!;
    });
  });
  const L = cholesky(V, k);
  if (!L) return { W: null, df: k, p: null, reason: 'the placebos’ covariance is singular' };
  const x = cholSolve(L, k, b);
  let W = 0;
  for (let a = 0; a < k; a++) W += b[a] * x[a];
  return { W, df: k, p: chisqUpper(W, k) };
}

/**
 * θ_d and its influence terms on the panel the estimator runs on (`work`: the first differences under
 * trends_lin). The package's sample and G_XX come from the design before trends_lin's drop.
 */
function controlsFit(panel: Panel, work: Panel, design: DcdhDesign, original: DcdhDesign, o: DcdhOptions, exclude?: Uint8Array) {
  const names = o.covariates ?? [];
  const X = controlColumns(work, names);
  const inSample = Uint8Array.from(original.stratum, (s, i) => (s >= 0 && !exclude?.[i] ? 1 : 0));
  return fitControls(design, X, {
    names,
    tnp: tnpCodes(panel, o.trendsNonparam ?? []),
    inSample,
    G: original.counted,
    offset: exclude ? 1 : 0,
  });
}

/**
 * did_multiplegt_dyn's joint tests of the effects (did_multiplegt_main.R: p_jointeffects, and
 * p_equality_effects of its effects_equal): W = β'V⁺β with L degrees of freedom, and W = (Dβ)'(DVD')⁺(Dβ),
 * D = [I_{L−1} 0] − 1/L, with L − 1 — V the effects' covariance from the influence terms, ⁺ the
 * Moore–Penrose inverse as the package's Ginv; only when every effect asked for is identified.
 */
function effectTests(post: DetailEstimate[], V: (number | null)[][], at: number[]): EstimateTest[] {
  const L = post.length;
  const missing = post.filter((r) => r.att === null).length;
  const tests: EstimateTest[] = [];
  const not = (test: string, label: string, df: number, reason: string): EstimateTest => ({ test, label, W: null, df, p: null, reason });
  const zero = 'all effects DID_ℓ are 0';
  const equal = 'all effects DID_ℓ are equal';
  if (missing > 0) {
    const reason = `${missing} of the ${L} effects are not identified (the package then skips its tests too)`;
    return [not('effects_zero', zero, L, reason), ...(L > 1 ? [not('effects_equal', equal, L - 1, reason)] : [])];
  }
  const b = post.map((r) => r.att!);
  const Vm = Float64Array.from({ length: L * L }, (_, k) => V[at[Math.floor(k / L)]][at[k % L]]!);
  const quad = (x: number[], M: Float64Array, k: number) => {
    const Mi = pinvSym(M, k);
    let w = 0;
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) w += x[a] * Mi[a * k + c] * x[c];
    return w;
  };
  const Wz = quad(b, Vm, L);
  tests.push({ test: 'effects_zero', label: zero, W: Wz, df: L, p: chisqUpper(Wz, L) });
  if (L > 1) {
    const k = L - 1;
    const Db = Array.from({ length: k }, (_, a) => b[a] - b.reduce((s, v) => s + v, 0) / L);
    // D V D' with D_{a,c} = 1{a = c} − 1/L, symmetrised as the package does.
    const D = (a: number, c: number) => (a === c ? 1 : 0) - 1 / L;
    const M = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) s += D(a, i) * Vm[i * L + j] * D(c, j);
        M[a * k + c] = s;
      }
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) M[a * k + c] = M[c * k + a] = (M[a * k + c] + M[c * k + a]) / 2;
    const We = quad(Db, M, k);
    tests.push({ test: 'effects_equal', label: equal, W: We, df: k, p: chisqUpper(We, k) });
  }
  return tests;
}

/**
 * predict_het on the panel in levels: its effects (default all L) and, with placebos asked for, the
 * placebos of the same numbers up to their count (the package computes both).
 */
function heterogeneityOf(
  panel: Panel,
  o: DcdhOptions,
  effects: number,
  placebo: number,
  exclude: Uint8Array | undefined,
  design: DcdhDesign,
) {
  const asked = o.predictHetEffects ?? Array.from({ length: effects }, (_, k) => k + 1);
  const bad = asked.filter((l) => !Number.isInteger(l) || l < 1 || l > effects);
  if (bad.length)
    throw new EstimatorInputError(
      `dcdh: predict_het effects ${bad.join(', ')}: each must be a whole number from 1 to the ${effects} effect(s) estimated`,
    );
  const horizons = [...asked, ...asked.filter((l) => l <= placebo).map((l) => -l)];
  return predictHet(panel, design, o.predictHet!, horizons, {
    trendsLin: o.trendsLin === true,
    exclude,
    tnp: tnpCodes(panel, o.trendsNonparam ?? []),
  });
}

/**
 * @param rng the bootstrap's stream (the engine's per-draw stream; `stagger estimate`'s --seed); needed
 *   only with `bootstrap`
 */
export function estimateDcdh(panel: Panel, options: Partial<DcdhOptions> = {}, rng?: Rng): Estimate {
  const { bootstrap = 0, ...rest } = definedOnly(options);
  const base = estimateOnce(panel, rest);
  if (bootstrap === 0) return base;
  if (bootstrap < 2 || !Number.isInteger(bootstrap))
    throw new EstimatorInputError(`dcdh: bootstrap ${bootstrap}: at least 2 replications (a whole number), as did_multiplegt_dyn requires`);
  if (!rng) throw new Error('estimateDcdh: the bootstrap needs a random stream');
  return withBootstrap(panel, base, bootstrap, rest.cluster === 'column', rng, (p) => estimateOnce(p, rest));
}

function estimateOnce(input: Panel, options: Partial<DcdhOptions>): Estimate {
  let panel = input;
  const o: DcdhOptions = { ...DEFAULT_DCDH, ...definedOnly(options) };
  if (o.predictHet?.length && o.normalized)
    throw new EstimatorInputError(
      'dcdh: predict_het cannot be combined with normalized (as did_multiplegt_dyn, which then ignores predict_het)',
    );
  if (o.predictHetEffects && !o.predictHet?.length)
    throw new EstimatorInputError('dcdh: predict_het effects need the predict_het covariates');
  if (o.sameSwitchersPl && !o.sameSwitchers)
    throw new EstimatorInputError(
      'dcdh: same_switchers_pl needs same_switchers (as did_multiplegt_dyn: the placebos are narrowed to the switchers that also have every effect)',
    );
  if (o.continuous !== undefined && o.trendsLin)
    throw new EstimatorInputError(
      'dcdh: continuous cannot be combined with trends_lin here (the package builds the continuous controls after differencing, in levels)',
    );
  // Rows with a missing control leave the panel first, as the package drops them.
  const dropMessages: string[] = [];
  if (o.covariates?.length) {
    const cut = dropRowsMissingControls(panel, treatmentOf(panel), controlColumns(panel, o.covariates));
    if (cut.dropped > 0) {
      panel = cut.panel;
      dropMessages.push(`controls: ${cut.dropped} rows with a missing control left out (as did_multiplegt_dyn drops them).`);
    }
  }
  // A panel with gaps goes through the package's missing-data conventions (missing-data.ts); trends_lin
  // applies them to the levels first, as the package orders its steps.
  const gaps = gapsOf(panel, treatmentOf(panel));
  // continuous: a binarised treatment and the baseline polynomial's controls, on the design read from the
  // original treatment; trends_lin: everything below runs on the first-differenced panel.
  const cont =
    o.continuous !== undefined
      ? continuousPanel(panel, o.trendsNonparam ?? [], o.continuous, {
          dontDropLargerLower: o.dontDropLargerLower,
          dropIfDMissBeforeFirstSwitch: o.dropIfDMissBeforeFirstSwitch,
        })
      : null;
  // trends_lin: on a panel with gaps the package applies its conventions to the levels first, then
  // differences against the rows it still holds (trendsLinGapPanel).
  const levels = o.trendsLin
    ? dcdhDesign(panel, o.trendsNonparam ?? [], undefined, {
        dontDropLargerLower: o.dontDropLargerLower,
        dropIfDMissBeforeFirstSwitch: o.dropIfDMissBeforeFirstSwitch,
      })
    : null;
  const tl = levels ? (gaps ? trendsLinGapPanel(panel, levels) : trendsLinPanel(panel)) : null;
  const work = cont ? cont.panel : tl ? tl.panel : panel;
  const h = dcdhHorizon(
    work,
    {
      switchers: o.switchers,
      trendsNonparam: o.trendsNonparam,
      trendsLin: o.trendsLin,
      exclude: tl?.exclude,
      dontDropLargerLower: o.dontDropLargerLower,
      dropIfDMissBeforeFirstSwitch: o.dropIfDMissBeforeFirstSwitch,
      ...tl?.design,
    },
    cont?.design,
  );
  // trends_lin on a panel with gaps: the conventions ran on the levels, and tl's messages say what they did.
  if (tl?.design) h.design.messages.length = 0;
  h.design.messages.unshift(...dropMessages, ...(tl?.messages ?? []));
  // The package's sample before trends_lin's drop (its G_XX, predict_het's levels): the design in levels.
  const original = levels ?? h.design;
  const controlNames = [...(o.covariates ?? []), ...(cont?.controls ?? [])];
  const controls = controlNames.length
    ? controlsFit(panel, work, h.design, original, { ...o, covariates: controlNames }, tl?.exclude)
    : undefined;
  if (controls) h.design.messages.push(...controls.messages);
  const effects = o.effects ?? (Number.isFinite(o.maxE) ? Math.max(0, o.maxE + 1) : h.effects);
  const placebo = o.placebo ?? (Number.isFinite(o.minE) ? Math.max(0, -o.minE - 1) : h.placebo);
  if (effects < 1) {
    // No switcher observed at its start with a comparison unit (no unit treated inside the panel, or
    // maxE < 0): a not-identified answer, as a simulation draw needs, not a refusal.
    const reason =
      h.effects < 1
        ? 'no unit switches treatment inside the panel while a comparison unit with its baseline treatment has not switched, so no DID_ℓ is identified'
        : `the event window ends at ${o.maxE} < 0: no effect DID_ℓ (ℓ ≥ 1) is asked for`;
    return {
      estimator: 'dcdh',
      att_gt: [],
      wald_pretest: null,
      aggregates: { simple: { att: null, se: null, reason }, dynamic: { att: null, se: null, reason } },
      messages: [...h.design.messages, reason],
    };
  }
  const cluster = clusterCodes(panel, o.cluster === 'column');
  const r = dcdhEstimates(
    work,
    {
      effects,
      placebo,
      control: o.control,
      cluster,
      switchers: o.switchers ?? 'both',
      normalized: o.normalized,
      sameSwitchers: o.sameSwitchers,
      lessConservativeSe: o.lessConservativeSe,
      trendsNonparam: o.trendsNonparam,
      sameSwitchersPl: o.sameSwitchersPl,
      trendsLin: o.trendsLin,
      controls: controls?.fit,
      original: cont?.original,
    },
    h.design,
  );
  const row = (e: number, x: { att: number | null; se: number | null; reason?: string }): DetailEstimate => ({
    key: e,
    att: x.att,
    se: x.se,
    ...(x.reason ? { reason: x.reason } : {}),
  });
  const pre = r.placebos
    .slice()
    .reverse()
    .map((p) => row(-1 + p.key, p));
  const post = r.effects.map((x) => row(x.key - 1, x));
  const detail = [...pre, ...post];
  const postIdx = post.map((_, j) => pre.length + j).filter((i) => detail[i].att !== null);
  let dynamic: AggregateEstimate;
  if (postIdx.length === 0) {
    dynamic = { att: null, se: null, reason: 'no effect DID_ℓ is identified', detail, vcov: r.vcov };
  } else {
    const w = 1 / postIdx.length;
    let att = 0,
      v = 0;
    for (const i of postIdx) {
      att += w * detail[i].att!;
      for (const j of postIdx) v += w * w * r.vcov[i][j]!;
    }
    dynamic = { att, se: Math.sqrt(v), detail, vcov: r.vcov };
  }
  const simple: AggregateEstimate = {
    att: r.average.att,
    se: r.average.se,
    ...(r.average.reason ? { reason: r.average.reason } : {}),
  };
  const heterogeneity = o.predictHet?.length ? heterogeneityOf(panel, o, effects, placebo, tl?.exclude, original) : undefined;
  return {
    estimator: 'dcdh',
    att_gt: [],
    ...(heterogeneity ? { heterogeneity } : {}),
    wald_pretest: wald(
      detail,
      r.vcov,
      pre.map((_, i) => i),
    ),
    aggregates: { simple, dynamic },
    tests: effectTests(
      post,
      r.vcov,
      post.map((_, j) => pre.length + j),
    ),
    messages: r.messages,
  };
}

export function dcdhEstimator(options: Partial<DcdhOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'dcdh', estimate: (panel: Panel, rng: Rng) => estimateDcdh(panel, opts, rng) };
}
