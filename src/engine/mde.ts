/**
 * `stagger mde` without the command line: run the scenario over a numeric axis with common random
 * numbers (a normal run, so it is resumable and shardable too), read each draw's rejection from the
 * draws file, and find where power reaches the target along the axis, for every combination of the
 * other grid settings.
 */
import { join } from 'node:path';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import { criticalValue } from '../diagnosis/normal.js';
import { rejects } from '../diagnosis/diagnosands.js';
import { mde, NOT_DEFINED, wholeNumberAnswer, type MdeResult } from '../diagnosis/power-curve.js';
import { streamFor } from '../random/stream.js';
import { scanDrawsFile, type DrawsMeta } from './draws-file.js';
import { FILES } from './outputs.js';
import { runEngine, type RunOptions, type RunResult } from './run.js';
import type { ResolvedSpec } from './spec.js';
import { gridAxisName } from '../scenario/outcome-paths.js';

export interface CurveGroup {
  /** The other axes' settings this curve holds fixed. */
  fixed: Record<string, number | string>;
  xs: number[];
  /** Point index of each x. */
  points: number[];
}

/** Split the grid into curves along `axis`, values ascending. */
export function curveGroups(points: readonly DesignPointInfo[], axis: string): CurveGroup[] {
  const groups = new Map<string, CurveGroup>();
  for (const p of points) {
    if (!(axis in p.settings))
      throw new Error(`--over ${axis}: not an axis of this grid (axes: ${Object.keys(p.settings).join(', ') || 'none'})`);
    const x = Number(p.settings[axis]);
    if (!Number.isFinite(x)) throw new Error(`--over ${axis}: value ${p.settings[axis]} is not a number`);
    const fixed = Object.fromEntries(Object.entries(p.settings).filter(([k]) => k !== axis));
    const key = JSON.stringify(fixed);
    if (!groups.has(key)) groups.set(key, { fixed, xs: [], points: [] });
    const g = groups.get(key)!;
    g.xs.push(x);
    g.points.push(p.index);
  }
  for (const g of groups.values()) {
    const order = [...g.xs.keys()].sort((a, b) => g.xs[a] - g.xs[b]);
    g.xs = order.map((i) => g.xs[i]);
    g.points = order.map((i) => g.points[i]);
  }
  return [...groups.values()];
}

/**
 * The grid's name of an --over path: `outcomes.0.effect.size` and `outcomes.earnings.effect.size` of
 * a first outcome `earnings` are the axis `effect.size` (scenario/outcome-paths.ts).
 */
function gridAxis(meta: DrawsMeta, axis: string): string {
  const first = meta.points[0]?.settings ?? {};
  if (axis in first || !meta.outcomes?.length) return axis;
  return gridAxisName(axis, meta.outcomes);
}

export interface MdeQuery {
  axis: string;
  target: number;
  estimator: string;
  estimand: string;
  /** The outcome whose rejections make the curve (default: the scenario's first). */
  outcome?: string;
  replicates?: number;
}

/** One curve's rejection indicators, a column of `draws` bytes per axis value (from one or more runs). */
export interface CurveColumns {
  fixed: Record<string, number | string>;
  columns: Map<number, Uint8Array>;
}

/**
 * Rejections for every curve, streamed from the draws file of a finished run in `outDir`, by
 * diagnosis' one rule (diagnosands.ts rejects: the estimator's own p-value or interval where it gives
 * one; not identified counts as not rejecting: a design that cannot estimate cannot detect). A draw
 * without the estimand (its truth does not define it) is NOT_DEFINED and leaves the power's
 * denominator, as in diagnosis.csv.
 */
export function readCurves(outDir: string, meta: DrawsMeta, draws: number, q: MdeQuery): CurveColumns[] {
  if (!meta.estimators.includes(q.estimator))
    throw new Error(`--estimator ${q.estimator}: the scenario's estimators are ${meta.estimators.join(', ')}`);
  const z = criticalValue(meta.alpha);
  const outcomes = meta.outcomes ?? [];
  if (q.outcome !== undefined && !outcomes.includes(q.outcome))
    throw new Error(`--outcome ${q.outcome}: the scenario's outcomes are ${outcomes.join(', ') || 'one, unnamed'}`);
  const outcome = q.outcome ?? outcomes[0];
  const groups = curveGroups(meta.points, gridAxis(meta, q.axis));
  const curves = groups.map((g) => ({ fixed: g.fixed, columns: new Map(g.xs.map((x) => [x, new Uint8Array(draws).fill(NOT_DEFINED)])) }));
  const where = new Map<number, Uint8Array>();
  groups.forEach((g, gi) => g.points.forEach((p, v) => where.set(p, curves[gi].columns.get(g.xs[v])!)));
  let seen = false;
  scanDrawsFile(join(outDir, FILES.draws), (d) => {
    const col = where.get(d.point)!;
    for (const r of d.records) {
      if (
        r.estimator !== q.estimator ||
        r.estimand !== q.estimand ||
        (outcome !== undefined && r.outcome !== undefined && r.outcome !== outcome)
      )
        continue;
      seen = true;
      col[d.draw] = rejects(r, z, meta.alpha) ? 1 : 0;
    }
  });
  if (!seen)
    throw new Error(`--estimand ${q.estimand}: no draw has it (estimands look like simple, dynamic_avg, group:7, dynamic:3, simple@women)`);
  return curves;
}

