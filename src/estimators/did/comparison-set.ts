/**
 * A comparison set: the treated cohort g and its comparison units for one (g, t) cell, with
 * everything the 2×2 estimators need that does not depend on the outcome — the design matrix, the
 * propensity-score fit, the outcome-regression Gram matrix, and the per-unit coefficients of the
 * influence function.
 *
 * These depend on the set of units and the covariate period only, not on t, so att_gt builds one per
 * distinct set and reuses it across every period that shares it (docs/architecture, "Speed is part of
 * the design"). Notation follows Sant'Anna & Zhao (2020) and DRDID::drdid_panel; see docs/notation.md.
 *
 * The influence function of all three estimators has the per-unit form (two-by-two.ts)
 *   ψ_i = A_i (ΔY_i − x_iᵀβ) + B_i x_iᵀv + E_i η_treat + F_i η_cont,
 * where β (outcome regression) and v = n·(XᵀWX)⁻¹M2 (propensity-score correction) are k-vectors
 * computed per cell, and A, B, E, F are fixed per set. Computing them here turns each cell into a
 * few dot products and one pass over the columns of X.
 */
import { Scratch, type Float64Arena } from '../../linalg/arena.js';
import { columnDots, crossprod, linearPredictor } from '../../linalg/gram.js';
import { fitLogit } from '../../linalg/logistic.js';
import { cholesky, invert, matVec, rcondFromInverse, MACHINE_EPS } from '../../linalg/small.js';
import type { Method } from './options.js';

/** DRDID's trimming: comparison units with p̂ ≥ 0.995 get no weight (drdid_panel, trim.level). */
const TRIM_LEVEL = 0.995;
/** R did's overlap guard: a cell is not identified when some p̂ reaches 0.999 (overlap_check_fail). */
const OVERLAP_LIMIT = 0.999;

export interface ComparisonSet {
  method: Method;
  /** Units of the set (sorted-panel indices): the nt treated first, then the comparison units. */
  idx: Int32Array;
  n1: number;
  nt: number;
  k: number;
  /** Design matrix by column (intercept first), each column of length n1. */
  cols: Float64Array[];
  /** Why no 2×2 can be estimated on this set (overlap, singular regression); null when it can. */
  failure: string | null;
  /** Per-unit coefficients of ψ (see above), already scaled by 1 / E[w]. */
  A: Float64Array;
  B: Float64Array;
  E: Float64Array;
  F: Float64Array;
  /** w.cont = trim · p̂ / (1 − p̂) for comparison units (dr, ipw). */
  wCont?: Float64Array;
  sumWCont?: number;
  /** Σ_c w.cont · x and Σ_c w.cont · x xᵀ over comparison units (dr, ipw). */
  wContX?: Float64Array;
  wContXX?: Float64Array;
  /** n1 · (XᵀWX)⁻¹, the logit's Hessian factor (Hessian.ps in drdid_panel). */
  hessPs?: Float64Array;
  /** Cholesky factor of X_cᵀX_c over comparison units (dr, reg). */
  gramChol?: Float64Array;
  /** Propensity-score coefficients (a warm start for the next set of the same group). */
  psBeta?: Float64Array;
  /** Σ over treated units of ω x (ω = 1 without sampling weights). */
  treatedX: Float64Array;
  /** Σ over treated units of ω (nt without sampling weights). */
  sumWTreat: number;
  /** Sampling weights ω of the set's units (R did's weightsname), in the set's order; absent: all 1. */
  omega?: Float64Array;
  /** trim · p̂ / (1 − p̂) for comparison units, w.cont without ω (dr, ipw; weighted sets only). */
  odds?: Float64Array;
  /** Why the propensity fit is doubtful (not converged): the estimate stands, with this message. */
  note?: string;
}

/** Temporaries of one build (logit weights, OLS correction terms, the treatment indicator). */
const work = new Scratch();
let treatedFlag = new Uint8Array(0);

function columns(arena: Float64Arena, idx: Int32Array, covs: Float64Array[], covOffset: number): Float64Array[] {
  const n1 = idx.length;
  const out = [arena.take(n1).fill(1)];
  for (const v of covs) {
    const col = arena.take(n1);
    const off = v.length > covOffset + n1 - 1 && covOffset > 0 ? covOffset : 0;
    for (let j = 0; j < n1; j++) col[j] = v[off + idx[j]];
    out.push(col);
  }
  return out;
}

