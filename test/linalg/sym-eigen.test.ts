/** Jacobi eigen-decomposition and the pseudo-inverse square root, checked by their defining identities. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { symEigen, symPower } from '../../src/linalg/sym-eigen.js';
import { seeded } from '../../src/random/stream.js';

function mul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const o = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) o[i * n + j] += a[i * n + k] * b[k * n + j];
  return o;
}

describe('symEigen / symPower', () => {
  it('A V = V Λ for a random symmetric matrix', () => {
    const rng = seeded('eigen');
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng() - 0.5;
    const { values, vectors } = symEigen(a, n);
    const av = mul(a, vectors, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(av[i * n + j] - vectors[i * n + j] * values[j]) < 1e-12);
  });
  it('the −1/2 power of a singular projector-like matrix: S A S = A⁺ on the range, 0 on the null space', () => {
    // M = I − J/3 (rank 2): M^{−1/2} with the null space dropped is M itself (eigenvalues 1 and 0).
    const n = 3;
    const m = Float64Array.from({ length: 9 }, (_, k) => (Math.floor(k / 3) === k % 3 ? 1 : 0) - 1 / 3);
    const s = symPower(m, n, -0.5);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(s[k] - m[k]) < 1e-12, `entry ${k}: ${s[k]} vs ${m[k]}`);
    // A diagonal case with a known root.
    const d = Float64Array.from([4, 0, 0, 0, 0.25, 0, 0, 0, 0]);
    const r = symPower(d, 3, -0.5);
    assert.deepEqual(
      Array.from(r, (v) => Math.round(v * 1e12) / 1e12),
      [0.5, 0, 0, 0, 2, 0, 0, 0, 0],
    );
  });
});
