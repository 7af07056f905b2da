/**
 * The propensity logit: at its answer the score Xᵀ(d − p) vanishes, whatever the start (cold, or warm
 * from a neighbouring fit, which exercises the simplified-Newton tail), and a separated fit stops with
 * its probabilities at the limits instead of running to the iteration cap. It stops on glm's criterion
 * (|dev − dev_old| / (|dev| + 0.1) < 1e-8, maxit 25) and never before it: on a badly scaled covariate
 * (an earnings column in dollars, as in DRDID's NSW sample) its answer is the MLE that plain Newton
 * reaches, and a fit cut off by the cap says converged = false.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEV_EPS, fitLogit, MAXIT } from '../../src/linalg/logistic.js';
import { seeded } from '../../src/random/stream.js';

function data(n: number, seed: number) {
  const rng = seeded(seed);
  const ones = new Float64Array(n).fill(1);
  const x1 = Float64Array.from({ length: n }, () => rng() * 2 - 1);
  const x2 = Float64Array.from({ length: n }, () => (rng() < 0.3 ? 1 : 0));
  const d = Float64Array.from({ length: n }, (_, i) => (rng() < 1 / (1 + Math.exp(-(-0.4 + 1.2 * x1[i] - 0.8 * x2[i]))) ? 1 : 0));
  return { cols: [ones, x1, x2], d };
}

function maxScore(cols: Float64Array[], d: Float64Array, p: Float64Array): number {
  return Math.max(...cols.map((c) => Math.abs(c.reduce((s, x, i) => s + x * (d[i] - p[i]), 0))));
}

describe('fitLogit', () => {
  const { cols, d } = data(400, 3);

  it('solves the score equations from a cold start', () => {
    const fit = fitLogit(cols, d)!;
    assert.ok(fit.converged);
    assert.ok(maxScore(cols, d, fit.fitted) < 1e-8, `score ${maxScore(cols, d, fit.fitted)}`);
  });

  it('reaches the same coefficients from warm starts near and far', () => {
    const cold = fitLogit(cols, d)!;
    for (const shift of [1e-3, 0.05, 0.5]) {
      const start = Float64Array.from(cold.beta, (b, a) => b + (a % 2 ? shift : -shift));
      const warm = fitLogit(cols, d, { start })!;
      assert.ok(warm.converged);
      cold.beta.forEach((b, a) =>
        assert.ok(Math.abs(warm.beta[a] - b) < 1e-9, `shift ${shift}, coefficient ${a}: ${warm.beta[a]} vs ${b}`),
      );
    }
  });

  it('writes the fitted probabilities where it is told to', () => {
    const out = new Float64Array(400);
    const fit = fitLogit(cols, d, { fitted: out })!;
    assert.equal(fit.fitted, out);
    assert.ok(out.every((p) => p > 0 && p < 1));
  });

  it('stops a separated fit early, with the separated units at probability ~0', () => {
    // x2 = 1 only among d = 0: quasi-complete separation drives its coefficient to −∞.
    const sep = Float64Array.from(d, (di, i) => (di === 0 && i % 5 === 0 ? 1 : 0));
    const fit = fitLogit([cols[0], cols[1], sep], d)!;
    assert.ok(fit.iterations < 40, `${fit.iterations} iterations`);
    const pSep = Math.max(...Array.from(fit.fitted).filter((_, i) => sep[i] === 1));
    assert.ok(pSep < 1e-6, `largest separated probability ${pSep}`);
  });

  it('returns null when XᵀWX is singular (a column of zeros)', () => {
    assert.equal(fitLogit([cols[0], cols[1], new Float64Array(400)], d), null);
  });

  it('on a covariate in dollars: the MLE of plain Newton (1e-8), and one more Newton step moves the deviance by < 1e-8 relative', () => {
    const rng = seeded(12);
    const n = 3000;
    const ones = new Float64Array(n).fill(1);
    const age = Float64Array.from({ length: n }, () => 18 + Math.floor(rng() * 40));
    const earn = Float64Array.from({ length: n }, () => (rng() < 0.4 ? 0 : Math.round(30000 * rng() * rng())));
    const dd = Float64Array.from({ length: n }, (_, i) => (rng() < 1 / (1 + Math.exp(-(-1 + 0.03 * age[i] - 2e-4 * earn[i]))) ? 1 : 0));
    const X = [ones, age, earn];
    const fit = fitLogit(X, dd)!;
    assert.ok(fit.converged && fit.iterations <= MAXIT, `${fit.iterations} iterations`);
    const mle = plainNewton(X, dd, 40);
    fit.beta.forEach((b, a) =>
      assert.ok(Math.abs(b - mle[a]) <= 1e-8 * Math.max(1, Math.abs(mle[a])), `coefficient ${a}: ${b} vs ${mle[a]}`),
    );
    const dev = (beta: ArrayLike<number>) => deviance(X, dd, beta);
    const after = newtonStep(X, dd, fit.beta);
    const crit = Math.abs(dev(after) - dev(fit.beta)) / (Math.abs(dev(after)) + 0.1);
    assert.ok(crit < DEV_EPS, `glm criterion at our answer ${crit}`);
  });

  it('a fit cut off by the iteration cap says converged = false', () => {
    const fit = fitLogit(cols, d, { maxit: 2 })!;
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 2);
  });
});

/** −2 log-likelihood at beta. */
function deviance(X: Float64Array[], d: Float64Array, beta: ArrayLike<number>): number {
  let dev = 0;
  for (let i = 0; i < d.length; i++) {
    let e = 0;
    for (let a = 0; a < X.length; a++) e += X[a][i] * beta[a];
    dev += 2 * (d[i] > 0 ? Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e)));
  }
  return dev;
}

/** One full Newton step from beta, by dense Gauss–Jordan elimination (an independent computation). */
function newtonStep(X: Float64Array[], d: Float64Array, beta: ArrayLike<number>): Float64Array {
  const k = X.length;
  const A = Array.from({ length: k }, () => new Float64Array(k + 1));
  for (let i = 0; i < d.length; i++) {
    let e = 0;
    for (let a = 0; a < k; a++) e += X[a][i] * beta[a];
    const p = 1 / (1 + Math.exp(-e));
    for (let a = 0; a < k; a++) {
      A[a][k] += X[a][i] * (d[i] - p);
      for (let b = 0; b < k; b++) A[a][b] += p * (1 - p) * X[a][i] * X[b][i];
    }
  }
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let q = c; q <= k; q++) A[r][q] -= f * A[c][q];
    }
  }
  return Float64Array.from({ length: k }, (_, a) => beta[a] + A[a][k] / A[a][a]);
}

function plainNewton(X: Float64Array[], d: Float64Array, steps: number): Float64Array {
  let beta: Float64Array = new Float64Array(X.length);
  for (let s = 0; s < steps; s++) beta = newtonStep(X, d, beta);
  return beta;
}
