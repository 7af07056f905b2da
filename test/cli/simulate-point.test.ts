// `stagger simulate --point p --draw d --seed S` is the run's draw d at point p (common random
// numbers: the run generates every point's draw with point 0's streams): its truth equals, float for
// float, the truth the run stored for (p, d) in its draws file, and its panel equals byte for byte the
// panel of the run's generator at (p, d). The panel from point p's own streams differs, so the test
// fails if simulate went back to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { generateRunDraw } from '../../src/engine/scenario-simulation.js';
import { expandGrid, generateDraw, loadScenario } from '../../src/generate.js';
import { writePanelCsv } from '../../src/cli/panel-csv.js';
import { CLI, tempDir } from '../engine/helpers.js';

const FIXTURE = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;

test("simulate --point 1 --draw 2 reproduces the run's draw 2 at point 1", async () => {
  const dir = tempDir('simulate-point');
  const grid = join(dir, 'grid.yaml');
  writeFileSync(grid, readFileSync(FIXTURE, 'utf8').replace(/^ {2}size: 0$/m, '  size: [0, 1.5]'));
  const out = join(dir, 'run');
  await runEngine({ ...scenarioSpec(grid), seed: '11', draws: 3, workers: 0, outDir: out });
  const stored = new Map<string, number | null>();
  scanDrawsFile(join(out, 'draws'), (d) => {
    if (d.point === 1 && d.draw === 2) for (const r of d.records) stored.set(r.estimand, r.truth);
  });
  assert.ok(stored.size > 0);
  const csv = join(dir, 'sim.csv');
  const truthFile = join(dir, 'truth.json');
  execFileSync(process.execPath, [
    CLI,
    'simulate',
    grid,
    '--seed',
    '11',
    '--point',
    '1',
    '--draw',
    '2',
    '--out',
    csv,
    '--truth',
    truthFile,
  ]);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')).truth;
  assert.equal(truth.aggregates.simple.att, stored.get('simple'));
  for (const d of truth.aggregates.dynamic.detail) if (stored.has(`dynamic:${d.key}`)) assert.equal(d.att, stored.get(`dynamic:${d.key}`));
  // The panel, byte for byte, against the run's generator; and not the panel of point 1's own streams.
  const point = expandGrid(loadScenario(grid))[1];
  const again = join(dir, 'again.csv');
  writePanelCsv(again, generateRunDraw(point, '11', 2).panel, []);
  assert.ok(readFileSync(csv).equals(readFileSync(again)), "simulate --point 1 writes the run's panel");
  const own = join(dir, 'own.csv');
  writePanelCsv(own, generateDraw(point, '11', 2).panel, []);
  assert.ok(!readFileSync(csv).equals(readFileSync(own)), "point 1's own streams give another panel");
});
