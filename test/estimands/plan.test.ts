/**
 * Estimand plans (estimands/plan.ts) against weights computed by hand from R did's compute.aggte rules,
 * and the sample truth as the plan-weighted mean of Y(1) − Y(0) on a four-unit panel in closed form.
 * (That the same plans give R did's estimates is reference.test.ts: did/aggregate.ts evaluates them.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellWeights, estimandPlans, planValue } from '../../src/estimands/plan.js';
import { parseEstimand, estimandString } from '../../src/estimands/estimand.js';
import { sampleTruth } from '../../src/estimands/sample-truth.js';
import { makePanel } from '../../src/panel/panel.js';

// Groups 2 and 3 (shares 0.2, 0.3), cells t = 2 … 4 (a varying base period has no cell at t = 1).
const cells = [
  [2, 2],
  [2, 3],
  [2, 4],
  [3, 2],
  [3, 3],
  [3, 4],
].map(([group, time]) => ({ group, time }));
const pg = cells.map((c) => (c.group === 2 ? 0.2 : 0.3));
const weightsOf = (o: Parameters<typeof estimandPlans>[2], types = ['simple', 'group', 'dynamic', 'calendar'] as const) =>
  new Map(estimandPlans(types, cells, o).map((p) => [p.id!, Array.from(cellWeights(p, pg, cells.length))]));
const near = (a: number[], b: number[], what: string) =>
  a.forEach((x, k) => assert.ok(Math.abs(x - b[k]) < 1e-12, `${what}: cell ${k} weight ${x}, hand ${b[k]}`));

test('plans: the weights by hand (cells (2,2) (2,3) (2,4) (3,2) (3,3) (3,4))', () => {
  const w = weightsOf({ eventWindow: [-6, 6], groupLabels: [0, 2, 3] });
  // simple: post cells by share, Σ = 3·0.2 + 2·0.3 = 1.2.
  near(w.get('simple')!, [1 / 6, 1 / 6, 1 / 6, 0, 0.25, 0.25], 'simple');
  // group_avg: θ(2) the mean of 3 cells, θ(3) of 2; θ's by share 0.4, 0.6.
  near(w.get('group_avg')!, [0.4 / 3, 0.4 / 3, 0.4 / 3, 0, 0.3, 0.3], 'group_avg');
  near(w.get('group:3')!, [0, 0, 0, 0, 0.5, 0.5], 'group:3');
  near(w.get('dynamic:0')!, [0.4, 0, 0, 0, 0.6, 0], 'dynamic:0');
  near(w.get('dynamic:-1')!, [0, 0, 0, 1, 0, 0], 'dynamic:-1');
  // dynamic_avg: the mean of θ(0), θ(1), θ(2).
  near(w.get('dynamic_avg')!, [0.4 / 3, 0.4 / 3, 1 / 3, 0, 0.2, 0.2], 'dynamic_avg');
  near(w.get('calendar:3')!, [0, 0.4, 0, 0, 0.6, 0], 'calendar:3');
  near(w.get('calendar:2')!, [1, 0, 0, 0, 0, 0], 'calendar:2 (3,2) is a pre cell');
});

test('plans: narrowed averages (dynamic_avg from e = 1, dynamic_pre_avg, group_avg without the second group)', () => {
  const w = weightsOf({
    eventWindow: [-6, 6],
    groupLabels: [0, 2, 3],
    averages: { dynamicAvg: [1, 2], dynamicPreAvg: [-1, -1], excludeGroups: [2] },
  });
  near(w.get('dynamic_avg')!, [0, 0.2, 0.5, 0, 0, 0.3], 'dynamic_avg over 1..2');
  near(w.get('dynamic_pre_avg')!, [0, 0, 0, 1, 0, 0], 'dynamic_pre_avg over −1');
  near(w.get('group_avg')!, [1 / 3, 1 / 3, 1 / 3, 0, 0, 0], 'group_avg without g = 3');
  const plans = estimandPlans(['dynamic'], cells, { eventWindow: [-6, 6], averages: { dynamicAvg: [5, 6] } });
  const avg = plans.find((p) => p.id === 'dynamic_avg')!;
  assert.equal(planValue(avg, [1, 1, 1, 1, 1, 1], pg), null);
  assert.equal(avg.reason, 'no event time in 5..6 in the window');
});

test('estimand ids: structured object ⇄ canonical string', () => {
  for (const s of ['simple', 'group_avg', 'dynamic:-2', 'simple@women', 'calendar:17@men', 'dynamic_pre_avg'])
    assert.equal(estimandString(parseEstimand(s)), s);
  assert.deepEqual(parseEstimand('dynamic:-2@women'), { type: 'dynamic', key: -2, subgroup: 'women' });
  assert.throws(() => parseEstimand('dynamik:2'), /not an estimand id/);
});

test('sample truth = the plan-weighted mean of Y(1) − Y(0), closed form on four units', () => {
  // Units: two of group 2 with effects t and 3t (mean 2t), one of group 3 with 10 + t, one never treated.
  const group = [2, 2, 3, 0];
  const periods = [1, 2, 3, 4];
  const n = 4;
  const y0 = new Float64Array(16);
  const y1 = new Float64Array(16);
  periods.forEach((t, ti) => [t, 3 * t, 10 + t, 0].forEach((eff, i) => (y1[ti * n + i] = eff)));
  const panel = makePanel({ periods, group, y: y0 });
  const tr = sampleTruth(panel, y0, y1, { control: 'never', anticipation: 0, basePeriod: 'varying', eventWindow: [-6, 6] });
  // Shares 1/2 and 1/4; post cells g = 2: 4, 6, 8; g = 3: 13, 14; simple weights 1/4 and 1/8.
  assert.equal(tr.aggregates.simple!.att, 0.25 * (4 + 6 + 8) + 0.125 * (13 + 14));
  // group_avg: θ(2) = 6, θ(3) = 13.5 with weights 2/3, 1/3.
  assert.ok(Math.abs(tr.aggregates.group!.att! - 8.5) < 1e-12);
  const dyn = new Map(tr.aggregates.dynamic!.detail!.map((d) => [d.key, d.att]));
  // dynamic:0 = (2/3)·4 + (1/3)·13; the pre cell (3,2) is the contrast τ(2) − τ(1) = 12 − 11.
  assert.ok(Math.abs(dyn.get(0)! - 7) < 1e-12);
  assert.equal(dyn.get(-1), 1);
});

test("the estimator's aggregates are its plans evaluated on its identified cells (cs, reg, not-yet comparison)", async () => {
  const { estimateDidDetailed } = await import('../../src/estimators/did/index.js');
  const { synthPanel } = await import('../estimators/helpers.js');
  const groups = Array.from({ length: 240 }, (_, i) => [0, 3, 5, 6][i % 4]);
  const panel = synthPanel({ seed: 'plan-vs-did', groups, T: 8, effect: (g, e) => 1 + 0.5 * e + 0.1 * g });
  const averages = { dynamicAvg: [1, 3] as [number, number], dynamicPreAvg: [-3, -1] as [number, number], excludeGroups: [3] };
  const r = estimateDidDetailed(panel, { method: 'reg', control: 'notyet', minE: -4, maxE: 4, averages });
  const ok = r.cells.filter((c) => c.att !== null);
  const share = (g: number) => groups.filter((x) => x === g).length / groups.length;
  const plans = estimandPlans(['simple', 'group', 'dynamic', 'calendar'], ok, { eventWindow: [-4, 4], averages, groupLabels: panel.group });
  const { estimandRows } = await import('../../src/estimands/estimand-rows.js');
  const rows = estimandRows(r.estimate, ['simple', 'group', 'dynamic', 'calendar']);
  assert.equal(plans.length, rows.size);
  for (const p of plans) {
    const v = planValue(
      p,
      ok.map((c) => c.att!),
      ok.map((c) => share(c.group)),
    );
    assert.ok(Math.abs(v! - rows.get(p.id!)!.att!) < 1e-12, `${p.id}: plan ${v}, estimator ${rows.get(p.id!)!.att}`);
  }
});
