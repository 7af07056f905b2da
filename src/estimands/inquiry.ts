/**
 * The scenario's `analysis` block compiled to its inquiry: which aggregations (and so which estimand
 * ids) it reports, their event window and narrowed averages (the rule every plan is built by:
 * plan.ts), its subgroups and level. Estimators are built with it, the truths use it, and nothing
 * downstream reads the analysis block's estimand keys again.
 */
import type { AggregationType } from '../estimators/types.js';
import { averageOptionsOf, type AverageOptions } from './averages.js';
import type { TruthOptions } from './sample-truth.js';

export interface Inquiry {
  types: AggregationType[];
  /** Event times of the dynamic detail (R did's min_e, max_e). */
  eventWindow: [number, number];
  averages: AverageOptions;
  subgroups: string[];
  alpha: number;
}

/** The analysis keys the inquiry reads (scenario/schema.ts analysisSchema). */
export interface AnalysisKeys {
  estimands: readonly string[];
  event_window: readonly number[];
  dynamic_avg_window?: readonly number[];
  dynamic_pre_avg_window?: readonly number[];
  group_avg_exclude?: readonly number[];
  subgroups: readonly string[];
  alpha: number;
}

export function compileInquiry(a: AnalysisKeys): Inquiry {
  return {
    types: [...a.estimands] as AggregationType[],
    eventWindow: [a.event_window[0], a.event_window[1]],
    averages: averageOptionsOf(a),
    subgroups: [...a.subgroups],
    alpha: a.alpha,
  };
}

/** What an estimator's options decide about its truths: which cells exist and what a pre cell contrasts. */
export function truthOptionsOf(
  q: Inquiry,
  e: { control?: 'never' | 'notyet'; anticipation?: number; base_period?: 'varying' | 'universal' },
): TruthOptions {
  return {
    // Families without these options (twfe, sunab, …) keep the truth's defaults.
    control: e.control ?? 'notyet',
    anticipation: e.anticipation ?? 0,
    basePeriod: e.base_period ?? 'varying',
    eventWindow: [q.eventWindow[0], q.eventWindow[1]],
    ...(Object.keys(q.averages).length > 0 ? { averages: q.averages } : {}),
  };
}
