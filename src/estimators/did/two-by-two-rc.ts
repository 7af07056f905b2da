/**
 * The three repeated-cross-section 2×2 DiD estimators of one ATT(g,t), as R did 2.5.1 calls them
 * (DRDID 1.2.x), each returning the ATT and its influence function ψ over the cell's n1 rows:
 *
 * - dr:  DRDID::drdid_rc, the locally efficient doubly robust estimator of Sant'Anna & Zhao (2020),
 *        eq. (3.4) with outcome regressions for both groups in both periods; comparison rows with
 *        p̂ ≥ 0.995 trimmed.
 * - ipw: DRDID::std_ipw_did_rc, the normalised (Hájek) IPW estimator of Abadie (2005), eq. (2.6) of
 *        Sant'Anna & Zhao.
 * - reg: DRDID::reg_did_rc, the outcome-regression estimator of Heckman, Ichimura & Todd (1997).
 *
 * Rows are observations (a unit seen in both periods of an unbalanced panel is two rows); `post`
 * marks the row's period as the cell's t (the other is its base period). Written term by term after
 * the R code, O(n1 k²) per cell: repeated cross-sections are not the engine's hot path.
 */
import { fitLogit } from '../../linalg/logistic.js';
import { cholesky, cholSolve, invert, matVec, rcondFromInverse, MACHINE_EPS } from '../../linalg/small.js';
import type { Method } from './options.js';

/** DRDID's trim.level: comparison rows with p̂ at or above it get no weight. */
const TRIM_LEVEL = 0.995;

export interface RcCell {
  /** Design matrix by column, intercept first, each of length n1. */
  cols: Float64Array[];
  y: Float64Array;
  /** 1 when the row is observed in period t, 0 in the base period. */
  post: Uint8Array;
  /** 1 for the treated group's rows, 0 for the comparison rows. */
  d: Uint8Array;
  /** Sampling weights of the rows (normalised to mean 1 here, as DRDID does); default 1. */
  w?: Float64Array;
}

export type RcResult = { att: number; psi: Float64Array; failure?: undefined } | { failure: string };

/** Σ_i u_i x_i (a k-vector). */
function xtu(cols: Float64Array[], u: Float64Array): Float64Array {
  const out = new Float64Array(cols.length);
  for (let a = 0; a < cols.length; a++) {
    const c = cols[a];
    let s = 0;
    for (let i = 0; i < u.length; i++) s += u[i] * c[i];
    out[a] = s;
  }
  return out;
}

/** Σ_i u_i x_i x_iᵀ, k × k row-major. */
function xtux(cols: Float64Array[], u: Float64Array): Float64Array {
  const k = cols.length;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      const ca = cols[a],
        cb = cols[b];
      let s = 0;
      for (let i = 0; i < u.length; i++) s += u[i] * ca[i] * cb[i];
      g[a * k + b] = s;
      g[b * k + a] = s;
    }
  }
  return g;
}

function xDot(cols: Float64Array[], i: number, v: ArrayLike<number>): number {
  let s = 0;
  for (let a = 0; a < cols.length; a++) s += cols[a][i] * v[a];
  return s;
}

function sum(u: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i];
  return s;
}

/** Elementwise product of a weight vector and an indicator condition. */
function masked(w: Float64Array, keep: (i: number) => number): Float64Array {
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] * keep(i);
  return out;
}

/**
 * Weighted least squares on the rows with weight u_i > 0 (DRDID's fastglm gaussian fits), with what
 * its asymptotic linear representation needs: asy_i · M = u_i (y_i − x_iᵀβ) x_iᵀ (XᵀUX / n)⁻¹ M.
 */
interface Ols {
  fitted: Float64Array;
  /** ψ contribution u_i r_i x_iᵀ (XᵀUX/n)⁻¹ M for each row (asy.lin.rep %*% M in DRDID). */
  term(m: Float64Array): Float64Array;
}

function ols(cols: Float64Array[], y: Float64Array, u: Float64Array, what: string): Ols | string {
  const k = cols.length,
    n = y.length;
  const g = xtux(cols, u);
  const inv = invert(g, k);
  // DRDID: stop when rcond(XᵀUX / n) < ε (rcond is scale-free, so XᵀUX serves).
  if (!inv || rcondFromInverse(g, inv, k) < MACHINE_EPS)
    return `the ${what} outcome regression is singular (covariates collinear or constant in those rows)`;
  const uy = new Float64Array(n);
  for (let i = 0; i < n; i++) uy[i] = u[i] * y[i];
  const beta = matVec(inv, k, xtu(cols, uy));
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = xDot(cols, i, beta);
  return {
    fitted,
    term(m) {
      const v = matVec(inv, k, m);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) if (u[i] !== 0) out[i] = u[i] * (y[i] - fitted[i]) * xDot(cols, i, v) * n;
      return out;
    },
  };
}

/** Propensity score (logit of D on X, weighted) and its asymptotic linear representation. */
interface Ps {
  ps: Float64Array;
  /** asy.lin.rep.ps %*% M: w_i (D_i − p̂_i) x_iᵀ (XᵀWX)⁻¹ n M. */
  term(m: Float64Array): Float64Array;
}

