/**
 * A draw's population truth shaped as an Estimate: ATT(g,t) of each of the draw's truth cells from the
 * scenario's population effect model (population-cells.ts, in the sample truth's terms), aggregated
 * by the same plans (plan.ts) with the draw's own group shares and the analysis' averages.
 */
import type { Estimate } from '../estimators/types.js';
import type { EffectSpec } from '../world/effects.js';
import { aggregateCells } from './aggregate.js';
import { populationCells } from './population-cells.js';
import type { TruthOptions } from './sample-truth.js';

export function populationEstimate(
  effect: EffectSpec,
  truth: Estimate,
  periods: Float64Array,
  group: Float64Array,
  start: Float64Array | undefined,
  opts: TruthOptions,
): Estimate {
  const cells = populationCells(effect, truth.att_gt, periods, group, start, opts);
  const counts = new Map<number, number>();
  for (const g of group) counts.set(g, (counts.get(g) ?? 0) + 1);
  const pg = new Map([...counts].map(([g, c]) => [g, c / group.length]));
  return {
    estimator: 'population',
    att_gt: [],
    wald_pretest: null,
    aggregates: aggregateCells(cells, pg, opts.eventWindow, opts.averages, group),
    messages: [],
  };
}
