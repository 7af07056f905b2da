// Outcome models against their closed forms (d3-style, 40,000 cells from a fixed seed, 4 MC SEs):
// earnings (R1: mean 1,990 kr/month, 28 % with any) and its effect on the extensive margin, counts
// (sickness-benefit days: mean 5, 24 % with any), and the heaped 0–10 scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { expandGrid } from '../../src/scenario/grid.js';
import { fillOutcomeRow, outcomeModel } from '../../src/world/outcome.js';
import { latentVariance } from '../../src/world/latent.js';
import { randomNormal } from '../../src/random/normal.js';
import { seeded, UnitStreams } from '../../src/random/stream.js';

const N = 40000;
function point(outcome: string) {
  const raw = parse(`name: t\nperiods: {first: 1, count: 2}\npopulation: {size: 10}\noutcome: ${outcome}\ndesign: {type: adoption, schedule: [{period: 2, members: 1}]}\n`);
  return expandGrid(scenarioSchema.parse(raw))[0].scenario;
}
function cells(outcome: string, tau: number) {
  const s = point(outcome);
  const m = outcomeModel(s.outcome, s.population);
  const z = randomNormal(seeded(`eta ${outcome}`), 0, Math.sqrt(latentVariance(s.outcome, s.population)));
  const eta = Float64Array.from({ length: N }, () => z());
  const y0 = new Float64Array(N);
  const y1 = new Float64Array(N);
  fillOutcomeRow(new UnitStreams(seeded(`cells ${outcome}`), N), m, eta, new Float64Array(N).fill(tau), tau === 0, y0, y1, 0);
  return { y0, y1 };
}
const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a: Float64Array) => {
  const mu = mean(a);
  return Math.sqrt(a.reduce((x, y) => x + (y - mu) ** 2, 0) / a.length);
};
const near = (v: number, e: number, s: number, what: string) => assert.ok(Math.abs(v - e) < (4 * s) / Math.sqrt(N), `${what}: ${v} vs ${e}`);

test('earnings: mean 1,990 kr/month, 28 % with any; an effect of 1,000 moves the mean by 1,000, earners keep their amount', () => {
  const o = '{type: earnings, mean: 1990, share_any: 0.28, sdlog: 0.9, unit_sd: 1.3, noise_sd: 0.8}';
  const { y0 } = cells(o, 0);
  near(mean(y0), 1990, sd(y0), 'mean');
  const any = y0.map((v) => (v > 0 ? 1 : 0));
  near(mean(any), 0.28, Math.sqrt(0.28 * 0.72), 'share with any');
  const { y0: a, y1: b } = cells(o, 1000);
  const d = b.map((v, i) => v - a[i]);
  near(mean(d), 1000, sd(d), 'effect');
  for (let i = 0; i < N; i++) if (a[i] > 0) assert.equal(b[i], a[i]);
  assert.deepEqual(a, y0); // Y(0) does not depend on the effect (common random numbers)
});

test('count: mean 5 days a month, 24 % with any, days in 1..30 given any', () => {
  const { y0 } = cells('{type: count, mean: 5, share_any: 0.24, max: 30, sd_any: 6}', 0);
  near(mean(y0), 5, sd(y0), 'mean days');
  near(mean(y0.map((v) => (v > 0 ? 1 : 0))), 0.24, Math.sqrt(0.24 * 0.76), 'share with any');
  assert.ok(y0.every((v) => v === 0 || (v >= 1 && v <= 30 && Number.isInteger(v))));
});

test('scale with heaping: integers in 0..10, about the heap share moved to 0/5/10', () => {
  const { y0 } = cells('{type: scale, mean: 4.6, sd: 3, heap: {at: [0, 5, 10], share: 0.2}}', 0);
  const { y0: plain } = cells('{type: scale, mean: 4.6, sd: 3}', 0);
  assert.ok(y0.every((v) => Number.isInteger(v) && v >= 0 && v <= 10));
  const atHeaps = (a: Float64Array) => mean(a.map((v) => (v === 0 || v === 5 || v === 10 ? 1 : 0)));
  // Heaping moves 20 % of answers to a heap value; those already there stay: share rises by 0.2·(1 − share).
  const before = atHeaps(plain);
  near(atHeaps(y0), before + 0.2 * (1 - before), 0.5, 'share at 0/5/10');
});
