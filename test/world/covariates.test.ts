// The Gaussian copula of world/covariates.ts against closed forms, d3-random style: 20,000 people from
// a fixed seed, every pair type's realised Pearson correlation within 4 MC SEs (influence-function SE,
// ≈ (1 − ρ²)/√n for normal pairs) of what the stated latent r implies:
//   normal–normal, normal–level: r;
//   binary(p)–normal, binary–level: the point-biserial r·φ(Φ⁻¹(p))/√(p(1−p));
//   binary–binary: (P₁₁ − p₁p₂)/√(p₁q₁p₂q₂), P₁₁ the bivariate-normal orthant probability
//     Φ₂(Φ⁻¹(p₁), Φ⁻¹(p₂); r) = p₁p₂ + ∫₀^r φ₂(h, k; s) ds (Plackett 1954), integrated numerically;
//   categorical level index L–normal: r·Σ_l l·(φ(c_{l−1}) − φ(c_l))/sd(L), c_l the cumulative cuts
//     (E[Z₂ | Z₁] = rZ₁ and E[Z₁; c_{l−1} ≤ Z₁ < c_l] = φ(c_{l−1}) − φ(c_l)).
// A binary is 1 in the upper tail of its latent, so the signs follow r (the old code flipped them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawPeople } from '../../src/world/covariates.js';
import { normalCdf, normalQuantile } from '../../src/random/phi.js';
import { seeded } from '../../src/random/stream.js';
import { mean, pearson, withinSe, worldPoint } from '../helpers/world.js';

const N = 20000;
const phi = (x: number) => (Number.isFinite(x) ? Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI) : 0);

/** P(Z₁ < h, Z₂ < k) for standard normals with correlation r: Plackett's integral by Simpson's rule. */
function orthant(h: number, k: number, r: number): number {
  const dens = (s: number) => Math.exp(-(h * h - 2 * s * h * k + k * k) / (2 * (1 - s * s))) / (2 * Math.PI * Math.sqrt(1 - s * s));
  const m = 400;
  const step = r / m;
  let acc = dens(0) + dens(r);
  for (let j = 1; j < m; j++) acc += (j % 2 ? 4 : 2) * dens(j * step);
  return normalCdf(h) * normalCdf(k) + (acc * step) / 3;
}

const population = `{size: 10,
  covariates: {
    woman: {type: binary, p: 0.45}, age: {type: normal, mean: 40, sd: 10}, sa: {type: binary, p: 0.3},
    edu: {type: categorical, levels: [low, mid, high], p: [0.3, 0.5, 0.2]}, income: {type: normal, mean: 2000, sd: 800}},
  correlations: [
    {between: [woman, age], r: 0.4}, {between: [woman, sa], r: 0.5}, {between: [sa, level], r: -0.3},
    {between: [age, income], r: 0.6}, {between: [income, level], r: 0.35}, {between: [edu, income], r: 0.45}]}`;
const spec = worldPoint({ population }).population;
const people = drawPeople(seeded('copula pairs'), spec, N);
const x = people.covariates;

function check(a: ArrayLike<number>, b: ArrayLike<number>, expected: number, what: string) {
  const { r, se } = pearson(a, b);
  withinSe(r, expected, se, what);
  return r;
}
const pointBiserial = (r: number, p: number) => (r * phi(normalQuantile(p))) / Math.sqrt(p * (1 - p));

test('marginals exact: binary shares p (0.45, 0.3), categorical shares 0.3/0.5/0.2, normal mean and sd', () => {
  withinSe(mean(x.woman), 0.45, Math.sqrt((0.45 * 0.55) / N), 'woman share');
  withinSe(mean(x.sa), 0.3, Math.sqrt((0.3 * 0.7) / N), 'sa share');
  for (const [l, p] of [0.3, 0.5, 0.2].entries())
    withinSe(mean(Array.from(x.edu, (v) => (v === l ? 1 : 0))), p, Math.sqrt((p * (1 - p)) / N), `edu level ${l}`);
  withinSe(mean(x.age), 40, 10 / Math.sqrt(N), 'age mean');
  withinSe(mean(people.level), 0, 1 / Math.sqrt(N), 'level mean');
});

test('binary–normal and binary–level: point-biserial r·φ(Φ⁻¹(p))/√(p(1−p)), with the sign of r', () => {
  const wa = check(x.woman, x.age, pointBiserial(0.4, 0.45), 'woman–age (r 0.4)');
  assert.ok(wa > 0.25, `women are older when r > 0: ${wa}`);
  const sl = check(x.sa, people.level, pointBiserial(-0.3, 0.3), 'sa–level (r −0.3)');
  assert.ok(sl < -0.15, `sa lowers level when r < 0: ${sl}`);
});

test('binary–binary: the bivariate-normal orthant probability', () => {
  const h = normalQuantile(0.45);
  const k = normalQuantile(0.3);
  const p11 = orthant(h, k, 0.5);
  // Check the integral against its r = 0 value and a known case: Φ₂(0, 0; r) = 1/4 + asin(r)/(2π).
  assert.ok(Math.abs(orthant(0, 0, 0.5) - (0.25 + Math.asin(0.5) / (2 * Math.PI))) < 1e-9);
  const expected = (p11 - 0.45 * 0.3) / Math.sqrt(0.45 * 0.55 * 0.3 * 0.7);
  check(x.woman, x.sa, expected, 'woman–sa (r 0.5)');
  withinSe(mean(Array.from(x.woman, (w, i) => w * x.sa[i])), p11, Math.sqrt((p11 * (1 - p11)) / N), 'P(both 1)');
});

test('normal–normal and normal–level: r', () => {
  check(x.age, x.income, 0.6, 'age–income (r 0.6)');
  check(x.income, people.level, 0.35, 'income–level (r 0.35)');
  check(x.age, people.level, 0, 'age–level (stated r 0)');
});

test('categorical level index–normal: the index rises with the latent', () => {
  const p = [0.3, 0.5, 0.2];
  const cuts = [normalQuantile(0.3), normalQuantile(0.8), Infinity];
  let e = 0;
  let prev = -Infinity;
  for (let l = 0; l < 3; l++) {
    e += l * (phi(prev) - phi(cuts[l]));
    prev = cuts[l];
  }
  const m = p.reduce((s, q, l) => s + q * l, 0);
  const sdL = Math.sqrt(p.reduce((s, q, l) => s + q * (l - m) ** 2, 0));
  const r = check(x.edu, x.income, (0.45 * e) / sdL, 'edu index–income (r 0.45)');
  assert.ok(r > 0.3, `higher levels have higher income: ${r}`);
});
