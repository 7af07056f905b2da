/** `stagger mde` as a search: the grid, then design points at the interpolated crossing (common random numbers). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mdeSearch } from '../../src/engine/mde.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseSetting } from '../../src/engine/settings.js';
import { tempDir } from './helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;

test('refinement adds points at the crossing of a coarse grid; the answer sits where the refined curve crosses 80 %', async () => {
  const out = tempDir('mde-refine');
  const set = [parseSetting('analysis.estimands=[dynamic]')];
  const specFor = (values: number[] | undefined) =>
    scenarioSpec(SMALL, { set, ...(values ? { over: { path: 'effect.size', values } } : {}) });
  const res = await mdeSearch({
    specFor,
    values: [0, 0.2, 0.6],
    seed: '9',
    draws: 150,
    workers: 2,
    outDir: out,
    refine: 2,
    query: { axis: 'effect.size', target: 0.8, estimand: 'dynamic_avg', replicates: 200 },
  });
  assert.equal(res.estimator, 'cs_dr');
  assert.equal(res.refined.length, 2);
  assert.ok(existsSync(join(out, 'refine-1', 'draws')) && existsSync(join(out, 'refine-2', 'draws')));
  const { result } = res.curves[0];
  assert.deepEqual(
    result.curve.map((c) => c.value),
    [0, 0.2, 0.6, ...res.refined].sort((a, b) => a - b),
  );
  for (const x of res.refined) assert.ok(x > 0.2 && x < 0.6, `refinement at ${x} lies inside the bracket (0.2, 0.6)`);
  assert.ok(result.value !== null && result.value > 0.2 && result.value < 0.6);
  // The curve rises along the axis (common random numbers: the same draws at every effect size).
  const ps = result.curve.map((c) => c.power);
  for (let k = 1; k < ps.length; k++) assert.ok(ps[k] >= ps[k - 1], `power rises: ${ps.join(', ')}`);
  // The two points nearest the answer bracket the target.
  const below = result.curve.filter((c) => c.value <= result.value!).at(-1)!;
  const above = result.curve.find((c) => c.value >= result.value!)!;
  assert.ok(below.power <= 0.8 && above.power >= 0.8);
  assert.ok(result.mcSe !== null && result.mcSe < 0.1);
});
