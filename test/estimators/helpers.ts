/**
 * Shared fixtures of the comparison-estimator tests: seeded synthetic staggered panels, the external
 * castle-doctrine panel (../shared/reference/external/, for test-reference/), and a brute-force dense OLS with unit and period
 * dummies — the independent computation the within-transformation code is checked against.
 */
import { invert } from '../../src/linalg/small.js';
import { readPanelCsv } from '../../src/panel/csv.js';
import { makePanel, type Panel } from '../../src/panel/panel.js';
import { randomNormal, seeded } from '../../src/random/index.js';
import { sharedFile } from '../helpers/reference.js';

/**
 * Castle doctrine (Cheng & Hoekstra 2013): 50 states × 2000–2010, outcome log homicide rate, from
 * ../shared/reference/external/ (tests of `npm run test:reference` only: it throws when missing).
 */
export function castle(): Panel {
  return readPanelCsv(sharedFile('external', 'castle.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'l_homicide' })
    .panel;
}

export interface SynthOptions {
  seed: string;
  /** Start group of each unit (0 = never); the panel has periods 1..T. */
  groups: number[];
  T: number;
  /** Effect at event time e ≥ 0 of a unit in group g. */
  effect?: (g: number, e: number) => number;
  /** Number of clusters the units are dealt into (unit i → i mod clusters), if any. */
  clusters?: number;
}

/** y_it = α_i + λ_t + τ(g_i, t − g_i) 1{t ≥ g_i} + ε_it with normal α, λ, ε from a seeded stream. */
export function synthPanel(o: SynthOptions): Panel {
  const rng = seeded(o.seed);
  const z = randomNormal(rng);
  const n = o.groups.length,
    T = o.T;
  const alpha = Float64Array.from({ length: n }, () => z());
  const lambda = Float64Array.from({ length: T }, (_, t) => 0.3 * t + z());
  const y = new Float64Array(n * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const g = o.groups[i],
        p = t + 1;
      const eff = g > 0 && p >= g && o.effect ? o.effect(g, p - g) : 0;
      y[t * n + i] = alpha[i] + lambda[t] + eff + z();
    }
  }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group: o.groups,
    y,
    cluster: o.clusters ? Float64Array.from({ length: n }, (_, i) => i % o.clusters!) : undefined,
  });
}

export interface DenseOls {
  beta: Float64Array;
  /** Cluster-robust sandwich (X'X)⁻¹ Σ_g X_g'e_g e_g'X_g (X'X)⁻¹ for the first k coefficients, unscaled. */
  sandwich: Float64Array;
}

/**
 * OLS of y on [x_1..x_k, unit dummies, period dummies 2..T] by the normal equations on the full
 * n·T × (k + n + T − 1) design matrix; for small panels only.
 * @param x k functions (unit, period index) → value.
 */
export function denseOls(panel: Panel, x: Array<(i: number, t: number) => number>, cluster: ArrayLike<number>): DenseOls {
  const n = panel.nUnits,
    T = panel.nPeriods,
    k = x.length;
  const p = k + n + T - 1,
    N = n * T;
  const X = new Float64Array(N * p);
  const yv = new Float64Array(N);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      yv[r] = panel.y[t * n + i];
      for (let j = 0; j < k; j++) X[r * p + j] = x[j](i, t);
      X[r * p + k + i] = 1;
      if (t > 0) X[r * p + k + n + t - 1] = 1;
    }
  const xtx = new Float64Array(p * p),
    xty = new Float64Array(p);
  for (let r = 0; r < N; r++)
    for (let a = 0; a < p; a++) {
      const xa = X[r * p + a];
      if (xa === 0) continue;
      xty[a] += xa * yv[r];
      for (let b = 0; b < p; b++) xtx[a * p + b] += xa * X[r * p + b];
    }
  const inv = invert(xtx, p);
  if (!inv) throw new Error('denseOls: singular design');
  const beta = new Float64Array(p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) beta[a] += inv[a * p + b] * xty[b];
  const groups = new Map<number, Float64Array>();
  for (let r = 0; r < N; r++) {
    let e = yv[r];
    for (let a = 0; a < p; a++) e -= X[r * p + a] * beta[a];
    const g = cluster[Math.floor(r / T)];
    const s = groups.get(g) ?? new Float64Array(p);
    for (let a = 0; a < p; a++) s[a] += X[r * p + a] * e;
    groups.set(g, s);
  }
  const meat = new Float64Array(p * p);
  for (const s of groups.values()) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a * p + b] += s[a] * s[b];
  const full = new Float64Array(p * p);
  const tmp = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += inv[a * p + c] * meat[c * p + b];
      tmp[a * p + b] = s;
    }
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += tmp[a * p + c] * inv[c * p + b];
      full[a * p + b] = s;
    }
  const sw = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sw[a * k + b] = full[a * p + b];
  return { beta: beta.slice(0, k), sandwich: sw };
}

/**
 * CR1 scale of fixest's default ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE) for
 * y ~ x | unit + period clustered by unit (or a coarser column): fixest counts nparams = k + n + T − 1
 * and removes the n − 1 free unit effects nested in the clusters (R/VCOV.R), so K = k + T.
 */
export function cr1Scale(clusters: number, nObs: number, k: number, T: number): number {
  return (clusters / (clusters - 1)) * ((nObs - 1) / (nObs - (k + T)));
}

export function near(actual: number | null | undefined, expected: number, tol: number, what: string): void {
  if (actual === null || actual === undefined || !(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (tolerance ${tol})`);
  }
}

/** The panel with a time-varying covariate x = 0.5·t + noise added to y with coefficient 0.8. */
export function withCovariate(p: Panel, seed: string): Panel {
  const z = randomNormal(seeded(seed));
  const n = p.nUnits,
    T = p.nPeriods;
  const x = Float64Array.from({ length: n * T }, (_, m) => 0.5 * Math.floor(m / n) + z());
  const y = Float64Array.from(p.y, (v, m) => v + 0.8 * x[m]);
  return makePanel({
    periods: p.periods,
    group: p.group,
    y,
    covariates: { x, flat: Float64Array.from({ length: n }, (_, i) => i % 3) },
    cluster: p.cluster,
  });
}
