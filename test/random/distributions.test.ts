// Distributions against closed-form moments, d3-random style: 20,000 draws from a fixed seed, each
// mean within 4 Monte Carlo SEs of its expectation (sd/√n), so a wrong parameterisation fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seeded, UnitStreams } from '../../src/random/stream.js';
import { randomNormal } from '../../src/random/normal.js';
import { randomPoisson } from '../../src/random/poisson.js';
import { randomBinomial } from '../../src/random/binomial.js';
import { randomGamma, randomLogNormalMean } from '../../src/random/lognormal.js';
import { randomCategorical, permutation } from '../../src/random/discrete.js';
import { normalCdf, normalCdfFast, normalQuantile } from '../../src/random/phi.js';

const N = 20000;
function moments(f: () => number) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const x = f();
    s += x;
    s2 += x * x;
  }
  const mean = s / N;
  return { mean, variance: s2 / N - mean * mean };
}
function near(actual: number, expected: number, sd: number, what: string) {
  const se = sd / Math.sqrt(N);
  assert.ok(Math.abs(actual - expected) < 4 * se, `${what}: ${actual} vs ${expected} (4 SE = ${4 * se})`);
}

test('normal(3, 2): mean 3, variance 4', () => {
  const m = moments(randomNormal(seeded('normal'), 3, 2));
  near(m.mean, 3, 2, 'mean');
  assert.ok(Math.abs(m.variance - 4) < 0.15, `variance ${m.variance}`);
});

for (const lambda of [0.7, 4, 37, 250]) {
  test(`Poisson(${lambda}): mean and variance λ`, () => {
    const m = moments(randomPoisson(seeded(`poisson${lambda}`), lambda));
    near(m.mean, lambda, Math.sqrt(lambda), 'mean');
    assert.ok(Math.abs(m.variance / lambda - 1) < 0.06, `variance ${m.variance}`);
  });
}

for (const [n, p] of [
  [30, 0.2],
  [30, 0.9],
  [500, 0.03],
  [2000, 0.6],
] as const) {
  test(`Binomial(${n}, ${p}): mean np, variance np(1−p)`, () => {
    const m = moments(randomBinomial(seeded(`binom${n}${p}`), n, p));
    const v = n * p * (1 - p);
    near(m.mean, n * p, Math.sqrt(v), 'mean');
    assert.ok(Math.abs(m.variance / v - 1) < 0.06, `variance ${m.variance} vs ${v}`);
  });
}

test('log-normal with arithmetic mean 7100 (R1 earnings given any), sdlog 0.9', () => {
  const sd = 7100 * Math.sqrt(Math.exp(0.81) - 1);
  near(moments(randomLogNormalMean(seeded('ln'), 7100, 0.9)).mean, 7100, sd, 'mean');
});

for (const shape of [0.5, 3]) {
  test(`Gamma(${shape}, 2): mean kθ, variance kθ²`, () => {
    const m = moments(randomGamma(seeded(`gamma${shape}`), shape, 2));
    near(m.mean, shape * 2, Math.sqrt(shape * 4), 'mean');
    assert.ok(Math.abs(m.variance / (shape * 4) - 1) < 0.08, `variance ${m.variance}`);
  });
}

test('categorical shares (R1 referral sources 55/26/12/3/4 %)', () => {
  const p = [0.55, 0.26, 0.12, 0.03, 0.04];
  const f = randomCategorical(seeded('cat'), p);
  const counts = new Array(p.length).fill(0);
  for (let i = 0; i < N; i++) counts[f()]++;
  p.forEach((pi, l) => near(counts[l] / N, pi, Math.sqrt(pi * (1 - pi)), `level ${l}`));
});

test('permutation holds every index once', () => {
  const a = [...permutation(seeded('perm'), 1000)].sort((x, y) => x - y);
  assert.deepEqual(
    a,
    Array.from({ length: 1000 }, (_, i) => i),
  );
});

test('Φ and Φ⁻¹: known values (R: pnorm(1.959964) = 0.975) and round trip', () => {
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1) - 0.1586553) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
  for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-6 * Math.max(1, p * 10));
  assert.throws(() => normalQuantile(1), /expected p in \(0, 1\), found 1/);
});

test('parameters are checked when a generator is built', () => {
  const rng = seeded(1);
  assert.throws(() => randomPoisson(rng, -1), /expected λ ≥ 0, found -1/);
  assert.throws(() => randomBinomial(rng, 2.5, 0.5), /expected an integer n ≥ 0, found 2.5/);
  assert.throws(() => randomNormal(rng, 0, -1), /sd ≥ 0/);
});

test('ziggurat normal: the share below each of several quantiles matches Φ (100,000 draws, 4 MC SEs)', () => {
  const z = randomNormal(seeded('ziggurat'), 0, 1);
  const n = 100000;
  const qs = [-3.5, -2, -1, -0.3, 0, 0.7, 1.5, 2.5, 3.5];
  const below = new Array(qs.length).fill(0);
  for (let i = 0; i < n; i++) {
    const x = z();
    for (let k = 0; k < qs.length; k++) if (x < qs[k]) below[k]++;
  }
  qs.forEach((q, k) => {
    const p = normalCdf(q);
    const se = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(below[k] / n - p) < 4 * se + 1e-6, `P(Z < ${q}): ${below[k] / n} vs ${p}`);
  });
});

test('normalCdfFast agrees with Φ to 5e-7 (table, linear interpolation)', () => {
  for (let x = -10; x <= 10; x += 0.0137) assert.ok(Math.abs(normalCdfFast(x) - normalCdf(x)) < 5e-7, `x = ${x}`);
  assert.equal(normalCdfFast(-Infinity), 0);
  assert.equal(normalCdfFast(Infinity), 1);
  assert.ok(Number.isNaN(normalCdfFast(NaN)));
});

test("unit streams: unit i's numbers do not depend on how many units there are; uniform mean 1/2", () => {
  const a = new UnitStreams(seeded('units'), 3);
  const b = new UnitStreams(seeded('units'), 50);
  for (let i = 0; i < 3; i++) for (let k = 0; k < 5; k++) assert.equal(a.uniform(i), b.uniform(i));
  let s = 0;
  for (let k = 0; k < N; k++) s += b.uniform(k % 50);
  near(s / N, 0.5, Math.sqrt(1 / 12), 'mean');
});
