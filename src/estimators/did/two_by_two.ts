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

export function twoByTwo(s: ComparisonSet, dy: Float64Array): TwoByTwo {
  const { k, cols, n1, nt, method } = s;
  const useReg = method !== 'ipw';
  const usePs = method !== 'reg';
  let beta: Float64Array | null = null;
  let etaT: number;
  let etaC: number;
  const sumDyT = sumRange(dy, 0, nt);
  let v: Float64Array | null = null;

  // Outcome regression of ΔY on X over the comparison units: β = (X_cᵀX_c)⁻¹ X_cᵀΔY_c.
  if (useReg) {
    const xty = new Float64Array(k);
    for (let a = 0; a < k; a++) xty[a] = dotRange(cols[a], dy, nt, n1);
    beta = cholSolve(s.gramChol!, k, xty);
  }
  if (usePs) {
    // Σ_c w_c ΔY_c x_c, then the η terms and M2 = colMeans(w_c (ΔY − xᵀβ − η_cont) X).
    const wdy = new Float64Array(n1);
    const wCont = s.wCont!;
    for (let j = nt; j < n1; j++) wdy[j] = wCont[j] * dy[j];
    const xwy = new Float64Array(k);
    for (let a = 0; a < k; a++) xwy[a] = dotRange(cols[a], wdy, nt, n1);
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

  // ψ_i = A_i (ΔY_i − x_iᵀβ) + B_i x_iᵀv + E_i η_treat + F_i η_cont, one pass per column of X.
  const r = Float64Array.from(dy);
  const xv = new Float64Array(n1);
  for (let a = 0; a < k; a++) {
    const c = cols[a];
    const ba = beta ? beta[a] : 0;
    const va = v ? v[a] : 0;
    if (ba !== 0 && va !== 0) for (let j = 0; j < n1; j++) { const x = c[j]; r[j] -= ba * x; xv[j] += va * x; }
    else if (ba !== 0) for (let j = 0; j < n1; j++) r[j] -= ba * c[j];
    else if (va !== 0) for (let j = 0; j < n1; j++) xv[j] += va * c[j];
  }
  const { A, B, E, F } = s;
  const psi = r; // reuse
  for (let j = 0; j < n1; j++) psi[j] = A[j] * r[j] + B[j] * xv[j] + E[j] * etaT + F[j] * etaC;
  return { att: etaT - etaC, psi };
}
