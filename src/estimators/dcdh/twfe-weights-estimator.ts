/**
 * `twowayfeweights` as an estimator (like `bacon`): aggregates.simple is the regression's coefficient
 * (the static TWFE coefficient for feTR and feS, the first-difference one for fdTR and fdS) with its CR1
 * SE (weighted-fe-fit.ts: with no controls or weights, the `twfe` regression's), and the Estimate carries
 * `twfe_weights` (twfe-weights.ts: the weight of every cell, the counts and sums of positive and
 * negative weights, both sensitivity measures, the other treatments' weights, the random-weights
 * tests), which `stagger estimate --json` prints; the text output has the package's summary lines.
 */
import type { Panel } from '../../panel/panel.js';
import { clusterCodes } from '../twfe/start-groups.js';
import type { AggregateEstimate, Estimate, Estimator } from '../types.js';
import { type TwfeWeights, type TwfeWeightsInput, twfeWeights } from './twfe-weights.js';
import type { TwfeType } from './twfe-weights-types.js';

export interface TwfeWeightsEstimate extends Estimate {
  twfe_weights: TwfeWeights | null;
  /** Why `twfe_weights` is null. */
  twfe_weights_reason?: string;
}

export interface TwfeWeightsOptions {
  cluster: 'unit' | 'column';
  /** The regression: feTR (default), feS, fdTR, fdS. */
  twfeType: TwfeType;
  /** Controls (the package's controls; in first differences for fdTR, fdS). */
  covariates: string[];
  /** Other treatments (feTR; the CLI only). */
  otherTreatments: string[];
  /** Regression-weight column (the CLI only). */
  weights: string;
  /** Columns whose correlation with the weights is tested (test_random_weights; the CLI only). */
  randomWeights: string[];
}

const REGRESSION: Record<TwfeType, string> = {
  feTR: 'Under parallel trends the TWFE coefficient',
  feS: 'Under parallel trends and effects constant over time, the TWFE coefficient',
  fdTR: 'Under parallel trends the first-difference coefficient',
  fdS: 'Under parallel trends and effects constant over time, the first-difference coefficient',
};

function summaryLines(w: TwfeWeights): string[] {
  const total = w.positive.count + w.negative.count;
  const changes = w.type === 'feS' || w.type === 'fdS';
  const over = changes
    ? `effects of a change of treatment (one per unit-period where the treatment changes with a non-zero weight, of ${w.treated_cells})`
    : `ATTs (one per treated unit-period with a non-zero weight, of ${w.treated_cells} treated)`;
  const lines = [
    `${REGRESSION[w.type]} ${w.beta.toPrecision(4)} is a weighted sum of ${total} ${over}: ` +
      `${w.positive.count} positive weights (sum ${w.positive.sum.toFixed(4)}), ${w.negative.count} negative (sum ${w.negative.sum.toFixed(4)}).`,
  ];
  if (w.rows_left_out)
    lines.push(
      `${w.rows_left_out} row(s) of the panel miss the outcome, the treatment, a control, an other treatment or the weight and are left out (as the package drops them); the panel's absent rows are gaps.`,
    );
  if (w.controls?.absorbed.length)
    lines.push(`Controls absorbed by the unit effects and left out (as feols does): ${w.controls.absorbed.join(', ')}.`);
  for (const o of w.other_treatments ?? [])
    lines.push(
      `Other treatment ${o.column}: ${o.positive.count + o.negative.count} contamination weights on its ${o.treated_cells} cells, ${o.positive.count} positive (sum ${o.positive.sum.toFixed(4)}), ${o.negative.count} negative (sum ${o.negative.sum.toFixed(4)}).`,
    );
  if (w.other_treatments) lines.push(`No sensitivity measures: ${w.sigma_fe_reason}.`);
  else
    lines.push(
      w.sigma_fe === null
        ? 'Every weight is the same: the coefficient is the average effect whatever the heterogeneity.'
        : `σ_fe = ${w.sigma_fe.toPrecision(4)}: the smallest standard deviation of the effects under which the coefficient and their average could have opposite signs (de Chaisemartin & D'Haultfœuille 2020, Corollary 1 (i)).`,
    );
  if (w.sigma_fe_all !== null)
    lines.push(
      `${w.sigma_fe_all.toPrecision(4)}: the smallest standard deviation of the effects under which the coefficient could have a sign different from every effect (Corollary 1 (ii)).`,
    );
  for (const r of w.random_weights ?? [])
    lines.push(
      `Random weights, ${r.column} on the weights: coefficient ${r.coef.toPrecision(4)} (SE ${r.se.toPrecision(4)}, t ${r.t.toFixed(2)}), correlation ${r.correlation.toFixed(4)}.`,
    );
  return lines;
}

export function estimateTwfeWeights(panel: Panel, options: Partial<TwfeWeightsOptions> = {}): TwfeWeightsEstimate {
  const input: TwfeWeightsInput = {
    type: options.twfeType,
    randomWeights: options.randomWeights,
    controls: options.covariates,
    otherTreatments: options.otherTreatments,
    weights: options.weights,
    cluster: clusterCodes(panel, options.cluster === 'column'),
  };
  const w = twfeWeights(panel, input);
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
  const simple: AggregateEstimate =
    w.se === null ? { att: w.beta, se: null, reason: w.se_reason ?? 'no standard error' } : { att: w.beta, se: w.se };
  return {
    estimator: 'twowayfeweights',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple },
    messages: summaryLines(w),
    twfe_weights: w,
  };
}

export function twfeWeightsEstimator(options: Partial<TwfeWeightsOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'twowayfeweights', estimate: (panel: Panel) => estimateTwfeWeights(panel, opts) };
}
