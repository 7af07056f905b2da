/**
 * Hussey & Hughes (2007): the linear mixed model of a stepped-wedge trial on cluster-period cells,
 *   Y_jt = μ + β_t + θ·X_jt + α_j (+ γ_jt) + e_jt,   X_jt = 1{period_t ≥ start_j},
 * fitted by REML (reml.ts), with the model-based SE of θ̂ ((X'V̂⁻¹X)⁻¹ at the REML estimates, as lme4
 * and nlme report it) and normal (Hussey & Hughes' power formula) or t(G − 1) inference.
 *
 * Correlation: exchangeable (cluster random intercept, HH), block (cluster + cluster-period random
 * effects; Hooper et al. 2016, Girling & Hemming 2016), decay (cluster-period effects with
 * corr r^|s−t|, r ∈ [0, 1]; Kasza et al. 2019). Data: means (the cell means, Var σ²/n_jt when cell
 * sizes are known) or individual (the person-level model from cell means, sizes and the within-cell SS).
 */
import type { Panel } from '../../panel/panel.js';
import type { Rng } from '../../random/stream.js';
import { ptTwoSided, qt } from '../../stats/student-t.js';
import { EstimatorInputError, isNotIdentified } from '../errors.js';
import type { WildWeights } from '../few-cluster/wild-cluster.js';
import type { AggregateEstimate, Estimate, Estimator } from '../types.js';
import { type HhCells, hhCells, notIdentified } from './cells.js';
import { newton2, scanThenBrent } from './minimise.js';
import { type Ratios, RemlWork, remlAt } from './reml.js';
import { hhWildBootstrap } from './wild-bootstrap.js';

export type HhCorrelation = 'exchangeable' | 'block' | 'decay';
export interface HhOptions {
  correlation: HhCorrelation;
  /** Default means; individual needs cellSize and cellSS. */
  data: 'means' | 'individual';
  inference: 'normal' | 't';
  alpha: number;
  /** Restricted wild cluster bootstrap draws (0 = off; Rademacher with 2^G ≤ B enumerates), variance components fixed (wild-bootstrap.ts). */
  wild: number;
  wildWeights: WildWeights;
}

/** The variance components at the REML optimum. */
export interface HhFit {
  theta: number;
  se: number;
  sigma2: number;
  /** Cluster (exchangeable, block) or cluster-period (decay) variance. */
  tau2: number;
  /** Cluster-period variance (block), else 0. */
  omega2: number;
  /** Decay correlation per period (decay), else 1. */
  r: number;
  /** REML log-likelihood as lme4 reports it. */
  logLik: number;
  clusters: number;
  /** Criterion evaluations of the search. */
  evals: number;
}

export interface HhEstimate extends Estimate {
  /** The fit, or null with hh_reason when the data cannot answer. */
  hh: HhFit | null;
  hh_reason?: string;
}

const DEFAULTS: HhOptions = {
  correlation: 'exchangeable',
  data: 'means',
  inference: 'normal',
  alpha: 0.05,
  wild: 0,
  wildWeights: 'rademacher',
};

/** Scan of x = θ/(1 + θ) ∈ [0, 1), θ = τ/σ (lme4's relative SD); the top bound is τ²/σ² ≈ 10⁶. */
const X_MAX = 0.999;
const SCAN = [0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, X_MAX];
const R_SCAN = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97, 1];
const TOL = 1e-9;
/** lme4's isSingular tolerance on the relative SD θ = τ/σ. */
const SINGULAR = 1e-4;
const ratioOf = (x: number) => (x / (1 - x)) ** 2;

/** Check an option combination the model cannot fit. @throws {EstimatorInputError} */
export function hhOptions(o: Partial<HhOptions> = {}): HhOptions {
  const opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as HhOptions;
  if (opts.correlation === 'block' && opts.data !== 'individual')
    throw new EstimatorInputError(
      'hh: correlation: block needs data: individual (on cell means the cluster-period variance is confounded with the residual σ²/n_jt); ' +
        'set data: individual with cell sizes and within-cell sums of squares, or use correlation: exchangeable or decay',
    );
  if (opts.wild > 0 && opts.inference === 't')
    throw new EstimatorInputError(
      'hh: wild and inference: t both set the p-value and interval; with wild the bootstrap decides them, so drop inference: t (or wild)',
    );
  return opts;
}

