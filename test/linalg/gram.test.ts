/** The blocked cross-product kernels against plain loops, for every column count 1–9 (tails included). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnDots, crossprod, linearPredictor } from '../../src/linalg/gram.js';
import { seeded } from '../../src/random/stream.js';

const n = 37;
function columns(k: number, seed: number): Float64Array[] {
  const rng = seeded(seed);
  return Array.from({ length: k }, () => Float64Array.from({ length: n }, () => rng() * 4 - 2));
}
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('gram kernels', () => {
  for (let k = 1; k <= 9; k++) {
    it(`k = ${k}: crossprod, linearPredictor and columnDots equal the naive sums`, () => {
      const cols = columns(k, k);
      const [w] = columns(1, 100 + k);
      const from = 3,
        to = n - 2;
      const g = crossprod(cols, from, to, w, new Float64Array(n));
      const g1 = crossprod(cols, 0, n, undefined, new Float64Array(n));
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let s = 0,
            s1 = 0;
          for (let i = from; i < to; i++) s += w[i] * cols[a][i] * cols[b][i];
          for (let i = 0; i < n; i++) s1 += cols[a][i] * cols[b][i];
          assert.ok(near(g[a * k + b], s), `weighted (${a}, ${b}): ${g[a * k + b]} vs ${s}`);
          assert.ok(near(g1[a * k + b], s1), `unweighted (${a}, ${b})`);
        }
      }
      const beta = Float64Array.from({ length: k }, (_, a) => a - 1.5);
      const eta = linearPredictor(cols, beta, n, new Float64Array(n).fill(99));
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += beta[a] * cols[a][i];
        assert.ok(near(eta[i], s), `Xb at ${i}`);
      }
      const dots = columnDots(w, cols, from, to, new Float64Array(k));
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let i = from; i < to; i++) s += w[i] * cols[a][i];
        assert.ok(near(dots[a], s), `Xᵀu at ${a}`);
      }
    });
  }
});
