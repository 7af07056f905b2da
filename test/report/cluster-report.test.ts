/**
 * A clusters run's report end to end (engine → draws file → report): the rollout table, chart and
 * headline sentence from the draws' RecruitmentSummary in the scenario's words, and the few-cluster
 * warning when the intervals under-cover. The fake's reported SE is 0.6 of the true SD, so its
 * coverage is P(|Z| < 1.96 × 0.6) = 0.760, far more than 3 MC SEs (3 × 0.03 at 200 draws) below 0.95;
 * at seed 2 these 200 draws realise 0.825 (their errors run small; 4,000 draws give 0.766).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { moduleSpec } from '../../src/engine/spec.js';
import { buildReport } from '../../src/report/report.js';
import { tempDir } from '../engine/helpers.js';

const MODULE = new URL('../engine/fakes/cluster-sim.js', import.meta.url).href;
const SCENARIO = `name: sw-test
periods: {count: 24, unit: month}
population: {unit: {one: clinic, many: clinics}}
outcome: {type: binary, p: 0.04, icc: 0.02, units: percentage points}
effect: {size: -0.008, onset: 3}
design: {type: clusters, clusters: 16, cluster_size: {mean: 400}, waves: 4}
analysis: {estimators: [{name: hh, type: hh}]}
`;

async function report(seScale: number) {
  const dir = tempDir('cluster-report');
  const args = { points: [{ mu: 1, sigma: 1, seScale }], estimators: ['hh'] };
  const { spec, scenario } = moduleSpec(MODULE, args);
  await runEngine({ spec, scenario, seed: '2', draws: 200, workers: 0, outDir: dir });
  writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  return buildReport(dir, { renderer: { error: 'charts are not drawn in this test' } });
}

test('the rollout of a clusters run: clinics per wave, in words, instead of the people-recruitment charts', async () => {
  const m = await report(1);
  const t = m.tables.find((x) => x.id === 'cluster-rollout');
  assert.ok(t, `tables: ${m.tables.map((x) => x.id).join(', ')}`);
  assert.deepEqual(
    t.rows.slice(0, 4),
    [4, 7, 10, 13].map((s, k) => [`wave ${k + 1}`, `month ${s}`, '4']),
  );
  assert.deepEqual(
    m.charts.filter((c) => c.section === 'recruitment').map((c) => c.id),
    ['cluster-waves'],
  );
  assert.ok(
    m.headline.includes(
      'Rollout: 16 clinics start in 4 waves, from month 4 to month 13; 0 never start and 0 (0–1) drop out; about 400 people per clinic and month (153600 person-months in all) (median draw, 90 % of draws in brackets).',
    ),
    m.headline.join('\n'),
  );
  assert.ok(m.headline.some((l) => / percentage points/.test(l)) && !m.headline.some((l) => /outcome units/.test(l)));
  // Coverage 0.95 in expectation: no few-cluster warning.
  assert.ok(!m.headline.some((l) => l.startsWith('Warning:')), m.headline.join('\n'));
});

test('under-covering intervals with 16 clinics carry the few-cluster warning', async () => {
  const m = await report(0.6);
  const w = m.headline.filter((l) => l.startsWith('Warning:'));
  assert.equal(w.length, 1, m.headline.join('\n'));
  assert.match(
    w[0],
    /^Warning: hh: coverage 0\.[78]\d* \(MC SE 0\.0[23]\d*\) below 0\.95 with 16 clinics: use few-cluster inference \(hh inference: t/,
  );
});
