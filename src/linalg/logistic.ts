/**
 * Logistic regression by Newton–Raphson (IRLS), for the propensity score P(D = 1 | X).
 * X is n × k row-major with the intercept as a column; weights are optional case weights.
 * Written for n large, k small: each iteration is one pass over X building XᵀWX and the score.
 */
import { cholesky, cholSolve } from './small.js';

export interface LogitFit {
  beta: Float64Array;
  /** Fitted probabilities, length n. */
  fitted: Float64Array;
  converged: boolean;
  iterations: number;
}

function clampEta(e: number): number {
  // Keeps exp() finite under (quasi-)separation; fitted values then saturate at ~1 − 1e-15, as glm's do.
  return e > 36 ? 36 : e < -36 ? -36 : e;
}

/**
 * Maximum-likelihood logit fit. Starts from the intercept-only solution and iterates Newton steps
 * with step halving until the deviance changes by less than `tol` relative (glm's criterion, tighter).
 * @returns the fit, or null when XᵀWX is singular (collinear covariates).
 */
export function fitLogit(
  x: Float64Array, n: number, k: number, d: ArrayLike<number>, w?: ArrayLike<number>,
  tol = 1e-13, maxit = 100,
): LogitFit | null {
  const beta = new Float64Array(k);
  let sw = 0, swd = 0;
  for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; sw += wi; swd += wi * d[i]; }
  const pbar = Math.min(Math.max(swd / sw, 1e-10), 1 - 1e-10);
  beta[0] = Math.log(pbar / (1 - pbar));
  const eta = new Float64Array(n);
  const fitted = new Float64Array(n);
  const deviance = (b: Float64Array): number => {
    let dev = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      const row = i * k;
      for (let j = 0; j < k; j++) e += x[row + j] * b[j];
      e = clampEta(e);
      eta[i] = e;
      const p = 1 / (1 + Math.exp(-e));
      fitted[i] = p;
      const wi = w ? w[i] : 1;
      // −2 log-likelihood, written to stay finite when p saturates.
      dev += wi * (d[i] > 0 ? Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e)));
    }
    return 2 * dev;
  };
  let dev = deviance(beta);
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  let converged = false;
  let it = 0;
  for (; it < maxit; it++) {
    h.fill(0); g.fill(0);
    for (let i = 0; i < n; i++) {
      const p = fitted[i];
      const wi = w ? w[i] : 1;
      const vi = wi * p * (1 - p);
      const ri = wi * (d[i] - p);
      const row = i * k;
      for (let a = 0; a < k; a++) {
        const xa = x[row + a];
        g[a] += ri * xa;
        const va = vi * xa;
        for (let b = 0; b <= a; b++) h[a * k + b] += va * x[row + b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[b * k + a] = h[a * k + b];
    const l = cholesky(h, k);
    if (!l) return null;
    const step = cholSolve(l, k, g);
    let scale = 1;
    let next = new Float64Array(k);
    let devNext = Infinity;
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < k; j++) next[j] = beta[j] + scale * step[j];
      devNext = deviance(next);
      if (devNext <= dev * (1 + 1e-15) + 1e-300 || !Number.isFinite(dev)) break;
      scale /= 2;
    }
    beta.set(next);
    const change = Math.abs(devNext - dev) / (Math.abs(devNext) + 0.1);
    dev = devNext;
    if (change < tol) { converged = true; it++; break; }
  }
  // `fitted` holds the probabilities at the last evaluated beta, which is `beta`.
  return { beta, fitted, converged, iterations: it };
}
