/**
 * Lin's (2013) covariate-adjusted difference in means, "Agnostic notes on regression adjustments to
 * experimental data", Ann. Appl. Stat. 7(1): the OLS coefficient on D in
 *   y_i = a + τ D_i + (x_i − x̄)'b + D_i (x_i − x̄)'c + e_i,
 * x̄ the mean over the regression sample, with the HC2 variance Σ_i κ_i² e_i² / (1 − h_ii), κ the row of
 * (X'X)⁻¹X' that gives τ̂ and h_ii the leverages (Lin 2013, Theorem 4 / section 5: HC2 is consistent or
 * conservative for the randomisation variance; with no covariates it is Neyman's s²₁/n₁ + s²₀/n₀).
 * Returned as unit contributions φ_i = κ_i e_i / √(1 − h_ii), so that estimates sharing comparison units
 * combine as V̂ = Σ_i (Σ_g w_g φ_gi)², as the difference in means does.
 */
import { invert } from '../../linalg/small.js';

export interface LinFit {
  tau: number;
  /** φ_i per sample unit (same order as `units`). */
  phi: Float64Array;
}

/**
 * @param units indices of the regression sample (treated and comparison units)
 * @param treated 1 for the treated units of `units`, 0 for the comparison units
 * @param y outcome of each unit of `units` (same order)
 * @param x covariates, each a unit-level column over the whole panel
 * @returns null when the design is singular (a covariate constant within an arm, or too few units)
 */
export function linFit(units: ArrayLike<number>, treated: Uint8Array, y: Float64Array, x: readonly Float64Array[]): LinFit | null {
  const m = units.length,
    p = x.length,
    K = 2 + 2 * p;
  if (m <= K) return null;
  const xbar = x.map((col) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += col[units[j]];
    return s / m;
  });
  // Design rows [1, D, x − x̄, D(x − x̄)], X'X and X'y.
  const row = new Float64Array(K);
  const fill = (j: number) => {
    const d = treated[j];
    row[0] = 1;
    row[1] = d;
    for (let q = 0; q < p; q++) {
      const v = x[q][units[j]] - xbar[q];
      row[2 + q] = v;
      row[2 + p + q] = d * v;
    }
  };
  const xtx = new Float64Array(K * K),
    xty = new Float64Array(K);
  for (let j = 0; j < m; j++) {
    fill(j);
    for (let a = 0; a < K; a++) {
      xty[a] += row[a] * y[j];
      for (let b = 0; b < K; b++) xtx[a * K + b] += row[a] * row[b];
    }
  }
  const inv = invert(xtx, K);
  if (!inv) return null;
  const beta = new Float64Array(K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) beta[a] += inv[a * K + b] * xty[b];
  const phi = new Float64Array(m);
  const ax = new Float64Array(K);
  for (let j = 0; j < m; j++) {
    fill(j);
    let fit = 0;
    for (let a = 0; a < K; a++) {
      fit += row[a] * beta[a];
      let s = 0;
      for (let b = 0; b < K; b++) s += inv[a * K + b] * row[b];
      ax[a] = s;
    }
    let h = 0;
    for (let a = 0; a < K; a++) h += row[a] * ax[a];
    if (!(h < 1 - 1e-12)) return null; // a unit alone determines a coefficient: HC2 undefined
    phi[j] = (ax[1] * (y[j] - fit)) / Math.sqrt(1 - h);
  }
  return { tau: beta[1], phi };
}
