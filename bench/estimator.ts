/**
 * Estimator benchmarks (issue 3): ATT(g,t) + the four aggregations on panels already in memory, and
 * the whole `stagger estimate` command including CSV parsing. Each workload runs in a fresh child
 * process, so its peak memory (max RSS) is its own; times are the minimum and the median of repeated
 * runs after a warm-up (on a shared 2-core machine the minimum is the better estimate of the cost).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateDid } from '../src/estimators/did/index.js';
import type { DidOptions } from '../src/estimators/did/options.js';
import type { Panel } from '../src/panel/panel.js';
import { panelCsv, syntheticPanel } from './synthetic-panel.js';

const PANELS = {
  malmo: () =>
    syntheticPanel({ units: 12000, periods: 114, groups: [64, 70, 72, 75, 78], treatedShare: 0.22, covariates: 8, binary: true, seed: 1 }),
  isf: () =>
    syntheticPanel({
      units: 541,
      periods: 114,
      groups: [56, 60, 64, 68, 72, 76, 80, 84, 88, 92],
      treatedShare: 1,
      allTreated: true,
      covariates: 7,
      binary: false,
      seed: 2,
    }),
};

interface Workload {
  label: string;
  panel: keyof typeof PANELS;
  options: Partial<DidOptions>;
  reps: number;
  target: string;
}

const WORKLOADS: Workload[] = [
  {
    label: 'Malmö-sized 12,000 × 114, 5 groups, binary, 8 cov, dr, never: att_gt + 4 aggregations',
    panel: 'malmo',
    options: { control: 'never' },
    reps: 7,
    target: '≤ 350 ms, ≤ 350 MB (R: 23.8 s + 4.2 s)',
  },
  {
    label: '  the same without covariates',
    panel: 'malmo',
    options: { control: 'never', covariates: [] },
    reps: 7,
    target: '(R: 12.7 s + 4.2 s)',
  },
  {
    label: '  the same plus the Wald pre-test',
    panel: 'malmo',
    options: { control: 'never', pretest: true },
    reps: 3,
    target: '(not in the target)',
  },
  {
    label: 'ISF-sized 541 × 114, 10 groups, 7 cov, dr, not-yet-treated: att_gt + 4 aggregations',
    panel: 'isf',
    options: { control: 'notyet' },
    reps: 25,
    target: '≤ 30 ms (R: 3.1 s)',
  },
  { label: '  the same plus the Wald pre-test', panel: 'isf', options: { control: 'notyet', pretest: true }, reps: 10, target: '' },
];

/** Child side: time one workload, print one JSON line. */
function runOne(w: Workload): void {
  const p: Panel = PANELS[w.panel]();
  const o = { covariates: Object.keys(p.covariates), pretest: false, ...w.options };
  // Warm-up: the engine runs an estimate thousands of times, so the JIT-compiled cost is the one that counts.
  for (let r = 0; r < 5; r++) estimateDid(p, o);
  const ts: number[] = [];
  for (let r = 0; r < w.reps; r++) {
    const t0 = process.hrtime.bigint();
    estimateDid(p, o);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ts.sort((a, b) => a - b);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ min: ts[0], median: ts[Math.floor(ts.length / 2)], maxRssMb })}\n`);
}

export function benchEstimator(): void {
  const self = fileURLToPath(import.meta.url);
  console.log('Estimator (issue 3): ATT(g,t) + simple/group/dynamic/calendar, data in memory');
  WORKLOADS.forEach((w, i) => {
    const out = JSON.parse(execFileSync(process.execPath, [self, '--one', String(i)], { encoding: 'utf8' }));
    console.log(
      `  ${w.label.padEnd(86)} min ${out.min.toFixed(1).padStart(7)} ms  median ${out.median.toFixed(1).padStart(7)} ms  peak ${out.maxRssMb.toFixed(0).padStart(4)} MB  target ${w.target}`,
    );
  });

  // Whole command, including CSV parsing, as a user runs it.
  const dir = mkdtempSync(join(tmpdir(), 'stagger-bench-'));
  const malmo = PANELS.malmo();
  const file = join(dir, 'malmo.csv');
  writeFileSync(file, panelCsv(malmo));
  const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  const args = [cli, 'estimate', '--data', file, '--covariates', Object.keys(malmo.covariates).join(','), '--json'];
  for (const extra of [[], ['--no-pretest']]) {
    const ts: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      execFileSync(process.execPath, [...args, ...extra], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
      ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ts.sort((a, b) => a - b);
    const label = extra.length
      ? '  the same, --no-pretest'
      : 'stagger estimate on the Malmö-sized CSV (1.37 M rows, 135 MB), whole command';
    console.log(
      `  ${label.padEnd(86)} min ${ts[0].toFixed(0).padStart(7)} ms  median ${ts[1].toFixed(0).padStart(7)} ms                 target ≤ 3000 ms`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--one') runOne(WORKLOADS[Number(process.argv[3])]);
