/**
 * `npm run bench peers`: the peers' estimators at the `teach-twfe-bias` size (300 units × 10 periods,
 * five cohorts and never-treated units) — twowayfeweights' four types, dcdh and stacked — and
 * twowayfeweights on a wagepan-sized switching panel (545 × 8) with a time-varying control and
 * time-varying regression weights (alternating projections). Minimum and median per call.
 */
import { estimateDcdh } from '../src/estimators/dcdh/index.js';
import { estimateTwfeWeights, type TwfeWeightsOptions } from '../src/estimators/dcdh/twfe-weights-estimator.js';
import { estimateStacked } from '../src/estimators/stacked/index.js';
import { makePanel, type Panel } from '../src/panel/panel.js';

function staggered(): Panel {
  const n = 300,
    T = 10;
  const group = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 3 + (i % 5)));
  const y = Float64Array.from({ length: n * T }, (_, k) => {
    const i = k % n,
      t = Math.floor(k / n) + 1;
    return Math.sin(i * 1.7) + 0.2 * t + Math.sin(k * 0.37) + (group[i] && t >= group[i] ? 1 + 0.1 * (t - group[i]) : 0);
  });
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y });
}

function switching(): Panel {
  const n = 545,
    T = 8;
  const D = new Float64Array(n * T),
    x = new Float64Array(n * T),
    w = new Float64Array(n * T),
    y = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      D[k] = (i * 7 + t * 3) % 11 < 4 ? 1 : 0;
      x[k] = Math.cos(i + 0.4 * t);
      w[k] = 1 + ((i + t) % 3) / 2;
      y[k] = Math.sin(i) + 0.1 * t + 0.3 * x[k] + 0.1 * D[k] + 0.2 * Math.sin(k * 0.91);
    }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => 1980 + t),
    group: new Array(n).fill(0),
    y,
    treatment: D,
    covariates: { x, w },
  });
}

function time(label: string, f: () => void, reps = 200): void {
  for (let i = 0; i < 20; i++) f();
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(58)} min ${ms[0].toFixed(2)} ms, median ${ms[ms.length >> 1].toFixed(2)} ms`);
}

export function benchPeers(): void {
  console.log('peers: one estimate, 300 × 10 staggered (teach-twfe-bias size)');
  const p = staggered();
  for (const type of ['feTR', 'feS', 'fdTR', 'fdS'] as TwfeWeightsOptions['twfeType'][])
    time(`twowayfeweights --twfe-type ${type}`, () => estimateTwfeWeights(p, { twfeType: type }));
  time('dcdh --effects 3 --placebo 2', () => estimateDcdh(p, { effects: 3, placebo: 2 }), 50);
  time('stacked κ = 2/2', () => estimateStacked(p, { kappaPre: 2, kappaPost: 2 }), 50);
  console.log('peers: twowayfeweights, 545 × 8 switching treatment, a control, time-varying weights');
  const s = switching();
  time('feTR --covariates x --weights w', () => estimateTwfeWeights(s, { covariates: ['x'], weights: 'w' }));
  time('fdTR --covariates x --weights w', () => estimateTwfeWeights(s, { twfeType: 'fdTR', covariates: ['x'], weights: 'w' }));
}
