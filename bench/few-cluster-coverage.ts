/**
 * Coverage of twfe's static 95 % interval under each few-cluster option, on panels of G clusters with
 * a cluster × period shock (the figures in the README's "Few-cluster inference").
 *   node dist/bench/few-cluster-coverage.js G UNITS_PER_CLUSTER T FITS WILD_B
 * test/estimators/few-cluster/coverage.test.ts uses the same generator.
 */
import { pathToFileURL } from 'node:url';
import { estimateTwfe, type TwfeOptions } from '../src/estimators/twfe/index.js';
import { makePanel, type Panel } from '../src/panel/panel.js';
import { randomNormal, seeded } from '../src/random/index.js';
import type { Rng } from '../src/random/stream.js';

const WAVES = [3, 4, 5, 6, 0];

/**
 * y_it = α_i + 0.2 t + τ D_it + u_{c(i)t} + ε_it: G clusters of `per` units, cluster c starting in
 * WAVES[c mod 5] (0 = never), α, u, ε standard normal (u shared by the cluster's units in a period).
 */
export function clusterShockPanel(rng: Rng, G: number, per: number, T: number, tau: number): Panel {
  const z = randomNormal(rng);
  const n = G * per;
  const y = new Float64Array(n * T);
  const group = Float64Array.from({ length: n }, (_, i) => WAVES[Math.floor(i / per) % WAVES.length]);
  const alpha = Float64Array.from({ length: n }, () => z());
  for (let t = 0; t < T; t++) {
    const shock = Float64Array.from({ length: G }, () => z());
    for (let i = 0; i < n; i++) {
      const g = group[i];
      y[t * n + i] = alpha[i] + 0.2 * t + tau * (g > 0 && t + 1 >= g ? 1 : 0) + shock[Math.floor(i / per)] + z();
    }
  }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y,
    cluster: Float64Array.from({ length: n }, (_, i) => Math.floor(i / per)),
  });
}

/** 1 when the static interval (the row's own, else the normal Wald one) covers tau. */
export function covers(panel: Panel, o: Partial<TwfeOptions>, tau: number, rng: Rng): number {
  const s = estimateTwfe(panel, { cluster: 'column', eventStudy: false, ...o }, rng).aggregates.simple!;
  const z = 1.959963984540054;
  const [lo, hi] = s.ci ?? [s.att! - z * s.se!, s.att! + z * s.se!];
  return lo <= tau && tau <= hi ? 1 : 0;
}

function main(): void {
  const [G, per, T, fits, wild] = process.argv.slice(2).map(Number);
  const options: Record<string, Partial<TwfeOptions>> = {
    'CR1 normal': {},
    'CR1 t(G-1)': { df: 'cluster' },
    'CR2 normal': { vcov: 'cr2' },
    'CR2 t(G-1)': { vcov: 'cr2', df: 'cluster' },
    'CR2 Satterthwaite': { vcov: 'cr2', df: 'satterthwaite' },
    ...(wild > 0 ? { 'WCR rademacher': { wild } } : {}),
  };
  const rng = seeded(`measure ${G}`);
  const hits = Object.fromEntries(Object.keys(options).map((k) => [k, 0]));
  for (let f = 0; f < fits; f++) {
    const panel = clusterShockPanel(rng, G, per, T, 0.5);
    for (const [k, o] of Object.entries(options)) hits[k] += covers(panel, o, 0.5, rng);
  }
  for (const [k, h] of Object.entries(hits)) {
    const c = h / fits;
    console.log(`${k}: ${c.toFixed(4)} (MC SE ${Math.sqrt((c * (1 - c)) / fits).toFixed(4)})`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
