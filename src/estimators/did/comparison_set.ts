/**
 * A comparison set: the treated cohort g and its comparison units for one (g, t) cell, with
 * everything the 2×2 estimators need that does not depend on the outcome — the design matrix, the
 * propensity-score fit, the outcome-regression Gram matrix and the vectors built from them.
 *
 * These depend on the set of units and the covariate period only, not on t, so att_gt builds one per
 * distinct set and reuses it across all the periods that share it (the speed design of
 * docs/architecture "Speed is part of the design"). Notation follows Sant'Anna & Zhao (2020) and
 * DRDID::drdid_panel; see docs/notation.md.
 */
import { fitLogit } from '../../linalg/logistic.js';
import { cholesky, invert, matVec, rcond, MACHINE_EPS } from '../../linalg/small.js';
import type { Method } from './options.js';

/** DRDID's trimming: comparison units with p̂ ≥ 0.995 get no weight (drdid_panel, trim.level). */
const TRIM_LEVEL = 0.995;
/** R did's overlap guard: a cell is not identified when some p̂ reaches 0.999 (overlap_check_fail). */
const OVERLAP_LIMIT = 0.999;

export interface ComparisonSet {
  /** Units of the set (sorted-panel indices): the nt treated first, then the comparison units. */
  idx: Int32Array;
  n1: number;
  nt: number;
  k: number;
  /** Design matrix, n1 × k row-major, intercept first. */
  x: Float64Array;
  /** Why no 2×2 can be estimated on this set (overlap, singular regression); null when it can. */
  failure: string | null;
  // Propensity score (dr, ipw)
  ps?: Float64Array;
  /** w.treat = D (trim is always 1 for treated units). w.cont = trim · p̂ / (1 − p̂) for comparison units. */
  wCont?: Float64Array;
  sumWCont?: number;
  /** Σ over comparison units of w.cont · x (k-vector), = n1 · M3. */
  wContX?: Float64Array;
  /** n1 · (XᵀWX)⁻¹, the Hessian factor of the logit's asymptotic linear representation. */
  hessPs?: Float64Array;
  // Outcome regression (dr, reg)
  /** Cholesky factor of X_cᵀX_c over the comparison units. */
  gramChol?: Float64Array;
  /** a1_i = x_iᵀ (X_cᵀX_c / n1)⁻¹ M1 with M1 = colMeans(w.treat · X), for comparison units (length n1, zeros for treated). */
  a1?: Float64Array;
  /** a3_i = x_iᵀ (X_cᵀX_c / n1)⁻¹ M3 with M3 = colMeans(w.cont · X) (dr only). */
  a3?: Float64Array;
  /** Σ over treated units of x (k-vector), for the regression estimator's η_cont. */
  treatedX?: Float64Array;
}

/** Build the design matrix over the set's units from the covariates at one period. */
function designMatrix(idx: Int32Array, covs: Float64Array[], covOffset: number): Float64Array {
  const k = covs.length + 1;
  const n1 = idx.length;
  const x = new Float64Array(n1 * k);
  for (let j = 0; j < n1; j++) {
    const u = idx[j];
    const row = j * k;
    x[row] = 1;
    for (let c = 0; c < covs.length; c++) {
      const v = covs[c];
      x[row + 1 + c] = v.length > covOffset + u ? v[covOffset + u] : v[u];
    }
  }
  return x;
}