function propensity(cols: Float64Array[], d: Uint8Array, w: Float64Array): Ps | string {
  const k = cols.length,
    n = d.length;
  const fit = fitLogit(cols, d, { weights: w });
  if (!fit) return 'the propensity-score model is singular (covariates collinear in this comparison)';
  const ps = new Float64Array(n);
  const wh = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(fit.fitted[i], 1 - 1e-6); // DRDID: avoid dividing by zero
    ps[i] = p;
    wh[i] = p * (1 - p) * w[i];
  }
  const h = xtux(cols, wh);
  const l = cholesky(h, k);
  if (!l) return 'the propensity-score Hessian is singular (covariates collinear in this comparison)';
  return {
    ps,
    term(m) {
      const v = cholSolve(l, k, m);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = w[i] * (d[i] - ps[i]) * xDot(cols, i, v) * n;
      return out;
    },
  };
}

/** Σ u_i x_i / Σ u_i, scaled by `sign`. */
function wMean(cols: Float64Array[], u: Float64Array, sign = 1): Float64Array {
  const s = sum(u);
  const v = xtu(cols, u);
  for (let a = 0; a < v.length; a++) v[a] = (sign * v[a]) / s;
  return v;
}

/** The Hájek mean of z with weights u and its leading influence term u (z − mean) / mean(u). */
function hajek(u: Float64Array, z: Float64Array): { mean: number; inf: Float64Array } {
  const n = u.length;
  const su = sum(u);
  let s = 0;
  for (let i = 0; i < n; i++) s += u[i] * z[i];
  const mean = s / su;
  const inf = new Float64Array(n);
  const mu = su / n;
  for (let i = 0; i < n; i++) inf[i] = (u[i] * (z[i] - mean)) / mu;
  return { mean, inf };
}

function normalised(w: Float64Array | undefined, n: number): Float64Array {
  if (!w) return new Float64Array(n).fill(1);
  const m = sum(w) / n;
  return Float64Array.from(w, (v) => v / m);
}

export function twoByTwoRc(method: Method, c: RcCell): RcResult {
  const n = c.y.length;
  const w = normalised(c.w, n);
  if (method === 'reg') return regRc(c, w);
  const ps = propensity(c.cols, c.d, w);
  if (typeof ps === 'string') return { failure: ps };
  const { d, post, y, cols } = c;
  // trim.ps: treated rows always kept, comparison rows while p̂ < 0.995.
  const trim = (i: number) => (d[i] === 1 || ps.ps[i] < TRIM_LEVEL ? 1 : 0);
  const wt0 = masked(w, (i) => trim(i) * d[i] * (1 - post[i]));
  const wt1 = masked(w, (i) => trim(i) * d[i] * post[i]);
  const odds = (i: number) => ps.ps[i] / (1 - ps.ps[i]);
  const wc0 = masked(w, (i) => trim(i) * odds(i) * (1 - d[i]) * (1 - post[i]));
  const wc1 = masked(w, (i) => trim(i) * odds(i) * (1 - d[i]) * post[i]);
  for (const [u, who] of [
    [wt0, 'treated rows in the base period'],
    [wt1, 'treated rows in period t'],
    [wc0, 'comparison rows in the base period'],
    [wc1, 'comparison rows in period t'],
  ] as const) {
    if (!(sum(u) > 0)) return { failure: `no weight left on the ${who} (every comparison p̂ ≥ ${TRIM_LEVEL} is trimmed)` };
  }
  if (method === 'ipw') return ipwRc(c, ps, wt0, wt1, wc0, wc1);

  // drdid_rc: outcome regressions for the comparison and the treated rows in both periods.
  const fits: Ols[] = [];
  for (const [dd, pp, what] of [
    [0, 0, 'comparison base-period'],
    [0, 1, 'comparison period-t'],
    [1, 0, 'treated base-period'],
    [1, 1, 'treated period-t'],
  ] as const) {
    const f = ols(
      cols,
      y,
      masked(w, (i) => (d[i] === dd && post[i] === pp ? 1 : 0)),
      what,
    );
    if (typeof f === 'string') return { failure: f };
    fits.push(f);
  }
  const [c0, c1, t0, t1] = fits;
  const muC = Float64Array.from(y, (_, i) => (post[i] ? c1.fitted[i] : c0.fitted[i]));
  const resid = Float64Array.from(y, (v, i) => v - muC[i]);
  const wd = masked(w, (i) => trim(i) * d[i]);
  const gap1 = Float64Array.from(y, (_, i) => t1.fitted[i] - c1.fitted[i]);
  const gap0 = Float64Array.from(y, (_, i) => t0.fitted[i] - c0.fitted[i]);
  const tr0 = hajek(wt0, resid),
    tr1 = hajek(wt1, resid);
  const co0 = hajek(wc0, resid),
    co1 = hajek(wc1, resid);
  const d1 = hajek(wd, gap1),
    dt1 = hajek(wt1, gap1);
  const d0 = hajek(wd, gap0),
    dt0 = hajek(wt0, gap0);
  const att = tr1.mean - tr0.mean - (co1.mean - co0.mean) + (d1.mean - dt1.mean) - (d0.mean - dt0.mean);

  // Estimation effects (drdid_rc, term by term): M1 (treated, OR), M2 (p-score), M3 (control, OR).
  const treatOr = add(c1.term(wMean(cols, wt1, -1)), c0.term(wMean(cols, wt0, -1)));
  const m2d = sub(psMoment(cols, wc1, resid, co1.mean), psMoment(cols, wc0, resid, co0.mean));
  const contPs = ps.term(m2d);
  const contOr = add(c1.term(wMean(cols, wc1, -1)), c0.term(wMean(cols, wc0, -1)));
  const eff = Float64Array.from(y, (_, i) => d1.inf[i] - dt1.inf[i] - (d0.inf[i] - dt0.inf[i]));
  // mom = colMeans((w_d / mean(w_d) − w_dt / mean(w_dt)) x)
  const mom = (u: Float64Array) => sub(wMean(cols, wd), wMean(cols, u));
  const momPost = mom(wt1),
    momPre = mom(wt0);
  const orPost = sub(t1.term(momPost), c1.term(momPost));
  const orPre = sub(t0.term(momPre), c0.term(momPre));
  const psi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const infTreat = tr1.inf[i] - tr0.inf[i] + treatOr[i];
    const infCont = co1.inf[i] - co0.inf[i] + contPs[i] + contOr[i];
    psi[i] = infTreat - infCont + eff[i] + (orPost[i] - orPre[i]);
  }
  return { att, psi };
}

