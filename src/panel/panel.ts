/**
 * The Panel: a balanced panel held as columns.
 *
 * `y` is periods × units, one contiguous row per period (y[t * nUnits + i]), so a 2×2 comparison reads
 * two rows start to end. Unit-level attributes (start group, covariates, cluster) are typed arrays of
 * length nUnits. Period labels are numeric and strictly increasing.
 */
export interface Panel {
  readonly nUnits: number;
  readonly nPeriods: number;
  /** Period labels, strictly increasing (e.g. 2003..2007 or 1..114). */
  readonly periods: Float64Array;
  /** Unit identifiers as read (strings keep CSV ids exact). */
  readonly ids: readonly string[];
  /** First treated period label per unit; 0 = never treated. */
  readonly group: Float64Array;
  /** Outcome, periods × units, row-major by period. */
  readonly y: Float64Array;
  /**
   * Covariates by name: nUnits values (time-invariant, the usual case) or nPeriods × nUnits values
   * (time-varying, row per period like y; R `did` then uses the earlier period of each 2×2).
   */
  readonly covariates: Readonly<Record<string, Float64Array>>;
  /** Optional unit-level cluster codes (R did's clustervars: the bootstrap's and the analytic SEs'). */
  readonly cluster?: Float64Array;
  /** Optional unit-level sampling weights (R did's weightsname), non-negative. */
  readonly weights?: Float64Array;
  /**
   * Cluster designs (units = clusters, y = cluster-period means): people measured in each cell and the
   * within-cell sum of squares of their outcomes, periods × units like y. Individual-level models
   * (estimators/hh) read them; every other estimator sees the cell means alone.
   */
  readonly cellSize?: Float64Array;
  readonly cellSS?: Float64Array;
  /**
   * Optional treatment D_{i,t}, periods × units like y, when it is not 1{period ≥ group} (a binary
   * treatment that switches on and off, `stagger estimate --treatment COL`). Only dcdh reads it; the
   * CLI refuses it for every other estimator. `group` then holds each unit's first treated period.
   */
  readonly treatment?: Float64Array;
  /**
   * An unbalanced panel read with its gaps (`stagger estimate --unbalanced` for dcdh): 1 where the data
   * hold a row for (period, unit), periods × units like y; absent rows and missing values are NaN in
   * y, the treatment and time-varying covariates. Unset: every row is there (the balanced panel every
   * other estimator reads).
   */
  readonly observed?: Uint8Array;
  /**
   * Weights that vary over time (the package's N_{g,t}), periods × units like y, 0 where a row is absent
   * or its weight missing; only dcdh reads them (the CLI refuses them for every other estimator).
   */
  readonly cellWeights?: Float64Array;
}

/** Outcome of unit i in period index t. */
export function yAt(p: Panel, t: number, i: number): number {
  return p.y[t * p.nUnits + i];
}

/** Build a Panel from columns, checking shapes once (throws on a programming error, not user input). */
export function makePanel(parts: {
  periods: ArrayLike<number>;
  ids?: readonly string[];
  group: ArrayLike<number>;
  y: Float64Array;
  covariates?: Record<string, Float64Array>;
  cluster?: Float64Array;
  weights?: Float64Array;
  cellSize?: Float64Array;
  cellSS?: Float64Array;
  treatment?: Float64Array;
  observed?: Uint8Array;
  cellWeights?: Float64Array;
}): Panel {
  const nPeriods = parts.periods.length;
  const nUnits = parts.group.length;
  if (parts.y.length !== nPeriods * nUnits) {
    throw new Error(`makePanel: y has ${parts.y.length} values, expected ${nPeriods} periods × ${nUnits} units`);
  }
  if (parts.treatment && parts.treatment.length !== nPeriods * nUnits) {
    throw new Error(`makePanel: treatment has ${parts.treatment.length} values, expected ${nPeriods} periods × ${nUnits} units`);
  }
  for (const [k, v] of [
    ['observed', parts.observed],
    ['cellWeights', parts.cellWeights],
  ] as const) {
    if (v && v.length !== nPeriods * nUnits)
      throw new Error(`makePanel: ${k} has ${v.length} values, expected ${nPeriods} periods × ${nUnits} units`);
  }
  for (const [k, v] of Object.entries(parts.covariates ?? {})) {
    if (v.length !== nUnits && v.length !== nUnits * nPeriods) {
      throw new Error(`makePanel: covariate ${k} has ${v.length} values, expected ${nUnits} or ${nUnits * nPeriods}`);
    }
  }
  const periods = Float64Array.from(parts.periods);
  for (let t = 1; t < nPeriods; t++) {
    if (!(periods[t] > periods[t - 1])) throw new Error('makePanel: periods must be strictly increasing');
  }
  return {
    nUnits,
    nPeriods,
    periods,
    ids: parts.ids ?? Array.from({ length: nUnits }, (_, i) => String(i + 1)),
    group: Float64Array.from(parts.group),
    y: parts.y,
    covariates: parts.covariates ?? {},
    cluster: parts.cluster,
    ...(parts.weights ? { weights: parts.weights } : {}),
    ...(parts.cellSize ? { cellSize: parts.cellSize } : {}),
    ...(parts.cellSS ? { cellSS: parts.cellSS } : {}),
    ...(parts.treatment ? { treatment: parts.treatment } : {}),
    ...(parts.observed ? { observed: parts.observed } : {}),
    ...(parts.cellWeights ? { cellWeights: parts.cellWeights } : {}),
  };
}
