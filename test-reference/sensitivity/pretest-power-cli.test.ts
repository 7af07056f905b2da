/**
 * `stagger sensitivity --coefficients coef.json --pretest-power 0.5,0.8 --json` on He & Wang (the
 * pretrends README example, ../shared/reference/peers/pretrends_HeAndWang.csv, written to a coef.json
 * here): "pretest_power": [{power, slope}], the slopes R's exact roots (pretest-power.test.ts says where
 * they come from). t maps to the coefficients as pretrends' tVec: num_pre = 3 (t = −4, −3, −2), num_post
 * = 4 (t = 0 … 3), reference period −1 — the CLI's default layout, so --t-vec is not needed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../test/helpers/reference.js';
import { heAndWang } from './pretest-power.test.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'sensitivity', ...args], { encoding: 'utf8' });

describe('stagger sensitivity --pretest-power', () => {
  const { coef, tVec } = heAndWang();
  const file = join(mkdtempSync(join(tmpdir(), 'pretest-power-')), 'coef.json');
  writeFileSync(file, JSON.stringify({ betahat: coef.betahat, sigma: coef.sigma, num_pre: coef.numPre, num_post: coef.numPost }));

  it('--json adds pretest_power with R’s exact slopes (1e-10); an explicit --t-vec gives the same', () => {
    for (const extra of [[], [`--t-vec=${tVec.join(',')}`, '--reference-period=-1']]) {
      const r = run(['--coefficients', file, '--pretest-power', '0.5,0.8', '--mbar', '1', '--json', ...extra]);
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.pretest_power.length, 2);
      assert.equal(j.pretest_power[0].power, 0.5);
      assert.ok(Math.abs(j.pretest_power[0].slope - 0.0520675798162017) < 1e-10);
      assert.ok(Math.abs(j.pretest_power[1].slope - 0.0791160846644247) < 1e-10);
    }
  });

  it('the table says it; without --pretest-power there is no pretest_power', () => {
    const r = run(['--coefficients', file, '--pretest-power', '0.5', '--mbar', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /pre-test power 0\.5: detects a linear pre-trend of slope 0\.05207/);
    const j = JSON.parse(run(['--coefficients', file, '--mbar', '1', '--json']).stdout);
    assert.equal(j.pretest_power, undefined);
  });

  it('refusals: a power the test already has, a --t-vec of the wrong length, --t-vec without --pretest-power', () => {
    const a = run(['--coefficients', file, '--pretest-power', '0.05', '--mbar', '1']);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /already rejects with probability/);
    const b = run(['--coefficients', file, '--pretest-power', '0.5', '--t-vec=-3,-2,0', '--mbar', '1']);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /tVec has 3 event times, the coefficients 7/);
    const c = run(['--coefficients', file, '--t-vec=-3,-2,0']);
    assert.notEqual(c.status, 0);
    assert.match(c.stderr, /give --pretest-power too/);
  });
});