/**
 * The power curve and crossing of one curve's columns, values ascending; on a whole-number axis
 * (`integer`) with the planner's whole-number answer too (power-curve.ts wholeNumberAnswer).
 */
export function mdeOfCurve(
  c: CurveColumns,
  draws: number,
  q: MdeQuery,
  seed: string,
  integer = false,
): { group: CurveGroup; result: MdeResult } {
  const xs = [...c.columns.keys()].sort((a, b) => a - b);
  const m = new Uint8Array(draws * xs.length);
  xs.forEach((x, v) => c.columns.get(x)!.forEach((r, d) => (m[d * xs.length + v] = r)));
  const rng = streamFor(seed, 0, 0, 'mde bootstrap');
  const result = mde(m, draws, xs, q.target, rng, q.replicates ?? 1000);
  const whole = integer ? wholeNumberAnswer(result) : null;
  return { group: { fixed: c.fixed, xs, points: [] }, result: whole ? { ...result, whole } : result };
}

/**
 * The next axis value a refinement runs, or null when refinement is done. Off whole numbers: the
 * interpolated crossing (4 significant digits) unless already run. On whole numbers: the whole-number
 * answer if not yet run, else its neighbour towards lower power, which decides whether the answer
 * holds; done once both are run (the bracket is two neighbouring whole numbers).
 */
export function nextRefinement(result: MdeResult, run: ReadonlySet<number> | Map<number, unknown>, integer: boolean): number | null {
  if (result.value === null) return null;
  if (!integer) {
    const x = Number(result.value.toPrecision(4));
    return run.has(x) ? null : x;
  }
  const w = result.whole ?? wholeNumberAnswer(result);
  if (!w) return null;
  if (!run.has(w.value)) return w.value;
  const other = w.value - w.direction;
  return run.has(other) ? null : other;
}

export interface MdeSearchOptions extends Omit<RunOptions, 'spec' | 'scenario' | 'outDir'> {
  /** The run of the axis at these values (undefined: the scenario's own list). */
  specFor: (values: number[] | undefined) => ResolvedSpec;
  values?: number[];
  outDir: string;
  /** The estimator defaults to the scenario's first. */
  query: Omit<MdeQuery, 'estimator'> & { estimator?: string };
  /** Extra design points, each at the current interpolated crossing (0: the grid alone). */
  refine: number;
  /**
   * The axis takes whole numbers only (clusters, waves, months, people: the schema's z.number().int(),
   * scenario/whole-number-paths.ts): refinement adds whole numbers and each curve carries its
   * whole-number answer. Default (undefined): refinement rounds to whole numbers when every grid value
   * is whole (kr/month, months), without a whole-number answer.
   */
  integer?: boolean;
}

export interface MdeSearchResult {
  run: RunResult;
  /** The axis by its grid name (`outcomes.0.effect.size` is `effect.size`: scenario/outcome-paths.ts). */
  axis: string;
  estimator: string;
  curves: { group: CurveGroup; result: MdeResult }[];
  /** Axis values added by refinement, in the order they were run (single-curve searches only). */
  refined: number[];
  /** Whether the axis was searched as whole numbers. */
  integer: boolean;
}

/**
 * The MDE search: run the grid, then (for a single curve) add design points where the probit-
 * interpolated curve crosses the target, so the answer does not hang on a hand-given grid: each new
 * point uses the same draws (common random numbers: every point uses point 0's streams), the bracket
 * around the crossing shrinks, and on a whole-number axis the search ends when the bracket is two
 * neighbouring whole numbers. Refinement runs are ordinary runs in OUT/refine-K (resumable).
 */
export async function mdeSearch(o: MdeSearchOptions): Promise<MdeSearchResult> {
  const base = o.specFor(o.values);
  const run = await runEngine({ ...o, spec: base.spec, scenario: base.scenario });
  const q: MdeQuery = { ...o.query, estimator: o.query.estimator ?? run.meta.estimators[0] };
  const curves = readCurves(o.outDir, run.meta, o.draws, q);
  const refined: number[] = [];
  const integer = o.integer === true;
  const wholeSteps = o.integer ?? curves.every((c) => [...c.columns.keys()].every(Number.isInteger));
  if (curves.length === 1 && o.refine > 0) {
    const c = curves[0];
    for (let k = 1; k <= o.refine; k++) {
      const { result } = mdeOfCurve(c, o.draws, q, run.meta.seed, integer);
      const at = nextRefinement(result, c.columns, wholeSteps);
      if (at === null) break;
      const dir = join(o.outDir, `refine-${k}`);
      const r = o.specFor([at]);
      const sub = await runEngine({ ...o, spec: r.spec, scenario: r.scenario, outDir: dir, onStart: undefined, onProgress: undefined });
      const [col] = readCurves(dir, sub.meta, o.draws, q);
      c.columns.set(at, col.columns.get(at)!);
      refined.push(at);
    }
  }
  return {
    run,
    axis: gridAxis(run.meta, q.axis),
    estimator: q.estimator,
    curves: curves.map((c) => mdeOfCurve(c, o.draws, q, run.meta.seed, integer)),
    refined,
    integer,
  };
}
