/** The real simulation (generator + Callaway–Sant'Anna) through the engine, on R1 with few draws. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { assertSameFiles, tempDir } from './helpers.js';

const R1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;

test('R1 on a two-point effect grid: same bytes for 0 and 2 workers, records for every estimand and subgroup', async () => {
  const grid = join(tempDir('r1grid'), 'r1-grid.yaml');
  writeFileSync(
    grid,
    readFileSync(R1, 'utf8').replace(
      /^ {6}target: \{ estimand: group_avg, value: 1014 \}.*$/m,
      '      target: { estimand: group_avg, value: [0, 1014] }',
    ),
  );
  const r = scenarioSpec(grid);
  const dirs = [0, 2].map((w) => tempDir(`r1-w${w}`));
  for (const [i, d] of dirs.entries()) await runEngine({ ...r, seed: '3', draws: 3, workers: i * 2, outDir: d });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  const csv = readFileSync(join(dirs[0], 'diagnosis.csv'), 'utf8');
  assert.match(csv, /^point,effect\.target\.value,outcome,estimator,estimand,key,subgroup,target,diagnosand,value,mc_se,n,reasons$/m);
  for (const pattern of [
    /^1,1014,earnings,cs_dr,simple,,,,power,/m,
    /^1,1014,earnings,cs_dr,dynamic_avg,,,sample,coverage,/m,
    /^0,0,earnings,cs_dr,group_avg,,,population,bias,/m,
    /^1,1014,earnings,cs_dr,dynamic,0,,sample,bias,/m,
    /^0,0,earnings,cs_dr,simple,,women,sample,coverage,/m,
    /^0,0,earnings,cs_dr,calendar,/m,
  ]) {
    assert.match(csv, pattern);
  }
});

test('common random numbers: grid points differing only in the effect see the same people', () => {
  const grid = join(tempDir('crn'), 'crn.yaml');
  writeFileSync(
    grid,
    readFileSync(R1, 'utf8').replace(
      /^ {6}target: \{ estimand: group_avg, value: 1014 \}.*$/m,
      '      target: { estimand: group_avg, value: [0, 1014] }',
    ),
  );
  const sim = createSimulation({ scenarioFile: grid });
  const [a, b] = [0, 1].map((p) => sim.runDraw('9', p, 0).find((x) => x.estimand === 'simple')!);
  assert.notEqual(a.truth, b.truth);
  // Additive effect, same noise: the estimation error is the same at both points (up to rounding).
  assert.ok(Math.abs(a.estimate! - a.truth! - (b.estimate! - b.truth!)) < 1e-6 * Math.abs(b.truth!));
});

test('an --over axis replaces a scalar setting; a non-numeric path is refused by name', () => {
  const sim = createSimulation({ scenarioFile: R1, over: { path: 'effect.target.value', values: [0, 500, 1000] } });
  assert.deepEqual(
    sim.points.map((p) => p.settings['effect.target.value']),
    [0, 500, 1000],
  );
  assert.throws(
    () => createSimulation({ scenarioFile: R1, over: { path: 'effect.nope', values: [1] } }),
    /--over effect\.nope: not a numeric setting/,
  );
});

test('common random numbers along the recruitment window: the people both windows enrol keep their outcomes', async () => {
  // A longer window appends people; before per-unit streams, every unit's noise shifted with the
  // cohort size, so power along design.recruitment.to was as noisy as independent runs.
  const { expandGrid, generateDraw, loadScenario } = await import('../../src/generate.js');
  const s = loadScenario(R1);
  const [p] = expandGrid(s);
  const at = (to: number) => {
    const q = structuredClone(p);
    (q.scenario.design as { recruitment: { to: number } }).recruitment.to = to;
    return generateDraw(q, 5, 0);
  };
  const short = at(66);
  const long = at(90);
  const n = short.panel.nUnits;
  const m = long.panel.nUnits;
  assert.ok(m > n + 50, `window 90 enrols more (${m}) than window 66 (${n})`);
  const T = short.panel.nPeriods;
  let same = 0;
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) if (short.y0[t * n + i] === long.y0[t * m + i]) same++;
  assert.equal(same, n * T);
});

test('a subgroup is estimated without the covariates it holds fixed (women: woman = 1 would make the regressions singular)', async () => {
  const { parseSetting } = await import('../../src/engine/settings.js');
  const set = [
    'analysis.estimators=[{name: cs_dr, type: did, method: dr, control: notyet, covariates: [woman, age]}]',
    'analysis.estimands=[simple]',
  ].map(parseSetting);
  const sim = createSimulation({ scenarioFile: R1, set });
  const recs = sim.runDraw('1', 0, 0);
  for (const id of ['simple', 'simple@women', 'simple@men']) {
    const r = recs.find((x) => x.estimand === id)!;
    assert.ok(r.estimate !== null && r.se !== null, `${id} is identified (${r.reason})`);
  }
});
