/**
 * `stagger mde` on a whole-number axis (clusters, waves, people): the answer is the smallest whole
 * number with power ≥ target, refinement adds only whole numbers and stops at two neighbours. On a
 * fake curve with known power p(G) = Φ(c·√G − z) (the normal-approximation power of a design whose
 * SE falls as 1/√G), whose smallest G with p(G) ≥ 0.8 is known in closed form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mde, wholeNumberAnswer, type MdeResult } from '../../src/diagnosis/power-curve.js';
import { criticalValue, normalQuantile } from '../../src/diagnosis/normal.js';
import { pnorm as normalCdf } from '../../src/stats/normal.js';
import { nextRefinement } from '../../src/engine/mde.js';
import { streamFor } from '../../src/random/stream.js';

const Z = criticalValue(0.05);
const C = 0.6;
const power = (g: number) => normalCdf(C * Math.sqrt(g) - Z);
// Closed form: c·√G ≥ z + Φ⁻¹(0.8) ⇔ G ≥ ((1.96 + 0.8416)/0.6)² = 21.80, so 22 (p(21) = 0.785, p(22) = 0.803).
const SMALLEST = Math.ceil(((Z + normalQuantile(0.8)) / C) ** 2);
const S = 20000;

/** Common-random-number rejections: draw d rejects at G when d < p(G)·S, so every column is exact. */
function curve(xs: number[]): MdeResult {
  const m = new Uint8Array(S * xs.length);
  xs.forEach((g, v) => {
    const k = Math.round(power(g) * S);
    for (let d = 0; d < k; d++) m[d * xs.length + v] = 1;
  });
  return mde(m, S, xs, 0.8, streamFor('whole', 0, 0, 'mde bootstrap'), 20);
}

test('the whole-number answer is the ceiling of the crossing, not the interpolated value', () => {
  assert.equal(SMALLEST, 22);
  const r = curve([12, 16, 20, 24, 32]);
  assert.ok(r.value! > 21 && r.value! < 22.5, `interpolated crossing ${r.value}`);
  const w = wholeNumberAnswer(r)!;
  assert.equal(w.value, 22);
  assert.equal(w.direction, 1);
  // 22 was not run: the answer is interpolated, not read off the run.
  assert.equal(w.bracketed, false);
  assert.equal(w.power, null);
});

test('refinement adds only whole numbers and stops when the answer and the number below it are both run', () => {
  const xs = [12, 16, 20, 24, 32];
  const added: number[] = [];
  let r = curve(xs);
  for (let k = 0; k < 10; k++) {
    const at = nextRefinement({ ...r, whole: wholeNumberAnswer(r)! }, new Set(xs), true);
    if (at === null) break;
    assert.ok(Number.isInteger(at), `refinement at ${at}`);
    added.push(at);
    xs.push(at);
    xs.sort((a, b) => a - b);
    r = curve(xs);
  }
  assert.deepEqual(added, [22, 21]);
  const w = wholeNumberAnswer(r)!;
  assert.equal(w.value, SMALLEST);
  assert.equal(w.bracketed, true);
  assert.ok(w.power!.power >= 0.8 && r.curve.find((c) => c.value === 21)!.power < 0.8);
});

test('a falling curve takes the largest whole number at or below the crossing', () => {
  // Power falls with the axis (e.g. a later last wave): p(x) = Φ(c·√(40 − x) − z), target reached up to 40 − 21.8 = 18.2.
  const xs = [10, 15, 20, 25];
  const m = new Uint8Array(S * xs.length);
  xs.forEach((x, v) => {
    const k = Math.round(power(40 - x) * S);
    for (let d = 0; d < k; d++) m[d * xs.length + v] = 1;
  });
  const r = mde(m, S, xs, 0.8, streamFor('whole', 0, 0, 'mde bootstrap'), 20);
  const w = wholeNumberAnswer(r)!;
  assert.equal(w.direction, -1);
  assert.equal(w.value, 18);
  assert.equal(nextRefinement({ ...r, whole: w }, new Set(xs), true), 18);
});

test('off whole numbers the refinement is the interpolated crossing, and no answer without a crossing', () => {
  const r = curve([12, 16, 20, 24, 32]);
  assert.equal(nextRefinement(r, new Set([12, 16, 20, 24, 32]), false), Number(r.value!.toPrecision(4)));
  const flat = curve([2, 3]);
  assert.equal(flat.value, null);
  assert.equal(wholeNumberAnswer(flat), null);
  assert.equal(nextRefinement(flat, new Set([2, 3]), true), null);
});
