/**
 * The narrowed averages an analysis may ask for, shared by the truths (estimands/aggregate.ts) and the
 * Callaway–Sant'Anna aggregation (estimators/did/aggregate.ts) so that both average the same rows:
 *   dynamic_avg      mean of θ(e) over e in [from, to] (default every e ≥ 0 of the detail): R did's
 *                    aggte(type = "dynamic", min_e = from, max_e = to)$overall.att;
 *   dynamic_pre_avg  mean of θ(e) over a window of pre-period event times (R1's "before" average);
 *   group_avg        Σ P(G=g) θ(g) / Σ P(G=g) over the start groups not left out (R2 drops G3).
 * Each narrowed overall figure carries a label (`averages`), so that a figure computed the default
 * way (an estimator that ignores the options) is never scored against a narrowed truth.
 */

export interface AverageOptions {
  /** Event times dynamic_avg averages (absent: every e ≥ 0 of the dynamic detail). */
  dynamicAvg?: [number, number];
  /** Event times dynamic_pre_avg averages (absent: the estimand is not reported). */
  dynamicPreAvg?: [number, number];
  /** Start groups left out of group_avg, by position: 1 = the panel's earliest start group. */
  excludeGroups?: number[];
}

/** The analysis block's keys as AverageOptions (only the keys it sets). */
export function averageOptionsOf(a: {
  dynamic_avg_window?: readonly number[];
  dynamic_pre_avg_window?: readonly number[];
  group_avg_exclude?: readonly number[];
}): AverageOptions {
  return {
    ...(a.dynamic_avg_window ? { dynamicAvg: [a.dynamic_avg_window[0], a.dynamic_avg_window[1]] as [number, number] } : {}),
    ...(a.dynamic_pre_avg_window ? { dynamicPreAvg: [a.dynamic_pre_avg_window[0], a.dynamic_pre_avg_window[1]] as [number, number] } : {}),
    ...(a.group_avg_exclude && a.group_avg_exclude.length > 0 ? { excludeGroups: [...a.group_avg_exclude] } : {}),
  };
}

/** Labels of the start groups at the given positions (1 = earliest non-zero label of `group`). */
export function labelsAtRanks(group: ArrayLike<number>, ranks: readonly number[] | undefined): Set<number> {
  if (!ranks || ranks.length === 0) return new Set();
  const labels = [...new Set(Array.from(group))].filter((g) => g !== 0 && Number.isFinite(g)).sort((a, b) => a - b);
  return new Set(ranks.filter((r) => r >= 1 && r <= labels.length).map((r) => labels[r - 1]));
}

/** What a narrowed overall figure averages, in words; undefined for the default figure. */
export function averagesLabel(kind: 'dynamic' | 'group', o: AverageOptions | undefined): string | undefined {
  if (kind === 'dynamic' && o?.dynamicAvg) return `event times ${o.dynamicAvg[0]}..${o.dynamicAvg[1]}`;
  if (kind === 'group' && o?.excludeGroups?.length) return `start groups without ${o.excludeGroups.join(', ')}`;
  return undefined;
}

export const within = (e: number, w: readonly [number, number]): boolean => e >= w[0] && e <= w[1];
