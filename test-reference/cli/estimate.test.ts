/** `stagger estimate` end to end: the JSON shape, the tidy CSV, the table, and errors with exit code 2. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sharedFile } from '../../test/helpers/reference.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('stagger estimate', () => {
  const mpdta = sharedFile('did', 'mpdta.csv');

  it('--json prints exactly one JSON object of the documented shape', () => {
    const out = execFileSync(process.execPath, [CLI, 'estimate', '--data', mpdta, '--covariates', 'lpop', '--json'], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 1);
    const j = JSON.parse(lines[0]);
    assert.deepEqual(
      Object.keys(j)
        .filter((k) => ['att_gt', 'wald_pretest', 'aggregates', 'messages'].includes(k))
        .sort(),
      ['aggregates', 'att_gt', 'messages', 'wald_pretest'],
    );
    assert.deepEqual(Object.keys(j.att_gt[0]).slice(0, 4), ['group', 'time', 'att', 'se']);
    assert.deepEqual(Object.keys(j.aggregates).sort(), ['calendar', 'dynamic', 'group', 'simple']);
    assert.deepEqual(Object.keys(j.aggregates.dynamic.detail[0]).slice(0, 3), ['key', 'att', 'se']);
    assert.ok(j.wald_pretest.W > 0 && j.wald_pretest.p > 0);
    // confirmed in R: aggte(att_gt(..., xformla = ~lpop), type = "simple") on mpdta
    assert.ok(Math.abs(j.aggregates.simple.att - -0.0417518) < 1e-6);
  });

  it("--csv writes tidy rows with the columns of R did's tidy()", () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagger-test-'));
    const file = join(dir, 'tidy.csv');
    const r = run(['estimate', '--data', mpdta, '--csv', file]);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'type,term,group,event,time,estimate,std.error,conf.low,conf.high,note');
    assert.ok(rows.some((l) => l.startsWith('simple,ATT(simple average)')));
    assert.equal(rows.filter((l) => l.startsWith('att_gt,')).length, 12);
    assert.equal(rows.filter((l) => l.startsWith('dynamic,')).length, 1 + 7);
  });

  it('prints a readable table by default', () => {
    const r = run(['estimate', '--data', mpdta]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Group-time average treatment effects ATT\(g,t\)/);
    assert.match(r.stdout, /ATT\(simple average\)\s+-0\.0400\s+0\.0120/);
    assert.match(r.stdout, /Wald pre-test of parallel trends: W = 7\.791, df = 5/);
  });

  it('bad input exits 2 with the file, row and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagger-test-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,period,first_treat,y\n1,1,2,1\n1,2,2,x\n2,1,0,1\n2,2,0,1\n');
    const r = run(['estimate', '--data', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.csv, row 3, column "y": "x" is not a number/);
    const r2 = run(['estimate', '--data', mpdta, '--covariates', 'nope']);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /no column "nope" \(the covariate\)/);
    const r3 = run(['estimate', '--data', mpdta, '--weights', 'lpop', '--estimator', 'twfe']);
    assert.equal(r3.status, 2);
    assert.match(
      r3.stderr,
      /--weights works with --estimator did \(R did's weightsname\), dcdh \(did_multiplegt_dyn's weight\) and twowayfeweights \(its weights\) only; twfe takes no weights/,
    );
  });

  it('reads a list of single letters that spells one column as that column', () => {
    const out = execFileSync(process.execPath, [CLI, 'estimate', '--data', mpdta, '--covariates', 'l,p,o,p', '--json'], {
      encoding: 'utf8',
    });
    const j = JSON.parse(out);
    assert.ok(Math.abs(j.aggregates.simple.att - -0.0417518) < 1e-6);
    assert.match(j.messages[0], /Read --covariates "l,p,o,p" as the column "lpop"/);
  });
});
