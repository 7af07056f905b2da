/**
 * CR2 cluster-robust variance (Bell & McCaffrey 2002) and its Satterthwaite degrees of freedom
 * (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018, eq. 11, "model-based" under working independence
 * Φ = I), for an ordinary least-squares fit whose fixed effects may be absorbed.
 *
 * The fit is described by its residualised regressors Ẍ (N × k, the regressors after partialling out
 * the absorbed effects), its residuals e and the absorbed effects' part of the hat matrix. With the
 * full design [S, X], H = P_S + Ẍ(Ẍ'Ẍ)⁻¹Ẍ' (Frisch–Waugh–Lovell: Ẍ ⊥ S), and P_S is given as
 *   P_S = P_nested + F F',
 * P_nested the projection on fixed effects nested in the clusters (unit effects when units sit inside
 * clusters: block-diagonal within clusters) and F an N × r factor of the rest (period effects, which
 * cross clusters). So H_gh = δ_gh P_nested,g + F_g F_h' + Ẍ_g B Ẍ_h', B = (Ẍ'Ẍ)⁻¹: exactly the block of
 * the full hat matrix that clubSandwich uses for lm(y ~ x + factor(unit) + factor(period)). The variant
 * implemented is the FULL hat matrix (not the absorbed-only one of P&T 2018 §3, which equals it when
 * the absorbed effects are nested in the clusters, their Theorem 2).
 *
 * A_g = (I − H_gg)^{+1/2}: the symmetric pseudo-inverse square root, eigenvalues ≤ 1e−12 set to 0 as
 * clubSandwich's matrix_power does (I − H_gg is singular when unit effects nested in g are absorbed:
 * each unit's constant vector is in its null space).
 *   V^CR2 = B (Σ_g Ẍ_g' A_g e_g e_g' A_g Ẍ_g) B                  (no further small-sample factor)
 *   df(c) = (tr Q)² / Σ_ij Q_ij²,  Q_ij = w_i'(I − H)_ij w_j,  w_g = A_g Ẍ_g B c
 * (P&T 2018 eq. 11 with p_j = (I − H)_j' A_j Ẍ_j B c and Φ = I: p_i'p_j = w_i'(I − H)_ij w_j since I − H is
 * a symmetric projector; clubSandwich's Satterthwaite(): df = 2E²/V, E = tr P, V = 2 Σ P²).
 */
import { symPower } from '../../linalg/sym-eigen.js';

export interface AbsorbedFit {
  /** Residualised regressors, observation-major: x[o·k + j]. */
  x: Float64Array;
  k: number;
  /** Residuals of the full fit. */
  e: Float64Array;
  /** B = (Ẍ'Ẍ)⁻¹, k × k. */
  bread: Float64Array;
  /** The observations of each cluster. */
  members: Int32Array[];
  /** Per observation, the level of an absorbed effect nested in the clusters (−1: none), and its sizes. */
  nested?: { level: Int32Array; size: Float64Array };
  /** N × r factor F of the other absorbed effects' projection (F F'), observation-major; r = 0: none. */
  f?: Float64Array;
  r?: number;
}

/** H_gg, the cluster's diagonal block of the full hat matrix, n_g × n_g. */
export function hatBlock(fit: AbsorbedFit, g: number): Float64Array {
  const idx = fit.members[g],
    m = idx.length,
    k = fit.k,
    r = fit.r ?? 0;
  const { x, bread, nested, f } = fit;
  const h = new Float64Array(m * m);
  const xb = new Float64Array(m * k);
  for (let a = 0; a < m; a++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += x[idx[a] * k + l] * bread[l * k + j];
      xb[a * k + j] = s;
    }
  for (let a = 0; a < m; a++) {
    const oa = idx[a];
    for (let b = 0; b <= a; b++) {
      const ob = idx[b];
      let s = 0;
      for (let j = 0; j < k; j++) s += xb[a * k + j] * x[ob * k + j];
      if (f) for (let q = 0; q < r; q++) s += f[oa * r + q] * f[ob * r + q];
      if (nested && nested.level[oa] >= 0 && nested.level[oa] === nested.level[ob]) s += 1 / nested.size[nested.level[oa]];
      h[a * m + b] = s;
      h[b * m + a] = s;
    }
  }
  return h;
}

