/**
 * The sample truth of a draw: with τ̄_g(t) the mean over the units of start group g of Y(1) − Y(0) in
 * period t, ATT(g,t) = τ̄_g(t) for a post cell and, for a pre cell, the contrast its estimate targets,
 * τ̄_g(t) − τ̄_g(base) with R did's base period (cells.ts cellTruth), for every cell the estimator can
 * estimate, and the aggregates as R `did` defines them. Same shapes as an Estimate (se null), so
 * diagnosis compares estimate and truth field by field.
 */
import type { Estimate } from '../estimators/types.js';
import type { Panel } from '../panel/panel.js';
import { aggregateCells, type Cell } from './aggregate.js';
import type { AverageOptions } from './averages.js';
import { cellTruth, planCells } from './cells.js';

export interface TruthOptions {
  control: 'never' | 'notyet';
  anticipation: number;
  /** R did's base period, which decides what a pre cell contrasts (default varying). */
  basePeriod?: 'varying' | 'universal';
  /** Event times kept in the dynamic detail (R did's min_e, max_e). */
  eventWindow: [number, number];
  /** The analysis' narrowed averages (dynamic_avg window, dynamic_pre_avg, group_avg exclusions). */
  averages?: AverageOptions;
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
  // Sums of Y(1) − Y(0) by group in every period (a pre cell's base period may precede the cells).
  const T = panel.nPeriods;
  const sums = new Float64Array(G * T);
  const m = unit.length;
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let j = 0; j < m; j++) {
      const k = row + unit[j];
      sums[gs[j] * T + t] += y1[k] - y0[k];
    }
  }
  const cells: Cell[] = [];
  for (let k = 0; k < G; k++) {
    if (size[k] === 0) continue;
    const g = plan.groups[k];
    const level = (t: number) => sums[k * T + t] / size[k];
    for (const ti of plan.periodIdx) cells.push({ group: g, time: panel.periods[ti], att: cellTruth(level, panel.periods, g, ti, opts) });
  }
  return {
    estimator: 'truth',
    att_gt: cells.map((c) => ({ group: c.group, time: c.time, att: c.att, se: null })),
    wald_pretest: null,
    // Start-group positions (group_avg_exclude) among the units the estimator sees: a subgroup's own.
    aggregates: aggregateCells(
      cells,
      pg,
      opts.eventWindow,
      opts.averages,
      mask ? panel.group.filter((_, i) => mask[i] === 1) : panel.group,
    ),
    messages: plan.messages,
  };
}
