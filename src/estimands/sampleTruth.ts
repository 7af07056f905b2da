/**
 * The sample truth of a draw: ATT(g,t) = mean over the units of start group g of Y(1) − Y(0) in period
 * t, for every cell the estimator can estimate (pre and post; pre cells are levels, not changes from a
 * base period), and the aggregates as R `did` defines them. Same shapes as an Estimate (se null), so
 * diagnosis compares estimate and truth field by field.
 */
import type { Estimate } from '../estimators/types.js';
import type { Panel } from '../panel/panel.js';
import { aggregateCells, type Cell } from './aggregate.js';
import { planCells } from './cells.js';

export interface TruthOptions {
  control: 'never' | 'notyet';
  anticipation: number;
  /** Event times kept in the dynamic detail (R did's min_e, max_e). */
  eventWindow: [number, number];
}

/**
 * @param mask optional 0/1 per unit: the truth for a subgroup (cells and weights from its own units,
 *   comparison rules from the whole panel)
 */
export function sampleTruth(panel: Panel, y0: Float64Array, y1: Float64Array, opts: TruthOptions, mask?: Uint8Array): Estimate {
  const n = panel.nUnits;
  const keep = mask ?? new Uint8Array(n).fill(1);
  const plan = planCells(panel.periods, panel.group, opts);
  // Group shares within the subgroup (pg of the subgroup's own data).
  const counts = new Map<number, number>();
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    kept++;
    const g = panel.group[i];
    if (plan.pg.has(g)) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const pg = new Map([...counts.entries()].map(([g, c]) => [g, c / kept]));
  const cells: Cell[] = [];
  for (const g of plan.groups) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (keep[i] && panel.group[i] === g) members.push(i);
    if (members.length === 0) continue;
    for (const t of plan.periodIdx) {
      const row = t * n;
      let s = 0;
      for (const i of members) s += y1[row + i] - y0[row + i];
      cells.push({ group: g, time: panel.periods[t], att: s / members.length });
    }
  }
  return {
    estimator: 'truth',
    att_gt: cells.map((c) => ({ group: c.group, time: c.time, att: c.att, se: null })),
    wald_pretest: null,
    aggregates: aggregateCells(cells, pg, opts.eventWindow),
    messages: plan.messages,
  };
}