/** The adjustment matrices A_g = (I − H_gg)^{+1/2}, one n_g × n_g per cluster. */
export function cr2Adjustments(fit: AbsorbedFit): Float64Array[] {
  return fit.members.map((idx, g) => {
    const m = idx.length;
    const ih = hatBlock(fit, g);
    for (let a = 0; a < m * m; a++) ih[a] = -ih[a];
    for (let a = 0; a < m; a++) ih[a * m + a] += 1;
    return symPower(ih, m, -0.5);
  });
}

/** y = A v for the n_g × n_g A and the cluster's entries of the N-vector v (or of column j of Ẍ). */
function adjust(a: Float64Array, idx: Int32Array, v: (o: number) => number): Float64Array {
  const m = idx.length;
  const vg = Float64Array.from(idx, (o) => v(o));
  const out = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let s = 0;
    for (let q = 0; q < m; q++) s += a[p * m + q] * vg[q];
    out[p] = s;
  }
  return out;
}

/** V^CR2 = B (Σ_g Ẍ_g' A_g e_g e_g' A_g Ẍ_g) B, k × k. */
export function cr2Vcov(fit: AbsorbedFit, adjustments: Float64Array[]): Float64Array {
  const { k, x, e, bread } = fit;
  const meat = new Float64Array(k * k);
  fit.members.forEach((idx, g) => {
    const u = adjust(adjustments[g], idx, (o) => e[o]);
    const s = new Float64Array(k);
    idx.forEach((o, p) => {
      for (let j = 0; j < k; j++) s[j] += x[o * k + j] * u[p];
    });
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a * k + b] += s[a] * s[b];
  });
  const bm = new Float64Array(k * k),
    v = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let d = 0; d < k; d++) bm[a * k + b] += bread[a * k + d] * meat[d * k + b];
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let d = 0; d < k; d++) v[a * k + b] += bm[a * k + d] * bread[d * k + b];
  return v;
}

/**
 * Satterthwaite degrees of freedom of c'β̂ under V^CR2 (P&T 2018 eq. 11, working model Φ = I).
 * Q = diag(q_g) − Ψ Ψ' with ψ_g = [F_g'w_g, Ẍ_g'w_g L] stacked so that w_i'(F_iF_j' + Ẍ_iBẌ_j')w_j = ψ_i'ψ_j
 * (the Ẍ part written through B itself: (Ẍ_i'w_i)'B(Ẍ_j'w_j)), and q_g = w_g'w_g − w_g'P_nested,g w_g.
 */
export function satterthwaiteDf(fit: AbsorbedFit, adjustments: Float64Array[], c: ArrayLike<number>): number {
  const { k, x, bread, nested, f } = fit;
  const r = fit.r ?? 0;
  const G = fit.members.length;
  const bc = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) bc[a] += bread[a * k + b] * c[b];
  const q = new Float64Array(G);
  const psiF = new Float64Array(G * r),
    psiX = new Float64Array(G * k);
  fit.members.forEach((idx, g) => {
    const w = adjust(adjustments[g], idx, (o) => {
      let s = 0;
      for (let j = 0; j < k; j++) s += x[o * k + j] * bc[j];
      return s;
    });
    let ww = 0;
    const byLevel = new Map<number, number>();
    idx.forEach((o, p) => {
      ww += w[p] * w[p];
      if (f) for (let s = 0; s < r; s++) psiF[g * r + s] += f[o * r + s] * w[p];
      for (let j = 0; j < k; j++) psiX[g * k + j] += x[o * k + j] * w[p];
      if (nested && nested.level[o] >= 0) byLevel.set(nested.level[o], (byLevel.get(nested.level[o]) ?? 0) + w[p]);
    });
    let pw = 0;
    for (const [lev, sum] of byLevel) pw += (sum * sum) / nested!.size[lev];
    q[g] = ww - pw;
  });
  // Σ_ij Q_ij² and tr Q, with Q_ij = δ_ij q_i − ψ_i'ψ_j.
  const bx = new Float64Array(G * k);
  for (let g = 0; g < G; g++)
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += bread[a * k + b] * psiX[g * k + b];
      bx[g * k + a] = s;
    }
  let trace = 0,
    sq = 0;
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      let s = 0;
      for (let a = 0; a < r; a++) s += psiF[i * r + a] * psiF[j * r + a];
      for (let a = 0; a < k; a++) s += psiX[i * k + a] * bx[j * k + a];
      const qij = (i === j ? q[i] : 0) - s;
      if (i === j) trace += qij;
      sq += qij * qij;
    }
  return (trace * trace) / sq;
}
