// Estimators take the draw's stream: on one fixed panel, the bootstrap SE and its band (cs_boot) and
// the Fisher p-value (dim_fisher) differ from draw to draw, and the run is byte-identical for 0, 1
// and 2 workers. The records carry the estimator's own inference (format 3), and diagnosis uses it:
// the Fisher records have p, the bootstrap's event-time rows an interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { moduleSpec } from '../../src/engine/spec.js';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { assertSameFiles, tempDir } from './helpers.js';

const MODULE = new URL('./fakes/inference-sim.js', import.meta.url).href;

test('bootstrap and Fisher results differ across draws, not across worker counts', async () => {
  const dirs = [0, 1, 2].map((w) => tempDir(`inference-w${w}`));
  for (const [w, d] of dirs.entries()) await runEngine({ ...moduleSpec(MODULE, {}), seed: '5', draws: 6, workers: w, outDir: d });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  assertSameFiles(dirs[0], dirs[2], (x, m) => assert.ok(x, m));
  const recs: DrawRecord[][] = [];
  scanDrawsFile(join(dirs[0], 'draws'), (d) => recs.push(d.records));
  const pick = (est: string, id: string) => recs.map((r) => r.find((x) => x.estimator === est && x.estimand === id)!);
  const boot = pick('cs_boot', 'simple');
  const fisher = pick('dim_fisher', 'simple');
  const band = pick('cs_boot', 'dynamic:0');
  // One panel: the estimates agree in every draw, the bootstrap SEs and Fisher p-values do not.
  assert.equal(new Set(boot.map((r) => r.estimate)).size, 1);
  assert.ok(new Set(boot.map((r) => r.se)).size > 1, "bootstrap SEs vary with the draw's stream");
  assert.ok(fisher.every((r) => typeof r.p === 'number' && r.p > 0 && r.p <= 1));
  assert.ok(new Set(fisher.map((r) => r.p)).size > 1, "Fisher p-values vary with the draw's stream");
  // Uniform band: wider than the pointwise interval (crit > z), stored with the record.
  for (const r of band) {
    assert.ok(r.ciLow !== undefined && r.ciHigh !== undefined && r.ciLow !== null && r.ciHigh !== null);
    assert.ok(r.ciHigh! - r.ciLow! > 2 * 1.959 * r.se!, 'the sup-t band is wider than ±z·se');
  }
});
