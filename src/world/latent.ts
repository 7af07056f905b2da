/**
 * The latent index behind every outcome type:
 *   η_it = Σ_k β_k (x_ik − E x_k) + unit_sd · level_i + (slope + Σ_k b_k x_ik) · (t − t₀) + e_it,
 *   e_it = ρ e_i,t−1 + √(1 − ρ²) · noise_sd · z_it   (AR(1), stationary from the first period),
 * so covariate-specific calendar trends make unconditional parallel trends fail while conditional
 * ones hold. t₀ is the first period: the scenario's baseline shares and means hold there.
 */
import type { UnitStreams } from '../random/stream.js';
import { unitNormal } from '../random/normal.js';
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
 * The latent index row by row (period by period), so a draw never holds η for the whole panel:
 * construct once per draw, then `next(row)` writes η of the next period into row (length n).
 * Unit i's normals come from its own stream (us, i), so unit i's noise does not depend on how many
 * units the draw has (common random numbers when a design point enrols more or fewer people).
 */
export class LatentRows {
  private readonly base: Float64Array;
  private readonly slope: Float64Array;
  private readonly e: Float64Array;
  private readonly us: UnitStreams;
  private t = 0;

  constructor(
    us: UnitStreams,
    private readonly o: OutcomeSpec,
    pop: ResolvedScenario['population'],
    covariates: Record<string, Float64Array>,
    level: Float64Array,
  ) {
    const n = level.length;
    this.base = new Float64Array(n);
    this.slope = new Float64Array(n).fill(o.trend.slope);
    this.e = new Float64Array(n);
    for (let i = 0; i < n; i++) this.base[i] = o.unit_sd * level[i];
    for (const [k, b] of Object.entries(o.covariate_effects)) {
      const x = covariates[k];
      const m = covariateMoments(pop.covariates[k]).mean;
      for (let i = 0; i < n; i++) this.base[i] += b * (x[i] - m);
    }
    for (const [k, b] of Object.entries(o.trend.by)) {
      const x = covariates[k];
      for (let i = 0; i < n; i++) this.slope[i] += b * x[i];
    }
    if (us.n !== n) throw new Error(`LatentRows: ${us.n} unit streams for ${n} units`);
    this.us = us;
  }

  /** η of the next period (t = 0, 1, …) into row. */
  next(row: Float64Array): void {
    const { base, slope, e, us } = this;
    const n = base.length;
    const t = this.t++;
    if (t === 0) {
      const sd = this.o.noise_sd;
      for (let i = 0; i < n; i++) {
        e[i] = sd * unitNormal(us, i);
        row[i] = base[i] + e[i];
      }
      return;
    }
    const rho = this.o.rho;
    const innov = Math.sqrt(1 - rho * rho) * this.o.noise_sd;
    for (let i = 0; i < n; i++) {
      const v = rho * e[i] + innov * unitNormal(us, i);
      e[i] = v;
      row[i] = base[i] + slope[i] * t + v;
    }
  }
}
