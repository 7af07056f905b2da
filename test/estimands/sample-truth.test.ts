// The sample truth equals the mean of Y(1) − Y(0) over the right cells, and the aggregates weight the
// cells as R did's aggte does (hand-computed on a small panel below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePanel } from '../../src/panel/panel.js';
import { sampleTruth } from '../../src/estimands/sample-truth.js';

// 5 units, periods 1..4: units 0,1 start at 2; unit 2 at 3; units 3,4 never.
const periods = [1, 2, 3, 4];
const group = [2, 2, 3, 0, 0];
const n = 5;
const y0 = new Float64Array(4 * n);
const y1 = new Float64Array(4 * n);
// effect of unit i at period t: (i + 1) * 10 + t, only from its start on
for (let t = 0; t < 4; t++)
  for (let i = 0; i < n; i++) {
    y0[t * n + i] = 100 + t;
    const g = group[i];
    y1[t * n + i] = y0[t * n + i] + (g !== 0 && periods[t] >= g ? (i + 1) * 10 + periods[t] : 0);
  }
const panel = makePanel({ periods, group, y: y0 });
const opts = { control: 'notyet' as const, anticipation: 0, eventWindow: [-10, 10] as [number, number] };

test('ATT(g,t) is the mean of Y(1) − Y(0) over the group in period t', () => {
  const tr = sampleTruth(panel, y0, y1, opts);
  const cell = (g: number, t: number) => tr.att_gt.find((c) => c.group === g && c.time === t)?.att;
  assert.equal(cell(2, 2), (12 + 22) / 2); // units 0,1 at t=2
  assert.equal(cell(2, 4), (14 + 24) / 2);
  assert.equal(cell(3, 3), 33);
  assert.equal(cell(3, 2), 0); // pre cell
  assert.equal(tr.att_gt.length, 2 * 3); // two groups × periods 2..4
});

test('aggregates weight cells by group share (R did aggte)', () => {
  const a = sampleTruth(panel, y0, y1, opts).aggregates;
  // post cells: g=2: t=2,3,4 → 17, 18, 19 (pg 2/5); g=3: t=3,4 → 33, 34 (pg 1/5)
  const simple = (2 * (17 + 18 + 19) + 1 * (33 + 34)) / (2 * 3 + 1 * 2);
  assert.ok(Math.abs(a.simple!.att! - simple) < 1e-12);
  const group = (2 * 18 + 1 * 33.5) / 3;
  assert.ok(Math.abs(a.group!.att! - group) < 1e-12);
  // dynamic: e=0: (2·17 + 1·33)/3, e=1: (2·18 + 34)/3, e=2: 19; overall mean of those
  const e0 = (2 * 17 + 33) / 3;
  const e1 = (2 * 18 + 34) / 3;
  assert.ok(Math.abs(a.dynamic!.att! - (e0 + e1 + 19) / 3) < 1e-12);
  assert.equal(a.dynamic!.detail!.find((d) => d.key === -1)!.att, 0);
  // calendar: t=2: 17; t=3: (2·18 + 33)/3; t=4: (2·19 + 34)/3
  const cal = (17 + (2 * 18 + 33) / 3 + (2 * 19 + 34) / 3) / 3;
  assert.ok(Math.abs(a.calendar!.att! - cal) < 1e-12);
});

test('without never-treated units the last group is comparison only and later periods drop', () => {
  const g2 = [2, 2, 3, 4, 4];
  const p2 = makePanel({ periods, group: g2, y: y0 });
  const tr = sampleTruth(p2, y0, y1, opts);
  assert.deepEqual([...new Set(tr.att_gt.map((c) => c.group))], [2, 3]);
  assert.ok(tr.att_gt.every((c) => c.time < 4));
  assert.match(tr.messages[0], /last group \(g=4\) is the comparison and periods ≥ 4 are dropped/);
});

test('subgroup truth uses only its units', () => {
  const mask = Uint8Array.from([1, 0, 0, 1, 1]);
  const tr = sampleTruth(panel, y0, y1, opts, mask);
  assert.equal(tr.att_gt.find((c) => c.group === 2 && c.time === 3)!.att, 13);
  assert.ok(!tr.att_gt.some((c) => c.group === 3));
});
