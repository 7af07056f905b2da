// Outcome models against their closed forms (d3-style, 40,000 cells from a fixed seed, 4 MC SEs):
// earnings (R1: mean 1,990 kr/month, 28 % with any) and its effect on the extensive margin, counts
// (sickness-benefit days: mean 5, 24 % with any), and the heaped 0–10 scale; then the first period's
// stated shares and means through the whole latent index (unit effect, noise, covariates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { expandGrid } from '../../src/scenario/grid.js';
import { fillOutcomeRow, outcomeModel } from '../../src/world/outcome.js';
import { latentVariance } from '../../src/world/latent.js';
import { randomNormal } from '../../src/random/normal.js';
import { seeded, UnitStreams } from '../../src/random/stream.js';
import { normalCdf } from '../../src/random/phi.js';
import { drawAdoptionWorld, meanSe, withinSe as near2, worldPoint } from '../helpers/world.js';

const N = 40000;
function point(outcome: string) {
  const raw = parse(
    `name: t\nperiods: {first: 1, count: 2}\npopulation: {size: 10}\noutcome: ${outcome}\ndesign: {type: adoption, schedule: [{period: 2, members: 1}]}\n`,
  );
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
const near = (v: number, e: number, s: number, what: string) =>
  assert.ok(Math.abs(v - e) < (4 * s) / Math.sqrt(N), `${what}: ${v} vs ${e}`);

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

// Through the whole world (covariates, unit effect, AR noise, outcome model): the first period's
// shares and means hold as stated, 20,000 units, 4 MC SEs.

function firstPeriod(population: string, outcome: string, seed: string) {
  const s = worldPoint({ population, outcome, periods: '{first: 1, count: 2}' });
  const w = drawAdoptionWorld(s, seed);
  return { s, y: w.y0.subarray(0, w.n) };
}
const normalCovs = '{size: 20000, covariates: {age: {type: normal, mean: 40, sd: 10}}}';

test('binary (p 0.3), earnings (28 % with any, mean 1,990) and count (24 %, mean 5) in the first period, through the latent index with a normal covariate', () => {
  const latentPart = 'unit_sd: 1.3, noise_sd: 0.8, rho: 0.85, covariate_effects: {age: -0.03}';
  const b = firstPeriod(normalCovs, `{type: binary, p: 0.3, ${latentPart}}`, 'first binary');
  const bm = meanSe(b.y);
  near2(bm.mean, 0.3, bm.se, 'binary share p');
  const e = firstPeriod(normalCovs, `{type: earnings, mean: 1990, share_any: 0.28, sdlog: 0.9, ${latentPart}}`, 'first earnings');
  const em = meanSe(e.y);
  near2(em.mean, 1990, em.se, 'earnings mean');
  const ea = meanSe(e.y.map((v) => (v > 0 ? 1 : 0)));
  near2(ea.mean, 0.28, ea.se, 'earnings share_any');
  const c = firstPeriod(normalCovs, `{type: count, mean: 5, share_any: 0.24, max: 30, sd_any: 6, ${latentPart}}`, 'first count');
  const cm = meanSe(c.y);
  near2(cm.mean, 5, cm.se, 'count mean');
  near2(meanSe(c.y.map((v) => (v > 0 ? 1 : 0))).mean, 0.24, Math.sqrt((0.24 * 0.76) / c.y.length), 'count share_any');
});

test('binary with a binary covariate: the share is the closed-form mixture Σ_x P(x)·Φ((c + β(x − p_x))/√(1 + v_rest)), close to p', () => {
  // η is then not normal, so c = Φ⁻¹(p)·√(1 + Var η) makes the share p only approximately (documented).
  const pop = '{size: 20000, covariates: {woman: {type: binary, p: 0.45}}}';
  const r = firstPeriod(pop, '{type: binary, p: 0.3, unit_sd: 1, noise_sd: 0.5, covariate_effects: {woman: 1.5}}', 'first mixture');
  const vRest = 1 + 0.25;
  const vAll = vRest + 1.5 ** 2 * 0.45 * 0.55;
  const c = -0.5244005127080407 * Math.sqrt(1 + vAll); // Φ⁻¹(0.3) = −0.52440051 (R: qnorm(0.3))
  const exact = 0.45 * normalCdf((c + 1.5 * 0.55) / Math.sqrt(1 + vRest)) + 0.55 * normalCdf((c - 1.5 * 0.45) / Math.sqrt(1 + vRest));
  const m = meanSe(r.y);
  near2(m.mean, exact, m.se, 'share vs the mixture');
  assert.ok(Math.abs(exact - 0.3) < 0.01, `the approximation is close: ${exact}`);
});
