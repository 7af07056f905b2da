/**
 * `stagger estimate --estimator did2s | etwfe` on the packages' own data: the JSON carries the numbers
 * the did2s README (df_het: treat = TRUE 2.152 (0.0476), first stage ~ 0 | state + year, clustered by
 * state) and the etwfe vignette (mpdta, lemp ~ lpop: emfx simple −0.0506 (0.0125)) print; a flag the
 * family does not take exits 2 naming it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sharedFile } from '../../test/helpers/reference.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'estimate', ...args], { encoding: 'utf8' });

describe('stagger estimate --estimator did2s / etwfe', () => {
  it('did2s --first-stage cluster --cluster state on df_het: 2.152 (0.0476)', () => {
    const r = run([
      '--data',
      sharedFile('peers', 'did2s_df_het.csv'),
      '--id',
      'unit',
      '--time',
      'year',
      '--group',
      'g',
      '--outcome',
      'dep_var',
      '--cluster',
      'state',
      '--estimator',
      'did2s',
      '--first-stage',
      'cluster',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout).aggregates.simple;
    assert.ok(Math.abs(s.att - 2.152) <= 0.0005 && Math.abs(s.se - 0.0476) <= 0.00005, JSON.stringify(s));
  });
  it('etwfe --covariates lpop on mpdta: −0.0506 (0.0125); --first-stage is refused', () => {
    const mpdta = sharedFile('did', 'mpdta.csv');
    const r = run(['--data', mpdta, '--covariates', 'lpop', '--estimator', 'etwfe', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout).aggregates.simple;
    assert.ok(Math.abs(s.att + 0.0506) <= 0.00005 && Math.abs(s.se - 0.0125) <= 0.00005, JSON.stringify(s));
    const bad = run(['--data', mpdta, '--estimator', 'etwfe', '--first-stage', 'unit']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /etwfe does not take --first-stage.*works with --estimator did2s/);
  });
});

describe('stagger estimate --estimator bjs --pretrends / synthdid', () => {
  it('bjs --pretrends 5 on df_het: the lead coefficients and the joint test in --json', () => {
    const r = run([
      '--data',
      sharedFile('peers', 'didimputation_df_het.csv'),
      '--id',
      'unit',
      '--time',
      'year',
      '--group',
      'g',
      '--outcome',
      'dep_var',
      '--estimator',
      'bjs',
      '--pretrends',
      '5',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    // didimputation README: -5 -0.06412085; R sandwich (test-reference/estimators/bjs/pretrends.test.ts): W = 1.5058013529.
    assert.ok(Math.abs(j.pretrends[0].coef + 0.06412085) < 5e-9, JSON.stringify(j.pretrends[0]));
    assert.ok(Math.abs(j.wald_pretest.W - 1.5058013529) < 5e-10, JSON.stringify(j.wald_pretest));
  });
  it('synthdid on mpdta: a placebo SE, reproducible by --seed; --pretrends is refused', () => {
    const mpdta = sharedFile('did', 'mpdta.csv');
    const args = ['--data', mpdta, '--estimator', 'synthdid', '--solver', 'exact', '--replications', '20', '--seed', '5', '--json'];
    const a = run(args),
      b = run(args);
    assert.equal(a.status, 0, a.stderr);
    const s = JSON.parse(a.stdout).aggregates.simple;
    assert.ok(Number.isFinite(s.att) && s.se > 0, JSON.stringify(s));
    assert.equal(a.stdout, b.stdout);
    const bad = run(['--data', mpdta, '--estimator', 'synthdid', '--pretrends', '2']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /synthdid does not take --pretrends/);
  });
});
