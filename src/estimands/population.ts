/**
 * Population estimands, analytic from the effect model: the average effect at event time e for a start
 * group of rank r is size × by_group[r] × shape(e) + anticipation/announcement (covariate multipliers
 * are centred at population means and the unit factor has mean 1). Exact for additive outcome types
 * (continuous, share); for binary-like types exact unless probabilities are clamped at 0 or 1, and
 * for scale outcomes approximate (rounding and clamping).
 */
import type { ResolvedScenario } from '../scenario/grid.js';
import { meanEffect } from '../world/effects.js';

export interface PopulationTruth {
  /** ATT by event time for each start-group rank: rows rank, columns event times from..to. */
  byRankAndEvent: { rank: number; event: number; att: number }[];
  /** ATT by event time for a group with multiplier 1 (no group heterogeneity). */
  byEvent: { event: number; att: number }[];
  exact: boolean;
  note: string;
}

export function populationTruth(s: ResolvedScenario, ranks: number, events: [number, number]): PopulationTruth {
  const byRankAndEvent: PopulationTruth['byRankAndEvent'] = [];
  const byEvent: PopulationTruth['byEvent'] = [];
  const noGroups = { ...s.effect, by_group: undefined };
  // Event times beyond ±(periods − 1) cannot occur: a wide window (e.g. [−1e9, 1e9]) is clipped, not walked.
  const span = s.periods.count - 1;
  for (let e = Math.max(events[0], -span); e <= Math.min(events[1], span); e++) {
    byEvent.push({ event: e, att: meanEffect(noGroups, 0, e) });
    for (let r = 0; r < ranks; r++) byRankAndEvent.push({ rank: r, event: e, att: meanEffect(s.effect, r, e) });
  }
  const t = s.outcome.type;
  const exact = t === 'continuous' || t === 'share';
  const note = exact
    ? 'analytic: the outcome is additive in the effect'
    : t === 'scale'
      ? 'analytic, approximate: rounding and clamping to the scale shrink effects near its ends'
      : 'analytic: exact unless the shifted probability is clamped at 0 or 1 for some units';
  return { byRankAndEvent, byEvent, exact, note };
}
