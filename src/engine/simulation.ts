/**
 * What the engine runs: a Simulation turns (seed, design point, draw) into result records, one per
 * estimator × estimand. The engine knows nothing else about scenarios, generators or estimators, so a
 * test can drive it with a fake of known sampling distribution and the real one plugs in unchanged.
 *
 * A simulation is named by a module URL and JSON arguments (a SimulationSpec) so that every worker
 * thread can build its own copy: the module exports `createSimulation(args)`.
 */
import type { AnalyticSpec } from '../diagnosis/analytic-rows.js';
import type { ResultRecord } from '../diagnosis/diagnosands.js';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';

export interface DrawRecord extends ResultRecord {
  estimator: string;
  /** An estimand id (see diagnosis/estimand-id.ts). */
  estimand: string;
  /** The outcome the record estimates (a name of the scenario's outcomes); absent: the only one. */
  outcome?: string;
}

/**
 * What the evaluation's data strategy did in one draw (the generator's RecruitmentSummary, stored
 * compactly): flows per period from the first, totals, start-group sizes, design-specific notes.
 * Reports read it from the draws file; nothing in the diagnosis depends on it.
 */
export interface DrawRecruitment {
  design: string;
  periods: number[];
  referred: number[];
  consented: number[];
  excluded: number[];
  enrolled: number[];
  totals: Record<string, number>;
  /** [start-group label (0 = never), size]. */
  groups: [number, number][];
  notes: Record<string, number | string>;
  /**
   * analysis.keep: covariance — each estimator's event study in this draw (dynamic detail rows and
   * their covariance), so post-hoc methods (sensitivity, pre-test power) can run on stored draws. It
   * rides in the draw's `R` frame (JSON, so doubles round-trip exactly), which every path of the store
   * (workers, resume, merge, damage scan) already carries byte-identically; absent without the key.
   */
  event_studies?: KeptEventStudy[];
}

/** One estimator's event study in one draw (a row without an estimate or SE: null). */
export interface KeptEventStudy {
  estimator: string;
  /** The outcome, for outcomes after the first. */
  outcome?: string;
  /** Event times of the dynamic detail rows, in detail order. */
  keys: number[];
  betahat: (number | null)[];
  se: (number | null)[];
  /** AggregateEstimate.vcov; null when the estimator gives none. */
  vcov: (number | null)[][] | null;
}

/** One draw's results: its records and, when the simulation has one, its recruitment. */
export interface DrawOutput {
  records: DrawRecord[];
  recruitment?: DrawRecruitment;
}

export interface Simulation {
  readonly points: readonly DesignPointInfo[];
  readonly estimators: readonly string[];
  /** The outcomes' names in scenario order (absent: one unnamed outcome). */
  readonly outcomes?: readonly string[];
  readonly alpha: number;
  /** Exact analytic figures for the diagnosis (cluster designs with an hh estimator: diagnosis/analytic-rows.ts). */
  readonly analytic?: readonly AnalyticSpec[];
  /** Must draw randomness only from streamFor(seed, point, draw, step): nothing else may vary. */
  runDraw(seed: string, point: number, draw: number): DrawRecord[];
  /** runDraw with the draw's recruitment too; the engine prefers it when present. */
  runDrawOutput?(seed: string, point: number, draw: number): DrawOutput;
}

export interface SimulationSpec {
  /** Absolute file URL of a module exporting `createSimulation(args): Simulation | Promise<Simulation>`. */
  module: string;
  args: unknown;
}

export async function loadSimulation(spec: SimulationSpec): Promise<Simulation> {
  const mod = (await import(spec.module)) as { createSimulation?: (args: unknown) => Simulation | Promise<Simulation> };
  if (typeof mod.createSimulation !== 'function') {
    throw new Error(`simulation module ${spec.module} does not export createSimulation(args)`);
  }
  return mod.createSimulation(spec.args);
}

/** An error inside one draw: names the step, the design point, the draw and the seed; keeps the cause. */
export class DrawError extends Error {
  constructor(
    readonly step: string,
    readonly point: number,
    readonly draw: number,
    readonly seed: string,
    settings: Record<string, number | string> | undefined,
    cause: unknown,
  ) {
    const where =
      settings && Object.keys(settings).length
        ? ` (${Object.entries(settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : '';
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(`step "${step}" failed at design point ${point}${where}, draw ${draw}, seed ${seed}: ${msg}`, { cause });
    this.name = 'DrawError';
  }
}

/**
 * Run one named step of a draw, re-throwing any error as a DrawError (DeclareDesign's habit, plus the
 * draw and seed so the failure can be reproduced with `stagger simulate --seed S --draw D`).
 */
export function step<T>(name: string, ctx: { point: DesignPointInfo; draw: number; seed: string }, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DrawError) throw err;
    throw new DrawError(name, ctx.point.index, ctx.draw, ctx.seed, ctx.point.settings, err);
  }
}
