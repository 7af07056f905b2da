/** A diagnosand without a number says why (issue 16, found by the fuzz suite): never a bare NA. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { undefinedReason } from '../../src/diagnosis/diagnosis.js';

test('undefinedReason names the cause', () => {
  assert.equal(undefinedReason('bias', 0, false), 'no draw identified this estimand');
  assert.match(undefinedReason('type_s', 3, false), /^no significant draw/);
  assert.equal(undefinedReason('sd_estimate', 1, true), 'too few draws (1) for the MC SE of sd_estimate');
});

test('a 3-draw run: every NA value or MC SE in diagnosis.csv has a reason (pre-period type S with no significant draw)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stagger-na-'));
  try {
    const main = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../src/cli/main.js');
    execFileSync(process.execPath, [
      main,
      'run',
      'scenarios/teach-twfe-bias.yaml',
      '--draws',
      '3',
      '--seed',
      '1',
      '--workers',
      '0',
      '--quiet',
      '--out',
      dir,
    ]);
    const rows = readFileSync(path.join(dir, 'diagnosis.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const h = rows[0];
    const na = rows.slice(1).filter((r) => r[h.indexOf('value')] === 'NA' || r[h.indexOf('mc_se')] === 'NA');
    assert.ok(na.length > 0, 'seed 1, 3 draws: the pre-period event times have no significant draw (type S undefined)');
    assert.deepEqual(
      na.filter((r) => !r[h.indexOf('reasons')]),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
