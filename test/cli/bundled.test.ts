// Every bundled design end to end through the CLI: `stagger scenarios` lists it, `stagger validate`
// passes, and `stagger simulate` writes a panel that `stagger estimate` accepts (R2, the large one,
// is simulated and estimated in the generator's own tests and benchmarks instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = new URL('../../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'stagger-bundled-'));
const scen = (f: string) => new URL(`../../../scenarios/${f}`, import.meta.url).pathname;
const run = (...args: string[]) => execFileSync(process.execPath, [main, ...args], { encoding: 'utf8' });
const files = [
  'r1-isf-waitlist.yaml',
  'r2-malmo-quota.yaml',
  'r3-municipal-adoption.yaml',
  'r4-matched-followup.yaml',
  'r5-survey-waves.yaml',
];

test('stagger scenarios lists R1–R5; stagger validate passes on each', () => {
  const list = run('scenarios');
  for (const f of files) assert.match(list, new RegExp(f.replace('.', '\\.')));
  const v = run('validate', ...files.map(scen));
  assert.equal(
    v
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('ok ')).length,
    5,
  );
});

for (const [f, rows] of [
  ['r3-municipal-adoption.yaml', 290 * 23],
  ['r4-matched-followup.yaml', 0],
  ['r5-survey-waves.yaml', 0],
] as const) {
  test(`stagger simulate ${f} → stagger estimate accepts the panel`, () => {
    const csv = join(dir, f.replace('.yaml', '.csv'));
    run('simulate', scen(f), '--seed', '3', '--out', csv);
    const out = JSON.parse(
      run(
        'estimate',
        '--data',
        csv,
        '--id',
        'id',
        '--time',
        'period',
        '--group',
        'first_treat',
        '--outcome',
        'y',
        '--json',
        '--no-pretest',
      ),
    );
    assert.ok(typeof out.aggregates.simple.att === 'number', JSON.stringify(out.aggregates.simple));
    if (rows > 0) assert.equal(run('simulate', scen(f), '--seed', '3', '--out', csv).includes('290 units × 23 periods'), true);
  });
}
