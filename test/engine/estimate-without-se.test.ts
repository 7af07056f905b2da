/**
 * An estimate without an SE through the engine: synthdid's placebo SE needs more never-treated units
 * than treated ones, and R3 (scenarios/r3-municipal-adoption.yaml) has 17 never-treated and 273 treated
 * municipalities, so synthdid gives its estimate with se null and that reason (estimators/synthdid).
 * The records keep the estimate; the diagnosis uses it in bias and RMSE (their n = the draws) and counts
 * the draws not identified, with the reason, in power and coverage (n 0, a reason instead of a number).
 * Expected: bias = mean over the draws of (estimate − truth), recomputed here from the draws file.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { runEngine } from '../../src/engine/run.js';
import { parseSetting } from '../../src/engine/settings.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { estimateDid } from '../../src/estimators/did/index.js';
import { estimateTwfe } from '../../src/estimators/twfe/index.js';
import { tidyRow } from '../../src/estimands/tidy-rows.js';
import { synthPanel } from '../estimators/helpers.js';
import { tempDir } from './helpers.js';

const R3 = new URL('../../../scenarios/r3-municipal-adoption.yaml', import.meta.url).pathname;
const WHY = 'the placebo SE needs more never-treated units (17) than treated units (273)';

test('synthdid with an impossible placebo SE: the estimate is kept for bias and RMSE; power and coverage count it not identified with the reason', async () => {
  const outDir = tempDir('no-se');
  const set = ['analysis.estimands=[simple]', 'analysis.estimators=[{name: sdid, type: synthdid}]'].map(parseSetting);
  const res = await runEngine({ ...scenarioSpec(R3, { set }), seed: '3', draws: 3, workers: 1, outDir });
  const recs: DrawRecord[] = [];
  scanDrawsFile(join(outDir, 'draws'), (d) => recs.push(...d.records.filter((r) => r.estimator === 'sdid' && r.estimand === 'simple')));
  assert.equal(recs.length, 3);
  for (const r of recs) {
    assert.ok(Number.isFinite(r.estimate), `estimate kept: ${JSON.stringify(r)}`);
    assert.equal(r.se, null);
    assert.equal(r.reason, WHY);
  }
  const row = (diagnosand: string, target = '') =>
    res.rows.find((x) => x.estimator === 'sdid' && x.estimand === 'simple' && x.diagnosand === diagnosand && x.target === target)!;
  const bias = recs.reduce((a, r) => a + (r.estimate! - r.truth!), 0) / 3;
  assert.ok(Math.abs(row('bias', 'sample').value - bias) < 1e-15, `bias ${row('bias', 'sample').value} vs ${bias}`);
  assert.equal(row('bias', 'sample').n, 3);
  assert.equal(row('rmse', 'sample').n, 3);
  assert.equal(row('coverage', 'sample').n, 0);
  assert.ok(!Number.isFinite(row('coverage', 'sample').value));
  assert.match(row('coverage', 'sample').reasons![0].reason, /^no draw has a standard error \(3 with an estimate only/);
  assert.deepEqual([row('power').value, row('power').n], [0, 3]);
  assert.deepEqual([row('not_identified').value, row('not_identified').reasons], [1, [{ reason: WHY, count: 3 }]]);
});

test('a normalised reference row (0 by construction, se null) is no estimate: its tidy row is not identified with its reason', () => {
  // twfe's and sunab's reference period and did's universal base row carry `reference: true`.
  const ref = tidyRow('dynamic:-1', { att: 0, se: null, reason: 'reference period (normalised to 0)', reference: true }, 0.05);
  assert.deepEqual([ref.estimate, ref.se, ref.reason], [null, null, 'reference period (normalised to 0)']);
  const noSe = tidyRow('simple', { att: 0.25, se: null, reason: WHY }, 0.05);
  assert.deepEqual([noSe.estimate, noSe.se, noSe.p, noSe.ci_low, noSe.reason], [0.25, null, null, null, WHY]);
  const twfe = estimateTwfe(synthPanel({ seed: 'ref', groups: [0, 0, 3, 3, 4, 4, 0], T: 6 }));
  assert.equal(twfe.aggregates.dynamic!.detail!.find((d) => d.key === -1)?.reference, true);
  const did = estimateDid(synthPanel({ seed: 'ref', groups: [0, 0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 0, 0], T: 6 }), { basePeriod: 'universal' });
  assert.deepEqual(
    did.aggregates.dynamic!.detail!.find((d) => d.key === -1),
    {
      key: -1,
      att: 0,
      se: null,
      reason: 'reference period (universal base): 0 by construction',
      reference: true,
    },
  );
});
