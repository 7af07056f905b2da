// The analytic cross-check of issue 15, end to end: `stagger run` on a stepped wedge whose world is
// Hussey & Hughes' model (continuous outcome, new people each period, exchangeable cluster effects,
// an immediate constant effect) gives hh a simulated power within its Monte Carlo interval of the
// closed-form power the diagnosis carries beside it (diagnosis/analytic-power.ts, checked there
// against SteppedPower's published numbers), and an RMSE equal to the analytic SE. With a lag the
// step model is misspecified and the two part, as the issue says they must.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = new URL('../../src/cli/main.js', import.meta.url).pathname;
const scen = new URL('../../../scenarios/teach-stepped-wedge.yaml', import.meta.url).pathname;
const S = 400;

function diagnose(extra: string[]): Record<string, number> {
  const out = mkdtempSync(join(tmpdir(), 'stagger-sw-analytic-'));
  execFileSync(
    process.execPath,
    [main, 'run', scen, '--draws', String(S), '--seed', '3', '--workers', '1', '--quiet', '--out', out, '--set', 'effect.ramp=0']
      .concat(['--set', 'design.sampling=cross_section', '--set', 'analysis.estimators=[{name: hh, type: hh}]'])
      .concat(extra.flatMap((e) => ['--set', e])),
    { encoding: 'utf8' },
  );
  const rows: Record<string, number> = {};
  for (const line of readFileSync(join(out, 'diagnosis.csv'), 'utf8').trim().split('\n').slice(1)) {
    const f = line.split(',');
    if (f[2] !== 'hh' || f[3] !== 'simple' || f[6] === 'population') continue;
    rows[f[7]] = Number(f[8]);
  }
  return rows;
}

test('hh in the HH world: simulated power and RMSE agree with the analytic power and SE within 3 MC SEs', () => {
  const d = diagnose(['effect.size=0.5']);
  const a = d.analytic_power;
  assert.ok(a > 0.3 && a < 0.8, `a design with power between 0.3 and 0.8 (analytic ${a})`);
  const mcse = Math.sqrt((a * (1 - a)) / S);
  assert.ok(Math.abs(d.power - a) <= 3 * mcse, `simulated ${d.power} against analytic ${a} (MC SE ${mcse.toFixed(4)})`);
  // MSE is a mean of S squared normal errors (relative MC SE √(2/S)), so RMSE's relative MC SE is √(1/(2S)).
  const rel = Math.abs(d.rmse / d.analytic_se - 1);
  assert.ok(rel <= 3 / Math.sqrt(2 * S), `RMSE ${d.rmse} against the analytic SE ${d.analytic_se}`);
  assert.ok(Math.abs(d.coverage - 0.95) <= 3 * Math.sqrt((0.95 * 0.05) / S), `coverage ${d.coverage}`);
});

test('hh with a lag (effect from 2 periods after start): the step model attenuates, simulated power falls well below analytic', () => {
  const d = diagnose(['effect.size=0.5', 'effect.onset=2']);
  const mcse = Math.sqrt((d.power * (1 - d.power)) / S);
  assert.ok(d.analytic_power - d.power > 5 * mcse, `simulated ${d.power} against analytic ${d.analytic_power}`);
  assert.ok(d.bias < 0, `the step coefficient is pulled towards 0 (bias ${d.bias})`);
});
