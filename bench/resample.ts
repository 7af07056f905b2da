/**
 * Resampled vs parametric worlds (issue 11: "a resampled draw no slower than a parametric one of the
 * same size"). The history panel is a parametric draw's own Y(0) and covariates written as a long CSV
 * (R1-sized: ~541 × 114; R2-sized: ~12,000 × 108), and the resampled scenario is the same scenario with
 * population.from_panel in place of its covariates and outcome parameters: same design, same sizes.
 * Also the one-off cost of reading the panel (once per process). Run: npm run bench resample.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { expandGrid, generateDraw, parseScenario, type DesignPoint } from '../src/generate.js';
import { panelWorld } from '../src/world/resample-panel.js';
import { bench } from './generator.js';

const bundled = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url));

/** The parametric draw's analysed units as a history CSV; categorical covariates as their level names. */
function historyFromDraw(point: DesignPoint, file: string): string[] {
  const d = generateDraw(point, 99, 0);
  const s = point.scenario;
  const n = d.panel.nUnits;
  const T = d.panel.nPeriods;
  const names = Object.keys(s.population.covariates);
  const cols = names.map((k) => {
    const c = s.population.covariates[k];
    if (c.type !== 'categorical') return (i: number) => String(d.panel.covariates[k][i]);
    const dummies = c.levels.slice(1).map((l) => d.panel.covariates[`${k}_${l}`]);
    return (i: number) => c.levels[1 + dummies.findIndex((x) => x[i] === 1)] ?? c.levels[0];
  });
  const lines = [['id', 'period', 'y', ...names].join(',')];
  for (let i = 0; i < n; i++) {
    const cov = cols.map((f) => f(i)).join(',');
    for (let t = 0; t < T; t++) lines.push(`${i + 1},${d.panel.periods[t]},${d.y0[t * n + i]},${cov}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return names;
}

export function resampledPoint(
  name: string,
  dir: string,
): { parametric: DesignPoint; resampled: DesignPoint; csvMs: number; units: number } {
  const text = readFileSync(bundled(name), 'utf8');
  const parametric = expandGrid(parseScenario(text, bundled(name)))[0];
  const csv = join(dir, name.replace('.yaml', '.csv'));
  const covariates = historyFromDraw(parametric, csv);
  const doc = parseDocument(text);
  doc.deleteIn(['population', 'covariates']);
  doc.deleteIn(['population', 'correlations']);
  doc.setIn(['population', 'from_panel'], { file: csv, id: 'id', time: 'period', outcome: 'y', covariates });
  doc.setIn(['outcome'], { type: parametric.scenario.outcome.type, name: parametric.scenario.outcome.name });
  const t0 = performance.now();
  const resampled = expandGrid(parseScenario(doc.toString(), join(dir, name)))[0];
  const csvMs = performance.now() - t0;
  return { parametric, resampled, csvMs, units: panelWorld(resampled.scenario.population.from_panel!).history.panel.nUnits };
}

export function benchResample(): void {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-bench-resample-'));
  for (const [label, name, draws, target] of [
    ['R1', 'r1-isf-waitlist.yaml', 101, 5],
    ['R2', 'r2-malmo-quota.yaml', 15, 150],
  ] as const) {
    const r = resampledPoint(name, dir);
    console.log(`${label}: history panel of ${r.units} units read and checked once in ${r.csvMs.toFixed(0)} ms`);
    bench(`${label} parametric`, r.parametric, draws, target);
    bench(`${label} resampled`, r.resampled, draws, target);
  }
  rmSync(dir, { recursive: true, force: true }); // the history CSVs (R2's is ~75 MB)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchResample();
