/**
 * The truths an estimator is scored against in one draw: the sample truth (sample-truth.ts), the
 * subgroups' and the population truth (population-truth.ts), all by the estimator's own base period,
 * anticipation and comparison rule (they decide which cells exist and what a pre cell contrasts). The
 * draw's own truths (the first estimator's, computed by the generator) are reused; others are
 * computed once a draw per distinct set of options.
 */
import type { Estimate } from '../estimators/types.js';
import type { Panel } from '../panel/panel.js';
import type { EffectSpec } from '../world/effects.js';
import { populationEstimate } from './population-truth.js';
import { sampleTruth, type TruthOptions } from './sample-truth.js';

export interface ScoringTruths {
  sample: Estimate;
  subgroups: Record<string, Estimate>;
  pop: Estimate;
}

/** One outcome of one draw: its panel, potential outcomes and the truths the generator computed. */
export interface TruthInputs {
  panel: Panel;
  y0: Float64Array;
  y1: Float64Array;
  truth: { options: TruthOptions; estimate: Estimate; subgroups: Record<string, Estimate> };
  /** Each unit's own start period (population-cells.ts), when the design has one. */
  start?: Float64Array;
  /** population.subgroups' masks by name. */
  masks: Record<string, Uint8Array | undefined>;
}

/**
 * @param optionsOf the truth options of estimator k
 * @param population runs the population truth (the engine names it as a step of the draw)
 */
export function scoringTruths(
  effect: EffectSpec,
  o: TruthInputs,
  subgroups: readonly string[],
  optionsOf: (k: number) => TruthOptions,
  population: (f: () => Estimate) => Estimate = (f) => f(),
): (k: number) => ScoringTruths {
  const cache = new Map<string, ScoringTruths>();
  return (k) => {
    const opts = optionsOf(k);
    const key = JSON.stringify(opts);
    let t = cache.get(key);
    if (!t) {
      const own = key === JSON.stringify(o.truth.options);
      const sample = own ? o.truth.estimate : sampleTruth(o.panel, o.y0, o.y1, opts);
      const subs = own
        ? o.truth.subgroups
        : Object.fromEntries(subgroups.map((g) => [g, sampleTruth(o.panel, o.y0, o.y1, opts, o.masks[g])]));
      const pop = population(() => populationEstimate(effect, sample, o.panel.periods, o.panel.group, o.start, opts));
      cache.set(key, (t = { sample, subgroups: subs, pop }));
    }
    return t;
  };
}