/** M2 = colMeans(u (z − a) x) / mean(u) = Σ u (z − a) x / Σ u (the p-score's derivative term). */
function psMoment(cols: Float64Array[], u: Float64Array, z: Float64Array, a: number): Float64Array {
  const v = xtu(
    cols,
    Float64Array.from(z, (zi, i) => u[i] * (zi - a)),
  );
  const su = sum(u);
  return v.map((x) => x / su);
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return Float64Array.from(a, (v, i) => v + b[i]);
}
function sub(a: Float64Array, b: Float64Array): Float64Array {
  return Float64Array.from(a, (v, i) => v - b[i]);
}

/** std_ipw_did_rc: Hájek means of y in the four (group, period) rows, with the p-score's effect. */
function ipwRc(c: RcCell, ps: Ps, wt0: Float64Array, wt1: Float64Array, wc0: Float64Array, wc1: Float64Array): RcResult {
  const { y, cols } = c;
  const t0 = hajek(wt0, y),
    t1 = hajek(wt1, y),
    c0 = hajek(wc0, y),
    c1 = hajek(wc1, y);
  const att = t1.mean - t0.mean - (c1.mean - c0.mean);
  const contPs = ps.term(sub(psMoment(cols, wc1, y, c1.mean), psMoment(cols, wc0, y, c0.mean)));
  const psi = Float64Array.from(y, (_, i) => t1.inf[i] - t0.inf[i] - (c1.inf[i] - c0.inf[i] + contPs[i]));
  return { att, psi };
}

/** reg_did_rc: the comparison rows' regressions in both periods, predicted for the treated. */
function regRc(c: RcCell, w: Float64Array): RcResult {
  const { d, post, y, cols } = c;
  const n = y.length;
  const f0 = ols(
    cols,
    y,
    masked(w, (i) => (1 - d[i]) * (1 - post[i])),
    'comparison base-period',
  );
  if (typeof f0 === 'string') return { failure: f0 };
  const f1 = ols(
    cols,
    y,
    masked(w, (i) => (1 - d[i]) * post[i]),
    'comparison period-t',
  );
  if (typeof f1 === 'string') return { failure: f1 };
  const wt0 = masked(w, (i) => d[i] * (1 - post[i]));
  const wt1 = masked(w, (i) => d[i] * post[i]);
  const wc = masked(w, (i) => d[i]);
  if (!(sum(wt0) > 0) || !(sum(wt1) > 0)) return { failure: 'no treated rows in one of the two periods' };
  const t0 = hajek(wt0, y),
    t1 = hajek(wt1, y);
  const gap = Float64Array.from(y, (_, i) => f1.fitted[i] - f0.fitted[i]);
  const cont = hajek(wc, gap);
  const att = t1.mean - t0.mean - cont.mean;
  // inf.control = (w_c (gap − η_c) + asy.post M1 − asy.pre M1) / mean(w_c), M1 = colMeans(w_c x).
  const m1 = xtu(cols, wc).map((v) => v / n);
  const p1 = f1.term(m1),
    p0 = f0.term(m1);
  const mc = sum(wc) / n;
  const psi = Float64Array.from(y, (_, i) => t1.inf[i] - t0.inf[i] - (cont.inf[i] + (p1[i] - p0[i]) / mc));
  return { att, psi };
}
