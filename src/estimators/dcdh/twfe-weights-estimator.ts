/**
 * `twowayfeweights` as an estimator (like `bacon`): aggregates.simple is the static TWFE coefficient
 * with its CR1 SE (the `twfe` regression; with a treatment column, the same within regression on the
 * column), and the Estimate carries `twfe_weights` (twfe-weights.ts: the weight of every treated cell,
 * the counts and sums of positive and negative weights, both sensitivity measures, the random-weights
 * tests), which `stagger estimate --json` prints; the text output has the package's summary lines.
 */
import type { Panel } from '../../panel/panel.js';
import { clusterCodes, type StartGroups } from '../twfe/start-groups.js';
import { staticTwfe, twfeOptions } from '../twfe/index.js';
import { fitWithin, seOf } from '../twfe/within.js';
import type { AggregateEstimate, Estimate, Estimator } from '../types.js';
import { type TwfeWeights, twfeWeights } from './twfe-weights.js';

export interface TwfeWeightsEstimate extends Estimate {
  twfe_weights: TwfeWeights | null;
  /** Why `twfe_weights` is null. */
  twfe_weights_reason?: string;
}

export interface TwfeWeightsOptions {
  cluster: 'unit' | 'column';
  /** Columns whose correlation with the weights is tested (test_random_weights; the CLI only). */
  randomWeights: string[];
}

/** β̂_fe with its CR1 SE when the treatment is a column: every unit its own "cohort" of the within fit. */
function staticOnColumn(panel: Panel, cluster: 'unit' | 'column'): AggregateEstimate {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const unitsAsCohorts: StartGroups = {
    start: Array.from({ length: n }, (_, i) => i),
    firstIndex: new Int32Array(n),
    size: new Float64Array(n).fill(1),
    of: Int32Array.from({ length: n }, (_, i) => i),
  };
  const D = panel.treatment!;
  const x = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) x[i * T + t] = D[t * n + i];
  const f = fitWithin(panel, unitsAsCohorts, [x], clusterCodes(panel, cluster === 'column'));
  if (!f.beta) return { att: null, se: null, reason: f.reason ?? 'not identified' };
  const se = f.vcov ? seOf(f.vcov[0]) : null;
  return se === null ? { att: f.beta[0], se: null, reason: f.reason ?? 'no standard error' } : { att: f.beta[0], se };
}

export function estimateTwfeWeights(panel: Panel, options: Partial<TwfeWeightsOptions> = {}): TwfeWeightsEstimate {
  const o = twfeOptions({ cluster: options.cluster, eventStudy: false });
  const w = twfeWeights(panel, { randomWeights: options.randomWeights });
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
  let simple: AggregateEstimate;
  if (panel.treatment) simple = staticOnColumn(panel, o.cluster);
  else {
    const s = staticTwfe(panel, o);
    simple = { att: w.beta, se: s.se, ...(s.se === null ? { reason: s.reason ?? 'no standard error' } : {}) };
  }
  const total = w.positive.count + w.negative.count;
  const messages = [
    `Under parallel trends the TWFE coefficient ${w.beta.toPrecision(4)} is a weighted sum of ${total} ATTs (one per treated unit-period with a non-zero weight, of ${w.treated_cells} treated): ` +
      `${w.positive.count} positive weights (sum ${w.positive.sum.toFixed(4)}), ${w.negative.count} negative (sum ${w.negative.sum.toFixed(4)}).`,
    w.sigma_fe === null
      ? 'Every treated cell has the same weight: the TWFE coefficient is the ATT whatever the heterogeneity.'
      : `σ_fe = ${w.sigma_fe.toPrecision(4)}: the smallest standard deviation of the cell effects under which the TWFE coefficient and the ATT could have opposite signs (de Chaisemartin & D'Haultfœuille 2020, Corollary 1 (i)).`,
  ];
  if (w.sigma_fe_all !== null)
    messages.push(
      `${w.sigma_fe_all.toPrecision(4)}: the smallest standard deviation of the cell effects under which the TWFE coefficient could have a sign different from every cell's effect (Corollary 1 (ii)).`,
    );
  for (const r of w.random_weights ?? [])
    messages.push(
      `Random weights, ${r.column} on the weights: coefficient ${r.coef.toPrecision(4)} (SE ${r.se.toPrecision(4)}, t ${r.t.toFixed(2)}), correlation ${r.correlation.toFixed(4)}.`,
    );
  return {
    estimator: 'twowayfeweights',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple },
    messages,
    twfe_weights: w,
  };
}

export function twfeWeightsEstimator(options: Partial<TwfeWeightsOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'twowayfeweights', estimate: (panel: Panel) => estimateTwfeWeights(panel, opts) };
}
