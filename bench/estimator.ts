/**
 * Estimator benchmarks (issue 3): ATT(g,t) + the four aggregations on panels already in memory,
 * and the whole `stagger estimate` command including CSV parsing. Prints ms and MB per workload.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateDid } from '../src/estimators/did/index.js';
import type { DidOptions } from '../src/estimators/did/options.js';
import type { Panel } from '../src/panel/panel.js';
import { panelCsv, syntheticPanel } from './synthetic_panel.js';

function time(label: string, reps: number, f: () => void): { ms: number; label: string } {
  f(); // warm-up (JIT)
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    f();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ts.sort((a, b) => a - b);
  return { ms: ts[Math.floor(ts.length / 2)], label };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

export function benchEstimator(): void {
  const malmo = syntheticPanel({ units: 12000, periods: 114, groups: [64, 70, 72, 75, 78], treatedShare: 0.22, covariates: 8, binary: true, seed: 1 });
  const isf = syntheticPanel({ units: 541, periods: 114, groups: [56, 60, 64, 68, 72, 76, 80, 84, 88, 92], treatedShare: 1, allTreated: true, covariates: 7, binary: false, seed: 2 });
  const covs = (p: Panel) => Object.keys(p.covariates);
  const run = (p: Panel, o: Partial<DidOptions>) => () => { estimateDid(p, { covariates: covs(p), pretest: false, ...o }); };

  const rows: string[] = [];
  const report = (r: { ms: number; label: string }, target: string) => {
    const rss = process.memoryUsage().rss;
    rows.push(`${r.label.padEnd(78)} ${r.ms.toFixed(1).padStart(9)} ms   rss ${mb(rss).padStart(5)} MB   target ${target}`);
  };
  global.gc?.();
  report(time('Malmö-sized 12,000 × 114, 5 groups, binary, 8 cov, dr, never: att_gt + 4 aggregations', 5, run(malmo, { method: 'dr', control: 'never' })), '≤ 350 ms, ≤ 350 MB');
  report(time('  the same without covariates', 5, run(malmo, { method: 'dr', control: 'never', covariates: [] })), '(R: 12.7 s + 4.2 s)');
  report(time('  the same with the Wald pre-test', 3, run(malmo, { method: 'dr', control: 'never', pretest: true })), '(not in the target)');
  report(time('ISF-sized 541 × 114, 10 groups, 7 cov, dr, not-yet-treated: att_gt + 4 aggregations', 20, run(isf, { method: 'dr', control: 'notyet' })), '≤ 30 ms');
  report(time('  the same with the Wald pre-test', 10, run(isf, { method: 'dr', control: 'notyet', pretest: true })), '');
  for (const r of rows) console.log(r);

  // Whole command, including CSV parsing, as a user runs it.
  const dir = mkdtempSync(join(tmpdir(), 'stagger-bench-'));
  const file = join(dir, 'malmo.csv');
  writeFileSync(file, panelCsv(malmo));
  const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  const args = [cli, 'estimate', '--data', file, '--covariates', covs(malmo).join(','), '--json'];
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const out = execFileSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args, '--no-pretest'], { stdio: ['ignore', 'ignore', 'pipe'] });
  void out;
  const ms2 = Number(process.hrtime.bigint() - t1) / 1e6;
  console.log(`${'stagger estimate on the Malmö-sized CSV (1.37 M rows), whole command, with pre-test'.padEnd(78)} ${ms.toFixed(0).padStart(9)} ms   target ≤ 3000 ms`);
  console.log(`${'  the same, --no-pretest'.padEnd(78)} ${ms2.toFixed(0).padStart(9)} ms`);
}
