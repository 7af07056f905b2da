/**
 * Scenario options for inference (analysis.estimators[].bootstrap, bootstrap_weights, permutations)
 * and for repeated cross-sections (panel: false): the engine passes them to the estimator, the
 * estimator draws its bootstrap or re-randomisations from the draw's own stream, and the diagnosis
 * scores the estimator's own interval and p-value — byte-identical for any number of workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseSetting } from '../../src/engine/settings.js';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/load.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { assertSameFiles, tempDir } from './helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const R5 = new URL('../../../scenarios/r5-survey-waves.yaml', import.meta.url).pathname;
const BASE = ['effect.size=0.5', 'analysis.estimands=[simple, dynamic]', 'analysis.event_window=[-2, 3]'];

async function run(name: string, settings: string[], workers: number, draws = 12) {
  const outDir = tempDir(name);
  const res = await runEngine({ ...scenarioSpec(SMALL, { set: settings.map(parseSetting) }), seed: '4', draws, workers, outDir });
  const recs: DrawRecord[][] = [];
  scanDrawsFile(join(outDir, 'draws'), (d) => recs.push(d.records));
  return { outDir, rows: res.rows, recs };
}
const row = (
  rows: { estimand: string; diagnosand: string; target?: string | null; value: number }[],
  estimand: string,
  diagnosand: string,
  target?: string,
) => rows.find((r) => r.estimand === estimand && r.diagnosand === diagnosand && (target === undefined || r.target === target))!;

test('bootstrap: 99 in a scenario: coverage scores the bootstrap interval, and 1 and 2 workers give the same bytes', async () => {
  const boot = [...BASE, 'analysis.estimators.0.bootstrap=99'];
  const [one, two, analytic] = [await run('boot-w1', boot, 1), await run('boot-w2', boot, 2), await run('analytic', BASE, 1)];
  assertSameFiles(one.outDir, two.outDir, (x, m) => assert.ok(x, m));
  // Every identified record carries the bootstrap's interval; the event-time rows' is R did's sup-t
  // band, wider than ±z·se (the analytic run stores none: its interval is the Wald one).
  const band = one.recs.map((r) => r.find((x) => x.estimand === 'dynamic:0')!);
  for (const r of band) assert.ok(r.ciLow != null && r.ciHigh != null && r.ciHigh - r.ciLow > 2 * 1.96 * r.se!, JSON.stringify(r));
  assert.ok(analytic.recs.every((r) => r.every((x) => x.ciLow === undefined)));
  // Coverage of dynamic:0 is the share of draws whose stored band covers the sample truth.
  const covered = band.filter((r) => r.ciLow! <= r.truth! && r.truth! <= r.ciHigh!).length / band.length;
  assert.equal(row(one.rows, 'dynamic:0', 'coverage', 'sample').value, covered);
  // The bootstrap SE differs from the analytic one, and so does the simple ATT's coverage (seed 4: 11
  // of 12 draws against 10 of 12 with the analytic SE).
  assert.notEqual(row(one.rows, 'simple', 'mean_se').value, row(analytic.rows, 'simple', 'mean_se').value);
  assert.equal(row(one.rows, 'simple', 'coverage', 'sample').value, 11 / 12);
  assert.equal(row(analytic.rows, 'simple', 'coverage', 'sample').value, 10 / 12);
  // Mammen's multipliers are another draw of the bootstrap: another SE.
  const mammen = await run('boot-mammen', [...boot, 'analysis.estimators.0.bootstrap_weights=mammen'], 0, 4);
  assert.notEqual(row(mammen.rows, 'simple', 'mean_se').value, row(one.rows, 'simple', 'mean_se').value);
});

test('permutations: N on dim gives every record its Fisher p-value', async () => {
  const { recs } = await run(
    'fisher',
    ['analysis.estimands=[simple]', 'analysis.estimators=[{name: fisher, type: dim, horizon: 0, permutations: 49}]'],
    0,
    4,
  );
  // With 49 re-randomisations the p-value is a multiple of 1/50 (the observed assignment counted).
  for (const r of recs.map((x) => x[0]))
    assert.ok(typeof r.p === 'number' && Math.abs(r.p * 50 - Math.round(r.p * 50)) < 1e-9 && r.p > 0, JSON.stringify(r));
});

test('an inference option a family does not take is refused, naming the family', () => {
  const text = readFileSync(SMALL, 'utf8');
  const entry = (e: string) => parseScenario(text.replace(/(estimators:\n)\s+- \{.*\}\n/, `$1    - ${e}\n`), SMALL);
  assert.throws(() => entry('{ name: t, type: twfe, bootstrap: 9 }'), /twfe does not take bootstrap/);
  assert.throws(() => entry('{ name: t, type: did, permutations: 9 }'), /did does not take permutations/);
  assert.throws(() => entry('{ name: t, type: did, bootstrap_weights: normal }'), /bootstrap_weights/);
  assert.doesNotThrow(() => entry('{ name: t, type: efficient, permutations: 9 }'));
});

test('R5 with panel: false (survey waves as repeated cross-sections, R did panel = FALSE) runs: same estimates, larger SEs', async () => {
  const go = async (set: string[]) => {
    const outDir = tempDir('r5-rc');
    return (await runEngine({ ...scenarioSpec(R5, { set: set.map(parseSetting) }), seed: '2', draws: 3, workers: 0, outDir })).rows;
  };
  const rc = await go(['analysis.estimators.0.panel=false']),
    panel = await go([]);
  // Without covariates both compare the same wave means (R did's reg/dr with ~1), so the estimates
  // agree; the cross-section SE ignores each person's correlation across waves, which is positive here.
  const est = (rows: typeof rc, d: string) => rows.find((r) => r.estimand === 'simple' && r.diagnosand === d)!.value;
  assert.ok(Math.abs(est(rc, 'mean_estimate') - est(panel, 'mean_estimate')) < 1e-9);
  assert.ok(est(rc, 'mean_se') > 1.3 * est(panel, 'mean_se'), `${est(rc, 'mean_se')} vs ${est(panel, 'mean_se')}`);
});
