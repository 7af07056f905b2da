/**
 * Aggregations of ATT(g,t) exactly as R `did`'s `aggte` (compute.aggte.R) weights them, with the
 * group shares pg as weights:
 *   simple   = Σ pg·ATT(g,t) / Σ pg over post cells (t ≥ g);
 *   group    θ(g) = mean of ATT(g,t) over t ≥ g; overall Σ pg θ(g) / Σ pg;
 *   dynamic  θ(e) = Σ pg·ATT(g,g+e) / Σ pg over groups having that cell; overall mean of θ(e), e ≥ 0;
 *   calendar θ(t) = Σ pg·ATT(g,t) / Σ pg over g ≤ t; overall mean of θ(t).
 * The dynamic detail keeps e in [min_e, max_e] (the scenario's analysis.event_window).
 */
import type { AggregateEstimate, AggregationType, DetailEstimate } from '../estimators/types.js';

export interface Cell {
  group: number;
  time: number;
  att: number;
}

function weighted(rows: { w: number; v: number }[]): number | null {
  let sw = 0;
  let s = 0;
  for (const r of rows) {
    sw += r.w;
    s += r.w * r.v;
  }
  return sw > 0 ? s / sw : null;
}

function mean(xs: number[]): number | null {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function detailOf(m: Map<number, number | null>): DetailEstimate[] {
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([key, att]) => ({ key, att, se: null, ...(att === null ? { reason: 'no cells' } : {}) }));
}

export function aggregateCells(cells: Cell[], pg: Map<number, number>, eventWindow: [number, number]): Record<AggregationType, AggregateEstimate> {
  const post = cells.filter((c) => c.time >= c.group);
  const w = (g: number) => pg.get(g) ?? 0;
  const simple = weighted(post.map((c) => ({ w: w(c.group), v: c.att })));

  const byGroup = new Map<number, number | null>();
  for (const g of [...new Set(post.map((c) => c.group))]) byGroup.set(g, mean(post.filter((c) => c.group === g).map((c) => c.att)));
  const groupOverall = weighted([...byGroup.entries()].filter(([, v]) => v !== null).map(([g, v]) => ({ w: w(g), v: v! })));

  const byEvent = new Map<number, number | null>();
  const events = [...new Set(cells.map((c) => c.time - c.group))].filter((e) => e >= eventWindow[0] && e <= eventWindow[1]);
  for (const e of events) byEvent.set(e, weighted(cells.filter((c) => c.time - c.group === e).map((c) => ({ w: w(c.group), v: c.att }))));
  const dynamicOverall = mean([...byEvent.entries()].filter(([e, v]) => e >= 0 && v !== null).map(([, v]) => v!));

  const byTime = new Map<number, number | null>();
  for (const t of [...new Set(post.map((c) => c.time))]) byTime.set(t, weighted(post.filter((c) => c.time === t).map((c) => ({ w: w(c.group), v: c.att }))));
  const calendarOverall = mean([...byTime.values()].filter((v): v is number => v !== null));

  const agg = (att: number | null, detail?: DetailEstimate[]): AggregateEstimate => ({ att, se: null, ...(att === null ? { reason: 'no post-treatment cells' } : {}), ...(detail ? { detail } : {}) });
  return {
    simple: agg(simple),
    group: agg(groupOverall, detailOf(byGroup)),
    dynamic: agg(dynamicOverall, detailOf(byEvent)),
    calendar: agg(calendarOverall, detailOf(byTime)),
  };
}