/** The REML fit of the model. @throws {EstimatorInputError} (not identified) when the data cannot answer. */
export function fitHh(panel: Panel, options: Partial<HhOptions> = {}): { fit: HhFit; messages: string[]; cells: HhCells } {
  const o = hhOptions(options);
  const individual = o.data === 'individual';
  const cells = hhCells(panel, individual);
  if (o.correlation === 'block') {
    let big = false;
    for (let k = 0; k < cells.C && !big; k++) big = cells.n[k] > 1;
    if (!big) throw notIdentified('correlation: block needs cells with more than one person (every cell has n ≤ 1)');
  }
  const ws = new RemlWork(cells, individual);
  const crit = (q: Ratios) => remlAt(ws, q)?.crit ?? Infinity;
  let q: Ratios;
  let evals = 0;
  if (o.correlation === 'exchangeable') {
    const m = scanThenBrent((x) => crit({ psi: ratioOf(x), a: 0, r: 1 }), SCAN, TOL);
    q = { psi: ratioOf(m.x), a: 0, r: 1 };
    evals = m.evals;
  } else {
    // Two ratios: nested bounded searches (outer ω/σ or r, inner τ/σ), each scan + Brent; the inner
    // scan is local around the last inner optimum once there is one (the full scan when it lands on its edge).
    const at = (x: number, outer: number): Ratios =>
      o.correlation === 'block' ? { psi: ratioOf(x), a: ratioOf(outer), r: 1 } : { psi: ratioOf(x), a: 0, r: outer };
    let prev: number | null = null;
    const inner = (outer: number, tol: number) => {
      const f1 = (x: number) => crit(at(x, outer));
      if (prev !== null) {
        const local = [...new Set([prev - 0.1, prev - 0.02, prev, prev + 0.02, prev + 0.1].map((v) => Math.min(X_MAX, Math.max(0, v))))];
        const m = scanThenBrent(f1, local, tol);
        const edge = (m.x === local[0] && local[0] > 0) || (m.x === local[local.length - 1] && local[local.length - 1] < X_MAX);
        if (!edge) return m;
      }
      return scanThenBrent(f1, SCAN, tol);
    };
    const outerF = (tol: number) => (z: number) => {
      const r = inner(z, tol);
      prev = r.x;
      evals += r.evals;
      return r.f;
    };
    // Coarse: the outer scan with loose inner searches; then Newton polishing in both ratios at once
    // (newton2), falling back to the nested Brent search when the Hessian is not positive definite.
    const scanOuter = o.correlation === 'block' ? SCAN : R_SCAN;
    const coarse = scanOuter.map((z) => ({ z, ...inner(z, 1e-3) }));
    for (const c of coarse) evals += c.evals;
    const top = coarse.reduce((b, c) => (c.f < b.f ? c : b));
    const hiOuter = o.correlation === 'block' ? X_MAX : 1;
    const polish = newton2((x, z) => crit(at(x, z)), [top.x, top.z], [X_MAX, hiOuter], 1e-10);
    evals += polish.evals;
    if (Number.isFinite(polish.x)) {
      q = at(polish.x, polish.y);
    } else {
      prev = top.x;
      const m = scanThenBrent(outerF(1e-3), scanOuter, TOL, outerF(TOL));
      const best = inner(m.x, TOL);
      evals += best.evals;
      q = at(best.x, m.x);
    }
  }
  // A ratio the search leaves within lme4's singular tolerance of 0 is 0 when 0 is no worse, up to
  // rounding (lme4 reports the boundary estimate exactly).
  for (const k of ['psi', 'a'] as const) {
    if (q[k] > 0 && Math.sqrt(q[k]) < SINGULAR) {
      const at0 = { ...q, [k]: 0 };
      const c = crit(q);
      if (crit(at0) <= c + 1e-10 * Math.max(1, Math.abs(c))) q = at0;
    }
  }
  const f = remlAt(ws, q);
  if (!f) throw notIdentified('the REML fit has no positive residual variance (the cell means fit the model exactly)');
  const messages: string[] = [];
  const what = o.correlation === 'decay' ? 'cluster-period' : 'cluster';
  if (Math.sqrt(q.psi) < SINGULAR)
    messages.push(
      `hh: boundary fit: the ${what} variance is estimated at ${q.psi === 0 ? '0' : '≈ 0'} (singular, as lme4 reports it); θ̂ is the fixed-effects GLS estimate.`,
    );
  if (o.correlation === 'block' && Math.sqrt(q.a) < SINGULAR)
    messages.push(
      'hh: boundary fit: the cluster-period variance is estimated at ≈ 0 (singular); the block model reduces to the exchangeable one.',
    );
  if (o.correlation === 'decay' && (q.r === 0 || q.r === 1))
    messages.push(
      `hh: boundary fit: the decay correlation is estimated at r = ${q.r} (its bound${q.r === 1 ? ': no decay, the exchangeable model' : ''}).`,
    );
  if (ratioOf(X_MAX) - q.psi < 1e-6 * ratioOf(X_MAX) || (o.correlation === 'block' && ratioOf(X_MAX) - q.a < 1e-6 * ratioOf(X_MAX)))
    messages.push(
      `hh: not converged: a variance ratio ran to its bound (${ratioOf(X_MAX).toExponential(1)} × σ²); the estimates are at that bound.`,
    );
  const fit: HhFit = {
    theta: f.theta,
    se: Math.sqrt(f.varTheta),
    sigma2: f.sigma2,
    tau2: q.psi * f.sigma2,
    omega2: q.a * f.sigma2,
    r: q.r,
    logLik: -f.deviance / 2,
    clusters: cells.G,
    evals,
  };
  return { fit, messages, cells };
}

