import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyticRows, analyticSpecsOf, type AnalyticSpec } from '../../src/diagnosis/analytic-rows.js';
import { designFromStarts, hhVariance, twoSidedPower } from '../../src/diagnosis/analytic-power.js';
import { Diagnosis } from '../../src/diagnosis/diagnosis.js';
import { runEngine } from '../../src/engine/run.js';
import { mergeRuns } from '../../src/engine/merge.js';
import { rediagnose } from '../../src/engine/draws-read.js';
import { fakeSpec, tempDir } from '../engine/helpers.js';

/** A hand-built resolved clusters scenario (the keys of COMMON.md), 12 clusters in 3 waves over 8 periods. */
function clusterScenario(over: { outcome?: object; design?: object; estimators?: object[]; effect?: object } = {}) {
  return {
    periods: { first: 1, count: 8, unit: 'month' },
    outcome: { name: 'admitted', type: 'continuous', mean: 10, sd: 2, icc: 0.05, cac: 1, ...over.outcome },
    effect: { size: 0.5, onset: 0, ...over.effect },
    design: {
      type: 'clusters',
      clusters: 12,
      cluster_size: { mean: 40, cv: 0 },
      waves: { count: 3, first: 3, every: 2 },
      never: 0,
      ...over.design,
    },
    analysis: {
      alpha: 0.05,
      estimators: over.estimators ?? [
        { name: 'hh', type: 'hh' },
        { name: 'cs', type: 'did' },
      ],
    },
  };
}

test('specs: Hussey & Hughes closed form at equal sizes, σ²_e = (1 − icc)·sd², τ² = icc·sd², the planned waves', () => {
  const [spec, ...rest] = analyticSpecsOf({ index: 4, scenario: clusterScenario() });
  assert.equal(rest.length, 0, 'one spec: only the hh estimator');
  // Waves start in periods 3, 5, 7 with 4 clusters each (cluster-waves.ts plannedStarts).
  const d = designFromStarts([3, 3, 3, 3, 5, 5, 5, 5, 7, 7, 7, 7], { first: 1, count: 8 });
  const v = hhVariance(d, (0.95 * 4) / 40, 0.05 * 4);
  assert.deepEqual(spec, {
    point: 4,
    outcome: 'admitted',
    estimator: 'hh',
    estimand: 'simple',
    theta: 0.5,
    se: Math.sqrt(v),
    df: null,
    method: 'hussey-hughes',
  });
  const [se, power] = analyticRows(spec, 0.05);
  assert.equal(se.diagnosand, 'analytic_se');
  assert.equal(power.diagnosand, 'analytic_power');
  assert.equal(power.value, twoSidedPower(0.5, Math.sqrt(v), 0.05));
  assert.ok(power.value > 0.5 && power.value < 1);
  assert.equal(power.mcSe, 0);
  assert.equal(power.n, 0);
});

test('specs: binary outcomes use p̄ = p + θ/2 (swPwr), t inference G − 1 df, cac and decay, refusals with reasons', () => {
  const bin = analyticSpecsOf({
    index: 0,
    scenario: clusterScenario({ outcome: { type: 'binary', p: 0.04, sd: undefined }, effect: { size: -0.008 } }),
  })[0];
  const d = designFromStarts([3, 3, 3, 3, 5, 5, 5, 5, 7, 7, 7, 7], { first: 1, count: 8 });
  const v = 0.036 * 0.964;
  assert.ok(Math.abs(bin.se! - Math.sqrt(hhVariance(d, (0.95 * v) / 40, 0.05 * v))) < 1e-15);

  const t = analyticSpecsOf({ index: 0, scenario: clusterScenario({ estimators: [{ name: 'hh_t', type: 'hh', inference: 't' }] }) })[0];
  assert.equal(t.df, 11);
  const normal = analyticSpecsOf({ index: 0, scenario: clusterScenario() })[0];
  assert.ok(analyticRows(t, 0.05)[1].value < analyticRows(normal, 0.05)[1].value);

  const block = analyticSpecsOf({ index: 0, scenario: clusterScenario({ outcome: { cac: 0.5 } }) })[0];
  const decay = analyticSpecsOf({ index: 0, scenario: clusterScenario({ outcome: { decay: 0.8 } }) })[0];
  assert.equal(block.method, 'gls');
  assert.equal(decay.method, 'gls');
  assert.ok(block.se! > normal.se! && decay.se! > normal.se!);

  const never = analyticSpecsOf({ index: 0, scenario: clusterScenario({ design: { never: 0.25 } }) })[0];
  assert.ok(Number.isFinite(never.se!) && never.se !== normal.se);

  const bad = analyticSpecsOf({
    index: 0,
    scenario: clusterScenario({ estimators: [{ name: 'hh_w', type: 'hh', inference: 'wild' }] }),
  })[0];
  assert.equal(bad.se, null);
  assert.match(bad.reason!, /inference "wild"/);
  const rows = analyticRows(bad, 0.05);
  assert.ok(Number.isNaN(rows[1].value));
  assert.deepEqual(rows[1].reasons, [{ reason: bad.reason, count: 0 }]);

  const allAtOnce = analyticSpecsOf({ index: 0, scenario: clusterScenario({ design: { waves: { count: 1, first: 1 } } }) })[0];
  assert.equal(allAtOnce.se, null);
  assert.match(allAtOnce.reason!, /not identified/);
  const count = analyticSpecsOf({ index: 0, scenario: clusterScenario({ outcome: { type: 'count' } }) })[0];
  assert.match(count.reason!, /continuous and binary/);
});

