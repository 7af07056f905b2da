/**
 * Logistic regression by Newton–Raphson (IRLS), for the propensity score P(D = 1 | X).
 * X is given by columns (each of length n, the intercept first); weights are optional case weights.
 * Written for n large, k small: each iteration forms XᵀWX and the score as k(k+1)/2 + k dot products
 * over contiguous columns, then updates the fitted probabilities.
 */
import { cholesky, cholSolve } from './small.js';

export interface LogitFit {
  beta: Float64Array;
  /** Fitted probabilities, length n. */
  fitted: Float64Array;
  converged: boolean;
  iterations: number;
}

/** Newton steps stop once the largest relative coefficient change is below this: quadratic
 *  convergence then leaves an error of order STEP_TOL², far inside the 1e-6 agreement with R's glm. */
const STEP_TOL = 1e-7;

/**
 * Maximum-likelihood logit fit with step halving (glm's safeguard against a rising deviance).
 * @param start optional starting coefficients (a neighbouring fit); default: the intercept-only MLE.
 * @returns the fit, or null when XᵀWX is singular (collinear covariates).
 * @example fitLogit([ones, x], [0, 1, 1, 0]).beta // as R: coef(glm(d ~ x, binomial))
 */
export function fitLogit(
  cols: Float64Array[], d: ArrayLike<number>, w?: ArrayLike<number>, start?: Float64Array, maxit = 100,
): LogitFit | null {
  const k = cols.length;
  const n = cols[0].length;
  let beta = new Float64Array(k);
  if (start) beta.set(start);
  else {
    let sw = 0, swd = 0;
    for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; sw += wi; swd += wi * d[i]; }
    const pbar = Math.min(Math.max(swd / sw, 1e-10), 1 - 1e-10);
    beta[0] = Math.log(pbar / (1 - pbar));
  }
  const fitted = new Float64Array(n);
  const eta = new Float64Array(n);
  // Fitted probabilities and the deviance (−2 log-likelihood, kept finite when p saturates).
  const update = (b: Float64Array): number => {
    eta.fill(0);
    for (let a = 0; a < k; a++) {
      const c = cols[a], ba = b[a];
      for (let i = 0; i < n; i++) eta[i] += ba * c[i];
    }
    let dev = 0;
    for (let i = 0; i < n; i++) {
      let e = eta[i];
      e = e > 36 ? 36 : e < -36 ? -36 : e; // saturates at p ≈ 1 − 2e-16, as glm's fitted values do
      const ex = Math.exp(-e);
      fitted[i] = 1 / (1 + ex);
      const wi = w ? w[i] : 1;
      dev += wi * (d[i] > 0 ? Math.log1p(ex) : e + Math.log1p(ex));
    }
    return 2 * dev;
  };
  let dev = update(beta);
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  const vw = new Float64Array(n);
  const rw = new Float64Array(n);
  let converged = false;
  let it = 0;
  while (it < maxit) {
    it++;
    for (let i = 0; i < n; i++) {
      const p = fitted[i];
      const wi = w ? w[i] : 1;
      vw[i] = wi * p * (1 - p);
      rw[i] = wi * (d[i] - p);
    }
    for (let a = 0; a < k; a++) {
      const ca = cols[a];
      let s = 0;
      for (let i = 0; i < n; i++) s += rw[i] * ca[i];
      g[a] = s;
      for (let b = 0; b <= a; b++) {
        const cb = cols[b];
        let t = 0;
        for (let i = 0; i < n; i++) t += vw[i] * ca[i] * cb[i];
        h[a * k + b] = t;
        h[b * k + a] = t;
      }
    }
    const l = cholesky(h, k);
    if (!l) return null;
    const step = cholSolve(l, k, g);
    let scale = 1;
    const next = new Float64Array(k);
    let devNext = dev;
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < k; j++) next[j] = beta[j] + scale * step[j];
      devNext = update(next);
      if (devNext <= dev * (1 + 1e-12) + 1e-12) break;
      scale /= 2;
    }
    beta = Float64Array.from(next);
    let maxStep = 0;
    for (let j = 0; j < k; j++) maxStep = Math.max(maxStep, Math.abs(scale * step[j]) / (1 + Math.abs(beta[j])));
    const change = Math.abs(devNext - dev) / (Math.abs(devNext) + 0.1);
    dev = devNext;
    if (maxStep < STEP_TOL || change < 1e-15) { converged = true; break; }
  }
  // `fitted` holds the probabilities at the last evaluated coefficients, which are `beta`.
  return { beta, fitted, converged, iterations: it };
}
