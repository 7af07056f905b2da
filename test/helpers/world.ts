/**
 * Shared pieces of the world/ moment tests: a resolved scenario from a YAML fragment, and sample
 * moments with their Monte Carlo SEs (so each test states its tolerance as a number of SEs).
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { expandGrid, type ResolvedScenario } from '../../src/scenario/grid.js';
import { streamFor } from '../../src/random/stream.js';
import { adoptionSample } from '../../src/design/adoption.js';
import { potentialOutcomes } from '../../src/world/potential-outcomes.js';

/**
 * The first design point of a scenario given as YAML text. Parts left out get small valid defaults
 * (two periods, ten people, a continuous outcome, one adopter), so a test states only what it checks.
 */
export function worldPoint(parts: {
  periods?: string;
  population?: string;
  outcome?: string;
  effect?: string;
  design?: string;
}): ResolvedScenario {
  const text = [
    'name: t',
    `periods: ${parts.periods ?? '{first: 1, count: 2}'}`,
    `population: ${parts.population ?? '{size: 10}'}`,
    `outcome: ${parts.outcome ?? '{type: continuous, mean: 0, sd: 1}'}`,
    ...(parts.effect ? [`effect: ${parts.effect}`] : []),
    `design: ${parts.design ?? '{type: adoption, schedule: [{period: 2, members: 1}]}'}`,
  ].join('\n');
  return expandGrid(scenarioSchema.parse(parse(text)))[0].scenario;
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Population-style sd (divisor n). */
export function sd(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / a.length);
}

/** Mean and its SE sd/√n. */
export function meanSe(a: ArrayLike<number>): { mean: number; se: number } {
  return { mean: mean(a), se: sd(a) / Math.sqrt(a.length) };
}

/**
 * Pearson's r and its SE from the influence function of r at the standardised pair (x̃, ỹ),
 * IF = x̃ỹ − r(x̃² + ỹ²)/2 (valid for any joint distribution with fourth moments, binary included;
 * for bivariate normals its variance is (1 − ρ²)², the textbook SE).
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { r: number; se: number } {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  const sx = sd(x);
  const sy = sd(y);
  let sxy = 0;
  for (let i = 0; i < n; i++) sxy += (x[i] - mx) * (y[i] - my);
  const r = sxy / n / (sx * sy);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (x[i] - mx) / sx;
    const b = (y[i] - my) / sy;
    inf[i] = a * b - (r * (a * a + b * b)) / 2;
  }
  return { r, se: sd(inf) / Math.sqrt(n) };
}

/** Assert |actual − expected| < k·se with a message naming both. */
export function withinSe(actual: number, expected: number, se: number, what: string, k = 4): void {
  assert.ok(Math.abs(actual - expected) < k * se, `${what}: ${actual} vs ${expected} (${k} SE = ${k * se})`);
}

/**
 * One draw of an adoption-design world (cohort and potential outcomes), straight from the world's
 * parts: no estimator or truth, so moment tests stay fast. Streams as generateDraw names them.
 */
export function drawAdoptionWorld(s: ResolvedScenario, seed: string, draw = 0) {
  const d = s.design;
  if (d.type !== 'adoption') throw new Error('drawAdoptionWorld: an adoption design');
  const stream = (step: string) => streamFor(seed, 0, draw, step);
  const cohort = adoptionSample(s, d, { population: stream('population'), assignment: stream('assignment') });
  const periods = Float64Array.from({ length: s.periods.count }, (_, t) => s.periods.first + t);
  const po = potentialOutcomes(s, cohort, periods, { unit: stream('unit'), effects: stream('effects'), units: stream('units') });
  return { cohort, periods, n: cohort.people.n, T: periods.length, ...po };
}
