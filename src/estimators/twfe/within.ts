/**
 * Two-way fixed-effects least squares on a balanced panel, by the within transformation, with
 * cluster-robust (CR1) standard errors.
 *
 * Model: y_it = α_i + λ_t + x_{c(i)t}'β + ε_it, where every regressor is a function of the unit's
 * cohort c (start group) and the period t: static treatment dummies, binned event-time dummies and
 * Sun & Abraham's cohort × event-time interactions all are. By Frisch–Waugh–Lovell, β is the OLS
 * slope of the double-demeaned ỹ on the double-demeaned x̃ (balanced panel: x̃ = x − x̄_i· − x̄_·t + x̄),
 * and since x̃ is constant within a cohort-period cell, the k × k Gram matrix and X̃'y need only the
 * C × T cell sums: G = Σ_c n_c Σ_t x̃_ct x̃_ct', X̃'y = Σ_c Σ_t x̃_ct Σ_{i∈c} y_it. One pass over y gives the
 * residuals e_it = ỹ_it − x̃_{c(i)t}'β and the cluster scores S_g = Σ_{i∈g} Σ_t x̃_{c(i)t} e_it.
 *
 * CR1 (Cameron & Miller 2015, eq. 12 with the Stata/fixest scaling): V = G⁻¹ (Σ_g S_g S_g') G⁻¹ ·
 * C/(C − 1) · (N − 1)/(N − K), N = n·T observations, K = k + T: fixest's default ssc(adj = TRUE,
 * fixef.K = "nested", cluster.adj = TRUE) counts nparams = k + n + T − 1 and then removes the n − 1
 * free unit effects nested in the clusters (every cluster holds whole units), leaving k + T
 * (fixest R/VCOV.R: K − (sum(fixef_sizes[is_nested]) − sum(is_nested))).
 */
import type { Panel } from '../../panel/panel.js';
import { cholesky, cholSolve, invert, rcond } from '../../linalg/small.js';
import type { StartGroups } from './start-groups.js';

export interface WithinFit {
  /** Coefficients, or null when the regressors are collinear with the fixed effects (reason says so). */
  beta: Float64Array | null;
  /** CR1 covariance matrix, k × k row-major. */
  vcov: Float64Array | null;
  reason?: string;
  /** Observations and clusters used. */
  nObs: number;
  nClusters: number;
}

/**
 * @param regressors k arrays of C × T cohort-period values, x[c·T + t].
 * @param use cohorts kept (1) or left out (0); all kept when omitted.
 * @param cluster dense cluster code per unit and the number of codes.
 */
