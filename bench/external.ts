/**
 * Bring your own estimator (issue 14): draws/s of a scenario at the bundled size — R1 (ISF, ~541
 * people × 114 months, 3 outcomes, no subgroups) — estimated by the Python example
 * (examples/external/did_2x2.py) through the JSON-lines protocol inside `stagger run`, with 1 and 2
 * workers, against the workaround the issue measured at 1.6 s a draw: a loop of `stagger simulate`
 * (one process per draw) and a fresh `python3 did_2x2.py` per draw on the panel it wrote (first
 * outcome only: the loop estimates one outcome a draw, the run all three).
 * Also, as yardsticks: the same run with a do-nothing Python estimator (the protocol's own cost: panel
 * written, request, answer) and with the built-in `did` in its place; both external runs again with
 * `panel_format: binary` (the binary frame); and one R1 panel written as CSV and as the frame, and
 * read back by the Python example's reader (examples/external/did_2x2.py, read_rows) from each.
 * Run: npm run bench -- external [draws=20 loops=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngine } from '../src/engine/run.js';
import { parseSetting, scenarioWithSettings } from '../src/engine/settings.js';
import { scenarioSpec } from '../src/engine/spec.js';
import { generateRunDraw } from '../src/engine/scenario-simulation.js';
import { expandGrid } from '../src/generate.js';
import { writePanelCsv } from '../src/cli/panel-csv.js';
import { writePanelBinary } from '../src/estimators/external/panel-binary.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const R1 = join(root, 'scenarios/r1-isf-waitlist.yaml');
const PY = join(root, 'examples/external/did_2x2.py');
const CLI = join(root, 'dist/src/cli/main.js');
const NOOP = join(root, 'bench/noop_estimator.py');
const withCommand = (script: string, format = 'csv') => [
  `analysis.estimators=[{name: py, type: external, command: "python3 ${script}", estimands: [simple, group, dynamic], timeout: 120, panel_format: ${format}}]`,
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

/** Milliseconds to write R1's draw-0 panel as CSV and as the frame, and for did_2x2.py's reader to read each. */
function frames(loops: number): {
  rows: number;
  csv: number;
  bin: number;
  readCsv: number;
  readBin: number;
  r?: { readCsv: number; readBin: number; misread: string };
} {
  const dir = mkdtempSync(join(tmpdir(), 'bench-external-frame-'));
  const { panel } = generateRunDraw(expandGrid(scenarioWithSettings(R1, []))[0], 1, 0);
  const csv = join(dir, 'p.csv');
  const bin = join(dir, 'p.f64');
  const time = (f: () => void) => {
    f();
    const t = performance.now();
    for (let k = 0; k < loops; k++) f();
    return (performance.now() - t) / loops;
  };
  const tCsv = time(() => writePanelCsv(csv, panel));
  const tBin = time(() => writePanelBinary(bin, panel));
  const shape = writePanelBinary(bin, panel);
  if (typeof shape === 'string') throw new Error(shape);
  // The same two requests, the CSV's and the frame's, for the Python and the R reader.
  const requests = [{ panel: csv }, { panel: bin, panel_format: 'binary', ...shape }];
  // The example's own reader, timed inside Python (process start-up left out).
  const reqs = join(dir, 'req.json');
  writeFileSync(reqs, JSON.stringify(requests));
  const py = `import json, sys, time
sys.path.insert(0, ${JSON.stringify(join(root, 'examples/external'))})
from did_2x2 import read_rows
out = []
for req in json.load(open(${JSON.stringify(reqs)})):
    list(read_rows(req))
    t = time.perf_counter()
    for _ in range(${loops}):
        list(read_rows(req))
    out.append((time.perf_counter() - t) / ${loops} * 1000)
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [readCsv, readBin] = JSON.parse(r.stdout) as number[];
  // The R examples' reader (stagger_protocol.R: read.csv, or readBin for the frame), where R is installed.
  const lines = requests.map((q) => JSON.stringify(q));
  const rCode = `source(${JSON.stringify(join(root, 'examples/external/stagger_protocol.R'))})
for (line in c(${lines.map((l) => JSON.stringify(l)).join(', ')})) {
  invisible(read_panel(line))
  t <- proc.time()[["elapsed"]]
  for (k in seq_len(${loops})) invisible(read_panel(line))
  cat((proc.time()[["elapsed"]] - t) / ${loops} * 1000, "\n")
}
# Values read.csv reads otherwise than the frame holds them (its decimal parser is not correctly rounded).
a <- read_panel(${JSON.stringify(lines[0])}); b <- read_panel(${JSON.stringify(lines[1])})
off <- vapply(names(b), function(k) sum(a[[k]] != b[[k]]), 0)
cat(sum(off), length(b) * nrow(b), paste0(names(off)[off > 0], "=", off[off > 0], collapse = ","), "\n")`;
  const R = spawnSync('Rscript', ['-e', rCode], { encoding: 'utf8', input: '' });
  const rOut = R.status === 0 ? R.stdout.trim().split('\n') : undefined;
  const rMs = rOut?.slice(0, 2).map(Number);
  const [offN, cellsN, offCols] = rOut?.[2]?.trim().split(/\s+/) ?? [];
  rmSync(dir, { recursive: true, force: true });
  return {
    rows: panel.nUnits * panel.nPeriods,
    csv: tCsv,
    bin: tBin,
    readCsv,
    readBin,
    ...(rMs ? { r: { readCsv: rMs[0], readBin: rMs[1], misread: `${offN} of ${cellsN} values (${offCols || 'none'})` } } : {}),
  };
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
  const oneBin = await inRun(1, draws, withCommand(PY, 'binary'));
  const noopBin = await inRun(1, draws, withCommand(NOOP, 'binary'));
  console.log(
    `  with panel_format: binary, 1 worker: the Python example ${oneBin.toFixed(2)} draws/s (CSV ${one.toFixed(2)}), the do-nothing estimator ${noopBin.toFixed(2)} draws/s (CSV ${noop.toFixed(2)})`,
  );
  const f = frames(Math.max(loops, 3));
  console.log(
    `  one R1 panel (${f.rows} rows): written as CSV ${f.csv.toFixed(1)} ms, as the binary frame ${f.bin.toFixed(1)} ms; read by did_2x2.py's read_rows from the CSV ${f.readCsv.toFixed(1)} ms, from the frame ${f.readBin.toFixed(1)} ms`,
  );
  console.log(
    f.r
      ? `  read by the R examples' read_panel (stagger_protocol.R): from the CSV (read.csv) ${f.r.readCsv.toFixed(1)} ms, from the frame (readBin) ${f.r.readBin.toFixed(1)} ms; read.csv reads ${f.r.misread} otherwise than the frame holds them`
      : '  the R reader not timed: Rscript is not installed (apt-get install r-base-core)',
  );
  const l = loop(loops);
  console.log(
    `  the workaround (stagger simulate + a fresh python3 per draw, first outcome only), ${loops} draws: ${l.perDraw.toFixed(2)} s a draw (${l.simulate.toFixed(2)} s of it stagger simulate)`,
  );
  console.log(
    `  per outcome estimated: run ${(1 / one / 3).toFixed(2)} s (1 worker), ${(1 / two / 3).toFixed(2)} s (2 workers); loop ${l.perDraw.toFixed(2)} s`,
  );
}
