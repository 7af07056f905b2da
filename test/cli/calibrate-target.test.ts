/** `stagger calibrate SCENARIO --target … --free …` end to end: JSON answer, --out file, input errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/generate.js';
import { CLI, tempDir } from '../engine/helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'calibrate', SMALL, ...args], { encoding: 'utf8' });

test('calibrate --json --out: the found sd meets the target, and the written scenario loads with it', () => {
  const out = join(tempDir('calibrate'), 'calibrated.yaml');
  // SE ∝ sd exactly here (no effect, continuous outcome): the target 0.75× the SE at sd = 2 needs sd = 1.5.
  const probe = run([
    '--target',
    'simple.se=1',
    '--free',
    'outcome.sd',
    '--draws',
    '6',
    '--seed',
    '4',
    '--workers',
    '0',
    '--json',
    '--max-evals',
    '2',
  ]);
  const se2 = (JSON.parse(probe.stdout) as { evaluations: { values: Record<string, number>; statistics: number[] }[] }).evaluations[0]
    .statistics[0];
  const r = run([
    '--target',
    `simple.se=${0.75 * se2}`,
    '--free',
    'outcome.sd',
    '--draws',
    '6',
    '--seed',
    '4',
    '--workers',
    '0',
    '--json',
    '--out',
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { status: string; free: { found: number }[]; seconds: number };
  assert.equal(j.status, 'found');
  assert.ok(Math.abs(j.free[0].found / 1.5 - 1) < 1e-9, `found ${j.free[0].found}`);
  const s = loadScenario(out);
  assert.equal(s.outcome.type === 'continuous' && s.outcome.sd, 1.5);
  assert.match(readFileSync(out, 'utf8'), /^# Calibrated by: stagger calibrate .*--target simple.se=/);
});

test('an unreachable target exits 1 with the closest value and the achievable range; bad input exits 2 naming the nearest name', () => {
  // outcome.mean shifts every outcome alike: DiD differences it away, so the SE cannot move.
  const flat = run([
    '--target',
    'simple.se=5',
    '--free',
    'outcome.mean',
    '--draws',
    '4',
    '--seed',
    '4',
    '--workers',
    '0',
    '--quiet',
    '--max-evals',
    '6',
  ]);
  assert.equal(flat.status, 1, flat.stderr);
  assert.match(flat.stdout, /not calibrated \((no sign change|not converged)\): no value reaches the target 5/);
  assert.match(flat.stdout, /closest: outcome.mean = /);
  const bad = run(['--target', 'simpel.se=1', '--free', 'outcome.sd', '--seed', '1']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /stagger: --target simpel.se=1: "simpel" is not an estimand id .*nearest valid: "simple"/);
  const path = run(['--target', 'simple.se=1', '--free', 'outcome.noise', '--seed', '1']);
  assert.equal(path.status, 2);
  assert.match(path.stderr, /--free outcome.noise: .* has no numeric setting there \(nearest valid: "outcome.noise_sd"\)/);
});
