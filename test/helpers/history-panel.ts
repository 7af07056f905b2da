/**
 * Seeded synthetic history panels (long CSV: id, period, y, woman, age, region) for the resampled-world
 * tests and the bundled example (scenarios/data/example-history.csv is this module's output for
 * EXAMPLE: `node dist/test/helpers/history-panel.js scenarios/data/example-history.csv`). Units have a
 * stable level and AR(1) noise, so their paths are distinct; no data from any real study.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seeded } from '../../src/random/stream.js';
import { randomNormal } from '../../src/random/normal.js';
import { normalCdf } from '../../src/random/phi.js';

export interface HistorySpec {
  units: number;
  periods: number;
  type: 'continuous' | 'binary' | 'earnings' | 'count' | 'share';
  seed: number;
  /** First period label (labels first … first + periods − 1). */
  first?: number;
}

export const EXAMPLE: HistorySpec = { units: 240, periods: 30, type: 'earnings', seed: 2026, first: 1 };

export function historyCsv(spec: HistorySpec): string {
  const rng = seeded(`history\0${spec.seed}`);
  const z = randomNormal(rng, 0, 1);
  const first = spec.first ?? 1;
  const rows = ['id,period,y,woman,age,region'];
  const regions = ['north', 'south', 'west'];
  for (let i = 0; i < spec.units; i++) {
    const woman = rng() < 0.45 ? 1 : 0;
    const age = Math.round(25 + 12 * rng() + 6 * z());
    const region = regions[Math.floor(rng() * 3)];
    const level = z() + 0.4 * woman - 0.02 * (age - 30);
    let e = 0.6 * z();
    for (let t = 0; t < spec.periods; t++) {
      if (t > 0) e = 0.7 * e + Math.sqrt(1 - 0.49) * 0.6 * z();
      const eta = level + e;
      let y: number;
      switch (spec.type) {
        case 'continuous':
          y = +(10 + 2 * eta).toFixed(4);
          break;
        case 'binary':
          y = rng() < normalCdf(-0.4 + eta) ? 1 : 0;
          break;
        case 'share':
          y = +normalCdf(-0.5 + 0.5 * eta).toFixed(4);
          break;
        case 'count':
          y = rng() < normalCdf(-0.8 + eta) ? 1 + Math.min(29, Math.floor(8 * rng() * Math.exp(0.3 * eta))) : 0;
          break;
        default:
          y = rng() < normalCdf(-0.6 + eta) ? Math.round(9000 * Math.exp(0.6 * z() + 0.2 * eta)) : 0;
      }
      rows.push(`u${i + 1},${first + t},${y},${woman},${age},${region}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

// Run as a script with an output path (node --test also runs this file, without one: then nothing).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) writeFileSync(process.argv[2], historyCsv(EXAMPLE));
