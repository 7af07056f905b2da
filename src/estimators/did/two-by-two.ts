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
import { columnDots } from '../../linalg/gram.js';
import { cholSolve, matVec } from '../../linalg/small.js';
import type { ComparisonSet } from './comparison-set.js';

export interface TwoByTwo {
  att: number;
  /** ψ_i for the set's units, in the set's order; Var(ATT) ≈ mean(ψ²) / n1. */
  psi: Float64Array;
}

/**
 * The k-vectors of one cell, reused from cell to cell (a cell allocates nothing but its result).
 * `zero` stands for the β of ipw and the v of reg, the terms their ψ does not have.
 */
const vec = {
  k: 0,
  xty: new Float64Array(0),
  xwy: new Float64Array(0),
  wcrx: new Float64Array(0),
  q: new Float64Array(0),
  m2: new Float64Array(0),
  v: new Float64Array(0),
  beta: new Float64Array(0),
  zero: new Float64Array(0),
};

function vectorsFor(k: number): typeof vec {
  if (vec.k < k) {
    vec.k = k;
    for (const name of ['xty', 'xwy', 'wcrx', 'q', 'm2', 'v', 'beta', 'zero'] as const) vec[name] = new Float64Array(k);
  }
  return vec;
}

/**
 * xty_a = Σ_j x_a,j ΔY_j and xwy_a = Σ_j x_a,j w_j ΔY_j over units [from, to), four columns per pass
 * (ΔY_j and w_j are loaded once for eight products).
 */
function xtyWeighted(
  cols: Float64Array[],
  dy: Float64Array,
  w: Float64Array,
  from: number,
  to: number,
  xty: Float64Array,
  xwy: Float64Array,
): void {
  const k = cols.length;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a],
      c1 = cols[a + 1],
      c2 = cols[a + 2],
      c3 = cols[a + 3];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      t0 = 0,
      t1 = 0,
      t2 = 0,
      t3 = 0;
    for (let j = from; j < to; j++) {
      const d = dy[j],
        dw = d * w[j];
      const x0 = c0[j],
        x1 = c1[j],
        x2 = c2[j],
        x3 = c3[j];
      s0 += x0 * d;
      s1 += x1 * d;
      s2 += x2 * d;
      s3 += x3 * d;
      t0 += x0 * dw;
      t1 += x1 * dw;
      t2 += x2 * dw;
      t3 += x3 * dw;
    }
    xty[a] = s0;
    xty[a + 1] = s1;
    xty[a + 2] = s2;
    xty[a + 3] = s3;
    xwy[a] = t0;
    xwy[a + 1] = t1;
    xwy[a + 2] = t2;
    xwy[a + 3] = t3;
  }
  for (; a < k; a++) {
    const c = cols[a];
    let s1 = 0,
      s2 = 0;
    for (let j = from; j < to; j++) {
      const cd = c[j] * dy[j];
      s1 += cd;
      s2 += cd * w[j];
    }
    xty[a] = s1;
    xwy[a] = s2;
  }
}

let dywBuf = new Float64Array(0);

/** ω_j ΔY_j for the set's units, in a buffer reused from cell to cell. */
function weighted(omega: Float64Array, dy: Float64Array, n1: number): Float64Array {
  if (dywBuf.length < n1) dywBuf = new Float64Array(Math.max(n1, 2 * dywBuf.length));
  for (let j = 0; j < n1; j++) dywBuf[j] = omega[j] * dy[j];
  return dywBuf;
}

function sumRange(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += a[j];
  return s;
}

/**
 * ψ_i += B_i x_iᵀv − A_i x_iᵀβ for i < n1, both scaled by `scale`, four columns of X per pass (each
 * pass loads A_i, B_i and ψ_i once for eight products).
 */
