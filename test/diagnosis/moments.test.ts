import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Moments, deltaSe } from '../../src/diagnosis/moments.js';
import { seeded } from '../../src/random/stream.js';

test('streaming means and covariances equal the two-pass ones', () => {
  const rng = seeded('moments');
  const xs = Array.from({ length: 1000 }, () => {
    const a = 1e4 + rng() * 10; // large offset: Welford must not lose the small spread
    return [a, 2 * a + rng(), rng() < 0.3 ? 1 : 0];
  });
  const m = new Moments(3);
  for (const x of xs) m.push(x);
  const mean = [0, 1, 2].map((i) => xs.reduce((s, x) => s + x[i], 0) / xs.length);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(m.meanOf(i) - mean[i]) < 1e-9 * Math.max(1, Math.abs(mean[i])));
    for (let j = 0; j < 3; j++) {
      const c = xs.reduce((s, x) => s + (x[i] - mean[i]) * (x[j] - mean[j]), 0) / xs.length;
      assert.ok(Math.abs(m.cov(i, j) - c) < 1e-8 * Math.max(1, Math.abs(c)), `cov(${i},${j})`);
    }
  }
});

test('delta SE of a share is sqrt(p(1-p)/n) and of a mean sd/sqrt(n)', () => {
  const m = new Moments(2);
  const n = 400;
  for (let k = 0; k < n; k++) m.push([k < 52 ? 1 : 0, k % 4]);
  assert.equal(m.meanOf(0), 0.13);
  assert.ok(Math.abs(deltaSe(m, [1, 0]) - Math.sqrt((0.13 * 0.87) / n)) < 1e-15);
  // k % 4 takes 0..3 equally: plug-in variance 1.25
  assert.ok(Math.abs(deltaSe(m, [0, 1]) - Math.sqrt(1.25 / n)) < 1e-12);
});
