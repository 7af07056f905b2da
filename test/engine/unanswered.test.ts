/**
 * One draw an estimator cannot answer does not end the run (issue 16): on a small wait-list design
 * with ~0.3 referrals a month some draws have no start group with a comparison period (or, in the
 * women subgroup, no treated unit at all). Those draws become not-identified records carrying the
 * estimator's refusal as their reason; diagnosis counts them in not_identified (and leaves them out of
 * power_identified's n); the result is byte-identical for 0 and 2 workers and after a resume. Any
 * other error (an option no draw can satisfy, a bug) still stops the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseSetting } from '../../src/engine/settings.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { DrawError, type DrawRecord } from '../../src/engine/simulation.js';
import { attempt, attemptRecords } from '../../src/engine/unanswered.js';
import { EstimatorInputError } from '../../src/estimators/errors.js';
import { DidInputError } from '../../src/estimators/did/index.js';
import { recordProblems } from '../helpers/finite-check.js';
import { assertSameFiles, tempDir } from './helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const SET = ['design.recruitment.referrals=0.3', 'analysis.subgroups=[women]'];
const NO_GROUP = 'no start group can be estimated: every treated group starts in the first period (or has no comparison period)';
const DRAWS = 12;

test('draws the estimator cannot answer are not identified with the refusal as reason, never an error', () => {
  const sim = createSimulation({ scenarioFile: SMALL, set: SET.map(parseSetting) });
  const all: DrawRecord[][] = [];
  for (let d = 0; d < DRAWS; d++) all.push(sim.runDraw('1', 0, d));
  // Draw 2's whole sample has no start group with a comparison period: every record says so.
  const d2 = all[2].filter((r) => r.estimator === 'cs_dr' && !r.estimand.includes('@'));
  assert.ok(d2.length > 0);
  for (const r of d2) assert.deepEqual([r.estimate, r.se, r.reason], [null, null, NO_GROUP]);
  // Draw 9's women have no treated unit; the whole sample is estimated (its own rows, its own reasons).
  const w9 = all[9].filter((r) => r.estimand.endsWith('@women'));
  assert.ok(w9.length > 0 && w9.every((r) => r.reason === 'no unit is ever treated: the start-group column has only 0 (never treated)'));
  const whole9 = all[9].filter((r) => !r.estimand.includes('@'));
  assert.ok(whole9.length > 0 && whole9.every((r) => !/ever treated/.test(r.reason ?? '')));
  for (const recs of all) assert.deepEqual(recordProblems(recs), []);
});

test('diagnosis counts them: not_identified = failed draws / draws, power_identified over the rest; 0 and 2 workers and a resume give the same bytes', async () => {
  const spec = scenarioSpec(SMALL, { set: SET.map(parseSetting) });
  const dirs = [tempDir('unans-w0'), tempDir('unans-w2'), tempDir('unans-resume')];
  const res = await runEngine({ ...spec, seed: '1', draws: DRAWS, workers: 0, outDir: dirs[0] });
  await runEngine({ ...spec, seed: '1', draws: DRAWS, workers: 2, outDir: dirs[1] });
  await runEngine({ ...spec, seed: '1', draws: 5, workers: 0, outDir: dirs[2] });
  await runEngine({ ...spec, seed: '1', draws: DRAWS, workers: 2, outDir: dirs[2], resume: true });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  assertSameFiles(dirs[0], dirs[2], (x, m) => assert.ok(x, m));
  // The failed draws counted directly, draw by draw (the test above: draws 2, 3, 5 and 8 here).
  const sim = createSimulation({ scenarioFile: SMALL, set: SET.map(parseSetting) });
  const failed = Array.from(
    { length: DRAWS },
    (_, d) => sim.runDraw('1', 0, d).find((r) => r.estimand === 'simple')!.reason === NO_GROUP,
  ).filter(Boolean).length;
  assert.equal(failed, 4);
  const row = (diagnosand: string) =>
    res.rows.find(
      (r) => r.estimator === 'cs_dr' && r.estimand === 'simple' && !('subgroup' in r && r.subgroup) && r.diagnosand === diagnosand,
    )!;
  const ni = row('not_identified');
  assert.equal(ni.n, DRAWS);
  assert.ok(ni.value >= failed / DRAWS - 1e-12);
  assert.equal(ni.reasons!.find((x) => x.reason === NO_GROUP)?.count, failed);
  assert.equal(row('power_identified').n, DRAWS - Math.round(ni.value * DRAWS));
});

test('attempt: a data-forced refusal is a reason, an option error or a bug is a DrawError naming the step', () => {
  const ctx = { point: { index: 0, settings: {} }, draw: 3, seed: 's' };
  const refused = attempt('estimate x', ctx, () => {
    throw new DidInputError('no unit is ever treated', { notIdentified: true });
  });
  assert.deepEqual(refused, { reason: 'no unit is ever treated' });
  for (const err of [new EstimatorInputError('twfe: cluster must be unit or column'), new TypeError('x is undefined')]) {
    assert.throws(
      () =>
        attempt('estimate x', ctx, () => {
          throw err;
        }),
      (e: unknown) => e instanceof DrawError && e.step === 'estimate x' && e.draw === 3 && e.cause === err,
    );
  }
  const truth = { estimator: 'truth', att_gt: [], wald_pretest: null, messages: [], aggregates: { simple: { att: 2, se: null } } };
  assert.deepEqual(attemptRecords('cs', ['simple'], { reason: 'r' }, truth, null, undefined, 0.05), [
    { estimator: 'cs', estimand: 'simple', estimate: null, se: null, reason: 'r', truth: 2, popTruth: null },
  ]);
});
