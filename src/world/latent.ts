/**
 * The latent index behind every outcome type:
 *   η_it = Σ_k β_k (x_ik − E x_k) + unit_sd · level_i + (slope + Σ_k b_k x_ik) · (t − t₀) + e_it,
 *   e_it = ρ e_i,t−1 + √(1 − ρ²) · noise_sd · z_it   (AR(1), stationary from the first period),
 * so covariate-specific calendar trends make unconditional parallel trends fail while conditional
 * ones hold. t₀ is the first period: the scenario's baseline shares and means hold there.
 */
import type { Rng } from '../random/stream.js';
import { randomNormal } from '../random/normal.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { covariateMoments } from './covariates.js';

export type OutcomeSpec = ResolvedScenario['outcome'];

/** Variance of η in the first period, treating covariates as uncorrelated (exact without correlations). */
export function latentVariance(o: OutcomeSpec, pop: ResolvedScenario['population']): number {
  let v = o.unit_sd ** 2 + o.noise_sd ** 2;
  for (const [k, b] of Object.entries(o.covariate_effects)) v += b * b * covariateMoments(pop.covariates[k]).variance;
  return v;
}

/**
 * Fill eta (periods × units) for units with the given covariates and levels.
 * Draws periods × units normals from rng, period by period, unit by unit.
 */
export function fillLatent(
  rng: Rng,
  o: OutcomeSpec,
  pop: ResolvedScenario['population'],
  covariates: Record<string, Float64Array>,
  level: Float64Array,
  nPeriods: number,
  eta: Float64Array,
): void {
  const n = level.length;
  const base = new Float64Array(n);
  const slope = new Float64Array(n).fill(o.trend.slope);
  for (let i = 0; i < n; i++) base[i] = o.unit_sd * level[i];
  for (const [k, b] of Object.entries(o.covariate_effects)) {
    const x = covariates[k];
    const m = covariateMoments(pop.covariates[k]).mean;
    for (let i = 0; i < n; i++) base[i] += b * (x[i] - m);
  }
  for (const [k, b] of Object.entries(o.trend.by)) {
    const x = covariates[k];
    for (let i = 0; i < n; i++) slope[i] += b * x[i];
  }
  const z = randomNormal(rng, 0, 1);
  const rho = o.rho;
  const innov = Math.sqrt(1 - rho * rho) * o.noise_sd;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    e[i] = o.noise_sd * z();
    eta[i] = base[i] + e[i];
  }
  for (let t = 1; t < nPeriods; t++) {
    const row = t * n;
    for (let i = 0; i < n; i++) {
      const v = rho * e[i] + innov * z();
      e[i] = v;
      eta[row + i] = base[i] + slope[i] * t + v;
    }
  }
}
