/**
 * `stagger estimate --estimator external`: the protocol once, on a panel file. The panel is the run's
 * draw 0 of examples/external/waitlist-python.yaml (`stagger simulate`); the expected figures are the
 * built-in did's (control notyet) on the same file — the example computes the same estimates
 * (examples.test.ts) — and the failure cases are the CLI's own messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../../engine/helpers.js';

const EXAMPLES = new URL('../../../../examples/external/', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('estimate --estimator external answers as the built-in estimator on the same panel; bad flags are refused', () => {
  const dir = tempDir('ext-cli');
  const panel = join(dir, 'panel.csv');
  assert.equal(run(['simulate', `${EXAMPLES}waitlist-python.yaml`, '--out', panel]).status, 0);
  const data = [
    '--data',
    panel,
    '--id',
    'id',
    '--time',
    'period',
    '--group',
    'first_treat',
    '--outcome',
    'y',
    '--min-e',
    '-2',
    '--max-e',
    '2',
    '--json',
  ];
  const ext = run([
    'estimate',
    ...data,
    '--estimator',
    'external',
    '--command',
    `python3 ${EXAMPLES}did_2x2.py`,
    '--estimands',
    'simple,dynamic',
  ]);
  assert.equal(ext.status, 0, ext.stderr);
  const cs = run(['estimate', ...data, '--control', 'notyet']);
  assert.equal(cs.status, 0, cs.stderr);
  const a = JSON.parse(ext.stdout);
  const b = JSON.parse(cs.stdout);
  assert.ok(Math.abs(a.aggregates.simple.att - b.aggregates.simple.att) < 1e-10);
  const keys = (x: { detail: { key: number }[] }) => x.detail.map((d) => d.key);
  assert.deepEqual(keys(a.aggregates.dynamic), keys(b.aggregates.dynamic));
  a.aggregates.dynamic.detail.forEach((d: { att: number }, i: number) =>
    assert.ok(Math.abs(d.att - b.aggregates.dynamic.detail[i].att) < 1e-10),
  );
  assert.ok(Math.abs(a.aggregates.dynamic.att - b.aggregates.dynamic.att) < 1e-10);

  const method = run([
    'estimate',
    ...data,
    '--estimator',
    'external',
    '--command',
    'python3 x.py',
    '--estimands',
    'simple',
    '--method',
    'dr',
  ]);
  assert.equal(method.status, 2);
  assert.match(method.stderr, /external does not take --method/);
  const missing = run(['estimate', ...data, '--estimator', 'external', '--command', 'nope-xyz a.py', '--estimands', 'simple']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /the program "nope-xyz" is not on PATH/);
  const noCommand = run(['estimate', ...data, '--estimator', 'external', '--estimands', 'simple']);
  assert.notEqual(noCommand.status, 0);
  assert.match(noCommand.stderr, /--estimator external needs --command/);
});

test('estimate --panel-format binary: the same Estimate as the CSV; ids that are not numbers and other families refused', () => {
  const dir = tempDir('ext-cli-bin');
  const panel = join(dir, 'panel.csv');
  assert.equal(run(['simulate', `${EXAMPLES}waitlist-python.yaml`, '--out', panel]).status, 0);
  const data = ['--data', panel, '--id', 'id', '--time', 'period', '--group', 'first_treat', '--outcome', 'y', '--json'];
  const ext = (file: string, ...more: string[]) =>
    run([
      'estimate',
      ...data.map((x) => (x === panel ? file : x)),
      '--estimator',
      'external',
      '--command',
      `python3 ${EXAMPLES}did_2x2.py`,
      '--estimands',
      'simple,dynamic,group',
      ...more,
    ]);
  const csv = ext(panel);
  const bin = ext(panel, '--panel-format', 'binary');
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(bin.status, 0, bin.stderr);
  assert.equal(bin.stdout, csv.stdout, 'byte-identical Estimate from the frame and from the CSV');
  // The same panel with ids "u1", "u2", …: the CSV carries them, the frame cannot.
  const named = join(dir, 'named.csv');
  const lines = readFileSync(panel, 'utf8').trim().split('\n');
  writeFileSync(named, `${[lines[0], ...lines.slice(1).map((l) => `u${l}`)].join('\n')}\n`);
  assert.equal(ext(named).status, 0);
  const refused = ext(named, '--panel-format', 'binary');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /binary carries numbers only, and unit 1's id "u1" is not a number as written; use the csv format/);
  const other = run(['estimate', ...data, '--estimator', 'did', '--panel-format', 'binary']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /did does not take --panel-format/);
});
