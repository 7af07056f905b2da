// `stagger calibrate` as a user runs it: --json prints exactly {parameters, moments}, bad data exits 2
// with the CSV error, and the SCENARIO mode says plainly when it is not in this build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** A small continuous panel: y = unit effect + AR-ish noise, 60 units × 14 periods, deterministic. */
function panelCsv(): string {
  let s = 'id,period,y,x\n';
  for (let i = 1; i <= 60; i++) {
    let e = 0;
    for (let t = 1; t <= 14; t++) {
      e = 0.5 * e + Math.sin(i * 7.3 + t * 1.7);
      s += `u${i},${t},${(10 + (i % 7) + e).toFixed(4)},${(i % 5) * 0.37 + 0.1}\n`;
    }
  }
  return s;
}

test('calibrate --data --json prints {parameters, moments} with the named moments; --out writes the YAML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-cli-calib-'));
  try {
    const data = join(dir, 'h.csv');
    writeFileSync(data, panelCsv());
    const out = join(dir, 'world.yaml');
    const r = run(['calibrate', '--data', data, '--covariates', 'x', '--type', 'continuous', '--draws', '3', '--json', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['parameters', 'moments']);
    assert.deepEqual(
      j.moments.map((m: { name: string }) => m.name),
      ['mean', 'sd', 'share_zero', 'autocorr_lag1', 'autocorr_lag12', 'between_unit_share', 'placebo_se'],
    );
    assert.equal(j.parameters.outcome.type, 'continuous');
    assert.ok(existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('calibrate: a bad cell exits 2 with the row and column; SCENARIO mode without its module says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-cli-calib-'));
  try {
    const data = join(dir, 'h.csv');
    writeFileSync(data, 'id,period,y\n1,1,2\n1,2,x\n');
    const r = run(['calibrate', '--data', data]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /row 3, column "y": "x" is not a number/);
    const s = run(['calibrate', 'scenario.yaml', '--target', 'group_avg.se=267.5', '--free', 'outcome.sdlog']);
    // With src/cli/calibrate-target.ts merged, that mode is its own helper's to test.
    if (!existsSync(fileURLToPath(new URL('../../src/cli/calibrate-target.js', import.meta.url)))) {
      assert.equal(s.status, 2);
      assert.match(s.stderr, /not available in this build/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
