/**
 * Logistic regression by Newton–Raphson (IRLS), for the propensity score P(D = 1 | X).
 * X is given by columns (each of length n, the intercept first); weights are optional case weights.
 * Written for n large, k small: each iteration forms XᵀWX and the score as k(k+1)/2 + k dot products
 * over contiguous columns, then updates the fitted probabilities.
 */
import { Scratch } from './arena.js';
import { columnDots, crossprod, linearPredictor } from './gram.js';
import { cholesky, cholSolve } from './small.js';

export interface LogitFit {
  beta: Float64Array;
  /** Fitted probabilities, length n. */
  fitted: Float64Array;
  converged: boolean;
  iterations: number;
}

/** glm's convergence criterion (glm.control: epsilon = 1e-8, maxit = 25): a fit has converged once
 *  an iteration changes the deviance by |dev − dev_old| / (|dev| + 0.1) < DEV_EPS. A full Newton step
 *  that meets it is glm's own stopping point (and handles separation, where the coefficients run off
 *  while the deviance settles). */
export const DEV_EPS = 1e-8;
export const MAXIT = 25;
/** A full Newton step this short leaves an error of order STEP_TOL² = 1e-10 (quadratic convergence):
 *  the fit stops there once glm's criterion holds, or when glm's criterion has held twice running
 *  (separation, where the steps stay long while the deviance settles). Stopping at glm's criterion
 *  alone would leave ~1e-10 differences between warm and cold starts. */
const STEP_TOL = 1e-5;
/** Once a Newton step is this short, later steps reuse its Hessian (a simplified Newton method):
 *  each such step then contracts the error by a factor of about the length of that last full step,
 *  so two or three gradient-only iterations replace the last full ones, whose Hessian pass over n
 *  units costs (k+1)/2 times the gradient's. */
const FREEZE_BELOW = 1e-2;
/** A simplified step converges only linearly, so a small deviance change does not show that it is
 *  done (on DRDID's NSW sample the deviance settled to 1e-10 while coefficients still moved by 1e-6):
 *  a step with a reused Hessian stops the iteration only when it also moves every coefficient by
 *  less than this (relative to 1 + |β|); with contraction ≤ FREEZE_BELOW the error left is ~1e-10. */
const FROZEN_TOL = 1e-8;

/** Per-iteration temporaries (η, working weights, residual weights, w∘x), reused across fits. */
const work = new Scratch();
/** The k × k and k-vector temporaries (Hessian, its factor, score, step, next iterate), likewise. */
const small = new Scratch();

export interface LogitOptions {
  /** Case weights (default 1). */
  weights?: ArrayLike<number>;
  /** Starting coefficients (a neighbouring fit); default: the intercept-only MLE. */
  start?: Float64Array;
  /** Iteration cap (default 25, glm.control's maxit); a fit that reaches it reports converged = false. */
  maxit?: number;
  /** Where to write the fitted probabilities (length n); default: a new array. */
  fitted?: Float64Array;
}

/**
 * Maximum-likelihood logit fit with step halving (glm's safeguard against a rising deviance).
 * @returns the fit, or null when XᵀWX is singular (collinear covariates).
 * @example fitLogit([ones, x], [0, 1, 1, 0]).beta // as R: coef(glm(d ~ x, binomial))
 */
