/**
 * The explorer's figures are `stagger run`'s: LiveRun, fed the draws of the same scenario and seed in
 * any order (as Web Workers return them), gives the run's diagnosis rows exactly (deep-equal, every
 * digit) and the report's chart summaries.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEngine } from '../../src/engine/run.js';
import { simulationOf } from '../../src/engine/scenario-simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { runUnit } from '../../src/engine/unit.js';
import { LiveRun } from '../../src/explore/live-run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { summarizeDraws } from '../../src/report/draws-summary.js';
import { readDrawsMeta } from '../../src/engine/draws-file.js';

const FILE = 'scenarios/teach-twfe-bias.yaml';
const DRAWS = 24;

test('LiveRun over draws in scrambled order equals stagger run (rows and chart summaries)', async () => {
  const out = mkdtempSync(join(tmpdir(), 'live-run-'));
  try {
    const r = scenarioSpec(FILE);
    const res = await runEngine({ spec: r.spec, scenario: r.scenario, seed: '7', draws: DRAWS, workers: 0, outDir: out });
    const sim = simulationOf(parseScenario(readFileSync(FILE, 'utf8'), FILE, 'scenarios'), FILE);
    const live = new LiveRun({
      points: sim.points.map((p) => ({ ...p })),
      estimators: [...sim.estimators],
      outcomes: [...(sim.outcomes ?? [])],
      alpha: sim.alpha,
      analytic: [...(sim.analytic ?? [])],
    });
    // Workers return draws out of order: odd draws first, then even ones backwards.
    const order = [
      ...Array.from({ length: DRAWS }, (_, u) => u).filter((u) => u % 2),
      ...Array.from({ length: DRAWS }, (_, u) => DRAWS - 1 - u).filter((u) => u % 2 === 0),
    ];
    const taken: number[] = [];
    for (const u of order) taken.push(live.add(u, runUnit(sim, '7', u)));
    assert.equal(live.draws, DRAWS);
    assert.equal(
      taken.slice(0, DRAWS / 2).reduce((a, b) => a + b, 0),
      0,
      'nothing is taken before draw 0 arrives',
    );
    assert.deepEqual(JSON.parse(JSON.stringify(live.rows())), JSON.parse(JSON.stringify(res.rows)));
    const power = live.rows().find((x) => x.estimator === 'twfe' && x.estimand === 'simple' && x.diagnosand === 'bias');
    assert.ok(power && power.n === DRAWS);
    const meta = readDrawsMeta(join(out, 'draws'));
    assert.deepEqual(live.summary(), summarizeDraws(join(out, 'draws'), meta, [0]));
    assert.throws(() => live.add(3, runUnit(sim, '7', 3)), /arrived twice/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
