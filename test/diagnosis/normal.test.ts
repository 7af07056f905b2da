import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criticalValue, normalQuantile } from '../../src/diagnosis/normal.js';

test('normalQuantile matches R qnorm to 1e-12', () => {
  // confirmed in R: qnorm(c(0.975, 0.995, 0.5, 0.01, 1e-10))
  const cases: [number, number][] = [
    [0.975, 1.959963984540054],
    [0.995, 2.575829303548901],
    [0.5, 0],
    [0.01, -2.326347874040841],
    [1e-10, -6.361340902404056],
  ];
  for (const [p, q] of cases) assert.ok(Math.abs(normalQuantile(p) - q) < 1e-12 * Math.max(1, Math.abs(q)), `p=${p}`);
});

test('criticalValue is z_{1-alpha/2} and rejects alpha outside (0, 1)', () => {
  assert.ok(Math.abs(criticalValue(0.05) - 1.959963984540054) < 1e-8);
  assert.throws(() => criticalValue(0), /alpha must be in \(0, 1\)/);
  assert.throws(() => normalQuantile(1), /p must be in \(0, 1\)/);
});