test('specs: none for a scenario without clusters or without an hh estimator', () => {
  assert.deepEqual(analyticSpecsOf({ index: 0, scenario: { ...clusterScenario(), design: { type: 'waitlist' } } }), []);
  assert.deepEqual(analyticSpecsOf({ index: 0, scenario: clusterScenario({ estimators: [{ name: 'cs', type: 'did' }] }) }), []);
});

const SPEC: AnalyticSpec = {
  point: 1,
  outcome: '',
  estimator: 'a',
  estimand: 'simple',
  theta: 1.5,
  se: 0.6,
  df: null,
  method: 'hussey-hughes',
};

test('Diagnosis: the analytic rows follow the estimator’s simulated rows of its simple estimand, at the diagnosis α', () => {
  const diag = new Diagnosis(0.05, ['a', 'b'], [], [SPEC]);
  for (const point of [0, 1])
    for (const estimator of ['a', 'b'])
      for (const estimand of ['simple', 'dynamic:0'])
        diag.push(point, estimator, estimand, { estimate: 1, se: 0.5, truth: 1, popTruth: 1 });
  const rows = diag.rows();
  const at = rows.findIndex((r) => r.diagnosand === 'analytic_se');
  assert.equal(rows.filter((r) => r.diagnosand.startsWith('analytic_')).length, 2);
  assert.deepEqual(
    rows.slice(at, at + 2).map((r) => [r.point, r.estimator, r.estimand, r.diagnosand]),
    [
      [1, 'a', 'simple', 'analytic_se'],
      [1, 'a', 'simple', 'analytic_power'],
    ],
  );
  assert.equal(rows[at - 1].estimand, 'simple');
  assert.equal(rows[at - 1].estimator, 'a');
  assert.notEqual(rows[at + 2].estimand, 'simple', 'the next block starts after them');
  assert.equal(rows[at + 1].value, twoSidedPower(1.5, 0.6, 0.05));
  // An estimand no draw produced still has its analytic rows.
  const lone = new Diagnosis(0.05, ['a'], [], [SPEC]).rows();
  assert.deepEqual(
    lone.map((r) => r.diagnosand),
    ['analytic_se', 'analytic_power'],
  );
});

test('a fake run writes the analytic rows to diagnosis.csv; shards merge and diagnose again at another α', async () => {
  const args = {
    points: [
      { mu: 0, sigma: 1 },
      { mu: 1.5, sigma: 0.6 },
    ],
    estimators: ['a', 'b'],
    analytic: [SPEC],
  };
  const base = { spec: fakeSpec(args), scenario: { path: null, sha256: 'fake' }, seed: '3', draws: 40, workers: 0 };
  const full = tempDir('analytic-full');
  const run = await runEngine({ ...base, outDir: full });
  const csv = readFileSync(join(full, 'diagnosis.csv'), 'utf8').split('\n');
  const lines = csv.filter((l) => l.includes('analytic_'));
  assert.equal(lines.length, 2);
  const p = twoSidedPower(1.5, 0.6, 0.05);
  assert.ok(lines[1].includes(`,analytic_power,${p},0,0,`), lines[1]);
  assert.ok(lines[0].startsWith('1,'), 'point 1');
  // Simulated power of the fake (θ̂ ~ N(1.5, 0.6²), Wald test) is the same number: agree within 4 MC SEs.
  const sim = run.rows.find((r) => r.point === 1 && r.estimator === 'a' && r.estimand === 'simple' && r.diagnosand === 'power')!;
  assert.ok(Math.abs(sim.value - p) < 4 * Math.sqrt((p * (1 - p)) / 40) + 1e-9, `${sim.value} vs ${p}`);

  const shards = [1, 2].map((i) => {
    const d = tempDir(`analytic-shard${i}`);
    return { d, run: runEngine({ ...base, outDir: d, shard: { index: i, count: 2 } }) };
  });
  for (const s of shards) await s.run;
  const merged = tempDir('analytic-merged');
  mergeRuns(
    shards.map((s) => s.d),
    merged,
    () => {},
  );
  assert.equal(readFileSync(join(merged, 'diagnosis.csv'), 'utf8'), readFileSync(join(full, 'diagnosis.csv'), 'utf8'));

  const again = rediagnose(full, 0.1).rows.filter((r) => r.diagnosand === 'analytic_power');
  assert.equal(again.length, 1);
  assert.equal(again[0].value, twoSidedPower(1.5, 0.6, 0.1));
});