export function fitWithin(
  panel: Panel,
  cohorts: StartGroups,
  regressors: Float64Array[],
  cluster: { code: Int32Array; count: number },
  use?: Uint8Array,
): WithinFit {
  const n = panel.nUnits,
    T = panel.nPeriods,
    C = cohorts.start.length,
    k = regressors.length;
  const y = panel.y,
    of = cohorts.of;
  const kept = (c: number) => (use ? use[c] === 1 : true);
  const size = Float64Array.from(cohorts.size, (s, c) => (kept(c) ? s : 0));
  let nUsed = 0;
  for (let c = 0; c < C; c++) nUsed += size[c];
  const nObs = nUsed * T;

  // x̃ in cell-major layout xt[(c·T + t)·k + j].
  const xt = new Float64Array(C * T * k);
  for (let j = 0; j < k; j++) {
    const x = regressors[j];
    const rowMean = new Float64Array(C);
    const colMean = new Float64Array(T);
    let grand = 0;
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += x[c * T + t];
      rowMean[c] = s / T;
      grand += size[c] * rowMean[c];
      for (let t = 0; t < T; t++) colMean[t] += size[c] * x[c * T + t];
    }
    grand /= nUsed;
    for (let t = 0; t < T; t++) colMean[t] /= nUsed;
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < T; t++) xt[(c * T + t) * k + j] = x[c * T + t] - rowMean[c] - colMean[t] + grand;
    }
  }

  // Cell sums of y, unit means, period means (over kept units).
  const ysum = new Float64Array(C * T);
  const unitMean = new Float64Array(n);
  const periodMean = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const c = of[i];
      if (size[c] === 0) continue;
      const v = y[row + i];
      ysum[c * T + t] += v;
      unitMean[i] += v;
      s += v;
    }
    periodMean[t] = s / nUsed;
  }
  let grandY = 0;
  for (let t = 0; t < T; t++) grandY += periodMean[t];
  grandY /= T;
  for (let i = 0; i < n; i++) unitMean[i] /= T;

  const gram = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  for (let c = 0; c < C; c++) {
    if (size[c] === 0) continue;
    for (let t = 0; t < T; t++) {
      const o = (c * T + t) * k;
      const ys = ysum[c * T + t];
      for (let a = 0; a < k; a++) {
        const xa = xt[o + a];
        if (xa === 0) continue;
        rhs[a] += xa * ys;
        for (let b = 0; b <= a; b++) gram[a * k + b] += size[c] * xa * xt[o + b];
      }
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[b * k + a] = gram[a * k + b];
  const base = { nObs, nClusters: cluster.count };
  const chol = rcond(gram, k) > 1e-12 ? cholesky(gram, k) : null;
  if (!chol) {
    return { ...base, beta: null, vcov: null, reason: 'the regressors are collinear with the unit and period fixed effects' };
  }
  const beta = cholSolve(chol, k, rhs);

  // Fitted x̃'β per cell, then residuals and cluster scores in one pass over y.
  const fit = new Float64Array(C * T);
  for (let m = 0; m < C * T; m++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += xt[m * k + j] * beta[j];
    fit[m] = s;
  }
  const scores = new Float64Array(cluster.count * k);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    const shift = grandY - periodMean[t];
    for (let i = 0; i < n; i++) {
      const c = of[i];
      if (size[c] === 0) continue;
      const cell = c * T + t;
      const e = y[row + i] - unitMean[i] + shift - fit[cell];
      const o = cell * k,
        g = cluster.code[i] * k;
      for (let j = 0; j < k; j++) scores[g + j] += xt[o + j] * e;
    }
  }
  const G = cluster.count;
  let usedClusters = G;
  if (use) {
    const seen = new Uint8Array(G);
    for (let i = 0; i < n; i++) if (size[of[i]] > 0) seen[cluster.code[i]] = 1;
    usedClusters = seen.reduce((s, v) => s + v, 0);
  }
  const meat = new Float64Array(k * k);
  for (let g = 0; g < G; g++) {
    const o = g * k;
    for (let a = 0; a < k; a++) {
      const sa = scores[o + a];
      if (sa === 0) continue;
      for (let b = 0; b < k; b++) meat[a * k + b] += sa * scores[o + b];
    }
  }
  const bread = invert(gram, k)!;
  const K = k + T;
  const scale = usedClusters > 1 && nObs > K ? (usedClusters / (usedClusters - 1)) * ((nObs - 1) / (nObs - K)) : NaN;
  const vcov = sandwich(bread, meat, k);
  for (let m = 0; m < k * k; m++) vcov[m] *= scale;
  if (!Number.isFinite(scale)) {
    return {
      beta,
      vcov: null,
      reason: `too few clusters (${usedClusters}) or observations for a cluster-robust variance`,
      nObs,
      nClusters: usedClusters,
    };
  }
  return { beta, vcov, nObs, nClusters: usedClusters };
}

/** B M B for symmetric k × k B and M. */
export function sandwich(b: Float64Array, m: Float64Array, k: number): Float64Array {
  const bm = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += b[a * k + d] * m[d * k + c];
      bm[a * k + c] = s;
    }
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += bm[a * k + d] * b[d * k + c];
      out[a * k + c] = s;
    }
  return out;
}

/** Variance of the linear combination w'β: w'Vw. */
export function quadForm(v: Float64Array, k: number, w: ArrayLike<number>): number {
  let s = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += w[a] * v[a * k + b] * w[b];
  return s;
}

/** Standard error from a variance, null when it is not positive (no variance is no SE, never NaN). */
export function seOf(variance: number): number | null {
  return variance > 0 && Number.isFinite(variance) ? Math.sqrt(variance) : null;
}
