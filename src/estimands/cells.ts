/**
 * Which group-time cells an estimator can estimate, as R `did` 2.5.1 decides them: groups starting at or
 * before the first period + anticipation are always treated and dropped; with no never-treated units
 * the last group becomes the comparison and periods from its start − anticipation on are dropped
 * (R did: "No never-treated group is available. The last treated cohort is being coerced as
 * 'never-treated' units."). Cells run over every period but the first with a varying base period, over
 * every period with a universal one (R did's tfac).
 */

export interface CellPlanOptions {
  control: 'never' | 'notyet';
  anticipation: number;
  /** R did's base_period (default varying). */
  basePeriod?: 'varying' | 'universal';
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
  for (let t = opts.basePeriod === 'universal' ? 0 : 1; t < periods.length; t++) if (periods[t] <= lastPeriod) periodIdx.push(t);
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

/** Index of the last period p with p + δ < g (R did's "most recent pre-treatment period", g − δ − 1); −1 if none. */
export function lastPreIndex(periods: ArrayLike<number>, g: number, anticipation: number): number {
  let b = -1;
  for (let t = 0; t < periods.length; t++) if (periods[t] + anticipation < g) b = t;
  return b;
}

/**
 * The base period of cell (g, periods[ti]) as R did's compute.att_gt picks it: post cells (t ≥ g)
 * compare with g − δ − 1; pre cells (t < g, anticipation periods included) with t − 1 under a varying
 * base period and with g − δ − 1 under a universal one. −1 when there is none.
 */
export function baseIndex(periods: ArrayLike<number>, g: number, ti: number, opts: CellPlanOptions): number {
  if (periods[ti] < g && opts.basePeriod !== 'universal') return ti - 1;
  return lastPreIndex(periods, g, opts.anticipation);
}

/**
 * The truth of one cell from the group's mean effects τ̄_g(·) (by period index): the ATT level τ̄_g(t)
 * for a post cell (the inquiry: an effect in the base period is the estimator's bias, not part of
 * the truth), and for a pre cell the contrast its estimate targets, τ̄_g(t) − τ̄_g(base): a short
 * difference under a varying base period, a difference from g − δ − 1 under a universal one (0 in
 * that period itself). See README.md, "Stating the effect on the estimand".
 */
export function cellTruth(level: (ti: number) => number, periods: ArrayLike<number>, g: number, ti: number, opts: CellPlanOptions): number {
  if (periods[ti] >= g) return level(ti);
  const b = baseIndex(periods, g, ti, opts);
  if (b === ti) return 0;
  return b < 0 ? level(ti) : level(ti) - level(b);
}
