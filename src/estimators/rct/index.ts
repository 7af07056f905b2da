/**
 * Randomised-rollout estimators as one Estimator: the difference in means at the wait-list horizon
 * (aggregates.simple), the same at every horizon h = 0, 1, … in the window (aggregates.dynamic), and,
 * when asked, the Fisher randomisation test of the simple estimate (under `fisher`). With covariates,
 * Lin's (2013) regression-adjusted difference with HC2 SEs throughout.
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { seeded, type Rng } from '../../random/stream.js';
import { definedOnly } from '../defined.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { dimAtHorizon, fisherTest, NO_FISHER, type FisherResult } from './dim.js';

export interface DimOptions {
  /** The wait-list horizon h: event time at which treated cohorts are compared with those not yet treated. */
  horizon: number;
  /** Largest horizon reported in aggregates.dynamic. */
  maxE: number;
  /** Re-randomisations of the Fisher test (0 = no test). */
  permutations: number;
  seed: number | string;
  /** Unit-level covariate columns for Lin's (2013) adjustment (none: the plain difference in means). */
  covariates: string[];
}

export interface DimEstimate extends Estimate {
  fisher: FisherResult | null;
  /** Why `fisher` is null: no re-randomisations were asked for. */
  fisher_reason?: string;
}

export function estimateDim(panel: Panel, options: Partial<DimOptions> = {}, rng?: Rng): DimEstimate {
  const o: DimOptions = { horizon: 0, maxE: Infinity, permutations: 0, seed: 1, covariates: [], ...definedOnly(options) };
  const x = unitColumns(panel, o.covariates);
  const s = dimAtHorizon(panel, o.horizon, panel.group, x);
  const simple: AggregateEstimate = { att: s.att, se: s.se };
  if (s.reason) simple.reason = s.reason;
  const detail: DetailEstimate[] = [];
  for (let h = 0; h < panel.nPeriods && h <= o.maxE; h++) {
    const r = dimAtHorizon(panel, h, panel.group, x);
    if (r.att === null) break;
    detail.push({ key: h, att: r.att, se: r.se, ...(r.reason ? { reason: r.reason } : {}) });
  }
  const dynamic: AggregateEstimate = {
    att: null,
    se: null,
    reason: 'the difference in means has no overall event-study average; see detail',
    detail,
  };
  const fisher =
    o.permutations > 0
      ? fisherTest(rng ?? seeded(`fisher\0${o.seed}`), panel, (g) => dimAtHorizon(panel, o.horizon, g, x).att, o.permutations)
      : null;
  // The randomisation p-value is the simple estimate's test (diagnosis reads it: tidy-rows.ts).
  if (fisher && simple.att !== null) Object.assign(simple, { p: fisher.p, inference: 'fisher' });
  const messages = s.att === null ? [s.reason!] : [];
  return {
    estimator: o.covariates.length > 0 ? 'dim:lin' : 'dim',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple, dynamic },
    messages,
    fisher,
    ...(fisher ? {} : { fisher_reason: NO_FISHER }),
  };
}

/** The panel's unit-level covariate columns by name. @throws on a missing or time-varying column. */
export function unitColumns(panel: Panel, names: readonly string[]): Float64Array[] {
  return names.map((k) => {
    const col = panel.covariates[k];
    if (!col)
      throw new EstimatorInputError(
        `covariate "${k}" is not in the panel (columns: ${Object.keys(panel.covariates).join(', ') || 'none'})`,
      );
    if (col.length !== panel.nUnits)
      throw new EstimatorInputError(
        `covariate "${k}" varies over time; the covariate-adjusted difference in means needs unit-level (baseline) covariates`,
      );
    return col;
  });
}

export function dimEstimator(options: Partial<DimOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'dim', estimate: (panel: Panel, rng?: Rng) => estimateDim(panel, opts, rng) };
}
