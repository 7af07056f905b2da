// The bivariate normal orthant probability against its closed form, and the placebo rollout's shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bvnCdf, tetrachoric } from '../../src/calibrate/bvn.js';
import { placeboStarts } from '../../src/calibrate/placebo.js';
import { pnorm } from '../../src/stats/normal.js';

test('Φ₂(0, 0; r) = 1/4 + asin(r)/2π (Sheppard), and Φ₂(h, k; 0) = Φ(h)Φ(k)', () => {
  for (const r of [0.1, 0.5, 0.9, 0.99]) assert.ok(Math.abs(bvnCdf(0, 0, r) - (0.25 + Math.asin(r) / (2 * Math.PI))) < 1e-9, `r = ${r}`);
  assert.ok(Math.abs(bvnCdf(-0.5, 1.2, 0) - pnorm(-0.5) * pnorm(1.2)) < 1e-12);
  // Φ₂(h, h; r) → Φ(h) as r → 1 (the two variables coincide)
  assert.ok(Math.abs(bvnCdf(-0.7, -0.7, 0.999999) - pnorm(-0.7)) < 2e-3);
});

test('tetrachoric inverts Φ₂', () => {
  const h = [-0.5, -0.4];
  const k = [-0.45, -0.3];
  const target = (bvnCdf(h[0], k[0], 0.63) + bvnCdf(h[1], k[1], 0.63)) / 2;
  assert.ok(Math.abs(tetrachoric(h, k, target) - 0.63) < 1e-8);
});

test('placebo: half the units start, in three equal groups over the last quarter, fixed by the seed', () => {
  const s = placeboStarts('7', 600, 48);
  const counts = new Map<number, number>();
  for (const v of s) counts.set(v, (counts.get(v) ?? 0) + 1);
  assert.deepEqual(
    [...counts.entries()].sort((a, b) => a[0] - b[0]),
    [
      [-1, 300],
      [36, 100],
      [40, 100],
      [44, 100],
    ],
  );
  assert.deepEqual(placeboStarts('7', 600, 48), s);
  assert.notDeepEqual(placeboStarts('8', 600, 48), s);
});
