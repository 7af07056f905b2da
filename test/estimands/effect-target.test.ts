/**
 * effect.target: the effect profile scaled so that the target estimand's population value is the
 * stated one. Checked on R1 (its seed reports group_avg 1,014 kr/month; the plateau 1,014 gives a
 * population group_avg of about 440, measured below with the run's own machinery), on an axis of
 * target values, and on the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawDesign, expandGrid, loadScenario, parseScenario, truthOptionsFor, withEffectTarget } from '../../src/generate.js';
import { PILOT_DRAWS, populationOfDesign } from '../../src/estimands/effect-target.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { parseSetting, scenarioWithSettings } from '../../src/engine/settings.js';
import { tempDir } from '../engine/helpers.js';

const R1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;
const FIXTURE = new URL('../../../test/estimands/fixtures/anticipation.yaml', import.meta.url).pathname;

function withTarget(file: string, target: string, dir: string): string {
  const out = join(tempDir(dir), 'target.yaml');
  writeFileSync(out, readFileSync(file, 'utf8').replace(/^effect:\n/m, `effect:\n  target: ${target}\n`));
  return out;
}

/** Mean and MC SE of the population group_avg over D design draws of a seed other than the pilot's. */
function popGroupAvg(file: string, D: number, set: string[] = []) {
  const [p] = expandGrid(scenarioWithSettings(file, set.map(parseSetting)));
  const { scenario } = withEffectTarget(p);
  const opts = truthOptionsFor(scenario);
  const v = Array.from(
    { length: D },
    (_, d) => populationOfDesign(scenario.effect, drawDesign(p, 'check', d), opts).aggregates.group!.att!,
  );
  const m = v.reduce((a, b) => a + b, 0) / D;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (D - 1));
  return { m, sd };
}

test("R1 with target group_avg = 1014: the population group_avg over draws is 1014 (today's plateau 1014 gives ~440)", () => {
  // The bundled R1 states its target; without it the plateau 1,014 is what the old file meant.
  const before = popGroupAvg(R1, 30, ['effect.target=null']);
  assert.ok(before.m > 400 && before.m < 480, `plateau 1014 → population group_avg ${before.m.toFixed(1)}`);
  const file = R1;
  const after = popGroupAvg(file, 30);
  // The pilot's own mean has MC error too (PILOT_DRAWS draws): both enter the tolerance.
  const se = after.sd * Math.sqrt(1 / 30 + 1 / PILOT_DRAWS);
  assert.ok(Math.abs(after.m - 1014) < 4 * se, `population group_avg ${after.m.toFixed(1)} ± ${se.toFixed(1)}, target 1014`);
  const { applied } = withEffectTarget(expandGrid(loadScenario(file))[0]);
  assert.ok(applied && Math.abs(applied.plateau - 1014 * applied.factor) < 1e-9 && applied.factor > 2, JSON.stringify(applied));
});

test('the engine scores against the scaled effect and notes the factor in every draw', () => {
  const file = withTarget(FIXTURE, '{ estimand: dynamic_avg, value: 2 }', 'fxtarget');
  const sim = createSimulation({ scenarioFile: file });
  const out = sim.runDrawOutput!('3', 0, 0);
  const r = out.records.find((x) => x.estimand === 'dynamic_avg')!;
  // Fixed adoption schedule: the same group shares every draw, so the population value is exact.
  assert.ok(Math.abs(r.popTruth! - 2) < 1e-9, `population dynamic_avg ${r.popTruth}`);
  // Closed form: dynamic_avg at the stated profile = mean over e = 0..3 of (1 + 0.3·1{e ≤ 1}) = 1.15.
  assert.ok(Math.abs((out.recruitment!.notes.effect_target_factor as number) - 2 / 1.15) < 1e-9);
  assert.equal(out.recruitment!.notes.effect_target, 'dynamic_avg = 2');
  // The anticipation part scales too: the pre cell at e = −2 is −0.6 · 2/1.15.
  const pre = out.records.find((x) => x.estimand === 'dynamic:-2')!;
  assert.ok(Math.abs(pre.popTruth! + 0.6 * (2 / 1.15)) < 1e-9, `dynamic:-2 ${pre.popTruth}`);
});

test("a grid over target values: the factors are in the values' ratio", () => {
  const file = withTarget(FIXTURE, '{ estimand: simple, value: [0, 0.5, 1.5] }', 'fxaxis');
  const points = expandGrid(loadScenario(file));
  const [z, a, b] = points.map((p) => withEffectTarget(p));
  assert.ok(Math.abs(b.applied!.factor / a.applied!.factor - 3) < 1e-12);
  // Value 0: the null, anticipation and announcement included.
  assert.equal(z.applied!.factor, 0);
  assert.deepEqual(
    [z.scenario.effect.size, z.scenario.effect.anticipation!.size, z.scenario.effect.announcement!.size].map(Math.abs),
    [0, 0, 0],
  );
});

test('errors: an estimand the design does not have (with the nearest name), and a zero value at the stated profile', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const at = (target: string, size = 1) =>
    expandGrid(
      parseScenario(text.replace(/^effect:\n/m, `effect:\n  target: ${target}\n`).replace('size: 1\n', `size: ${size}\n`), 'x.yaml'),
    )[0];
  assert.throws(
    () => withEffectTarget(at('{ estimand: group_average, value: 1 }')),
    /"group_average" is not an estimand of this design \(nearest: "group_avg"\)/,
  );
  // Any estimand of the design counts, reported by the analysis or not; a period the panel lacks does not.
  assert.doesNotThrow(() => withEffectTarget(at('{ estimand: calendar:7, value: 1 }')));
  assert.throws(() => withEffectTarget(at('{ estimand: calendar:700, value: 1 }')), /"calendar:700" is not an estimand of this design/);
  // Plateau 0: event time 2 (after the announcement, which ends at 1) is 0 whatever the scale.
  assert.throws(
    () => withEffectTarget(at('{ estimand: dynamic:2, value: 1 }', 0)),
    /population value of dynamic:2 is 0 at the stated effect profile/,
  );
});

test('a run with effect.target gives the same bytes with 0 and 2 workers', async () => {
  const { runEngine } = await import('../../src/engine/run.js');
  const { scenarioSpec } = await import('../../src/engine/spec.js');
  const { assertSameFiles } = await import('../engine/helpers.js');
  const file = withTarget(FIXTURE, '{ estimand: group_avg, value: [1, 2] }', 'fxworkers');
  const dirs = [0, 2].map((w) => tempDir(`target-w${w}`));
  for (const [i, d] of dirs.entries()) await runEngine({ ...scenarioSpec(file), seed: '4', draws: 4, workers: i * 2, outDir: d });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
});
