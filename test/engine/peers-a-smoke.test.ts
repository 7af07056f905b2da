/**
 * The three estimators of peers-a plug into the engine: the bundled teach-twfe-bias scenario (300 units,
 * 10 periods, adoption over periods 3–7, no never treated) run with dcdh, stacked (wing and cengiz,
 * κ = 1 / 1 so cohorts 3–5 have clean controls) and twowayfeweights in analysis.estimators, 3 draws.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from './helpers.js';

const SCENARIOS = new URL('../../../scenarios/', import.meta.url).pathname;

/** teach-twfe-bias run with these estimators; the whole-sample diagnosis value of (estimator, estimand, diagnosand). */
function runWith(name: string, estimators: string, draws: number) {
  const out = join(tempDir(name), 'run');
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'run',
      join(SCENARIOS, 'teach-twfe-bias.yaml'),
      '--set',
      estimators,
      '--draws',
      String(draws),
      '--workers',
      '0',
      '--quiet',
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(join(out, 'diagnosis.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return (est: string, estimand: string, diagnosand: string) =>
    rows.find((c) => c[2] === est && c[3] === estimand && c[7] === diagnosand && c[6] === '')?.[8];
}

test('dcdh, stacked and twowayfeweights in a bundled scenario: identified estimates with SEs', () => {
  const value = runWith(
    'peers-a',
    'analysis.estimators=[{name: dc, type: dcdh}, {name: st, type: stacked, kappa_pre: 1, kappa_post: 1}, ' +
      '{name: stc, type: stacked, weighting: cengiz, kappa_pre: 1, kappa_post: 1}, {name: tw, type: twowayfeweights}]',
    3,
  );
  for (const e of ['dc', 'st', 'stc', 'tw']) {
    assert.equal(value(e, 'simple', 'not_identified'), '0', `${e} simple identified`);
    assert.ok(Number(value(e, 'simple', 'mean_se')) > 0, `${e} simple has an SE`);
  }
  for (const e of ['dc', 'st', 'stc']) assert.equal(value(e, 'dynamic_avg', 'not_identified'), '0', `${e} dynamic identified`);
});

test('dcdh with trends_lin, continuous, same_switchers_pl and bootstrap as scenario keys runs in the engine', () => {
  const value = runWith(
    'peers-a-dcdh-keys',
    'analysis.estimators=[{name: tl, type: dcdh, trends_lin: true}, {name: co, type: dcdh, continuous: 1}, ' +
      '{name: sp, type: dcdh, same_switchers: true, same_switchers_pl: true}, {name: bs, type: dcdh, bootstrap: 5}]',
    2,
  );
  for (const e of ['tl', 'co', 'sp', 'bs']) assert.equal(value(e, 'dynamic_avg', 'not_identified'), '0', `${e} dynamic identified`);
  assert.ok(Number(value('bs', 'simple', 'mean_se')) > 0, 'the bootstrap SE is there');
  // trends_lin has no average total effect: every draw's simple is not identified, with its reason.
  assert.equal(value('tl', 'simple', 'not_identified'), '1');
  assert.equal(value('co', 'simple', 'not_identified'), '0');
});
