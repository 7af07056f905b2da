// Several outcomes through the engine: records per outcome × estimator × estimand, the outcome in the
// draws file and diagnosis.csv, the same bytes for 1 and 2 workers (and a resumed run), and under the
// global null Bonferroni's any-rejection rate is at most α (within its Monte Carlo interval).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { readDrawsMeta, scanDrawsFile } from '../../src/engine/draws-file.js';
import { assertSameFiles, tempDir } from './helpers.js';
import { mdeSearch } from '../../src/engine/mde.js';

const SMALL = new URL('../../../test/engine/fixtures/small-outcomes.yaml', import.meta.url).pathname;

test('every estimator runs on every outcome: one record per outcome × estimand, the first outcome first', () => {
  const sim = createSimulation({ scenarioFile: SMALL });
  assert.deepEqual(sim.outcomes, ['y', 'z', 'b']);
  const recs = sim.runDraw('5', 0, 0);
  assert.deepEqual([...new Set(recs.map((r) => r.outcome))], ['y', 'z', 'b']);
  for (const o of ['y', 'z', 'b']) assert.equal(recs.filter((r) => r.outcome === o && r.estimand === 'simple').length, 1);
  // Different outcomes, different estimates from the same panel structure.
  const simple = recs.filter((r) => r.estimand === 'simple').map((r) => r.estimate);
  assert.equal(new Set(simple).size, 3);
});

test('same bytes for 1 and 2 workers and after a resume; the draws file stores the outcome (format 3)', async () => {
  const r = scenarioSpec(SMALL);
  const dirs = [1, 2].map((w) => tempDir(`outcomes-w${w}`));
  for (const [i, d] of dirs.entries()) await runEngine({ ...r, seed: '8', draws: 6, workers: i + 1, outDir: d });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  // Kill mid-run (a torn tail) and resume: the same bytes again.
  const resumed = tempDir('outcomes-resume');
  await runEngine({ ...r, seed: '8', draws: 3, workers: 1, outDir: resumed });
  truncateSync(join(resumed, 'draws'), statSync(join(resumed, 'draws')).size - 7);
  await runEngine({ ...r, seed: '8', draws: 6, workers: 1, outDir: resumed, resume: true });
  assertSameFiles(dirs[0], resumed, (x, m) => assert.ok(x, m));
  const meta = readDrawsMeta(join(dirs[0], 'draws'));
  assert.equal(meta.format, 3);
  assert.deepEqual(meta.outcomes, ['y', 'z', 'b']);
  const seen = new Set<string>();
  scanDrawsFile(join(dirs[0], 'draws'), (d) => d.records.forEach((x) => seen.add(x.outcome ?? '(none)')));
  assert.deepEqual([...seen], ['y', 'z', 'b']);
  const csv = readFileSync(join(dirs[0], 'diagnosis.csv'), 'utf8');
  assert.match(csv, /^point,outcome,estimator,estimand,key,subgroup,target,diagnosand,value,mc_se,n,reasons$/m);
  for (const p of [
    /^0,y,cs_dr,simple,,,,power,/m,
    /^0,b,cs_dr,simple,,,sample,coverage,/m,
    /^0,z,cs_dr,simple,,,,power_holm,/m,
    /^0,y\+z\+b,cs_dr,simple,,,,familywise_any_bonferroni,/m,
  ])
    assert.match(csv, p);
});

test("global null: Bonferroni's and Holm's any-rejection rate ≤ α within 3 MC SEs (3 correlated outcomes, 200 draws)", async () => {
  const out = tempDir('outcomes-null');
  const res = await runEngine({ ...scenarioSpec(SMALL), seed: '21', draws: 200, workers: 1, outDir: out });
  const get = (o: string, diag: string) => res.rows.find((x) => x.outcome === o && x.estimand === 'simple' && x.diagnosand === diag)!;
  const se = Math.sqrt((0.05 * 0.95) / 200);
  for (const diag of ['familywise_any_bonferroni', 'familywise_any_holm']) {
    const r = get('y+z+b', diag);
    assert.equal(r.n, 200);
    assert.ok(r.value <= 0.05 + 3 * se, `${diag} ${r.value} against α 0.05 + 3·${se.toFixed(4)}`);
  }
  // Holm never rejects less than Bonferroni, and each outcome's adjusted power is at most its own.
  for (const o of ['y', 'z', 'b']) {
    assert.ok(get(o, 'power_holm').value >= get(o, 'power_bonferroni').value);
    assert.ok(get(o, 'power_holm').value <= get(o, 'power').value);
  }
});

test("stagger mde reads the chosen outcome's rejections; the axis goes by its grid name", async () => {
  const specFor = (values: number[] | undefined) => scenarioSpec(SMALL, values ? { over: { path: 'outcomes.1.effect.size', values } } : {});
  const base = { specFor, values: [0, 0.4], seed: '4', draws: 30, workers: 1, refine: 0 };
  const z = await mdeSearch({
    ...base,
    outDir: tempDir('mde-z'),
    query: { axis: 'outcomes.1.effect.size', target: 0.8, estimand: 'simple', outcome: 'z', replicates: 20 },
  });
  const y = await mdeSearch({
    ...base,
    outDir: tempDir('mde-y'),
    query: { axis: 'outcomes.1.effect.size', target: 0.8, estimand: 'simple', replicates: 20 },
  });
  assert.equal(z.axis, 'outcomes.z.effect.size');
  // z's power rises with its own effect (0.4 ≈ 5 SEs of its simple ATT); y, the default, has no effect at either value.
  const [z0, z1] = z.curves[0].result.curve.map((c) => c.power);
  const [y0, y1] = y.curves[0].result.curve.map((c) => c.power);
  assert.ok(z0 < 0.2 && z1 > 0.8, `z: ${z0} → ${z1}`);
  assert.ok(y0 < 0.2 && y1 < 0.2 && y0 === y1, `y: ${y0} → ${y1} (common random numbers: the same draws)`);
});
