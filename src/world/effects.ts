/**
 * Treatment effects on the outcome's own scale (kr/month, share points, days): heterogeneous by start
 * group, event time (onset, ramp, plateau, decay), covariate and unit, plus anticipation and
 * announcement effects before start (R2: earnings dip 3 months before start; people leaving the
 * employment service from 6 months before to 5 after).
 */
import type { Rng } from '../random/stream.js';
import { randomNormal } from '../random/normal.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { covariateMoments } from './covariates.js';

export type EffectSpec = ResolvedScenario['effect'];

/**
 * The event-time profile in [0, 1] at event period e ≥ 0: zero before onset, a linear ramp over
 * `ramp` periods, full for `duration` periods (null: for ever), a linear decay over `decay` periods.
 */
export function effectShape(spec: EffectSpec, e: number): number {
  if (e < spec.onset) return 0;
  let k = e - spec.onset;
  if (k < spec.ramp) return (k + 1) / (spec.ramp + 1);
  k -= spec.ramp;
  if (spec.duration === null || k < spec.duration) return 1;
  k -= spec.duration;
  if (k < spec.decay) return 1 - (k + 1) / (spec.decay + 1);
  return 0;
}

/** The pre-start part (anticipation, announcement) at event period e, and the announcement after start. */
export function effectAdditive(spec: EffectSpec, e: number): number {
  let v = 0;
  if (spec.anticipation && e < 0 && e >= -spec.anticipation.periods) v += spec.anticipation.size;
  if (spec.announcement && e >= spec.announcement.from && e <= spec.announcement.to) v += spec.announcement.size;
  return v;
}

/** The population-average effect at event period e for a start group of the given rank (analytic). */
export function meanEffect(spec: EffectSpec, rank: number, e: number): number {
  const g = spec.by_group ? spec.by_group[Math.min(rank, spec.by_group.length - 1)] : 1;
  return (e >= 0 ? spec.size * g * effectShape(spec, e) : 0) + effectAdditive(spec, e);
}

/**
 * Each unit's effect multiplier: start group × covariates (centred at their population means, so the
 * population average stays `size`) × a random unit factor with mean 1. Draws one normal per unit.
 */
export function unitMultipliers(
  rng: Rng,
  spec: EffectSpec,
  population: ResolvedScenario['population'],
  rank: Int32Array,
  covariates: Record<string, Float64Array>,
): Float64Array {
  const n = rank.length;
  const m = new Float64Array(n);
  const z = randomNormal(rng, 0, 1);
  const terms = Object.entries(spec.by_covariate).map(([k, b]) => ({
    b,
    x: covariates[k],
    mean: covariateMoments(population.covariates[k]).mean,
  }));
  for (let i = 0; i < n; i++) {
    const g = spec.by_group && rank[i] >= 0 ? spec.by_group[Math.min(rank[i], spec.by_group.length - 1)] : 1;
    let c = 1;
    for (const t of terms) c += t.b * (t.x[i] - t.mean);
    m[i] = g * c * (1 + spec.unit_sd * z());
  }
  return m;
}

/**
 * The effect row by row: τ of every unit in one period, from event-time profiles computed once a draw
 * (size × shape(e) and the additive anticipation/announcement part), visiting only treated units.
 * @param start own start period label per unit (Infinity: never)
 */
export class EffectRows {
  private readonly treated: Int32Array;
  private readonly startOf: Float64Array;
  private readonly lo: number;
  private readonly plateau: Float64Array;
  private readonly add: Float64Array;
  /** True when the row just written has no non-zero entry. */
  empty = true;

  constructor(
    spec: EffectSpec,
    private readonly periods: Float64Array,
    start: Float64Array,
    private readonly mult: Float64Array,
  ) {
    const idx: number[] = [];
    for (let i = 0; i < start.length; i++) if (Number.isFinite(start[i])) idx.push(i);
    this.treated = Int32Array.from(idx);
    this.startOf = Float64Array.from(idx, (i) => start[i]);
    const span = periods.length > 0 ? periods[periods.length - 1] - periods[0] : 0;
    // Event times run over −span..span; before eMin nothing happens.
    this.lo = -span;
    const len = 2 * span + 1;
    this.plateau = new Float64Array(len);
    this.add = new Float64Array(len);
    for (let k = 0; k < len; k++) {
      const e = k + this.lo;
      this.plateau[k] = e >= 0 ? spec.size * effectShape(spec, e) : 0;
      this.add[k] = effectAdditive(spec, e);
    }
  }

  /** τ of period index t into row (length n, zero-filled when made): only treated entries are written. */
  row(t: number, row: Float64Array): void {
    const { treated, startOf, plateau, add, mult, lo } = this;
    const len = plateau.length;
    const p = this.periods[t];
    let any = false;
    for (let j = 0; j < treated.length; j++) {
      const k = p - startOf[j] - lo;
      const i = treated[j];
      const v = k >= 0 && k < len ? plateau[k] * mult[i] + add[k] : 0;
      row[i] = v;
      if (v !== 0) any = true;
    }
    this.empty = !any;
  }
}