export function buildComparisonSet(
  method: Method, idx: Int32Array, nt: number, covs: Float64Array[], covOffset: number,
): ComparisonSet {
  const n1 = idx.length;
  const k = covs.length + 1;
  const x = designMatrix(idx, covs, covOffset);
  const set: ComparisonSet = { idx, n1, nt, k, x, failure: null };
  const d = new Uint8Array(n1);
  d.fill(1, 0, nt);

  if (method === 'dr' || method === 'ipw') {
    const fit = fitLogit(x, n1, k, d);
    if (!fit) {
      set.failure = 'propensity-score model is singular (covariates collinear in this comparison)';
      return set;
    }
    let maxPs = 0;
    for (let j = 0; j < n1; j++) if (fit.fitted[j] > maxPs) maxPs = fit.fitted[j];
    if (maxPs >= OVERLAP_LIMIT) {
      set.failure = `no overlap: a propensity score reaches ${maxPs.toFixed(4)} (≥ ${OVERLAP_LIMIT})`;
      return set;
    }
    const ps = new Float64Array(n1);
    for (let j = 0; j < n1; j++) ps[j] = Math.min(fit.fitted[j], 1 - 1e-6);
    // Hessian of the logit at p̂: XᵀWX with W = p̂(1 − p̂); its inverse times n1 (drdid_panel: Hessian.ps).
    const h = new Float64Array(k * k);
    const wCont = new Float64Array(n1);
    const wContX = new Float64Array(k);
    let sumWCont = 0;
    for (let j = 0; j < n1; j++) {
      const p = ps[j];
      const wj = p * (1 - p);
      const row = j * k;
      for (let a = 0; a < k; a++) {
        const va = wj * x[row + a];
        for (let b = 0; b <= a; b++) h[a * k + b] += va * x[row + b];
      }
      if (j >= nt && p < TRIM_LEVEL) {
        const wc = p / (1 - p);
        wCont[j] = wc;
        sumWCont += wc;
        for (let a = 0; a < k; a++) wContX[a] += wc * x[row + a];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[b * k + a] = h[a * k + b];
    const hInv = cholesky(h, k) ? invert(h, k) : null;
    if (!hInv) {
      set.failure = 'propensity-score Hessian is singular (covariates collinear in this comparison)';
      return set;
    }
    for (let a = 0; a < k * k; a++) hInv[a] *= n1;
    if (!(sumWCont > 0)) {
      set.failure = `no overlap: every comparison unit has a propensity score ≥ ${TRIM_LEVEL} and is trimmed`;
      return set;
    }
    Object.assign(set, { ps, wCont, sumWCont, wContX, hessPs: hInv });
  }

  if (method === 'dr' || method === 'reg') {
    const g = new Float64Array(k * k);
    const treatedX = new Float64Array(k);
    for (let j = 0; j < n1; j++) {
      const row = j * k;
      if (j < nt) {
        for (let a = 0; a < k; a++) treatedX[a] += x[row + a];
        continue;
      }
      for (let a = 0; a < k; a++) {
        const xa = x[row + a];
        for (let b = 0; b <= a; b++) g[a * k + b] += xa * x[row + b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) g[b * k + a] = g[a * k + b];
    // R did's rcond_check_fail: rcond(X_cᵀX_c) below machine epsilon.
    if (n1 - nt === 0 || rcond(g, k) < MACHINE_EPS) {
      set.failure = 'outcome regression is singular: the covariates are collinear (or constant) among the comparison units';
      return set;
    }
    const l = cholesky(g, k);
    const gInv = l ? invert(g, k) : null;
    if (!l || !gInv) {
      set.failure = 'outcome regression is singular: the covariates are collinear (or constant) among the comparison units';
      return set;
    }
    // (X_cᵀX_c / n1)⁻¹ M = n1 · (X_cᵀX_c)⁻¹ · (Σ w x / n1) = (X_cᵀX_c)⁻¹ Σ w x.
    const v1 = matVec(gInv, k, treatedX);
    const a1 = new Float64Array(n1);
    const a3 = method === 'dr' ? new Float64Array(n1) : undefined;
    const v3 = method === 'dr' ? matVec(gInv, k, set.wContX!) : undefined;
    for (let j = nt; j < n1; j++) {
      const row = j * k;
      let s1 = 0, s3 = 0;
      for (let a = 0; a < k; a++) {
        s1 += x[row + a] * v1[a];
        if (v3) s3 += x[row + a] * v3[a];
      }
      a1[j] = s1;
      if (a3) a3[j] = s3;
    }
    Object.assign(set, { gramChol: l, a1, a3, treatedX });
  }
  return set;
}
