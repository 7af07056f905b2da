/**
 * Which group-time cells an estimator can estimate, as R `did` 2.5.1 decides them: groups starting at or
 * before the first period + anticipation are always treated and dropped; with no never-treated units
 * the last group becomes the comparison and periods from its start − anticipation on are dropped
 * (R did: "No never-treated group is available. The last treated cohort is being coerced as
 * 'never-treated' units."). Cells run over every period but the first (varying base period).
 */

export interface CellPlanOptions {
  control: 'never' | 'notyet';
  anticipation: number;
}

export interface CellPlan {
  /** Groups with cells, ascending. */
  groups: number[];
  /** Period indices (into panel.periods) that cells run over. */
  periodIdx: number[];
  /** Group share among all kept units (R did's pg), by group. */
  pg: Map<number, number>;
  messages: string[];
}

export function planCells(periods: Float64Array, group: Float64Array, opts: CellPlanOptions): CellPlan {
  const messages: string[] = [];
  const first = periods[0];
  let labels = [...new Set(group)].filter((g) => g !== 0).sort((a, b) => a - b);
  const always = labels.filter((g) => g <= first + opts.anticipation);
  if (always.length > 0) messages.push(`groups ${always.join(', ')} are treated from the first period and dropped`);
  labels = labels.filter((g) => g > first + opts.anticipation && g <= periods[periods.length - 1]);
  let lastPeriod = periods[periods.length - 1];
  const hasNever = group.some((g) => g === 0 || g > periods[periods.length - 1]);
  if (!hasNever && labels.length > 0) {
    const gl = labels[labels.length - 1];
    messages.push(`no never-treated units: the last group (g=${gl}) is the comparison and periods ≥ ${gl - opts.anticipation} are dropped`);
    labels = labels.slice(0, -1);
    lastPeriod = gl - opts.anticipation - 1;
  }
  const periodIdx: number[] = [];
  for (let t = 1; t < periods.length; t++) if (periods[t] <= lastPeriod) periodIdx.push(t);
  let kept = 0;
  const counts = new Map<number, number>();
  for (const g of group) {
    if (always.includes(g)) continue;
    kept++;
    if (labels.includes(g)) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const pg = new Map(labels.map((g) => [g, (counts.get(g) ?? 0) / kept]));
  return { groups: labels, periodIdx, pg, messages };
}
