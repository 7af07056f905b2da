/**
 * The propensity logit: at its answer the score Xᵀ(d − p) vanishes, whatever the start (cold, or warm
 * from a neighbouring fit, which exercises the simplified-Newton tail), and a separated fit stops with
 * its probabilities at the limits instead of running to the iteration cap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitLogit } from '../../src/linalg/logistic.js';
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
      cold.beta.forEach((b, a) => assert.ok(Math.abs(warm.beta[a] - b) < 1e-9, `shift ${shift}, coefficient ${a}: ${warm.beta[a]} vs ${b}`));
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
});
