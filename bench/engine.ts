/**
 * Engine speed and memory (issue 5): R1 (ISF, ~541 × 114, dr, not-yet-treated, 7 covariates) draws/s
 * with 1 and 2 workers, the 1 → 2 worker speed-up (target ≥ 1.8×), the projected time of 1,000 draws
 * (target ≤ 60 s on 2 cores), and peak RSS of 1,000 vs 10,000 draws (target: flat; measured on the
 * fake simulation, whose draws are cheap, since memory is the engine's and not the estimator's).
 * Run: npx tsc -p . && node dist/bench/engine.js [draws=100]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngine } from '../src/engine/run.js';
import { scenarioSpec } from '../src/engine/spec.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// 4 covariates and a 5-level categorical one (4 dummies): 8 columns, the closest R1 has to issue 5's 7.
const COVARIATES = ['woman', 'age', 'foreign_background', 'small_children', 'referral'];

/** R1 as issue 5 times it: one dr estimator on 7 covariates, not-yet-treated, no subgroups. */
function r1Bench(dir: string): string {
  const text = readFileSync(join(root, 'scenarios/r1-isf-waitlist.yaml'), 'utf8')
    .replace(/covariates: \[\] \}/, `covariates: [${COVARIATES.join(', ')}] }`)
    .replace(/subgroups: \[women, men\]/, 'subgroups: []');
  const file = join(dir, 'r1-bench.yaml');
  writeFileSync(file, text);
  return file;
}

async function throughput(file: string, workers: number, draws: number): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), `bench-engine-w${workers}-`));
  const t0 = performance.now();
  await runEngine({ ...scenarioSpec(file), seed: '1', draws, workers, outDir: out });
  return draws / ((performance.now() - t0) / 1000);
}

function peakRssMb(draws: number): number {
  const out = mkdtempSync(join(tmpdir(), 'bench-engine-mem-'));
  const script = `
    const { runEngine } = await import(${JSON.stringify(new URL('../src/engine/run.js', import.meta.url).href)});
    const spec = { module: ${JSON.stringify(new URL('../test/engine/fakes/normal-sim.js', import.meta.url).href)},
      args: { points: [{ mu: 1, sigma: 1, truthSd: 0.2, missing: 0.02 }, { mu: 2, sigma: 1 }], estimators: ['a', 'b'], events: 60 } };
    await runEngine({ spec, scenario: { path: null, sha256: 'bench' }, seed: '1', draws: ${draws}, workers: 2, outDir: ${JSON.stringify(join(out, 'run'))} });
    console.log(process.resourceUsage().maxRSS);`;
  const file = join(out, 'mem.mjs');
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim()) / 1024;
}

const draws = Number(process.argv[2] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
const file = r1Bench(dir);
const one = await throughput(file, 1, draws);
const two = await throughput(file, 2, draws);
console.log(`R1 (dr, not-yet-treated, 8 covariate columns), ${draws} draws:`);
console.log(`  1 worker  ${one.toFixed(1)} draws/s`);
console.log(`  2 workers ${two.toFixed(1)} draws/s   speed-up ${(two / one).toFixed(2)}× (target ≥ 1.8×)`);
console.log(`  1,000 draws on 2 workers: ~${(1000 / two).toFixed(0)} s (target ≤ 60 s)`);
const m1 = peakRssMb(1000);
const m10 = peakRssMb(10000);
console.log(`Peak RSS, fake simulation (2 points × 2 estimators × 61 estimands): 1,000 draws ${m1.toFixed(0)} MB, 10,000 draws ${m10.toFixed(0)} MB (target: flat)`);
