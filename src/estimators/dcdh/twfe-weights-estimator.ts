/**
 * `twowayfeweights` as an estimator (like `bacon`): aggregates.simple is the static TWFE coefficient
 * with its CR1 SE (the `twfe` regression), and the Estimate carries `twfe_weights` (twfe-weights.ts:
 * the weight of every treated cohort-period cell, the counts and sums of positive and negative weights,
 * σ̲_fe), which `stagger estimate --json` prints; the text output has the package's summary line.
 */
import type { Panel } from '../../panel/panel.js';
import { clusterCodes } from '../twfe/start-groups.js';
import { staticTwfe, twfeOptions } from '../twfe/index.js';
import type { Estimate, Estimator } from '../types.js';
import { type TwfeWeights, twfeWeights } from './twfe-weights.js';

export interface TwfeWeightsEstimate extends Estimate {
  twfe_weights: TwfeWeights | null;
  /** Why `twfe_weights` is null. */
  twfe_weights_reason?: string;
}

export interface TwfeWeightsOptions {
  cluster: 'unit' | 'column';
}

export function estimateTwfeWeights(panel: Panel, options: Partial<TwfeWeightsOptions> = {}): TwfeWeightsEstimate {
  const o = twfeOptions({ cluster: options.cluster, eventStudy: false });
  const w = twfeWeights(panel);
  if ('reason' in w)
    return {
      estimator: 'twowayfeweights',
      att_gt: [],
      wald_pretest: null,
      aggregates: { simple: { att: null, se: null, reason: w.reason } },
      messages: [w.reason],
      twfe_weights: null,
      twfe_weights_reason: w.reason,
    };
  if (o.cluster === 'column') clusterCodes(panel, true);
  const s = staticTwfe(panel, o);
  const total = w.positive.count + w.negative.count;
  const messages = [
    `Under parallel trends the TWFE coefficient ${w.beta.toPrecision(4)} is a weighted sum of ${total} ATTs (one per treated unit-period): ` +
      `${w.positive.count} positive weights (sum ${w.positive.sum.toFixed(4)}), ${w.negative.count} negative (sum ${w.negative.sum.toFixed(4)}).`,
    w.sigma_fe === null
      ? 'Every treated cell has the same weight: the TWFE coefficient is the ATT whatever the heterogeneity.'
      : `σ_fe = ${w.sigma_fe.toPrecision(4)}: the smallest standard deviation of the cell effects under which the TWFE coefficient and the ATT could have opposite signs (de Chaisemartin & D'Haultfœuille 2020, Corollary 1).`,
  ];
  return {
    estimator: 'twowayfeweights',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: w.beta, se: s.se, ...(s.se === null ? { reason: s.reason ?? 'no standard error' } : {}) } },
    messages,
    twfe_weights: w,
  };
}

export function twfeWeightsEstimator(options: Partial<TwfeWeightsOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'twowayfeweights', estimate: (panel: Panel) => estimateTwfeWeights(panel, opts) };
}
