/**
 * A seeded stepped-wedge cluster panel drawn straight at the cell level from the normal model the hh
 * estimator assumes: ȳ_jt = 1 + 0.1·t + θ·X_jt + α_j + γ_jt + ē_jt with α_j ~ N(0, τ²), γ_jt ~ N(0, ω²),
 * ē_jt ~ N(0, σ²/n_jt) and the within-cell SS ~ σ²·χ²(n_jt − 1) (independent of ē: normal sampling
 * theory), so the individual-level fit needs no per-person draws. For tests and benchmarks.
 */
import { makePanel, type Panel } from '../../src/panel/panel.js';
import { randomGamma } from '../../src/random/lognormal.js';
import { standardNormal } from '../../src/random/normal.js';
import type { Rng } from '../../src/random/stream.js';

export interface SteppedWedge {
  clusters: number;
  periods: number;
  /** Waves: clusters split as equally as possible, wave w starting at period 2 + w·every. */
  waves: number;
  /** People per cell: fixed, or drawn uniformly in [min, max]. */
  size: number | [number, number];
  tau: number;
  omega?: number;
  sigma: number;
  theta: number;
}

/** Start period of each cluster (1-based periods; wave w starts at 2 + w·every, every = ⌊(T − 1)/waves⌋). */
export function swStarts(G: number, T: number, waves: number): Float64Array {
  const every = Math.max(1, Math.floor((T - 1) / waves));
  return Float64Array.from({ length: G }, (_, j) => 2 + Math.floor((j * waves) / G) * every);
}

export function steppedWedgePanel(rng: Rng, s: SteppedWedge): Panel {
  const G = s.clusters,
    T = s.periods;
  const group = swStarts(G, T, s.waves);
  const y = new Float64Array(G * T),
    n = new Float64Array(G * T),
    ss = new Float64Array(G * T);
  for (let j = 0; j < G; j++) {
    const a = s.tau * standardNormal(rng);
    for (let t = 0; t < T; t++) {
      const k = t * G + j;
      const m = typeof s.size === 'number' ? s.size : s.size[0] + Math.floor(rng() * (s.size[1] - s.size[0] + 1));
      const x = t + 1 >= group[j] ? 1 : 0;
      const gam = (s.omega ?? 0) * standardNormal(rng);
      n[k] = m;
      y[k] = 1 + 0.1 * (t + 1) + s.theta * x + a + gam + (s.sigma / Math.sqrt(m)) * standardNormal(rng);
      ss[k] = m > 1 ? randomGamma(rng, (m - 1) / 2, 2 * s.sigma * s.sigma)() : 0;
    }
  }
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y, cellSize: n, cellSS: ss });
}
