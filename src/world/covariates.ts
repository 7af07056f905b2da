/**
 * Covariates by a Gaussian copula: one latent standard normal per covariate (plus the outcome's unit
 * level, named `level`), correlated as the scenario says, then each mapped to its marginal (binary by a
 * threshold, categorical by cumulative thresholds, normal by location and scale). The marginal shares
 * are exact whatever the correlations; the correlations are those of the latent normals. Every mapping
 * is increasing in the latent: a binary is 1 in its upper tail (z > −Φ⁻¹(p), share p), a categorical's
 * level index rises with z (its first level in the lower tail), so a positive r between two latents gives
 * a positive correlation between the covariates (point-biserial r·φ(Φ⁻¹(p))/√(p(1−p)) for binary–normal).
 */
import type { Rng } from '../random/stream.js';
import { randomNormal } from '../random/normal.js';
import { normalQuantile } from '../random/phi.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { drawResampledPeople } from './resample-panel.js';

export type PopulationSpec = ResolvedScenario['population'];
export type CovariateSpec = PopulationSpec['covariates'][string];

/** Unit-level draws of a population: covariates (categorical as level index 0..L−1) and latent level. */
export interface People {
  n: number;
  covariates: Record<string, Float64Array>;
  /** The unit's standard-normal outcome level (scaled by outcome.unit_sd in the outcome model). */
  level: Float64Array;
  /** Resampled worlds (population.from_panel): each person's source unit in the panel. */
  source?: Int32Array;
  /**
   * The copula's independent standard normals, person by person (n × (covariates + 1), in copula
   * order): the further outcomes' levels are drawn conditionally on them (world/outcome-levels.ts).
   */
  innovations?: Float64Array;
}

/**
 * The copula's variables in a fixed order: covariates as declared, then `level` (the first outcome's
 * unit level, also named by that outcome's name), then the further outcomes' levels. Later variables
 * never change the Cholesky rows of earlier ones, so adding an outcome leaves the people as they were.
 */
function copulaNames(spec: PopulationSpec, outcomes: readonly string[]): string[] {
  return [...Object.keys(spec.covariates), 'level', ...outcomes.slice(1)];
}

/**
 * Lower Cholesky factor of the latent correlation matrix.
 * @throws {Error} when the correlations are not a valid (positive definite) correlation matrix
 */
export function copulaFactor(spec: PopulationSpec, outcomes: readonly string[] = []): { names: string[]; L: Float64Array } {
  const names = copulaNames(spec, outcomes);
  const index = (nm: string) => (outcomes.length > 0 && nm === outcomes[0] ? names.indexOf('level') : names.indexOf(nm));
  const k = names.length;
  const R = new Float64Array(k * k);
  for (let i = 0; i < k; i++) R[i * k + i] = 1;
  for (const c of spec.correlations) {
    const a = index(c.between[0]);
    const b = index(c.between[1]);
    // A pair naming a further outcome's level belongs to the full copula (outcome-levels.ts); the
    // scenario check rejects names that are neither covariates nor outcomes.
    if (a < 0 || b < 0) continue;
    R[a * k + b] = R[b * k + a] = c.r;
  }
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = R[j * k + j];
    for (let m = 0; m < j; m++) d -= L[j * k + m] * L[j * k + m];
    if (!(d > 1e-12))
      throw new Error(
        `population.correlations: the correlations of ${names.join(', ')} are not a valid correlation matrix (not positive definite at ${names[j]})`,
      );
    L[j * k + j] = Math.sqrt(d);
    for (let i = j + 1; i < k; i++) {
      let s = R[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      L[i * k + j] = s / L[j * k + j];
    }
  }
  return { names, L };
}

/**
 * Latent thresholds of a categorical: level l when cut[l−1] ≤ z < cut[l] (cumulative Φ⁻¹), so the
 * level index increases with the latent (the first declared level is the lowest latent band).
 */
function categoricalCuts(p: readonly number[]): Float64Array {
  const cuts = new Float64Array(p.length);
  let s = 0;
  for (let l = 0; l < p.length; l++) {
    s += p[l];
    cuts[l] = l === p.length - 1 || s >= 1 ? Infinity : s <= 0 ? -Infinity : normalQuantile(s);
  }
  return cuts;
}

/**
 * Draw n people. Consumes exactly n × (number of covariates + 1) normals, person by person, so the
 * k-th person is the same whatever n is (common random numbers across design points).
 * @param overrides marginals that differ in this pool (R4's reference pool), same names
 */
