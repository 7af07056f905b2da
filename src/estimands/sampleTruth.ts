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
  const plan = planCells(panel.periods, panel.group, opts);
  const G = plan.groups.length;
  const slot = new Map(plan.groups.map((g, k) => [g, k]));
  // The units in cell groups (within the mask), with their group's slot: one pass over units.
  const size = new Float64Array(G);
  const unit: number[] = [];
  const gs: number[] = [];
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    kept++;
    const k = slot.get(panel.group[i]);
    if (k === undefined) continue;
    size[k]++;
    unit.push(i);
    gs.push(k);
  }
  // Group shares within the subgroup (pg of the subgroup's own data).
  const pg = new Map<number, number>();
  for (let k = 0; k < G; k++) if (size[k] > 0) pg.set(plan.groups[k], size[k] / kept);
  // Sums of Y(1) − Y(0) by group, one row per cell period.
  const P = plan.periodIdx.length;
  const sums = new Float64Array(G * P);
  const m = unit.length;
  for (let q = 0; q < P; q++) {
    const row = plan.periodIdx[q] * n;
    for (let j = 0; j < m; j++) {
      const k = row + unit[j];
      sums[gs[j] * P + q] += y1[k] - y0[k];
    }
  }
  const cells: Cell[] = [];
  for (let k = 0; k < G; k++) {
    if (size[k] === 0) continue;
    for (let q = 0; q < P; q++) cells.push({ group: plan.groups[k], time: panel.periods[plan.periodIdx[q]], att: sums[k * P + q] / size[k] });
  }
  return {
    estimator: 'truth',
    att_gt: cells.map((c) => ({ group: c.group, time: c.time, att: c.att, se: null })),
    wald_pretest: null,
    aggregates: aggregateCells(cells, pg, opts.eventWindow),
    messages: plan.messages,
  };
}
