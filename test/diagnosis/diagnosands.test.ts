/**
 * Calibration of the diagnosands and their Monte Carlo SEs against a fake estimator whose sampling
 * distribution is known: estimate ~ N(θ, σ²) with reported se = σ (test/engine/fakes/normal-sim.ts).
 * Closed forms from Gelman & Carlin (2014), "Beyond power calculations", retrodesign().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFunction } from 'simple-statistics';
import { EstimandAccumulator, type DiagnosandValue } from '../../src/diagnosis/diagnosands.js';
import { criticalValue } from '../../src/diagnosis/normal.js';
import { createSimulation, type FakePoint } from '../engine/fakes/normal-sim.js';

const Z = criticalValue(0.05);
const Phi = (x: number): number => 0.5 * (1 + errorFunction(x / Math.SQRT2));
const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

function diagnose(p: FakePoint, draws: number, seed: string): Map<string, DiagnosandValue> {
  const sim = createSimulation({ points: [p] });
  const acc = new EstimandAccumulator(Z);
  for (let d = 0; d < draws; d++) for (const r of sim.runDraw(seed, 0, d)) acc.push(r);
  return new Map(acc.diagnosands().map((v) => [`${v.diagnosand}/${v.target}`, v]));
}

function within3(v: DiagnosandValue, expected: number, what: string): void {
  assert.ok(Math.abs(v.value - expected) <= 3 * v.mcSe, `${what}: ${v.value} ± ${v.mcSe} (3 MC SEs) should contain ${expected}`);
}

test('under the null the rejection rate is within 3 MC SEs of alpha and coverage of 0.95', () => {
  const d = diagnose({ mu: 0, sigma: 1 }, 4000, 'null');
  within3(d.get('power/')!, 0.05, 'power');
  within3(d.get('coverage/sample')!, 0.95, 'coverage');
  within3(d.get('bias/sample')!, 0, 'bias');
  within3(d.get('rmse/sample')!, 1, 'RMSE');
  within3(d.get('se_sd_ratio/')!, 1, 'SE/SD');
  assert.equal(d.get('power/')!.mcSe, Math.sqrt((d.get('power/')!.value * (1 - d.get('power/')!.value)) / 4000));
});

test('power, type S and exaggeration match Gelman & Carlin closed forms (true effect = 1 SE)', () => {
  const D = 1;
  const d = diagnose({ mu: D, sigma: 1 }, 20000, 'retrodesign');
  const power = 1 - Phi(Z - D) + Phi(-Z - D); // 0.1700 (retrodesign(1, 1))
  const typeS = Phi(-Z - D) / power; // 0.0052
  const a = Z - D;
  const b = -Z - D;
  const exaggeration = (D * (1 - Phi(a)) + phi(a) - D * Phi(b) + phi(b)) / (D * power); // ≈ 2.5
  assert.ok(Math.abs(power - 0.17) < 0.001);
  within3(d.get('power/')!, power, 'power');
  within3(d.get('type_s/population')!, typeS, 'type S');
  within3(d.get('exaggeration/population')!, exaggeration, 'exaggeration');
});

test('with sample truth varying, the population target sees the extra spread', () => {
  // estimate − μ ~ N(0, σ² + τ²): RMSE √2 against the population, 1 against the draw's own truth.
  const d = diagnose({ mu: 3, sigma: 1, truthSd: 1 }, 4000, 'targets');
  within3(d.get('rmse/sample')!, 1, 'RMSE sample');
  within3(d.get('rmse/population')!, Math.SQRT2, 'RMSE population');
  within3(d.get('coverage/population')!, 2 * Phi(Z / Math.SQRT2) - 1, 'coverage population');
});

test('not identified draws are counted with reasons and left out of the other diagnosands', () => {
  const sim = createSimulation({ points: [{ mu: 0, sigma: 1, missing: 0.2 }] });
  const acc = new EstimandAccumulator(Z);
  for (let d = 0; d < 2000; d++) for (const r of sim.runDraw('missing', 0, d)) acc.push(r);
  const rows = new Map(acc.diagnosands().map((v) => [`${v.diagnosand}/${v.target}`, v]));
  within3(rows.get('not_identified/')!, 0.2, 'share not identified');
  assert.deepEqual([...acc.reasons.keys()], ['no comparison units']);
  // One definition of power: over every draw that defines the estimand, a draw that is not identified
  // counting as not rejecting; power_identified over the identified draws alone (mu = 0: both ≈ α
  // scaled by the identified share, and α).
  assert.equal(rows.get('power/')!.n, 2000);
  assert.equal(rows.get('power_identified/')!.n, 2000 - acc.notIdentified);
  assert.equal(rows.get('power/')!.value, acc.rejections / 2000);
  assert.ok(Math.abs(rows.get('power/')!.value - rows.get('power_identified/')!.value * (1 - acc.notIdentified / 2000)) < 1e-12);
});

test('MC SEs agree with the spread of the diagnosands across independent seeds', () => {
  // 150 independent runs of 400 draws: the SD across runs of each diagnosand should equal its
  // average reported MC SE. With 150 runs the SD is itself known to about ±6 %, so allow ±25 %.
  const runs = 150;
  const names = [
    'power/',
    'bias/sample',
    'rmse/sample',
    'coverage/sample',
    'sd_estimate/',
    'se_sd_ratio/',
    'exaggeration/population',
    'rmse/population',
  ];
  const values = new Map(names.map((n) => [n, [] as number[]]));
  const ses = new Map(names.map((n) => [n, [] as number[]]));
  for (let s = 0; s < runs; s++) {
    const d = diagnose({ mu: 2, sigma: 1, truthSd: 0.5 }, 400, `spread-${s}`);
    for (const n of names) {
      values.get(n)!.push(d.get(n)!.value);
      ses.get(n)!.push(d.get(n)!.mcSe);
    }
  }
  for (const n of names) {
    const v = values.get(n)!;
    const mean = v.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
    const se = ses.get(n)!.reduce((a, b) => a + b, 0) / runs;
    assert.ok(se / sd > 0.8 && se / sd < 1.25, `${n}: mean MC SE ${se.toFixed(4)} vs SD across seeds ${sd.toFixed(4)}`);
  }
});

test("the estimator's own p-value and interval decide rejection and coverage; power counts every defined draw", () => {
  const acc = new EstimandAccumulator(Z, 0.05);
  // Hand-made draws (α = 0.05, z = 1.96): Wald would reject the first two (|t| = 3) and not the third.
  acc.push({ estimate: 3, se: 1, truth: 0, popTruth: null, p: 0.2 }); // Fisher p 0.2: no rejection
  acc.push({ estimate: 3, se: 1, truth: 0, popTruth: null, ciLow: -0.5, ciHigh: 6.5 }); // band covers 0: no rejection, covers the truth
  acc.push({ estimate: 1, se: 1, truth: 0, popTruth: null, p: 0.01 }); // Fisher rejects
  acc.push({ estimate: 3, se: 1, truth: 0, popTruth: null }); // Wald rejects, does not cover 0
  acc.push({ estimate: null, se: null, truth: 0, popTruth: null, reason: 'no comparison units' }); // counts as not rejecting
  const d = new Map(acc.diagnosands().map((v) => [`${v.diagnosand}/${v.target}`, v]));
  assert.equal(d.get('power/')!.value, 2 / 5);
  assert.equal(d.get('power/')!.n, 5);
  assert.equal(d.get('power_identified/')!.value, 2 / 4);
  // Coverage of the truth 0: Fisher rows use ±z·se (3 ± 1.96 misses, 1 ± 1.96 covers), the band covers, Wald misses.
  assert.equal(d.get('coverage/sample')!.value, 2 / 4);
});

test('an estimate without an SE: in bias, RMSE, mean and SD of the estimates; not in power, coverage or the SE diagnosands, counted not identified with its reason', () => {
  // Three draws, truth 0: (1, se 0.5), (3, no SE, reason X), (none, reason Y). By hand:
  // bias = mean(1, 3) = 2 (n 2), RMSE = √((1 + 9)/2) = √5, SD = 1 (plug-in); coverage: |1| > 1.96·0.5, so 0
  // (n 1); power: 1 of the 3 draws rejects; not_identified 2/3 with X and Y once each; mean SE 0.5 (n 1).
  const acc = new EstimandAccumulator(Z);
  acc.push({ estimate: 1, se: 0.5, truth: 0, popTruth: null });
  acc.push({ estimate: 3, se: null, reason: 'X', truth: 0, popTruth: null });
  acc.push({ estimate: null, se: null, reason: 'Y', truth: 0, popTruth: null });
  const d = new Map(acc.diagnosands().map((v) => [`${v.diagnosand}/${v.target}`, v]));
  const at = (k: string) => [d.get(k)!.value, d.get(k)!.n];
  assert.deepEqual(at('bias/sample'), [2, 2]);
  assert.deepEqual(at('rmse/sample'), [Math.sqrt(5), 2]);
  assert.deepEqual(at('mean_estimate/'), [2, 2]);
  assert.deepEqual(at('sd_estimate/'), [1, 2]);
  assert.deepEqual(at('mean_truth/sample'), [0, 2]);
  assert.deepEqual(at('coverage/sample'), [0, 1]);
  assert.deepEqual(at('power/'), [1 / 3, 3]);
  assert.deepEqual(at('power_identified/'), [1, 1]);
  assert.deepEqual(at('mean_se/'), [0.5, 1]);
  assert.deepEqual(at('not_identified/'), [2 / 3, 3]);
  assert.deepEqual(
    [...acc.reasons],
    [
      ['X', 1],
      ['Y', 1],
    ],
  );
  assert.equal(acc.withEstimate, 2);
});

test('with every SE present the estimate-only moments change nothing: the same figures as the identified draws give', () => {
  const a = diagnose({ mu: 0.3, sigma: 1 }, 500, 'same');
  // bias and RMSE from their closed forms over the same draws: mean_estimate − θ and √(SD² + bias²).
  const bias = a.get('bias/sample')!.value;
  assert.ok(Math.abs(bias - (a.get('mean_estimate/')!.value - a.get('mean_truth/sample')!.value)) < 1e-12);
  assert.equal(a.get('bias/sample')!.n, a.get('coverage/sample')!.n);
  assert.equal(a.get('sd_estimate/')!.n, a.get('mean_se/')!.n);
});
