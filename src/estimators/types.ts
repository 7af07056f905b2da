/**
 * The one interface every estimator family implements: a Panel in, estimates with SEs and reasons out.
 * Diagnosis and reports read only these shapes, so any estimator plugs into the engine unchanged.
 * "Not identified" is a value (att: null with a reason), never NaN.
 */
import type { Panel } from '../panel/panel.js';
import type { Rng } from '../random/stream.js';

/**
 * The inference an estimator gives a row beyond its SE: a p-value (a Fisher randomisation test) or an
 * interval (a bootstrap band). Absent: the Wald test and interval from the SE (estimands/tidy-rows.ts).
 */
export interface RowInference {
  /** Two-sided p-value of the test of no effect. */
  p?: number;
  /** The interval the estimator reports, at the analysis' level. */
  ci?: [number, number];
  /** Where p or ci come from: 'fisher', 'bootstrap band', … */
  inference?: string;
}

/**
 * One estimand's answer, as diagnosis and the draws file read it: the tidy row every estimator gives
 * (estimands/tidy-rows.ts makes it from the Estimate's aggregates). `reason` is set exactly when
 * estimate or se is null; an estimate without an SE is kept (se, p and the interval null).
 */
export interface EstimandRow {
  /** The canonical estimand id (estimands/estimand.ts). */
  estimand: string;
  estimate: number | null;
  se: number | null;
  p: number | null;
  ci_low: number | null;
  ci_high: number | null;
  reason: string | null;
  /** 'wald' (from the SE) or the estimator's own ('fisher', 'bootstrap band', …). */
  inference: string;
  /** What a narrowed overall figure averages (estimands/averages.ts); absent: the default rows. */
  averages?: string;
}

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
export interface DetailEstimate extends RowInference {
  key: number;
  att: number | null;
  se: number | null;
  reason?: string;
  /** The normalised reference row: 0 by construction, not an estimate (a record of it is not identified). */
  reference?: true;
}

export interface AggregateEstimate extends RowInference {
  att: number | null;
  se: number | null;
  reason?: string;
  detail?: DetailEstimate[];
  /** Critical value of the uniform (sup-t) band over the detail rows, when bootstrapped. */
  crit?: number;
  /** What the overall figure averages when the analysis narrows it (estimands/averages.ts); absent: the default. */
  averages?: string;
  /** dynamic: the mean of the pre-period event-time rows over a window (`dynamic_pre_avg`), when asked for. */
  pre?: { att: number | null; se: number | null; reason?: string; averages?: string } & RowInference;
  /**
   * dynamic: the covariance of the detail rows' estimates, in detail order (vcov[i][j] pairs detail[i]
   * and detail[j]); a row that is not identified has null in its row and column. What a sensitivity
   * analysis (src/sensitivity/) reads. Absent: the estimator does not give one.
   */
  vcov?: (number | null)[][];
  /** Why some vcov entries are null (set by finite-guard.ts whenever any is). */
  vcov_reason?: string;
}

export type AggregationType = 'simple' | 'group' | 'dynamic' | 'calendar';

export interface WaldPretest {
  W: number | null;
  df: number;
  p: number | null;
  reason?: string;
}

/** A joint test an estimator reports besides its pre-test (dcdh: the effects all 0, all equal). */
export interface EstimateTest extends WaldPretest {
  test: string;
  /** One line for the text output, e.g. "all effects DID_ℓ are 0". */
  label: string;
}

/** One covariate's coefficient in a heterogeneity regression (dcdh's predict_het). */
export interface HeterogeneityRow {
  /** ℓ for effect ℓ, −ℓ for placebo ℓ. */
  effect: number;
  covariate: string;
  estimate: number | null;
  se: number | null;
  t: number | null;
  lb: number | null;
  ub: number | null;
  /** Switchers in the regression. */
  n: number;
  /** p-value of the F test that every covariate's coefficient is 0 (one per effect). */
  pF: number | null;
  reason?: string;
}

export interface Estimate {
  estimator: string;
  att_gt: CellEstimate[];
  wald_pretest: WaldPretest | null;
  /** Further joint tests (dcdh's), in the order printed. */
  tests?: EstimateTest[];
  /** Heterogeneity regressions of the effects on covariates (dcdh's predict_het). */
  heterogeneity?: HeterogeneityRow[];
  aggregates: Partial<Record<AggregationType, AggregateEstimate>>;
  /** Warnings: what the data forced (dropped units, changed comparison group, ...). */
  messages: string[];
  /** Critical value of the uniform (sup-t) band over the ATT(g,t), when bootstrapped. */
  att_gt_crit?: number;
}

/**
 * An estimator as the engine sees it: options are bound when it is built; randomness (bootstrap
 * weights, re-randomisations) comes from the stream it is handed, the draw's own in the engine
 * (streamFor(seed, 0, d, 'estimate:' + name)), so results differ across draws and never across workers.
 */
export interface Estimator {
  readonly name: string;
  /** `at`: the design point and draw the engine estimates (an external estimator's request names them); absent outside a run. */
  estimate(panel: Panel, rng: Rng, at?: DrawAt): Estimate;
}

/** Which draw of which design point an estimate is for. */
export interface DrawAt {
  point: number;
  draw: number;
}