/**
 * @param arena where the set's arrays live (they live as long as the estimate that uses the set).
 * @param psStart coefficients of a neighbouring set's propensity fit (same treated group, one cohort
 *   more or less in the comparison), a close starting point that saves Newton steps.
 */
export function buildComparisonSet(
  arena: Float64Arena,
  method: Method,
  idx: Int32Array,
  nt: number,
  covs: Float64Array[],
  covOffset: number,
  psStart?: Float64Array,
  weights?: Float64Array | null,
): ComparisonSet {
  const n1 = idx.length;
  const k = covs.length + 1;
  const cols = columns(arena, idx, covs, covOffset);
  const A = arena.take(n1),
    B = arena.take(n1),
    E = arena.take(n1),
    F = arena.take(n1);
  const tmp = work.get(4 * n1);
  const gramTmp = tmp.subarray(2 * n1, 3 * n1);
  // Sampling weights ω in the set's order (DRDID's i.weights; every term below is invariant to their
  // scale, so DRDID's renormalisation to mean 1 within the 2×2 is not needed).
  const omega = weights ? arena.take(n1) : undefined;
  if (omega) for (let j = 0; j < n1; j++) omega[j] = weights![idx[j]];
  const set: ComparisonSet = {
    method,
    idx,
    n1,
    nt,
    k,
    cols,
    failure: null,
    A,
    B,
    E,
    F,
    treatedX: columnDots(omega ?? cols[0], cols, 0, nt, new Float64Array(k)), // cols[0] is the intercept, 1
    sumWTreat: omega ? sumRange(omega, 0, nt) : nt,
    omega,
  };
  const mwT = set.sumWTreat / n1; // E[w.treat]: trim is always 1 for treated units
  let ps: Float64Array | undefined;
  let mwC = 0;

  if (method === 'dr' || method === 'ipw') {
    // Propensity score: logit of D on X over the set (the same fit serves R did's overlap guard).
    if (treatedFlag.length < n1) treatedFlag = new Uint8Array(Math.max(n1, 2 * treatedFlag.length));
    const d = treatedFlag.subarray(0, n1);
    d.fill(1, 0, nt).fill(0, nt);
    // With sampling weights R did's overlap guard still fits the unweighted logit (overlap_check_fail),
    // while DRDID's propensity score is the weighted one: two fits.
    const guard = fitLogit(cols, d, { start: omega ? undefined : psStart, fitted: omega ? tmp.subarray(3 * n1, 4 * n1) : arena.take(n1) });
    if (!guard) return fail(set, 'propensity-score model is singular (covariates collinear in this comparison)');
    let maxPs = 0;
    for (let j = 0; j < n1; j++) if (guard.fitted[j] > maxPs) maxPs = guard.fitted[j];
    if (maxPs >= OVERLAP_LIMIT) return fail(set, `no overlap: a propensity score reaches ${maxPs.toFixed(4)} (≥ ${OVERLAP_LIMIT})`);
    const fit = omega ? fitLogit(cols, d, { start: psStart, weights: omega, fitted: arena.take(n1) }) : guard;
    if (!fit) return fail(set, 'propensity-score model is singular (covariates collinear in this comparison)');
    // glm (and DRDID's fastglm) warn and go on when the logit has not converged: so do we, saying so.
    if (!fit.converged) set.note = `the propensity-score fit did not converge after ${fit.iterations} iterations`;
    ps = fit.fitted; // clamped in place below
    const wHess = tmp.subarray(0, n1);
    const wCont = arena.take(n1);
    const odds = omega ? arena.take(n1) : undefined;
    let sumWCont = 0;
    for (let j = 0; j < n1; j++) {
      const p = Math.min(ps[j], 1 - 1e-6);
      const om = omega ? omega[j] : 1;
      ps[j] = p;
      wHess[j] = om * p * (1 - p);
      if (j >= nt && p < TRIM_LEVEL) {
        wCont[j] = (om * p) / (1 - p);
        if (odds) odds[j] = p / (1 - p);
        sumWCont += wCont[j];
      }
    }
    set.odds = odds;
    const h = crossprod(cols, 0, n1, wHess, gramTmp);
    const wContXX = crossprod(cols, nt, n1, wCont, gramTmp);
    const hInv = cholesky(h, k) ? invert(h, k) : null;
    if (!hInv) return fail(set, 'propensity-score Hessian is singular (covariates collinear in this comparison)');
    for (let a = 0; a < k * k; a++) hInv[a] *= n1;
    if (!(sumWCont > 0)) return fail(set, `no overlap: every comparison unit has a propensity score ≥ ${TRIM_LEVEL} and is trimmed`);
    mwC = sumWCont / n1;
    set.psBeta = fit.beta;
    Object.assign(set, { wCont, sumWCont, wContX: columnDots(wCont, cols, nt, n1, new Float64Array(k)), wContXX, hessPs: hInv });
  }

  let a1: Float64Array | undefined, a3: Float64Array | undefined;
  if (method === 'dr' || method === 'reg') {
    // R did's rcond_check_fail: rcond(X_cᵀX_c) below machine epsilon (unweighted, as R did checks it);
    // the regression itself is DRDID's weighted least squares, X_cᵀΩX_c.
    let g = crossprod(cols, nt, n1, undefined, gramTmp);
    let gInv = n1 > nt ? invert(g, k) : null;
    let l = rcondFromInverse(g, gInv, k) >= MACHINE_EPS ? cholesky(g, k) : null;
    if (l && gInv && omega) {
      g = crossprod(cols, nt, n1, omega, gramTmp);
      gInv = invert(g, k);
      l = gInv ? cholesky(g, k) : null;
    }
    if (!l || !gInv)
      return fail(set, 'outcome regression is singular: the covariates are collinear (or constant) among the comparison units');
    set.gramChol = l;
    // OLS estimation effect: (X_cᵀX_c / n1)⁻¹ M with M = colMeans(w · X) is (X_cᵀX_c)⁻¹ Σ w x.
    a1 = linearPredictor(cols, matVec(gInv, k, set.treatedX), n1, tmp.subarray(0, n1));
    if (method === 'dr') a3 = linearPredictor(cols, matVec(gInv, k, set.wContX!), n1, tmp.subarray(n1, 2 * n1));
  }

  // Per-unit coefficients of ψ (drdid_panel / std_ipw_did_panel / reg_did_panel, term by term).
  for (let j = 0; j < n1; j++) {
    const treated = j < nt;
    if (method === 'dr') {
      // inf.treat = (w_t(r − η_t) − (1−D) r a1)/E[w_t]; inf.control = (w_c(r − η_c) + (D − p̂) xᵀv − (1−D) r a3)/E[w_c]
      if (treated) {
        A[j] = 1 / mwT;
        B[j] = -(1 - ps![j]) / mwC;
        E[j] = -1 / mwT;
      } else {
        const wc = set.wCont![j];
        A[j] = -a1![j] / mwT - (wc - a3![j]) / mwC;
        B[j] = ps![j] / mwC;
        F[j] = wc / mwC;
      }
    } else if (method === 'ipw') {
      if (treated) {
        A[j] = 1 / mwT;
        B[j] = -(1 - ps![j]) / mwC;
        E[j] = -1 / mwT;
      } else {
        const wc = set.wCont![j];
        A[j] = -wc / mwC;
        B[j] = ps![j] / mwC;
        F[j] = wc / mwC;
      }
    } else {
      // inf.treat = D(ΔY − η_t)/E[D]; inf.control = (D(xᵀβ − η_c) + (1−D) r a1)/E[D]
      if (treated) {
        A[j] = 1 / mwT;
        E[j] = -1 / mwT;
        F[j] = 1 / mwT;
      } else A[j] = -a1![j] / mwT;
    }
  }
  if (omega) {
    // With sampling weights every term of ψ carries the unit's ω: w.cont already does (F and the
    // w.cont parts of A), the others get it here — A = ω/E[w_t] and the OLS terms ω·a, B = ω(D − p̂)·….
    for (let j = 0; j < n1; j++) {
      const om = omega[j];
      if (j < nt || method === 'reg') {
        A[j] *= om;
        B[j] *= om;
        E[j] *= om;
        F[j] *= om;
        continue;
      }
      if (method === 'dr') A[j] = (-om * a1![j]) / mwT - (set.wCont![j] - om * a3![j]) / mwC;
      B[j] *= om;
    }
  }
  return set;
}

function sumRange(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += a[j];
  return s;
}

function fail(set: ComparisonSet, reason: string): ComparisonSet {
  set.failure = reason;
  return set;
}
