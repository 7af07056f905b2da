/**
 * `stagger run` takes the scenario file's `draws:` and `seed:` when no flag gives them (the explorer's
 * downloaded scenario states both, so `stagger run FILE` reproduces the page); flags win; a file that
 * states no seed gets a fresh one, printed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const SCENARIOS = new URL('../../../scenarios/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'stagger-run-counts-'));
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'run', ...args, '--workers', '0', '--quiet'], { encoding: 'utf8' });
const record = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seed: string; draws: number };

test("the file's seed and draws (after --set) unless a flag gives them", () => {
  const a = join(dir, 'a');
  let r = run([join(SCENARIOS, 'teach-pretest.yaml'), '--set', 'draws=3', '--out', a]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([record(a).seed, record(a).draws], ['11', 3]); // teach-pretest.yaml states seed: 11
  assert.doesNotMatch(r.stderr, /no --seed given/);
  const b = join(dir, 'b');
  r = run([join(SCENARIOS, 'teach-pretest.yaml'), '--set', 'draws=3', '--seed', '5', '--draws', '2', '--out', b]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([record(b).seed, record(b).draws], ['5', 2]);
});

test('a file without seed: gets a fresh seed, printed; without draws: 1000 is the default', () => {
  const text = readFileSync(join(SCENARIOS, 'teach-pretest.yaml'), 'utf8')
    .replace(/^seed:.*\n/m, '')
    .replace(/^draws:.*\n/m, '');
  const file = join(dir, 'no-seed.yaml');
  writeFileSync(file, text);
  const c = join(dir, 'c');
  const r = run([file, '--draws', '2', '--out', c]);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stderr.match(/no --seed given; using --seed (\d+)/);
  assert.ok(m, r.stderr);
  assert.equal(record(c).seed, m[1]);
  const d = join(dir, 'd');
  const r2 = spawnSync(process.execPath, [CLI, 'run', file, '--seed', '1', '--workers', '0', '--out', d, '--quiet', '--shard', '1/500'], {
    encoding: 'utf8',
  });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(record(d).draws, 1000);
});
