/**
 * The data flags `stagger estimate` and `stagger sensitivity` share (src/cli/data-options.ts): one
 * definition, so both commands read and check them alike — sensitivity's --anticipation, --min-e and
 * --max-e now refuse what estimate's refuse, with the same message (before: "expected number,
 * received NaN, found null" from the family schema) — and the comma lists of --covariates and
 * --estimands are split one way.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { commaList, dataOption, dataOptions } from '../../src/cli/data-options.js';
import { CLI } from '../engine/helpers.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('commaList trims and drops empty entries', () => {
  assert.deepEqual(commaList(' x1, x2,,x3 ,'), ['x1', 'x2', 'x3']);
  assert.deepEqual(commaList(''), []);
});

test('dataOption: the shared spec with the command’s words; dataOptions: every flag, in one order', () => {
  const o = dataOption('id', { describe: 'Unit id column', group: 'Data:' });
  assert.deepEqual(o, { type: 'string', default: 'id', describe: 'Unit id column', group: 'Data:' });
  const w = { describe: 'd', group: 'g' };
  const all = dataOptions({
    id: w,
    time: w,
    group: w,
    outcome: w,
    covariates: w,
    control: w,
    'base-period': w,
    anticipation: w,
    cluster: w,
    'min-e': w,
    'max-e': w,
  });
  assert.deepEqual(Object.keys(all), [
    'id',
    'time',
    'group',
    'outcome',
    'covariates',
    'control',
    'base-period',
    'anticipation',
    'cluster',
    'min-e',
    'max-e',
  ]);
  assert.equal(all['min-e'].coerce('-Infinity'), -Infinity);
});

test('estimate and sensitivity refuse a bad --anticipation / --min-e with the same message (exit 2)', () => {
  for (const [flag, value, message] of [
    ['--anticipation', 'abc', 'stagger: --anticipation: expected a number, found "abc"\n'],
    ['--min-e', '1.5', 'stagger: --min-e: expected a whole event time (or Infinity, -Infinity), found 1.5\n'],
  ]) {
    for (const cmd of ['estimate', 'sensitivity']) {
      const r = run([cmd, '--data', 'nowhere.csv', flag, value]);
      assert.equal(r.status, 2, `${cmd} ${flag}`);
      assert.equal(r.stderr, message, `${cmd} ${flag}`);
    }
  }
});
