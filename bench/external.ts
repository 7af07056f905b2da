/**
 * Bring your own estimator (issue 14): draws/s of a scenario at the bundled size — R1 (ISF, ~541
 * people × 114 months, 3 outcomes, no subgroups) — estimated by the Python example
 * (examples/external/did_2x2.py) through the JSON-lines protocol inside `stagger run`, with 1 and 2
 * workers, against the workaround the issue measured at 1.6 s a draw: a loop of `stagger simulate`
 * (one process per draw) and a fresh `python3 did_2x2.py` per draw on the panel it wrote (first
 * outcome only: the loop estimates one outcome a draw, the run all three).
 * Also, as yardsticks: the same run with a do-nothing Python estimator (the protocol's own cost: panel
 * written, request, answer) and with the built-in `did` in its place.
 * Run: npm run bench -- external [draws=20 loops=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngine } from '../src/engine/run.js';
import { parseSetting } from '../src/engine/settings.js';
import { scenarioSpec } from '../src/engine/spec.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const R1 = join(root, 'scenarios/r1-isf-waitlist.yaml');
const PY = join(root, 'examples/external/did_2x2.py');
const CLI = join(root, 'dist/src/cli/main.js');
const NOOP = join(root, 'bench/noop_estimator.py');
const withCommand = (script: string) => [
  `analysis.estimators=[{name: py, type: external, command: "python3 ${script}", estimands: [simple, group, dynamic], timeout: 120}]`,
  'analysis.subgroups=[]',
];
const BUILT_IN = ['analysis.estimators=[{name: cs, type: did, control: notyet}]', 'analysis.subgroups=[]'];

async function inRun(workers: number, draws: number, set = withCommand(PY)): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), `bench-external-w${workers}-`));
  const t0 = performance.now();
  await runEngine({ ...scenarioSpec(R1, { set: set.map(parseSetting) }), seed: '1', draws, workers, outDir: out });
  const s = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  return draws / s;
}

/** Seconds per draw of the workaround: `stagger simulate` then a fresh Python process on its panel. */
function loop(draws: number): { perDraw: number; simulate: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-external-loop-'));
  const panel = join(dir, 'panel.csv');
  let sim = 0;
  const t0 = performance.now();
  for (let d = 0; d < draws; d++) {
    const t = performance.now();
    const s = spawnSync(process.execPath, [CLI, 'simulate', R1, '--draw', String(d), '--out', panel], { encoding: 'utf8' });
    if (s.status !== 0) throw new Error(s.stderr);
    sim += performance.now() - t;
    const req = JSON.stringify({ point: 0, draw: d, panel, estimands: ['simple', 'group_avg', 'dynamic:0'] });
    const p = spawnSync('python3', [PY], { input: `${req}\n`, encoding: 'utf8' });
    if (p.status !== 0 || !p.stdout.includes('"rows"')) throw new Error(p.stderr);
  }
  rmSync(dir, { recursive: true, force: true });
  return { perDraw: (performance.now() - t0) / 1000 / draws, simulate: sim / 1000 / draws };
}

export async function benchExternal(args: Record<string, string> = {}): Promise<void> {
  const draws = Number(args.draws ?? 20);
  const loops = Number(args.loops ?? 3);
  console.log('external estimator (issue 14): R1 (~541 × 114, 3 outcomes) with the Python example examples/external/did_2x2.py');
  const one = await inRun(1, draws);
  const two = await inRun(2, draws);
  console.log(
    `  stagger run, ${draws} draws: ${one.toFixed(2)} draws/s with 1 worker, ${two.toFixed(2)} with 2 (×${(two / one).toFixed(2)}); ${(1 / one).toFixed(2)} s a draw of 3 outcomes on one worker`,
  );
  const noop = await inRun(1, draws, withCommand(NOOP));
  const cs = await inRun(1, draws, BUILT_IN);
  console.log(
    `  the same run, 1 worker: with a do-nothing external estimator (bench/noop_estimator.py: the protocol's cost alone) ${noop.toFixed(2)} draws/s; with the built-in did (not-yet-treated) instead ${cs.toFixed(2)} draws/s`,
  );
  const l = loop(loops);
  console.log(
    `  the workaround (stagger simulate + a fresh python3 per draw, first outcome only), ${loops} draws: ${l.perDraw.toFixed(2)} s a draw (${l.simulate.toFixed(2)} s of it stagger simulate)`,
  );
  console.log(
    `  per outcome estimated: run ${(1 / one / 3).toFixed(2)} s (1 worker), ${(1 / two / 3).toFixed(2)} s (2 workers); loop ${l.perDraw.toFixed(2)} s`,
  );
}