function addFitted(
  psi: Float64Array,
  cols: Float64Array[],
  n1: number,
  A: Float64Array,
  beta: ArrayLike<number>,
  B: Float64Array,
  v: ArrayLike<number>,
  scale: number,
): void {
  const k = cols.length;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a],
      c1 = cols[a + 1],
      c2 = cols[a + 2],
      c3 = cols[a + 3];
    const b0 = scale * beta[a],
      b1 = scale * beta[a + 1],
      b2 = scale * beta[a + 2],
      b3 = scale * beta[a + 3];
    const v0 = scale * v[a],
      v1 = scale * v[a + 1],
      v2 = scale * v[a + 2],
      v3 = scale * v[a + 3];
    for (let j = 0; j < n1; j++) {
      const x0 = c0[j],
        x1 = c1[j],
        x2 = c2[j],
        x3 = c3[j];
      psi[j] += B[j] * (v0 * x0 + v1 * x1 + v2 * x2 + v3 * x3) - A[j] * (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3);
    }
  }
  for (; a < k; a++) {
    const c = cols[a],
      b = scale * beta[a],
      va = scale * v[a];
    for (let j = 0; j < n1; j++) psi[j] += (B[j] * va - A[j] * b) * c[j];
  }
}

/**
 * One 2×2 on a comparison set. `dy` holds ΔY over the set's units; ψ, scaled by `scale` (att_gt's
 * n / n1), is written to `psi` (default: a new array of length n1).
 */
export function twoByTwo(s: ComparisonSet, dy: Float64Array, scale = 1, psi: Float64Array = new Float64Array(s.n1)): TwoByTwo {
  const { k, cols, n1, nt, method } = s;
  const useReg = method !== 'ipw';
  const usePs = method !== 'reg';
  let beta: Float64Array | null = null;
  let etaT: number;
  let etaC: number;
  // With sampling weights ω the sums below are of ω·ΔY (and w.cont = ω·odds), so the weighted means
  // and the weighted least squares of DRDID come out of the same passes.
  const dyw = s.omega ? weighted(s.omega, dy, n1) : dy;
  const sumDyT = sumRange(dyw, 0, nt);
  let v: Float64Array | null = null;

  // X_cᵀΔY (outcome regression) and X_cᵀ(w_c ΔY) (weighted control mean) over the comparison units,
  // in one pass per column.
  const w = vectorsFor(k);
  const { xty, xwy } = w;
  if (usePs) xtyWeighted(cols, dyw, s.odds ?? s.wCont!, nt, n1, xty, xwy);
  else columnDots(dyw, cols, nt, n1, xty);
  // Outcome regression of ΔY on X over the comparison units: β = (X_cᵀX_c)⁻¹ X_cᵀΔY_c.
  if (useReg) beta = cholSolve(s.gramChol!, k, xty, w.beta);
  if (usePs) {
    // The η terms and M2 = colMeans(w_c (ΔY − xᵀβ − η_cont) X), from the sums above.
    const wcx = s.wContX!;
    let sumC = xwy[0]; // the intercept column: Σ w_c ΔY
    let sumT = sumDyT;
    const wcrx = w.wcrx;
    for (let a = 0; a < k; a++) wcrx[a] = xwy[a];
    if (beta) {
      // r = ΔY − xᵀβ: subtract the fitted part from each sum (Σ w_c x xᵀ β, Σ x_tᵀβ).
      const q = matVec(s.wContXX!, k, beta, w.q);
      for (let a = 0; a < k; a++) {
        wcrx[a] -= q[a];
        sumC -= wcx[a] * beta[a];
        sumT -= s.treatedX[a] * beta[a];
      }
    }
    etaT = sumT / s.sumWTreat;
    etaC = sumC / s.sumWCont!;
    const m2 = w.m2;
    for (let a = 0; a < k; a++) m2[a] = (wcrx[a] - etaC * wcx[a]) / n1;
    v = matVec(s.hessPs!, k, m2, w.v);
  } else {
    etaT = sumDyT / s.sumWTreat;
    let fitT = 0;
    for (let a = 0; a < k; a++) fitT += s.treatedX[a] * beta![a];
    etaC = fitT / s.sumWTreat;
  }

  // ψ_i = A_i ΔY_i + E_i η_treat + F_i η_cont, then the fitted terms (B_i x_iᵀv − A_i x_iᵀβ).
  const { A, B, E, F } = s;
  for (let j = 0; j < n1; j++) psi[j] = scale * (A[j] * dy[j] + E[j] * etaT + F[j] * etaC);
  addFitted(psi, cols, n1, A, beta ?? w.zero, B, v ?? w.zero, scale);
  return { att: etaT - etaC, psi };
}