export function fitLogit(cols: Float64Array[], d: ArrayLike<number>, options: LogitOptions = {}): LogitFit | null {
  const { weights: w, start, maxit = MAXIT } = options;
  const k = cols.length;
  const n = cols[0].length;
  const kbuf = small.get(2 * k * k + 4 * k);
  const h = kbuf.subarray(0, k * k);
  const chol = kbuf.subarray(k * k, 2 * k * k).fill(0);
  const g = kbuf.subarray(2 * k * k, 2 * k * k + k);
  const step = kbuf.subarray(2 * k * k + k, 2 * k * k + 2 * k);
  let beta = kbuf.subarray(2 * k * k + 2 * k, 2 * k * k + 3 * k).fill(0);
  let next = kbuf.subarray(2 * k * k + 3 * k, 2 * k * k + 4 * k);
  if (start) beta.set(start);
  else {
    let sw = 0,
      swd = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      sw += wi;
      swd += wi * d[i];
    }
    const pbar = Math.min(Math.max(swd / sw, 1e-10), 1 - 1e-10);
    beta[0] = Math.log(pbar / (1 - pbar));
  }
  const fitted = options.fitted ?? new Float64Array(n);
  const buf = work.get(4 * n);
  const eta = buf.subarray(0, n);
  const vw = buf.subarray(n, 2 * n);
  const rw = buf.subarray(2 * n, 3 * n);
  const wca = buf.subarray(3 * n, 4 * n);
  const setFitted = (b: Float64Array): void => {
    linearPredictor(cols, b, n, eta);
    for (let i = 0; i < n; i++) {
      const e = eta[i] > 36 ? 36 : Math.max(eta[i], -36); // p saturates at ≈ 1 − 2e-16, as glm's does
      fitted[i] = 1 / (1 + Math.exp(-e));
    }
  };
  // Deviance (−2 log-likelihood) at the current fitted values, written to stay finite when p saturates.
  const deviance = (): number => {
    let dev = 0;
    for (let i = 0; i < n; i++) {
      const p = fitted[i];
      const wi = w ? w[i] : 1;
      dev -= wi * (d[i] > 0 ? Math.log(p) : Math.log1p(-p));
    }
    return 2 * dev;
  };
  setFitted(beta);
  let dev = deviance(); // at the current coefficients
  let converged = false;
  let it = 0;
  let frozen = false; // the Cholesky factor in `chol` is an earlier iterate's (see FREEZE_BELOW)
  let prevStep = Infinity;
  let settledBefore = false; // glm's criterion held at the previous iteration
  while (it < maxit) {
    it++;
    for (let i = 0; i < n; i++) {
      const p = fitted[i];
      const wi = w ? w[i] : 1;
      vw[i] = wi * p * (1 - p);
      rw[i] = wi * (d[i] - p);
    }
    // Score g = Xᵀ(d − p) and, unless frozen, the Hessian XᵀVX.
    columnDots(rw, cols, 0, n, g);
    if (!frozen) crossprod(cols, 0, n, vw, wca, h);
    if (!frozen && !cholesky(h, k, chol)) return null;
    cholSolve(chol, k, g, step);
    let maxStep = 0;
    for (let j = 0; j < k; j++) maxStep = Math.max(maxStep, Math.abs(step[j]) / (1 + Math.abs(beta[j])));
    if (frozen && !(maxStep < 0.5 * prevStep)) {
      // The old Hessian no longer contracts well enough: take this iteration again with a fresh one.
      frozen = false;
      it--;
      continue;
    }
    let devNext: number;
    if (maxStep < 0.1) {
      // Near the optimum the Newton step is safe (the log-likelihood is concave and locally quadratic).
      for (let j = 0; j < k; j++) next[j] = beta[j] + step[j];
      setFitted(next);
      devNext = deviance();
    } else {
      // A long step: glm's safeguard, halve it until the deviance does not rise.
      let scale = 1;
      devNext = dev;
      for (let half = 0; half < 30; half++) {
        for (let j = 0; j < k; j++) next[j] = beta[j] + scale * step[j];
        setFitted(next);
        devNext = deviance();
        if (devNext <= dev * (1 + 1e-12) + 1e-12) break;
        scale /= 2;
      }
      maxStep *= scale;
    }
    const prev = beta;
    beta = next;
    next = prev;
    const settled = Math.abs(devNext - dev) / (Math.abs(devNext) + 0.1) < DEV_EPS;
    dev = devNext;
    // Never before glm's criterion holds; then once the step is short (STEP_TOL for a full step,
    // FROZEN_TOL for a simplified one), or when the criterion held twice running on full steps.
    if (settled && (maxStep < (frozen ? FROZEN_TOL : STEP_TOL) || (settledBefore && !frozen))) {
      converged = true;
      break;
    }
    settledBefore = settled;
    if (maxStep < FREEZE_BELOW) frozen = true;
    prevStep = maxStep;
  }
  // `fitted` holds the probabilities at the last evaluated coefficients, which are `beta`.
  return { beta: Float64Array.from(beta), fitted, converged, iterations: it };
}