export function drawPeople(rng: Rng, spec: PopulationSpec, n: number, overrides: Record<string, CovariateSpec> = {}): People {
  if (spec.from_panel) return drawResampledPeople(rng, spec, n, overrides); // whole units of a real panel
  const { names, L } = copulaFactor(spec);
  const k = names.length;
  const specs = names.slice(0, -1).map((nm) => overrides[nm] ?? spec.covariates[nm]);
  // Binary: 1 when z > −Φ⁻¹(p) = Φ⁻¹(1 − p), the upper tail (share p exactly, rising with the latent).
  const cuts = specs.map((c) =>
    c.type === 'binary'
      ? Float64Array.of(c.p <= 0 ? Infinity : c.p >= 1 ? -Infinity : -normalQuantile(c.p))
      : c.type === 'categorical'
        ? categoricalCuts(c.p)
        : null,
  );
  const out: Float64Array[] = specs.map(() => new Float64Array(n));
  const level = new Float64Array(n);
  const innovations = new Float64Array(n * k);
  const z = randomNormal(rng, 0, 1);
  const e = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) e[j] = z();
    innovations.set(e, i * k);
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let m = 0; m <= j; m++) v += L[j * k + m] * e[m];
      if (j === k - 1) {
        level[i] = v;
        break;
      }
      const c = specs[j];
      if (c.type === 'normal') out[j][i] = c.mean + c.sd * v;
      else if (c.type === 'binary') out[j][i] = v > cuts[j]![0] ? 1 : 0;
      else {
        const cu = cuts[j]!;
        let l = 0;
        while (v >= cu[l]) l++;
        out[j][i] = l;
      }
    }
  }
  const covariates: Record<string, Float64Array> = {};
  names.slice(0, -1).forEach((nm, j) => (covariates[nm] = out[j]));
  return { n, covariates, level, innovations };
}

/** Population mean and variance of a binary or normal covariate (categorical: of its level index). */
export function covariateMoments(c: CovariateSpec): { mean: number; variance: number } {
  if (c.type === 'binary') return { mean: c.p, variance: c.p * (1 - c.p) };
  if (c.type === 'normal') return { mean: c.mean, variance: c.sd * c.sd };
  const mean = c.p.reduce((s, p, l) => s + p * l, 0);
  return { mean, variance: c.p.reduce((s, p, l) => s + p * (l - mean) ** 2, 0) };
}

/** Concatenate people pools (e.g. participants then references). */
export function concatPeople(parts: People[]): People {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const covariates: Record<string, Float64Array> = {};
  for (const name of Object.keys(parts[0]?.covariates ?? {})) {
    const a = new Float64Array(n);
    let o = 0;
    for (const p of parts) {
      a.set(p.covariates[name], o);
      o += p.n;
    }
    covariates[name] = a;
  }
  const level = new Float64Array(n);
  const source = parts.every((p) => p.source) ? new Int32Array(n) : undefined;
  let o = 0;
  for (const p of parts) {
    level.set(p.level, o);
    source?.set(p.source!, o);
    o += p.n;
  }
  const k = parts[0]?.innovations && parts[0].n > 0 ? parts[0].innovations.length / parts[0].n : 0;
  let innovations: Float64Array | undefined;
  if (k > 0 && parts.every((p) => p.innovations && p.innovations.length === p.n * k)) {
    innovations = new Float64Array(n * k);
    o = 0;
    for (const p of parts) {
      innovations.set(p.innovations!, o * k);
      o += p.n;
    }
  }
  return { n, covariates, level, ...(source ? { source } : {}), ...(innovations ? { innovations } : {}) };
}

/** The people at the given indices, in that order. */
export function selectPeople(p: People, idx: ArrayLike<number>): People {
  const n = idx.length;
  const covariates: Record<string, Float64Array> = {};
  for (const [name, v] of Object.entries(p.covariates)) {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = v[idx[i]];
    covariates[name] = a;
  }
  const level = new Float64Array(n);
  for (let i = 0; i < n; i++) level[i] = p.level[idx[i]];
  const src = p.source;
  let innovations: Float64Array | undefined;
  if (p.innovations && p.n > 0) {
    const k = p.innovations.length / p.n;
    innovations = new Float64Array(n * k);
    for (let i = 0; i < n; i++) innovations.set(p.innovations.subarray(idx[i] * k, idx[i] * k + k), i * k);
  }
  return {
    n,
    covariates,
    level,
    ...(src ? { source: Int32Array.from({ length: n }, (_, i) => src[idx[i]]) } : {}),
    ...(innovations ? { innovations } : {}),
  };
}
