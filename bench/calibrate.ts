/**
 * Calibration speed (issue 11): `stagger calibrate --data` on a 12,000 × 108 earnings panel with two
 * covariates (Malmökraften-sized; target ≤ 60 s on the 2-core machine), default 20 fit-table draws.
 * The panel is drawn from a known world and written as CSV first (not timed); the figure is read, fit,
 * YAML and fit table together. Run: npm run bench calibrate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandGrid, generateDraw, parseScenario } from '../src/generate.js';
import { writePanelCsv } from '../src/cli/panel-csv.js';
import { calibrateData } from '../src/cli/calibrate.js';

const WORLD = `name: bench
periods: { first: 1, count: 108 }
population:
  size: 12000
  covariates:
    age: { type: normal, mean: 35, sd: 11 }
    woman: { type: binary, p: 0.45 }
outcome: { type: earnings, mean: 1800, share_any: 0.2, sdlog: 0.9, unit_sd: 1, noise_sd: 0.6, rho: 0.8, covariate_effects: { age: -0.02, woman: -0.2 }, trend: { slope: 0.004 } }
design: { type: adoption, schedule: [ { period: 1, members: 0 } ] }
`;

export function benchCalibrate(draws = 20): void {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-bench-calib-'));
  try {
    const file = join(dir, 'history.csv');
    writePanelCsv(file, generateDraw(expandGrid(parseScenario(WORLD, 'bench'))[0], 1, 0).panel);
    const r = calibrateData({
      data: file,
      id: 'id',
      time: 'period',
      outcome: 'y',
      covariates: 'age,woman',
      type: 'earnings',
      season: 12,
      seed: '1',
      draws,
    });
    const placebo = r.rows.find((m) => m.name === 'placebo_se')!;
    console.log(
      `calibrate --data 12,000 × 108  ${(r.totalMs / 1000).toFixed(1).padStart(6)} s total (target ≤ 60): read + fit ${(r.fitMs / 1000).toFixed(1)} s, ` +
        `fit table ${draws} draws ${((r.totalMs - r.fitMs) / 1000).toFixed(1)} s; placebo SE observed ${placebo.observed?.toFixed(1)}, simulated ${placebo.simulated?.toFixed(1)} ± ${placebo.mc_se?.toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchCalibrate();
