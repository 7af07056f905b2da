/**
 * MDE search: the crossing of an exact power curve, and the bootstrap's MC SE against the spread of
 * the answer across independent seeds, on a fake with known power Φ(θ − z) + Φ(−θ − z) (σ = 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossing, mde } from '../../src/diagnosis/power-curve.js';
import { criticalValue, normalQuantile } from '../../src/diagnosis/normal.js';
import { streamFor } from '../../src/random/stream.js';
import { createSimulation } from '../engine/fakes/normal-sim.js';

const Z = criticalValue(0.05);

test('crossing is exact for a probit-linear curve, scans falling curves downwards, and says when it is out of range', () => {
  const xs = [0, 1, 2, 3, 4];
  const ps = xs.map((x) => 1 - 0.5 * (1 + erfApprox((Z - x) / Math.SQRT2))); // Φ(x − z), the one-sided power
  const c = crossing(xs, ps, 0.8);
  assert.equal(c.status, 'found');
  // Φ(x − z) = 0.8 at x = z + Φ⁻¹(0.8) = 1.96 + 0.8416 (the textbook 2.8 SE)
  assert.ok(Math.abs(c.value! - (Z + normalQuantile(0.8))) < 1e-3, String(c.value));
  assert.equal(crossing([1, 2, 3], [0.9, 0.5, 0.2], 0.8).status, 'found');
  assert.ok(crossing([1, 2, 3], [0.9, 0.5, 0.2], 0.8).value! < 2 && crossing([1, 2, 3], [0.9, 0.5, 0.2], 0.8).value! > 1);
  assert.deepEqual(crossing([1, 2], [0.1, 0.3], 0.8), { value: null, status: 'below at every value' });
  assert.deepEqual(crossing([1, 2], [0.85, 0.9], 0.8), { value: null, status: 'above at every value' });
});

function erfApprox(x: number): number {
  // Abramowitz & Stegun 7.1.26 is too coarse here; integrate instead (Simpson, 2,000 panels).
  const n = 2000;
  const h = x / n;
  let s = 0;
  for (let i = 0; i <= n; i++) s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}

function rejections(seed: string, draws: number, xs: number[]): Uint8Array {
  const sim = createSimulation({ points: xs.map((mu) => ({ mu, sigma: 1 })), crn: true });
  const m = new Uint8Array(draws * xs.length);
  for (let d = 0; d < draws; d++) {
    xs.forEach((_, v) => {
      const r = sim.runDraw(seed, v, d)[0];
      m[d * xs.length + v] = Math.abs(r.estimate!) > Z * r.se! ? 1 : 0;
    });
  }
  return m;
}

test('the MDE of a known design is found within its MC interval, and its MC SE matches the spread across seeds', () => {
  const xs = [1, 2, 3, 4];
  const truth = Z + normalQuantile(0.8); // two-sided power adds Φ(−θ − z) < 0.0001 at θ ≈ 2.8
  const answers: number[] = [];
  const ses: number[] = [];
  for (let s = 0; s < 40; s++) {
    const r = mde(rejections(`mde-${s}`, 400, xs), 400, xs, 0.8, streamFor(`mde-${s}`, 0, 0, 'mde bootstrap'), 300);
    answers.push(r.value!);
    ses.push(r.mcSe!);
    if (s === 0) {
      assert.ok(Math.abs(r.value! - truth) < 3 * r.mcSe!, `${r.value} ± ${r.mcSe} vs ${truth}`);
      assert.ok(r.interval![0] < r.value! && r.value! < r.interval![1]);
    }
  }
  const mean = answers.reduce((a, b) => a + b, 0) / answers.length;
  const sd = Math.sqrt(answers.reduce((a, b) => a + (b - mean) ** 2, 0) / (answers.length - 1));
  const se = ses.reduce((a, b) => a + b, 0) / ses.length;
  assert.ok(Math.abs(mean - truth) < 3 * (sd / Math.sqrt(answers.length)) + 0.01, `mean MDE ${mean} vs ${truth}`);
  // 40 seeds pin the SD down to about ±11 %: allow ±35 %.
  assert.ok(se / sd > 0.65 && se / sd < 1.35, `bootstrap MC SE ${se} vs SD across seeds ${sd}`);
});

test('mde: a draw that does not define the estimand leaves the denominator; not identified (0) stays in it', async () => {
  const { NOT_DEFINED } = await import('../../src/diagnosis/power-curve.js');
  // 4 draws × 2 values: at value 0 one draw is undefined (power 1/3), at value 1 all rejecting but one 0 (3/4).
  const m = Uint8Array.of(1, 1, 0, 1, NOT_DEFINED, 0, 0, 1);
  const r = mde(m, 4, [0, 1], 0.9, streamFor('x', 0, 0, 'mde bootstrap'), 10);
  assert.equal(r.curve[0].power, 1 / 3);
  assert.equal(r.curve[1].power, 3 / 4);
});
