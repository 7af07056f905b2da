/**
 * The one interface every estimator family implements: a Panel in, estimates with SEs and reasons out.
 * Diagnosis and reports read only these shapes, so any estimator plugs into the engine unchanged.
 * "Not identified" is a value (att: null with a reason), never NaN.
 */
import type { Panel } from '../panel/panel.js';

/** One group-time cell ATT(g,t). */
export interface CellEstimate {
  group: number;
  time: number;
  att: number | null;
  se: number | null;
  /** Why att is null (e.g. "no comparison units for g=7, t=3"), or why it is doubtful (converged: false). */
  reason?: string;
  /** false: the estimate rests on a propensity-score fit that stopped at its iteration cap (kept, as
   *  R's glm keeps it with a warning). Absent: nothing to report. */
  converged?: false;
}

/** One row of an aggregate's detail: key is the group, the event time or the calendar period. */
export interface DetailEstimate {
  key: number;
  att: number | null;
  se: number | null;
  reason?: string;
}

export interface AggregateEstimate {
  att: number | null;
  se: number | null;
  reason?: string;
  detail?: DetailEstimate[];
  /** Critical value of the uniform (sup-t) band over the detail rows, when bootstrapped. */
  crit?: number;
  /** What the overall figure averages when the analysis narrows it (estimands/averages.ts); absent: the default. */
  averages?: string;
  /** dynamic: the mean of the pre-period event-time rows over a window (`dynamic_pre_avg`), when asked for. */
  pre?: { att: number | null; se: number | null; reason?: string; averages?: string };
}

export type AggregationType = 'simple' | 'group' | 'dynamic' | 'calendar';

export interface WaldPretest {
  W: number | null;
  df: number;
  p: number | null;
  reason?: string;
}

export interface Estimate {
  estimator: string;
  att_gt: CellEstimate[];
  wald_pretest: WaldPretest | null;
  aggregates: Partial<Record<AggregationType, AggregateEstimate>>;
  /** Warnings: what the data forced (dropped units, changed comparison group, ...). */
  messages: string[];
  /** Critical value of the uniform (sup-t) band over the ATT(g,t), when bootstrapped. */
  att_gt_crit?: number;
}

/** An estimator as the engine sees it: options are bound when it is built. */
export interface Estimator {
  readonly name: string;
  estimate(panel: Panel): Estimate;
}
