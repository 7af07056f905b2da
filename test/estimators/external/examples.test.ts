/**
 * The worked examples of examples/external/ through real runs: the Python (did_2x2.py, standard
 * library) and base-R (did_2x2.R) estimators answer the engine over the JSON-lines protocol.
 *
 * Checks, and where their expected numbers come from:
 * - The examples compute Callaway & Sant'Anna's not-yet-treated ATT(g,t) without covariates, and R
 *   did's simple / dynamic / group aggregation of them, so their estimates equal the built-in `did`
 *   estimator's (control: notyet; itself checked against R did 2.5.1's printed output elsewhere, e.g.
 *   test/estimators/did) on every draw, to rounding (1e-10).
 * - group:G is the plain mean of a group's post cells (fixed weights), so the examples' clustered
 *   influence-function SE is R did's analytic SE of that row exactly: it equals the built-in's.
 *   (Aggregates over groups differ: R did adds the group-size weights' variance; ours hold them fixed.)
 * - With the analysis' narrowed averages (dynamic_avg_window, dynamic_pre_avg_window, group_avg_exclude)
 *   sent as the request's options, the examples' dynamic_avg, dynamic_pre_avg and group_avg equal the
 *   built-in's narrowed figures (the same rows averaged), scored against the same narrowed truths.
 * - Python and R are two independent implementations of one formula: they agree to 1e-10.
 * - The draws and diagnosis files are byte-identical for 1 and 2 workers.
 * Rscript must be installed (`npm test` runs scripts/setup.sh with STAGGER_SETUP_R=1, which installs
 * r-base-core when it is missing); without it this test fails, it does not skip.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runEngine } from '../../../src/engine/run.js';
import { scenarioSpec } from '../../../src/engine/spec.js';
import { createSimulation } from '../../../src/engine/scenario-simulation.js';
import type { DrawRecord } from '../../../src/engine/simulation.js';
import { closeExternalProcesses } from '../../../src/estimators/external/index.js';
import { parseSetting } from '../../../src/engine/settings.js';
import { assertSameFiles, tempDir } from '../../engine/helpers.js';

const EXAMPLES = new URL('../../../../examples/external/', import.meta.url).pathname;
const PY = `${EXAMPLES}waitlist-python.yaml`;
const R = `${EXAMPLES}waitlist-r.yaml`;
after(closeExternalProcesses);

const byId = (recs: DrawRecord[], est: string) => new Map(recs.filter((r) => r.estimator === est).map((r) => [r.estimand, r]));
const close = (a: number | null, b: number | null, what: string) => {
  assert.ok(a !== null && b !== null, `${what}: ${a} vs ${b}`);
  assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
};

test('the Python example answers every draw as the built-in CS estimates it (estimates; group:G SEs)', () => {
  const sim = createSimulation({ scenarioFile: PY });
  let compared = 0;
  for (let d = 0; d < 4; d++) {
    const recs = sim.runDraw('1', 0, d);
    const cs = byId(recs, 'cs');
    const py = byId(recs, 'py_2x2');
    assert.deepEqual([...py.keys()].sort(), [...cs.keys()].sort(), 'the same estimands, scored by the same truths');
    for (const [id, c] of cs) {
      const p = py.get(id)!;
      assert.equal(p.truth, c.truth, `${id}: truth`);
      if (id === 'dynamic_avg' || id === 'group_avg' || c.estimate === null) continue;
      close(p.estimate, c.estimate, `draw ${d} ${id}: estimate`);
      if (id.startsWith('group:')) close(p.se, c.se, `draw ${d} ${id}: se`);
      compared++;
    }
    // dynamic_avg: the mean of the requested dynamic:E ≥ 0 (the window [-3, 3]), as R did's overall.
    close(py.get('dynamic_avg')!.estimate, cs.get('dynamic_avg')!.estimate, `draw ${d} dynamic_avg`);
    close(py.get('group_avg')!.estimate, cs.get('group_avg')!.estimate, `draw ${d} group_avg`);
  }
  assert.ok(compared > 40, `compared ${compared} rows`);
});

test("with dynamic_avg_window, dynamic_pre_avg_window and group_avg_exclude (sent as the request's options), both examples' narrowed averages equal the built-in CS's", () => {
  // The built-in did honours the analysis' averages (estimands/averages.ts); the examples get them as
  // options and say so in "honoured": the same rows averaged, so the same estimates to 1e-10.
  const set = [
    'analysis.dynamic_avg_window=[1, 2]',
    'analysis.dynamic_pre_avg_window=[-3, -2]',
    'analysis.group_avg_exclude=[2]',
    'analysis.estimators.1.estimands=[simple, dynamic, dynamic_pre_avg, group]',
  ].map(parseSetting);
  for (const [file, name] of [
    [PY, 'py_2x2'],
    [R, 'r_2x2'],
  ] as const) {
    const sim = createSimulation({ scenarioFile: file, set });
    const def = createSimulation({ scenarioFile: file });
    for (let d = 0; d < 2; d++) {
      const recs = sim.runDraw('1', 0, d);
      const cs = byId(recs, 'cs');
      const ext = byId(recs, name);
      for (const id of ['dynamic_avg', 'dynamic_pre_avg', 'group_avg']) {
        assert.equal(ext.get(id)?.reason, null, `${name} draw ${d} ${id}: ${ext.get(id)?.reason}`);
        close(ext.get(id)!.estimate, cs.get(id)!.estimate, `${name} draw ${d} ${id}`);
        assert.equal(ext.get(id)!.truth, cs.get(id)!.truth);
      }
      // And narrowed they differ from the default figures (the options changed something).
      const plain = byId(def.runDraw('1', 0, d), name);
      assert.notEqual(ext.get('dynamic_avg')!.estimate, plain.get('dynamic_avg')!.estimate);
      assert.notEqual(ext.get('group_avg')!.estimate, plain.get('group_avg')!.estimate);
    }
  }
});

test('the base-R example agrees with the Python one on every row (two implementations of one formula)', () => {
  const py = createSimulation({ scenarioFile: PY });
  const r = createSimulation({ scenarioFile: R });
  for (let d = 0; d < 3; d++) {
    const a = byId(py.runDraw('1', 0, d), 'py_2x2');
    const b = byId(r.runDraw('1', 0, d), 'r_2x2');
    assert.deepEqual([...b.keys()], [...a.keys()]);
    for (const [id, x] of a) {
      const y = b.get(id)!;
      if (x.estimate === null) {
        assert.equal(y.estimate, null, `${id}`);
        continue;
      }
      close(y.estimate, x.estimate, `draw ${d} ${id}: estimate`);
      close(y.se, x.se, `draw ${d} ${id}: se`);
    }
  }
});

test('runs with 1 and 2 workers write the same draws and diagnosis, byte for byte (Python and R; CSV and binary frame)', async () => {
  for (const [file, draws, set] of [
    [PY, 6, []],
    [R, 4, []],
    [PY, 4, ['analysis.estimators.1.panel_format=binary']],
  ] as const) {
    const spec = scenarioSpec(file, { set: set.map(parseSetting) });
    const one = tempDir('ext-w1');
    const two = tempDir('ext-w2');
    const res = await runEngine({ ...spec, seed: '1', draws, workers: 1, outDir: one });
    await runEngine({ ...spec, seed: '1', draws, workers: 2, outDir: two });
    assertSameFiles(one, two, (x, m) => assert.ok(x, m));
    const name = file === PY ? 'py_2x2' : 'r_2x2';
    const ni = res.rows.find((x) => x.estimator === name && x.estimand === 'simple' && x.diagnosand === 'not_identified');
    assert.equal(ni?.value, 0, `${name}: every draw answered`);
  }
});

test('with panel_format binary both examples read the binary frame and answer every draw exactly as from the CSV', () => {
  // The frame holds the CSV's numbers as doubles (the CSV writes each in its shortest round-trip form,
  // so parsing it gives the same doubles): the same estimator on the same numbers, the same records.
  for (const [file, name] of [
    [PY, 'py_2x2'],
    [R, 'r_2x2'],
  ] as const) {
    const csv = createSimulation({ scenarioFile: file });
    const bin = createSimulation({ scenarioFile: file, set: [parseSetting('analysis.estimators.1.panel_format=binary')] });
    for (let d = 0; d < 3; d++) {
      const a = csv.runDraw('1', 0, d).filter((r) => r.estimator === name);
      const b = bin.runDraw('1', 0, d).filter((r) => r.estimator === name);
      assert.ok(a.length > 10 && a.every((r) => r.reason === null || r.estimate === null), `${name} draw ${d}: answered`);
      assert.deepEqual(b, a, `${name} draw ${d}: the binary frame's records are the CSV's`);
    }
  }
});
