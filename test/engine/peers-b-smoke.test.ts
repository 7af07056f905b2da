/**
 * did2s, etwfe, bjs with its pre-trend test and synthdid plug into the engine: a small scenario (test/engine/fixtures/small-waitlist.yaml)
 * run with them as analysis.estimators for a few draws gives every estimand a finite estimate and SE
 * per draw, and the diagnosis rows for each estimator.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { runEngine } from '../../src/engine/run.js';
import { parseSetting } from '../../src/engine/settings.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { tempDir } from './helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
/** R3: 290 municipalities, 17 never join — synthdid needs never-treated controls (the wait-list has none). */
const R3 = new URL('../../../scenarios/r3-municipal-adoption.yaml', import.meta.url).pathname;

test('did2s, etwfe and bjs (pretrends: 2) in a scenario: finite estimates and SEs in every draw', async () => {
  const outDir = tempDir('peers-b-smoke');
  const set = [
    'effect.size=0.5',
    'analysis.estimands=[simple, dynamic]',
    'analysis.event_window=[-2, 3]',
    'analysis.estimators=[{name: two_stage, type: did2s}, {name: ext_twfe, type: etwfe}, {name: imp, type: bjs, pretrends: 2}]',
  ].map(parseSetting);
  const res = await runEngine({ ...scenarioSpec(SMALL, { set }), seed: '3', draws: 4, workers: 1, outDir });
  const recs: DrawRecord[][] = [];
  scanDrawsFile(join(outDir, 'draws'), (d) => recs.push(d.records));
  assert.equal(recs.length, 4);
  for (const name of ['two_stage', 'ext_twfe', 'imp']) {
    const mine = recs.flat().filter((r) => r.estimator === name);
    assert.ok(mine.length >= 4 * 2, `${name}: ${mine.length} records`);
    for (const r of mine.filter((x) => x.estimand === 'simple' || x.estimand === 'dynamic:0'))
      assert.ok(Number.isFinite(r.estimate) && Number.isFinite(r.se), `${name} ${r.estimand}: ${JSON.stringify(r)}`);
    assert.ok(
      res.rows.some((row) => (row as { estimator?: string }).estimator === name),
      `${name} has diagnosis rows`,
    );
  }
});

test('synthdid in a scenario with never-treated units (R3: 17 never, 273 treated, so the jackknife SE; 2 draws)', async () => {
  const outDir = tempDir('peers-b-sdid');
  const set = ['analysis.estimands=[simple]', 'analysis.estimators=[{name: sdid, type: synthdid, variance: jackknife}]'].map(parseSetting);
  await runEngine({ ...scenarioSpec(R3, { set }), seed: '3', draws: 2, workers: 1, outDir });
  const recs: DrawRecord[][] = [];
  scanDrawsFile(join(outDir, 'draws'), (d) => recs.push(d.records));
  const mine = recs.flat().filter((r) => r.estimator === 'sdid' && r.estimand === 'simple');
  assert.equal(mine.length, 2);
  for (const r of mine) assert.ok(Number.isFinite(r.estimate) && Number.isFinite(r.se), JSON.stringify(r));
});
