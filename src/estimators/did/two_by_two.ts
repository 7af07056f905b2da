/**
 * The three panel 2×2 DiD estimators of one ATT(g,t) on a comparison set, each returning the ATT and
 * its influence function ψ over the set's n1 units (treated first), from ΔY = Y_t − Y_base:
 *
 * - dr:  Sant'Anna & Zhao (2020), the locally efficient doubly robust estimator, eq. (3.1);
 *        DRDID::drdid_panel, with its trimming of comparison units at p̂ ≥ 0.995.
 * - ipw: the normalised (Hájek) IPW estimator of Abadie (2005); DRDID::std_ipw_did_panel.
 * - reg: the outcome-regression estimator of Heckman, Ichimura & Todd (1997); DRDID::reg_did_panel.
 *
 * Each cell computes, in the paper's order, the outcome regression β, the η terms, and the
 * propensity-score correction v = Hessian · M2; ψ then follows from the per-unit coefficients the
 * ComparisonSet holds: ψ_i = A_i (ΔY_i − x_iᵀβ) + B_i x_iᵀv + E_i η_treat + F_i η_cont.
 * (The β and v terms are stored as the n1 × w matrix [A∘X | B∘X].)
 */
import { cholSolve, matVec } from '../../linalg/small.js';
import type { ComparisonSet } from './comparison_set.js';

export interface TwoByTwo {
  att: number;
  /** ψ_i for the set's units, in the set's order; Var(ATT) ≈ mean(ψ²) / n1. */
  psi: Float64Array;
}

function dotRange(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let s0 = 0, s1 = 0;
  let j = from;
  for (; j + 1 < to; j += 2) { s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; }
  if (j < to) s0 += a[j] * b[j];
  return s0 + s1;
}

function sumRange(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += a[j];
  return s;
}

/**
 * One 2×2 on a comparison set. `dy` holds ΔY over the set's units; ψ is returned in a new array,
 * scaled by `scale` (att_gt's n / n1).
 */
export function twoByTwo(s: ComparisonSet, dy: Float64Array, scale = 1): TwoByTwo {
  const { k, cols, n1, nt, method } = s;
  const useReg = method !== 'ipw';
  const usePs = method !== 'reg';
  let beta: Float64Array | null = null;
  let etaT: number;
  let etaC: number;
  const sumDyT = sumRange(dy, 0, nt);
  let v: Float64Array | null = null;

  // X_cᵀΔY (outcome regression) and X_cᵀ(w_c ΔY) (weighted control mean) over the comparison units,
  // in one pass per column.
  const xty = new Float64Array(k);
  const xwy = new Float64Array(k);
  if (usePs) {
    const wCont = s.wCont!;
    for (let a = 0; a < k; a++) {
      const c = cols[a];
      let s1 = 0, s2 = 0;
      for (let j = nt; j < n1; j++) { const cd = c[j] * dy[j]; s1 += cd; s2 += cd * wCont[j]; }
      xty[a] = s1; xwy[a] = s2;
    }
  } else {
    for (let a = 0; a < k; a++) xty[a] = dotRange(cols[a], dy, nt, n1);
  }
  // Outcome regression of ΔY on X over the comparison units: β = (X_cᵀX_c)⁻¹ X_cᵀΔY_c.
  if (useReg) beta = cholSolve(s.gramChol!, k, xty);
  if (usePs) {
    // The η terms and M2 = colMeans(w_c (ΔY − xᵀβ − η_cont) X), from the sums above.
    const wcx = s.wContX!;
    let sumC = xwy[0]; // the intercept column: Σ w_c ΔY
    let sumT = sumDyT;
    const wcrx = Float64Array.from(xwy);
    if (beta) {
      // r = ΔY − xᵀβ: subtract the fitted part from each sum (Σ w_c x xᵀ β, Σ x_tᵀβ).
      const q = matVec(s.wContXX!, k, beta);
      for (let a = 0; a < k; a++) { wcrx[a] -= q[a]; sumC -= wcx[a] * beta[a]; sumT -= s.treatedX[a] * beta[a]; }
    }
    etaT = sumT / nt;
    etaC = sumC / s.sumWCont!;
    const m2 = new Float64Array(k);
    for (let a = 0; a < k; a++) m2[a] = (wcrx[a] - etaC * wcx[a]) / n1;
    v = matVec(s.hessPs!, k, m2);
  } else {
    etaT = sumDyT / nt;
    let fitT = 0;
    for (let a = 0; a < k; a++) fitT += s.treatedX[a] * beta![a];
    etaC = fitT / nt;
  }

  // ψ_i = A_i ΔY_i + E_i η_treat + F_i η_cont + m_iᵀ [−β; v]: one row-major matrix–vector pass.
  const w = s.mWidth;
  const coef = new Float64Array(w);
  let q = 0;
  if (beta) for (let a = 0; a < k; a++) coef[q++] = -beta[a];
  if (v) for (let a = 0; a < k; a++) coef[q++] = v[a];
  const { A, E, F, m } = s;
  const psi = new Float64Array(n1);
  const w4 = w - (w % 4);
  for (let j = 0; j < n1; j++) {
    const row = j * w;
    // four partial sums: independent FMAs the CPU can overlap
    let s0 = A[j] * dy[j] + E[j] * etaT + F[j] * etaC, s1 = 0, s2 = 0, s3 = 0;
    let a = 0;
    for (; a < w4; a += 4) {
      s0 += m[row + a] * coef[a];
      s1 += m[row + a + 1] * coef[a + 1];
      s2 += m[row + a + 2] * coef[a + 2];
      s3 += m[row + a + 3] * coef[a + 3];
    }
    for (; a < w; a++) s0 += m[row + a] * coef[a];
    psi[j] = scale * (s0 + s1 + s2 + s3);
  }
  return { att: etaT - etaC, psi };
}
