/**
 * Randomised-rollout estimators as one Estimator: the difference in means at the wait-list horizon
 * (aggregates.simple), the same at every horizon h = 0, 1, … in the window (aggregates.dynamic), and,
 * when asked, the Fisher randomisation test of the simple estimate (under `fisher`).
 */
import type { Panel } from '../../panel/panel.js';
import { seeded } from '../../random/stream.js';
import { definedOnly } from '../defined.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { dimAtHorizon, fisherTest, type FisherResult } from './dim.js';

export interface DimOptions {
  /** The wait-list horizon h: event time at which treated cohorts are compared with those not yet treated. */
  horizon: number;
  /** Largest horizon reported in aggregates.dynamic. */
  maxE: number;
  /** Re-randomisations of the Fisher test (0 = no test). */
  permutations: number;
  seed: number | string;
}

export interface DimEstimate extends Estimate {
  fisher: FisherResult | null;
}

export function estimateDim(panel: Panel, options: Partial<DimOptions> = {}): DimEstimate {
  const o: DimOptions = { horizon: 0, maxE: Infinity, permutations: 0, seed: 1, ...definedOnly(options) };
  const s = dimAtHorizon(panel, o.horizon);
  const simple: AggregateEstimate = { att: s.att, se: s.se };
  if (s.reason) simple.reason = s.reason;
  const detail: DetailEstimate[] = [];
  for (let h = 0; h < panel.nPeriods && h <= o.maxE; h++) {
    const r = dimAtHorizon(panel, h);
    if (r.att === null) break;
    detail.push({ key: h, att: r.att, se: r.se, ...(r.reason ? { reason: r.reason } : {}) });
  }
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'the difference in means has no overall event-study average; see detail', detail };
  const fisher = o.permutations > 0
    ? fisherTest(seeded(`fisher\0${o.seed}`), panel, (g) => dimAtHorizon(panel, o.horizon, g).att, o.permutations)
    : null;
  const messages = s.att === null ? [s.reason!] : [];
  return { estimator: 'dim', att_gt: [], wald_pretest: null, aggregates: { simple, dynamic }, messages, fisher };
}

export function dimEstimator(options: Partial<DimOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'dim', estimate: (panel: Panel) => estimateDim(panel, opts) };
}
