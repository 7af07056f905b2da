/**
 * analysis.sensitivity in a scenario: the robust:relative_magnitudes:mbar=1 estimand of TWFE's event
 * study (θ = the first post-period coefficient, HonestDiD's default l_vec) on a world whose parallel
 * trends fail by a linear differential trend tied to adoption timing (fixture
 * sensitivity-violation.yaml: trend.by x with adopt_by x), and on the same world without the violation.
 * The figures are this seed's; the checks against them are what the method promises:
 * - with the violation (trend.by.x = 0.1, 60 draws): the usual interval of dynamic:0 covers 39/60 = 0.65,
 *   MC 95 % interval 0.65 ± 1.96·√(0.65·0.35/60) = [0.53, 0.77], below 0.95 (it under-covers); the
 *   RM interval at M̄ = 1 (a linear trend has equal pre- and post-period slopes, so M̄ = 1 admits it)
 *   covers 59/60, MC interval 0.983 ± 0.032 = [0.951, 1]: at or above 0.95 (conservative, as RM sets are);
 * - without it (trend 0, 40 draws): both cover near 0.95 (0.95 and 0.975);
 * - the robust record's estimate is dynamic:0's, its interval the robust set's, and 1 and 2 workers
 *   write the same bytes (the LF critical value draws from streamFor(seed, 0, d, 'sensitivity:twfe')).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { runEngine } from '../../src/engine/run.js';
import { parseSetting } from '../../src/engine/settings.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseScenario } from '../../src/scenario/load.js';
import { assertSameFiles, tempDir } from './helpers.js';

const FIXTURE = new URL('../../../test/engine/fixtures/sensitivity-violation.yaml', import.meta.url).pathname;
const ROBUST = 'robust:relative_magnitudes:mbar=1';

async function run(name: string, settings: string[], draws: number, workers = 1) {
  const outDir = tempDir(name);
  const res = await runEngine({ ...scenarioSpec(FIXTURE, { set: settings.map(parseSetting) }), seed: '5', draws, workers, outDir });
  const recs: DrawRecord[][] = [];
  scanDrawsFile(join(outDir, 'draws'), (d) => recs.push(d.records));
  const value = (estimand: string, diagnosand: string) =>
    res.rows.find((r) => r.estimand === estimand && r.diagnosand === diagnosand && (r.target || 'sample') === 'sample')!.value;
  return { outDir, recs, value };
}

const mcHalf = (p: number, n: number) => 1.96 * Math.sqrt((p * (1 - p)) / n);

test('a parallel-trends violation tied to adoption: the usual interval under-covers, the RM interval (M̄ = 1) does not; 1 and 2 workers agree', async () => {
  const settings = ['outcome.trend.by.x=0.1'];
  const one = await run('sens-w1', settings, 60, 1);
  const usual = one.value('dynamic:0', 'coverage');
  const robust = one.value(ROBUST, 'coverage');
  assert.equal(usual, 39 / 60);
  assert.ok(usual + mcHalf(usual, 60) < 0.95, `usual coverage ${usual} under-covers`);
  assert.equal(robust, 59 / 60);
  assert.ok(robust - mcHalf(robust, 60) >= 0.95 - 1e-3, `robust coverage ${robust} does not under-cover`);
  for (const recs of one.recs) {
    const d0 = recs.find((r) => r.estimand === 'dynamic:0')!;
    const rb = recs.find((r) => r.estimand === ROBUST)!;
    assert.equal(rb.estimate, d0.estimate);
    assert.equal(rb.truth, d0.truth);
    assert.ok(rb.ciLow! < rb.estimate! && rb.estimate! < rb.ciHigh!);
    assert.ok(rb.ciHigh! - rb.ciLow! > 2 * 1.96 * rb.se!, 'wider than the usual interval');
  }
  // Power (rejects = the robust interval excludes 0) is diagnosed like any other estimand.
  assert.ok(one.value(ROBUST, 'power') <= one.value('dynamic:0', 'power'));
  const two = await run('sens-w2', settings, 60, 2);
  assertSameFiles(one.outDir, two.outDir, (x, m) => assert.ok(x, m));
});

test('no violation: both intervals cover near 0.95', async () => {
  const r = await run('sens-none', ['outcome.trend.by.x=0'], 40);
  assert.equal(r.value('dynamic:0', 'coverage'), 0.95);
  assert.equal(r.value(ROBUST, 'coverage'), 0.975);
});

test('analysis.sensitivity refuses mbar with type smoothness and a missing bound list, naming the key', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const bad = (replacement: string) => () =>
    parseScenario(text.replace('sensitivity: { type: relative_magnitudes, mbar: [1] }', replacement), FIXTURE);
  assert.throws(bad('sensitivity: { type: smoothness, mbar: [1] }'), /mbar bounds the other restriction; with type smoothness give m/);
  assert.throws(bad('sensitivity: { type: relative_magnitudes }'), /needs mbar/);
  assert.throws(bad('sensitivity: { type: relative_magnitudes, mbar: [1], mbarr: [2] }'), /mbarr/);
});
