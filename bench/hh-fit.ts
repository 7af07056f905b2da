/**
 * hh fit speed (issue 15): μs per REML fit of the Hussey & Hughes model on a 24 clusters × 24 periods
 * stepped-wedge panel (6 waves, 400 people per cell), for each data level and correlation.
 * Run: npx tsc -p tsconfig.json && node dist/bench/hh-fit.js
 */
import { estimateHh, type HhOptions } from '../src/estimators/hh/index.js';
import { seeded } from '../src/random/stream.js';
import { steppedWedgePanel } from '../test/helpers/stepped-wedge-panel.js';

export function benchHhFit(): void {
  const rng = seeded('bench-hh');
  const panels = Array.from({ length: 20 }, () =>
    steppedWedgePanel(rng, { clusters: 24, periods: 24, waves: 6, size: 400, tau: 0.15, omega: 0.05, sigma: 1, theta: 0.1 }),
  );
  const cases: [string, Partial<HhOptions>, number][] = [
    ['means, exchangeable', { data: 'means' }, 400],
    ['individual, exchangeable', { data: 'individual' }, 400],
    ['individual, block', { data: 'individual', correlation: 'block' }, 20],
    ['means, decay', { data: 'means', correlation: 'decay' }, 10],
    ['individual, decay', { data: 'individual', correlation: 'decay' }, 10],
  ];
  for (const [label, o, reps] of cases) {
    for (let i = 0; i < Math.min(reps, 20); i++) estimateHh(panels[i % 20], o); // warm-up
    const t0 = process.hrtime.bigint();
    let evals = 0;
    for (let i = 0; i < reps; i++) evals += estimateHh(panels[i % 20], o).hh?.evals ?? 0;
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / reps;
    console.log(
      `hh ${label.padEnd(26)} 24 clusters × 24 periods: ${us.toFixed(0).padStart(8)} μs per fit, ${(evals / reps).toFixed(0)} REML evaluations (${reps} fits)`,
    );
  }
}

if (process.argv[1]?.endsWith('hh-fit.js')) benchHhFit();
