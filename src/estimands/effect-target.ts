/**
 * `effect.target: {estimand, value}`: the effect stated on the estimand an evaluation reports. The
 * population value of every estimand is linear in the effect τ (meanEffect is size × shape + the
 * additive anticipation and announcement parts; the aggregations are weighted means), so scaling the
 * whole of τ by c = value / v₁, with v₁ the estimand's population value at the stated profile, makes
 * its population value `value`. v₁ depends on the design (group shares, members' start months, which
 * cells exist), so it is the mean over pilot draws of the design from a fixed stream (PILOT_SEED, draws
 * 0..PILOT_DRAWS−1, independent of the run's seed): the same factor in every worker and shard.
 */
import { nearest } from '../scenario/nearest-name.js';
import type { AggregationType, Estimate } from '../estimators/types.js';
import { estimandRows } from './estimand-rows.js';
import type { EffectSpec } from '../world/effects.js';
import { aggregateCells } from './aggregate.js';
import { planCells } from './cells.js';
import { populationCells } from './population-cells.js';
import type { TruthOptions } from './sample-truth.js';

export const PILOT_SEED = 'effect.target pilot';
export const PILOT_DRAWS = 20;

/** What a draw's design fixed: the panel's periods, each unit's start-group label and own start. */
export interface DesignDraw {
  periods: Float64Array;
  group: Float64Array;
  start?: Float64Array;
}

/** The applied scaling, as `stagger simulate --truth` and the draws' recruitment notes show it. */
export interface AppliedTarget {
  estimand: string;
  value: number;
  /** The estimand's population value at the stated profile (mean over the pilot draws). */
  unit_value: number;
  /** c = value / unit_value: multiplies size, anticipation.size and announcement.size. */
  factor: number;
  /** The plateau after scaling (size × c). */
  plateau: number;
  pilot_draws: number;
}

/** τ scaled by c: the plateau and the additive pre-start and announcement parts alike. */
export function scaleEffect(effect: EffectSpec, c: number): EffectSpec {
  const { target: _t, ...rest } = effect;
  return {
    ...rest,
    size: effect.size * c,
    ...(effect.anticipation ? { anticipation: { ...effect.anticipation, size: effect.anticipation.size * c } } : {}),
    ...(effect.announcement ? { announcement: { ...effect.announcement, size: effect.announcement.size * c } } : {}),
  };
}

/** The population truth of a design draw (population-cells.ts over the cells the estimator can estimate). */
export function populationOfDesign(effect: EffectSpec, d: DesignDraw, opts: TruthOptions): Estimate {
  const plan = planCells(d.periods, d.group, opts);
  const present = new Set(d.group);
  const cells = plan.groups.filter((g) => present.has(g)).flatMap((g) => plan.periodIdx.map((ti) => ({ group: g, time: d.periods[ti] })));
  const counts = new Map<number, number>();
  for (const g of d.group) counts.set(g, (counts.get(g) ?? 0) + 1);
  const pg = new Map([...counts].map(([g, c]) => [g, c / d.group.length]));
  const pop = aggregateCells(
    populationCells(effect, cells, d.periods, d.group, d.start, opts),
    pg,
    opts.eventWindow,
    opts.averages,
    d.group,
  );
  return { estimator: 'population', att_gt: [], wald_pretest: null, aggregates: pop, messages: [] };
}

/** The valid name closest to `name` (Levenshtein distance, case-insensitive). */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  return nearest(name, valid);
}

/**
 * The factor that gives `target.estimand` the population value `target.value`.
 * @param designs the pilot draws' designs
 * @param types the analysis' aggregations (which estimand ids it reports)
 * @throws when the analysis does not report the estimand, or its value at the stated profile is 0
 */
export function targetFactor(
  effect: EffectSpec,
  target: { estimand: string; value: number },
  designs: readonly DesignDraw[],
  opts: TruthOptions,
  types: readonly AggregationType[],
): AppliedTarget {
  const values: number[] = [];
  const ids = new Set<string>();
  const base = scaleEffect(effect, 1);
  for (const d of designs) {
    const rows = estimandRows(populationOfDesign(base, d, opts), types);
    for (const id of rows.keys()) ids.add(id);
    const v = rows.get(target.estimand)?.att;
    if (v !== null && v !== undefined) values.push(v);
  }
  if (values.length === 0 && (ids.has(target.estimand) || ids.size === 0)) {
    // An estimand of the design that no pilot draw defines: the design enrols too few people to
    // have a start group with a comparison (consent, referrals or exclusion leave nobody).
    throw new Error(
      `effect.target: ${target.estimand} is not defined in any of the ${designs.length} pilot draws (no draw has a start group with a comparison group: ` +
        'the design enrols too few people; raise population.size, the referrals or the consent share)',
    );
  }
  if (values.length === 0) {
    const near = nearestName(target.estimand, [...ids]);
    throw new Error(
      `effect.target.estimand: "${target.estimand}" is not an estimand of this design${near ? ` (nearest: "${near}")` : ''}; ` +
        `valid: ${[...ids].slice(0, 12).join(', ')}${ids.size > 12 ? ', …' : ''}`,
    );
  }
  const unit = values.reduce((a, b) => a + b, 0) / values.length;
  if (unit === 0 || !Number.isFinite(unit)) {
    throw new Error(
      `effect.target: the population value of ${target.estimand} is 0 at the stated effect profile (size ${effect.size}` +
        `${effect.anticipation ? `, anticipation ${effect.anticipation.size}` : ''}${effect.announcement ? `, announcement ${effect.announcement.size}` : ''}), so no scaling can make it ${target.value}: give effect.size (or the profile) a non-zero value where ${target.estimand} averages (for no effect, set effect.target.value to 0)`,
    );
  }
  const factor = target.value / unit;
  return {
    estimand: target.estimand,
    value: target.value,
    unit_value: unit,
    factor,
    plateau: effect.size * factor,
    pilot_draws: designs.length,
  };
}

/** The applied scaling as recruitment notes (flat name: value pairs). */
export function targetNotes(a: AppliedTarget): Record<string, number | string> {
  return { effect_target: `${a.estimand} = ${a.value}`, effect_target_factor: a.factor, effect_plateau: a.plateau };
}
