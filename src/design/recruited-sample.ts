/**
 * The RecruitedSample: the units an evaluation analyses, as its data strategy produced them (who, when each
 * starts, which start group), before outcomes are drawn. Every design module returns one.
 */
import type { People } from '../world/covariates.js';
import type { ResolvedScenario } from '../scenario/grid.js';

export interface RecruitmentSummary {
  design: string;
  /** Per-period flows (only periods where something happened). */
  byPeriod: { period: number; referred: number; consented: number; excluded: number; enrolled: number }[];
  totals: Record<string, number>;
  /** Start groups: label (first treated period), size. */
  groups: { group: number; size: number }[];
  /** Design-specific figures (quota shares, unmatched, respondents per wave, stop reason …). */
  notes: Record<string, number | string>;
}

export interface RecruitedSample {
  people: People;
  /** Own start period per unit (Infinity: never treated). */
  start: Float64Array;
  /** Start group label per unit (first treated period of the group; 0: never). */
  group: Float64Array;
  /** Start group rank 0..K−1 (−1: never), for effects by group. */
  rank: Int32Array;
  /** Enrolment period per unit (wait-list designs; survey waves count from it). */
  enrol?: Float64Array;
  /** Fixed-pool designs (quota_lists): each unit's index in the drawn pool and its programme spell. */
  pool?: { index: Int32Array; entry: Int32Array; exit: Int32Array };
  /** Matched designs: pair id per unit (1..P), the panel's `pair` column (the matched estimator reads it). */
  pair?: Float64Array;
  summary: RecruitmentSummary;
}

/** Ranks of group labels (0 for the earliest group; −1 for never-treated, label 0). */
export function rankGroups(group: Float64Array): Int32Array {
  const labels = [...new Set(group)].filter((g) => g !== 0).sort((a, b) => a - b);
  const idx = new Map(labels.map((g, r) => [g, r]));
  return Int32Array.from(group, (g) => (g === 0 ? -1 : idx.get(g)!));
}

/** Group sizes by label, ascending; never-treated (0) last when present. */
export function groupSizes(group: Float64Array): { group: number; size: number }[] {
  const m = new Map<number, number>();
  for (const g of group) m.set(g, (m.get(g) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => (a[0] === 0 ? 1 : b[0] === 0 ? -1 : a[0] - b[0])).map(([group, size]) => ({ group, size }));
}

/**
 * Share of each binary covariate among units in a start group and among the rest (never-treated):
 * the over-representation a selection produced, for the recruitment notes (`woman_treated` …).
 */
export function binaryShares(
  pop: ResolvedScenario['population'],
  covariates: Record<string, Float64Array>,
  group: Float64Array,
  labels = ['treated', 'controls'],
): Record<string, number> {
  const out: Record<string, number> = {};
  const binary = Object.keys(pop.covariates).filter((k) => pop.covariates[k].type === 'binary');
  const n = group.length;
  let treated = 0;
  for (let u = 0; u < n; u++) if (group[u] !== 0) treated++;
  for (const name of binary) {
    const x = covariates[name];
    let st = 0;
    let sc = 0;
    for (let u = 0; u < n; u++)
      if (group[u] !== 0) st += x[u];
      else sc += x[u];
    // The share of an empty group has no value: it is left out rather than written as NaN.
    if (treated > 0) out[`${name}_${labels[0]}`] = st / treated;
    if (n > treated) out[`${name}_${labels[1]}`] = sc / (n - treated);
  }
  return out;
}

/** A cohort whose start groups are the start periods themselves (label = start; 0: never). */
export function sampleByStart(people: People, start: Float64Array, summary: Omit<RecruitmentSummary, 'groups'>): RecruitedSample {
  const group = Float64Array.from(start, (x) => (Number.isFinite(x) ? x : 0));
  return { people, start, group, rank: rankGroups(group), summary: { ...summary, groups: groupSizes(group) } };
}
