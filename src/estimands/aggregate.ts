/**
 * Aggregations of ATT(g,t) exactly as R `did`'s `aggte` (compute.aggte.R) weights them, with the
 * group shares pg as weights:
 *   simple   = Σ pg·ATT(g,t) / Σ pg over post cells (t ≥ g);
 *   group    θ(g) = mean of ATT(g,t) over t ≥ g; overall Σ pg θ(g) / Σ pg;
 *   dynamic  θ(e) = Σ pg·ATT(g,g+e) / Σ pg over groups having that cell; overall mean of θ(e), e ≥ 0;
 *   calendar θ(t) = Σ pg·ATT(g,t) / Σ pg over g ≤ t; overall mean of θ(t).
 * The dynamic detail keeps e in [min_e, max_e] (the scenario's analysis.event_window). The narrowed
 * averages (dynamic_avg window, dynamic_pre_avg, group_avg without some groups) follow averages.ts.
 */
import type { AggregateEstimate, AggregationType, DetailEstimate } from '../estimators/types.js';
import { averagesLabel, labelsAtRanks, within, type AverageOptions } from './averages.js';

export interface Cell {
  group: number;
  time: number;
  att: number;
}

/** Weighted sums by key: Σ w·v and Σ w, kept in insertion order. */
class WeightedByKey {
  readonly sw = new Map<number, number>();
  readonly s = new Map<number, number>();
  add(key: number, w: number, v: number): void {
    this.sw.set(key, (this.sw.get(key) ?? 0) + w);
    this.s.set(key, (this.s.get(key) ?? 0) + w * v);
  }
  mean(key: number): number | null {
    const sw = this.sw.get(key)!;
    return sw > 0 ? this.s.get(key)! / sw : null;
  }
  keys(): number[] {
    return [...this.sw.keys()].sort((a, b) => a - b);
  }
}

function meanOf(xs: number[]): number | null {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function detailOf(keys: number[], at: (k: number) => number | null): DetailEstimate[] {
  return keys.map((key) => {
    const att = at(key);
    return { key, att, se: null, ...(att === null ? { reason: 'no cells' } : {}) };
  });
}

/**
 * The four aggregations in one pass over the cells (no per-key filtering).
 * @param groupLabels the panel's start-group labels, to find the groups `averages.excludeGroups` names
 */
export function aggregateCells(
  cells: Cell[],
  pg: Map<number, number>,
  eventWindow: [number, number],
  averages?: AverageOptions,
  groupLabels?: ArrayLike<number>,
): Record<AggregationType, AggregateEstimate> {
  const left = labelsAtRanks(groupLabels ?? [], averages?.excludeGroups);
  const w = (g: number) => pg.get(g) ?? 0;
  let ss = 0;
  let sw = 0;
  const byGroup = new WeightedByKey(); // unweighted means: weight 1
  const byEvent = new WeightedByKey();
  const byTime = new WeightedByKey();
  for (const c of cells) {
    const e = c.time - c.group;
    if (e >= eventWindow[0] && e <= eventWindow[1]) byEvent.add(e, w(c.group), c.att);
    if (c.time < c.group) continue;
    ss += w(c.group) * c.att;
    sw += w(c.group);
    byGroup.add(c.group, 1, c.att);
    byTime.add(c.time, w(c.group), c.att);
  }
  const simple = sw > 0 ? ss / sw : null;

  const groups = byGroup.keys();
  let gs = 0;
  let gw = 0;
  for (const g of groups) {
    const v = byGroup.mean(g);
    if (v === null || left.has(g)) continue;
    gs += w(g) * v;
    gw += w(g);
  }
  const groupOverall = gw > 0 ? gs / gw : null;
  const events = byEvent.keys();
  const meanOver = (keep: (e: number) => boolean) => meanOf(events.filter(keep).map((e) => byEvent.mean(e)).filter((v): v is number => v !== null));
  const dw = averages?.dynamicAvg;
  const dynamicOverall = meanOver((e) => e >= 0 && (!dw || within(e, dw)));
  const pw = averages?.dynamicPreAvg;
  const pre = pw ? meanOver((e) => e < 0 && within(e, pw)) : undefined;
  const times = byTime.keys();
  const calendarOverall = meanOf(times.map((t) => byTime.mean(t)).filter((v): v is number => v !== null));

  const agg = (att: number | null, detail?: DetailEstimate[], label?: string): AggregateEstimate => ({
    att, se: null, ...(att === null ? { reason: 'no post-treatment cells' } : {}), ...(detail ? { detail } : {}), ...(label ? { averages: label } : {}),
  });
  const dynamic = agg(dynamicOverall, detailOf(events, (e) => byEvent.mean(e)), averagesLabel('dynamic', averages));
  if (pw) dynamic.pre = { att: pre ?? null, se: null, ...(pre === null ? { reason: `no pre-period event time in ${pw[0]}..${pw[1]}` } : {}) };
  return {
    simple: agg(simple),
    group: agg(groupOverall, detailOf(groups, (g) => byGroup.mean(g)), averagesLabel('group', averages)),
    dynamic,
    calendar: agg(calendarOverall, detailOf(times, (t) => byTime.mean(t))),
  };
}
