/**
 * `stagger estimate --estimator dcdh` on a panel with gaps: the panel is read as did_multiplegt_dyn reads
 * it (units missing periods kept, missing outcomes and treatments through its conventions, weights that
 * vary over time), --unbalanced asks for what dcdh does anyway, and continuous and trends_lin run there. (Parity with the package: test-reference/estimators/dcdh/missing.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { seeded } from '../../src/random/stream.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
let dir = '';
let csv = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagger-dcdh-gaps-'));
  csv = join(dir, 'gaps.csv');
  const rng = seeded('cli-dcdh-gaps');
  const lines = ['id,t,y,d,w'];
  for (let i = 1; i <= 80; i++) {
    const F = 2 + Math.floor(rng() * 8);
    for (let t = 1; t <= 6; t++) {
      const r = rng();
      if (r < 0.08) continue; // an absent row
      const d = t >= F ? 1 : 0;
      const y = r < 0.12 ? 'NA' : (Math.sin(i) + 0.3 * t + 0.5 * d + 0.2 * rng()).toFixed(6);
      lines.push(`${i},${t},${y},${r > 0.95 ? 'NA' : d},${1 + (i % 3) + (t % 2)}`);
    }
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(
    process.execPath,
    [CLI, 'estimate', '--data', csv, '--id', 'id', '--time', 't', '--outcome', 'y', '--treatment', 'd', '--estimator', 'dcdh', ...args],
    {
      encoding: 'utf8',
    },
  );

it('dcdh keeps the panel’s gaps and takes time-varying weights; --unbalanced gives the same numbers', () => {
  const a = run(['--effects', '3', '--placebo', '1', '--weights', 'w', '--json']);
  assert.equal(a.status, 0, a.stderr);
  const e = JSON.parse(a.stdout);
  assert.equal(e.aggregates.dynamic.detail.length, 4);
  for (const d of e.aggregates.dynamic.detail) assert.ok(typeof d.att === 'number' && d.se > 0, JSON.stringify(d));
  assert.ok(
    e.messages.some((m: string) => /Kept the panel's gaps: \d+ of 80 units miss some of the 6 periods/.test(m)),
    e.messages.join('\n'),
  );
  const b = run(['--effects', '3', '--placebo', '1', '--weights', 'w', '--json', '--unbalanced']);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(JSON.parse(b.stdout).aggregates, e.aggregates);
});

it('continuous and trends_lin run on a panel with gaps; continuous says how it reads the absent rows', () => {
  const r = run(['--effects', '2', '--continuous', '1', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.ok(e.aggregates.dynamic.detail.some((d: { att: unknown }) => typeof d.att === 'number'));
  assert.ok(
    e.messages.some((m: string) => /continuous: \d+ switcher\(s\) have absent rows, read as rows with no outcome and no treatment/.test(m)),
    e.messages.join('\n'),
  );
  const tl = run(['--effects', '2', '--trends-lin', '--json']);
  assert.equal(tl.status, 0, tl.stderr);
});