/** The Estimate of the model: aggregates.simple = θ̂ with its model-based SE (and t(G − 1) p and interval). */
/** @param rng the wild bootstrap's stream (the estimator's own in the engine); needed only with `wild`. */
export function estimateHh(panel: Panel, options: Partial<HhOptions> = {}, rng?: Rng): HhEstimate {
  const o = hhOptions(options);
  let fitted: ReturnType<typeof fitHh>;
  try {
    fitted = fitHh(panel, o);
  } catch (err) {
    if (!isNotIdentified(err)) throw err;
    // Not identified is a value: θ̂ null with the reason (types.ts), as the other families answer.
    const reason = err.message;
    const simple = { att: null, se: null, reason };
    return { estimator: 'hh', att_gt: [], wald_pretest: null, aggregates: { simple }, messages: [reason], hh: null, hh_reason: reason };
  }
  const { fit, messages, cells } = fitted;
  const simple: AggregateEstimate = { att: fit.theta, se: fit.se };
  if (o.wild > 0) {
    if (!rng) throw new EstimatorInputError('hh: wild needs a random stream (estimate(panel, rng))');
    // With Rademacher weights the smallest attainable p is 2/2^G (the identity draw and its mirror):
    // at 2/2^G > α the test can never reject, so the draw is not answered (with this reason) rather than
    // reported as a non-rejection: in a run, draws whose dropout leaves ≤ 5 clusters, not the whole run.
    if (o.wildWeights === 'rademacher' && 2 / 2 ** cells.G > o.alpha)
      throw new EstimatorInputError(
        `hh: wild with Rademacher weights and ${cells.G} clusters cannot reject at α = ${o.alpha} (its smallest p is 2/2^${cells.G} = ${(2 / 2 ** cells.G).toFixed(4)}); ` +
          'use wild_weights: webb (six-point) or more clusters',
        { notIdentified: true },
      );
    const w = hhWildBootstrap(rng, cells, fit, { draws: o.wild, weights: o.wildWeights, alpha: o.alpha });
    simple.p = w.p;
    simple.ci = w.ci;
    const how = w.enumerated ? `all ${w.draws} sign vectors` : `${w.draws} draws`;
    simple.inference = `wild cluster bootstrap (WCR, variance components fixed at REML, ${o.wildWeights}, ${how}${w.unbounded ? '; the interval is unbounded: p never falls to α' : ''})`;
  }
  if (o.inference === 't') {
    const df = fit.clusters - 1;
    const crit = qt(1 - o.alpha / 2, df);
    simple.p = ptTwoSided(fit.theta / fit.se, df);
    simple.ci = [fit.theta - crit * fit.se, fit.theta + crit * fit.se];
    simple.inference = `t(${df})`;
  }
  return { estimator: 'hh', att_gt: [], wald_pretest: null, aggregates: { simple }, messages, hh: fit };
}

export function hhEstimator(options: Partial<HhOptions> & { name?: string } = {}): Estimator {
  const { name, ...rest } = options;
  const o = hhOptions(rest);
  return { name: name ?? 'hh', estimate: (panel: Panel, rng: Rng) => estimateHh(panel, o, rng) };
}
