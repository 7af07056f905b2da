/**
 * Truths in the base period's own terms (issue 11): a pre-period ATT(g,t) is scored against the
 * contrast its estimate targets, τ̄_g(t) − τ̄_g(base) with R did's base period (compute.att_gt.R:
 * varying base t − 1 before g, g − δ − 1 from g on and for every cell under a universal base), a post
 * cell against the level τ̄_g(t). Expected numbers are closed forms of the stated effects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePanel } from '../../src/panel/panel.js';
import { sampleTruth } from '../../src/estimands/sample-truth.js';
import { populationCells } from '../../src/estimands/population-cells.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';

const FIXTURE = new URL('../../../test/estimands/fixtures/anticipation.yaml', import.meta.url).pathname;

// 4 units, periods 1..6: units 0,1 start at 5, units 2,3 never. Unit effects by event time e = t − 5:
// e = −3: +0.5 (announcement), −2: +0.5, −1: −2 (anticipation), 0: 4, 1: 6; unit 1 has twice unit 0's.
const periods = [1, 2, 3, 4, 5, 6];
const n = 4;
const tau: Record<number, number> = { [-3]: 0.5, [-2]: 0.5, [-1]: -2, 0: 4, 1: 6 };
const y0 = new Float64Array(6 * n);
const y1 = new Float64Array(6 * n);
for (let t = 0; t < 6; t++)
  for (let i = 0; i < n; i++) {
    y0[t * n + i] = 10 + t + i;
    y1[t * n + i] = y0[t * n + i] + (i < 2 ? (i + 1) * (tau[periods[t] - 5] ?? 0) : 0);
  }
const panel = makePanel({ periods, group: [5, 5, 0, 0], y: y0 });
const mean = (e: number) => 1.5 * (tau[e] ?? 0); // group mean of (i + 1) τ(e) over i = 0, 1
const cellOf = (tr: ReturnType<typeof sampleTruth>, t: number) => tr.att_gt.find((c) => c.group === 5 && c.time === t)!.att!;

test('varying base: a pre cell is the difference of consecutive mean effects, a post cell the level', () => {
  const tr = sampleTruth(panel, y0, y1, { control: 'never', anticipation: 0, basePeriod: 'varying', eventWindow: [-4, 1] });
  for (const t of [2, 3, 4]) assert.ok(Math.abs(cellOf(tr, t) - (mean(t - 5) - mean(t - 6))) < 1e-12, `t = ${t}`);
  assert.equal(cellOf(tr, 4), -3.75); // −3 − 0.75: the anticipation dip as a short difference (today's level: −3)
  assert.equal(cellOf(tr, 5), 6); // post: the level 1.5 · 4, although the base period 4 holds −3
  assert.equal(cellOf(tr, 6), 9);
  assert.equal(tr.aggregates.dynamic!.detail!.find((d) => d.key === -2)!.att, 0); // 0.75 − 0.75
});

test('anticipation δ = 1: the cell at g − 1 is still a short difference; post cells stay levels', () => {
  const tr = sampleTruth(panel, y0, y1, { control: 'never', anticipation: 1, basePeriod: 'varying', eventWindow: [-4, 1] });
  assert.equal(cellOf(tr, 4), mean(-1) - mean(-2));
  assert.equal(cellOf(tr, 5), mean(0));
});

test('universal base: every pre cell is the difference from g − δ − 1, which itself is 0', () => {
  const tr = sampleTruth(panel, y0, y1, { control: 'never', anticipation: 0, basePeriod: 'universal', eventWindow: [-4, 1] });
  assert.equal(cellOf(tr, 1), mean(-4) - mean(-1)); // universal cells include the first period
  assert.equal(cellOf(tr, 2), mean(-3) - mean(-1));
  assert.equal(cellOf(tr, 3), mean(-2) - mean(-1));
  assert.equal(cellOf(tr, 4), 0);
  assert.equal(cellOf(tr, 6), mean(1));
});

test('population truth: the same contrasts from the effect model, members at their own event times', () => {
  // Group 5 with members starting at 5 and 6 (a start group spanning two periods): effect as in the
  // fixture, anticipation −0.6 for 2 periods and announcement +0.3 from −4 to 1, size 1.
  const effect = {
    size: 1,
    onset: 0,
    ramp: 0,
    duration: null,
    decay: 0,
    by_covariate: {},
    unit_sd: 0,
    persistence: 0,
    person_sd: 0,
    anticipation: { periods: 2, size: -0.6 },
    announcement: { from: -4, to: 1, size: 0.3 },
  };
  const m = (e: number) => (e >= 0 ? 1 : 0) + (e < 0 && e >= -2 ? -0.6 : 0) + (e >= -4 && e <= 1 ? 0.3 : 0);
  const lvl = (t: number) => (m(t - 5) + m(t - 6)) / 2;
  const cells = [3, 4, 5, 6].map((time) => ({ group: 5, time }));
  const got = populationCells(
    effect,
    cells,
    Float64Array.from(periods),
    Float64Array.from([5, 5, 0, 0]),
    Float64Array.from([5, 6, Infinity, Infinity]),
    { control: 'never', anticipation: 0 },
  );
  assert.deepEqual(
    got.map((c) => +c.att.toFixed(12)),
    [lvl(3) - lvl(2), lvl(4) - lvl(3), lvl(5), lvl(6)].map((v) => +v.toFixed(12)),
  );
});

test('engine: pre-period coverage of a correct estimator is nominal when pre-period effects are not zero', () => {
  // Never-treated comparisons: the pre-period estimates are unbiased for their contrasts
  // (−4: +0.3, −2: −0.6); scored against levels (before issue 11) their coverage was near 0.
  const sim = createSimulation({ scenarioFile: FIXTURE });
  const D = 200;
  const hit: Record<string, number> = {};
  for (let d = 0; d < D; d++) {
    for (const r of sim.runDraw('7', 0, d)) {
      if (!['dynamic:-4', 'dynamic:-2', 'dynamic:-1'].includes(r.estimand)) continue;
      if (d === 0 && r.estimand === 'dynamic:-2')
        assert.ok(Math.abs(r.truth! + 0.6) < 1e-9 && Math.abs(r.popTruth! + 0.6) < 1e-9, `truth ${r.truth}, population ${r.popTruth}`);
      hit[r.estimand] = (hit[r.estimand] ?? 0) + (Math.abs(r.estimate! - r.truth!) <= 1.959964 * r.se! ? 1 : 0);
    }
  }
  const mcse = Math.sqrt((0.95 * 0.05) / D);
  for (const [id, h] of Object.entries(hit))
    assert.ok(Math.abs(h / D - 0.95) < 4 * mcse, `${id}: coverage ${h / D}, nominal 0.95 ± ${(4 * mcse).toFixed(3)}`);
});
