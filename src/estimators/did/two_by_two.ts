/**
 * The three panel 2×2 DiD estimators of one ATT(g,t) on a comparison set, each returning the ATT and
 * its influence function ψ over the set's n1 units (treated first). They take ΔY = Y_t − Y_base over
 * the set's units. Everything that does not depend on ΔY was computed once in the ComparisonSet.
 *
 * - drDid:  Sant'Anna & Zhao (2020), the locally efficient doubly robust estimator, eq. (3.1);
 *           DRDID::drdid_panel with its trimming of comparison units at p̂ ≥ 0.995.
 * - ipwDid: the normalised (Hájek) IPW estimator of Abadie (2005); DRDID::std_ipw_did_panel.
 * - regDid: the outcome-regression estimator of Heckman, Ichimura & Todd (1997); DRDID::reg_did_panel.
 *
 * Influence functions follow the package's order: the η terms, then the correction for estimating
 * the outcome regression (OLS asymptotic linear representation) and the propensity score (logit).
 */
import { cholSolve, matVec } from '../../linalg/small.js';
import type { ComparisonSet } from './comparison_set.js';

export interface TwoByTwo {
  att: number;
  /** ψ_i for the set's units, in the set's order; Var(ATT) ≈ mean(ψ²) / n1. */
  psi: Float64Array;
}

/** β of the outcome regression of ΔY on X over the comparison units (OLS via the cached Cholesky). */
function regressionCoef(s: ComparisonSet, dy: Float64Array): Float64Array {
  const { k, x, n1, nt } = s;
  const xty = new Float64Array(k);
  for (let j = nt; j < n1; j++) {
    const row = j * k;
    const v = dy[j];
    for (let a = 0; a < k; a++) xty[a] += x[row + a] * v;
  }
  return cholSolve(s.gramChol!, k, xty);
}

/** Doubly robust DiD (Sant'Anna & Zhao 2020, eq. 3.1) with its influence function. */
export function drDid(s: ComparisonSet, dy: Float64Array): TwoByTwo {
  const { k, x, n1, nt } = s;
  const ps = s.ps!, wCont = s.wCont!, a1 = s.a1!, a3 = s.a3!;
  const beta = regressionCoef(s, dy);
  // Residuals r = ΔY − X β and the η terms: η_treat = Σ w_t r / Σ w_t, η_cont = Σ w_c r / Σ w_c.
  const r = new Float64Array(n1);
  let sumT = 0, sumC = 0;
  const wcrx = new Float64Array(k);
  for (let j = 0; j < n1; j++) {
    const row = j * k;
    let fit = 0;
    for (let a = 0; a < k; a++) fit += x[row + a] * beta[a];
    const rj = dy[j] - fit;
    r[j] = rj;
    if (j < nt) sumT += rj;
    else {
      const wr = wCont[j] * rj;
      sumC += wr;
      for (let a = 0; a < k; a++) wcrx[a] += wr * x[row + a];
    }
  }
  const etaT = sumT / nt;
  const etaC = sumC / s.sumWCont!;
  const mwT = nt / n1;
  const mwC = s.sumWCont! / n1;
  // M2 = colMeans(w_c (r − η_cont) X): the propensity-score estimation effect on the control mean.
  const m2 = new Float64Array(k);
  for (let a = 0; a < k; a++) m2[a] = (wcrx[a] - etaC * s.wContX![a]) / n1;
  const v = matVec(s.hessPs!, k, m2);
  const psi = new Float64Array(n1);
  for (let j = 0; j < n1; j++) {
    const row = j * k;
    let xv = 0;
    for (let a = 0; a < k; a++) xv += x[row + a] * v[a];
    if (j < nt) {
      // inf.treat = (r − η_t)/E[w_t]; inf.control = (1 − p̂) x'v / E[w_c]
      psi[j] = (r[j] - etaT) / mwT - ((1 - ps[j]) * xv) / mwC;
    } else {
      const rj = r[j];
      // inf.treat = −(OLS effect r a1)/E[w_t]; inf.control = (w_c(r − η_c) − p̂ x'v − r a3)/E[w_c]
      psi[j] = -(rj * a1[j]) / mwT - (wCont[j] * (rj - etaC) - ps[j] * xv - rj * a3[j]) / mwC;
    }
  }
  return { att: etaT - etaC, psi };
}

/** Normalised inverse-probability-weighted DiD (Abadie 2005; Sant'Anna & Zhao 2020, eq. 2.4). */
export function ipwDid(s: ComparisonSet, dy: Float64Array): TwoByTwo {
  const { k, x, n1, nt } = s;
  const ps = s.ps!, wCont = s.wCont!;
  let sumT = 0, sumC = 0;
  const wcyx = new Float64Array(k);
  for (let j = 0; j < n1; j++) {
    if (j < nt) { sumT += dy[j]; continue; }
    const wy = wCont[j] * dy[j];
    if (wy === 0) continue;
    sumC += wy;
    const row = j * k;
    for (let a = 0; a < k; a++) wcyx[a] += wy * x[row + a];
  }
  const etaT = sumT / nt;
  const etaC = sumC / s.sumWCont!;
  const mwT = nt / n1;
  const mwC = s.sumWCont! / n1;
  const m2 = new Float64Array(k);
  for (let a = 0; a < k; a++) m2[a] = (wcyx[a] - etaC * s.wContX![a]) / n1;
  const v = matVec(s.hessPs!, k, m2);
  const psi = new Float64Array(n1);
  for (let j = 0; j < n1; j++) {
    const row = j * k;
    let xv = 0;
    for (let a = 0; a < k; a++) xv += x[row + a] * v[a];
    if (j < nt) psi[j] = (dy[j] - etaT) / mwT - ((1 - ps[j]) * xv) / mwC;
    else psi[j] = -(wCont[j] * (dy[j] - etaC) - ps[j] * xv) / mwC;
  }
  return { att: etaT - etaC, psi };
}

/** Outcome-regression DiD (Heckman, Ichimura & Todd 1997; Sant'Anna & Zhao 2020, eq. 2.2). */
export function regDid(s: ComparisonSet, dy: Float64Array): TwoByTwo {
  const { k, x, n1, nt } = s;
  const a1 = s.a1!;
  const beta = regressionCoef(s, dy);
  let sumT = 0;
  for (let j = 0; j < nt; j++) sumT += dy[j];
  const etaT = sumT / nt;
  let etaC = 0;
  for (let a = 0; a < k; a++) etaC += s.treatedX![a] * beta[a];
  etaC /= nt;
  const mwT = nt / n1;
  const psi = new Float64Array(n1);
  for (let j = 0; j < n1; j++) {
    const row = j * k;
    let fit = 0;
    for (let a = 0; a < k; a++) fit += x[row + a] * beta[a];
    if (j < nt) psi[j] = (dy[j] - etaT - (fit - etaC)) / mwT;
    else psi[j] = -((dy[j] - fit) * a1[j]) / mwT;
  }
  return { att: etaT - etaC, psi };
}
