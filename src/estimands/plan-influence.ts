/**
 * An estimand's estimate and influence function from its plan (plan.ts) and the cells' influence
 * functions ψ: as R did's get_agg_inf_func, ψ·W (the cells' influence functions with the plan's
 * weights) plus, wherever the weights move with the group shares, the estimation effect of the
 * shares P̂(G = g) (wif·att; influence.ts addWeightEffect, Callaway & Sant'Anna 2021, appendix). A part
 * with inner 'shares' carries its own weight effect; an outer 'mean' averages the parts' influence
 * functions; an outer 'shares' (group_avg) adds the weight effect of the parts' groups.
 */
import type { Float64Arena } from '../linalg/arena.js';
import { addWeightEffect, combine, combineDense, type SparseColumn } from '../estimators/did/influence.js';
import { outerWeights, partWeights, type EstimandPlan } from './plan.js';

/** The cells a plan was built over, with what an estimator knows of them (all by cell index). */
export interface InfluenceCells {
  n: number;
  att: ArrayLike<number>;
  pg: ArrayLike<number>;
  groups: ArrayLike<number>;
  cols: ReadonlyArray<SparseColumn | null>;
  /** Units sorted by start group: each cohort one range (prepare.ts). */
  cohorts: ReadonlyArray<{ value: number; start: number; end: number }>;
  /** Sampling weights per unit (R did's weightsname), or null: they enter the weight effect. */
  weights?: Float64Array | null;
  /** Where influence functions are taken from. */
  mem: Float64Arena;
}

export interface Evaluated {
  att: number;
  inf: Float64Array;
}

/** One part's estimate and influence function. */
export function partWithInfluence(plan: EstimandPlan, j: number, c: InfluenceCells): Evaluated {
  const part = plan.parts[j];
  const w = partWeights(part, c.pg);
  const att = part.cells.reduce((s, k, m) => s + w[m] * c.att[k], 0);
  const inf = combine(
    c.n,
    part.cells.map((k) => c.cols[k]),
    w,
    c.mem.take(c.n),
  );
  if (part.inner === 'shares') {
    addWeightEffect(
      inf,
      c.cohorts,
      part.cells.map((k) => c.groups[k]),
      part.cells.map((k) => c.pg[k]),
      part.cells.map((k) => c.att[k]),
      c.weights ?? null,
    );
  }
  return { att, inf };
}

/**
 * The estimand's estimate and influence function; null when the plan averages nothing.
 * @param parts the parts already evaluated (the detail rows an overall figure averages), if at hand
 */
export function planWithInfluence(plan: EstimandPlan, c: InfluenceCells, parts?: Evaluated[]): Evaluated | null {
  if (plan.parts.length === 0) return null;
  const ps = parts ?? plan.parts.map((_, j) => partWithInfluence(plan, j, c));
  if (plan.outer === 'one') return ps[0];
  const w = outerWeights(plan, c.pg);
  const inf = combineDense(
    c.n,
    ps.map((p) => p.inf),
    w,
    c.mem.take(c.n),
  );
  if (plan.outer === 'mean') return { att: ps.reduce((s, p) => s + p.att, 0) / ps.length, inf };
  const att = ps.reduce((s, p, j) => s + w[j] * p.att, 0);
  const first = plan.parts.map((p) => p.cells[0]);
  addWeightEffect(
    inf,
    c.cohorts,
    first.map((k) => c.groups[k]),
    first.map((k) => c.pg[k]),
    ps.map((p) => p.att),
    c.weights ?? null,
  );
  return { att, inf };
}
