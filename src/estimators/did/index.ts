/**
 * The Callaway & Sant'Anna (2021) staggered DiD estimator, equal to R `did` 2.5.1 (att_gt + aggte):
 * panel in, ATT(g,t), the four aggregations, the Wald pre-test and messages out.
 */
import { panelToLong, rowsToPanel, type LongPanel } from '../../panel/long.js';
import type { Panel } from '../../panel/panel.js';
import { labelsAtRanks } from '../../estimands/averages.js';
import { Float64Arena } from '../../linalg/arena.js';
import { seeded, type Rng } from '../../random/stream.js';
import type { AggregateEstimate, AggregationType, CellEstimate, Estimate, Estimator } from '../types.js';
import { aggregateCalendar, aggregateDynamic, aggregateGroup, aggregateSimple, type AggregateWithInf } from './aggregate.js';
import { computeAttGt, type Cell } from './att-gt.js';
import { multiplierBootstrap, type BootstrapColumn } from './bootstrap.js';
import { clusterCount, clusterInPlace, clusterSums } from './cluster-se.js';
import { vcovFromClusterSums } from '../event-vcov.js';
import { seFromInf } from './influence.js';
import { withDefaults, type DidOptions } from './options.js';
import { DidInputError, prepare, type Prepared } from './prepare.js';
import { checkOutcomeScale, DID_SE_NA, finiteEstimate } from '../finite-guard.js';
import { waldPretest } from './pretest.js';
import { computeAttGtRc, prepareRc } from './repeated-cross-sections.js';

export { DidInputError } from './prepare.js';
export type { DidOptions } from './options.js';

export interface DidResult {
  estimate: Estimate;
  prepared: Prepared;
  cells: Cell[];
  aggregates: Partial<Record<AggregationType, AggregateWithInf>>;
}

/**
 * Estimate on a panel, keeping the influence functions (for tests and further algebra).
 * @param mem where the influence functions live (default: memory of their own, kept with the result).
 */
export function estimateDidDetailed(panel: Panel, options: Partial<DidOptions> = {}, mem = new Float64Arena(), rng?: Rng): DidResult {
  const o = withDefaults(options);
  // Repeated cross-sections of a balanced panel: its cells as rows (an unbalanced panel that is
  // balanced goes to the panel estimators in estimateDidLong, with R did's message).
  if (!o.panel || o.unbalanced) return estimateDidLong(panelToLong(panel), o, mem, rng, panel.group);
  const p = prepare(panel, o);
  return fromCells(p, computeAttGt(p, o, mem), o, mem, rng, panel.group);
}

/**
 * Estimate on long data: repeated cross-sections (options.panel = false) or an unbalanced panel
 * (options.unbalanced = true), as R did 2.5.1 with panel = FALSE / allow_unbalanced_panel = TRUE.
 */
export function estimateDidLong(
  data: LongPanel,
  options: Partial<DidOptions> = {},
  mem = new Float64Arena(),
  rng?: Rng,
  groupLabels: ArrayLike<number> = data.group,
): DidResult {
  const o = withDefaults(options);
  if (o.panel && !o.unbalanced) {
    throw new DidInputError(
      'long data are read as repeated cross-sections (panel = false) or as an unbalanced panel (unbalanced = true); a balanced panel goes through estimateDidDetailed',
    );
  }
  checkOutcomeScale(data.y, 'did');
  const p = prepareRc(data, o);
  if ('balanced' in p) {
    const r = estimateDidDetailed(rowsToPanel(data, p.rows, p.periodIdx), { ...o, unbalanced: false }, mem, rng);
    r.estimate.messages.unshift(
      ...p.messages,
      'You have a balanced panel: using the panel estimators (R did: "Setting allow_unbalanced_panel = FALSE").',
    );
    finiteEstimate(r.estimate, DID_SE_NA);
    return r;
  }
  const r = fromCells(p, computeAttGtRc(p, o), o, mem, rng, groupLabels);
  finiteEstimate(r.estimate, DID_SE_NA);
  return r;
}

function fromCells(
  p: Prepared,
  cells: Cell[],
  o: DidOptions,
  mem: Float64Arena,
  rng: Rng | undefined,
  groupLabels: ArrayLike<number>,
): DidResult {
  const cellSe = cells.map((c) => (c.inf ? seFromInf(c.inf, p.n) : null));

  const aggs: Partial<Record<AggregationType, AggregateWithInf>> = {};
  for (const type of o.aggregations) {
    if (type === 'simple') aggs.simple = aggregateSimple(p, cells, mem);
    if (type === 'group') aggs.group = aggregateGroup(p, cells, mem, labelsAtRanks(groupLabels, o.averages.excludeGroups), o.averages);
    if (type === 'dynamic') aggs.dynamic = aggregateDynamic(p, cells, o, mem);
    if (type === 'calendar') aggs.calendar = aggregateCalendar(p, cells, mem);
  }
  // The panel's cluster column is R did's clustervars: analytic SEs and the Wald pre-test become
  // cluster-robust; with the bootstrap, R did reports no Wald statistic (its V would ignore clustering).
  const clustered = p.cluster !== null && o.bootstrap === 0;
  if (clustered) clusterInPlace(p.n, p.cluster!, cells, cellSe, aggs);
  if (aggs.dynamic) aggs.dynamic.estimate.vcov = dynamicVcov(p, aggs.dynamic, clustered);
  const wald = !o.pretest
    ? null
    : p.cluster && o.bootstrap > 0
      ? {
          W: null,
          df: 0,
          p: null,
          reason:
            'the Wald pre-test is not reported when clustering beyond the unit level with the bootstrap (as R did): use the uniform bands',
        }
      : waldPretest(p.n, cells, mem, clustered ? p.cluster : null);
  const messages = [...p.messages];
  const failed = cells.filter((c) => c.att === null);
  if (failed.length > 0) {
    messages.push(
      `${failed.length} of ${cells.length} ATT(g,t) cells are not identified and are left out of the aggregations (first: ${failed[0].reason}).`,
    );
  }
  const doubtful = cells.filter((c) => c.converged === false);
  if (doubtful.length > 0) {
    messages.push(
      `${doubtful.length} of ${cells.length} ATT(g,t) cells rest on a propensity-score fit that did not converge; their estimates are kept, as R's glm keeps them with a warning (first: ${doubtful[0].note}).`,
    );
  }

  let cellCrit: number | undefined;
  if (o.bootstrap > 0) {
    cellCrit = bootstrapInPlace(rng ?? seeded(`bootstrap\0${o.seed}`), p, o, cells, cellSe, aggs);
  }
  const att_gt: CellEstimate[] = cells.map((c, j) => {
    const row: CellEstimate = { group: c.group, time: c.time, att: c.att, se: cellSe[j] };
    if (c.att === null && c.reason) row.reason = c.reason;
    if (c.reference) row.reason = c.reason;
    if (c.converged === false) {
      row.converged = false;
      row.reason = c.note;
    }
    return row;
  });
  const aggregates: Partial<Record<AggregationType, AggregateEstimate>> = {};
  for (const [k, v] of Object.entries(aggs)) aggregates[k as AggregationType] = v!.estimate;
  const estimate: Estimate = {
    estimator: `did:${o.method}`,
    att_gt,
    wald_pretest: wald,
    aggregates,
    messages,
  };
  if (cellCrit !== undefined) estimate.att_gt_crit = cellCrit;
  if (!o.panel) estimate.estimator += ':rc';
  else if (o.unbalanced) estimate.estimator += ':unbalanced';
  return { estimate, prepared: p, cells, aggregates: aggs };
}

/**
 * The event-study covariance of the dynamic detail rows from their influence functions,
 * V = Ψ'Ψ / n² (clustered: Ψ's rows summed within clusters first, as clusterInPlace does for the SEs),
 * so that diag(V) = SE² of the analytic SEs. With the bootstrap it stays the analytic covariance (as
 * HonestDiD's honest_did.AGGTEobj builds its sigma from aggte's dynamic.inf.func.e), while the
 * detail SEs become the bootstrap ones.
 */
function dynamicVcov(p: Prepared, agg: AggregateWithInf, clustered: boolean): (number | null)[][] {
  const detail = agg.estimate.detail ?? [];
  const C = clustered ? clusterCount(p.cluster!) : 0;
  const sums = detail.map((d, m) => {
    const inf = agg.detailInf[m];
    if (d.se === null || !inf) return null;
    return clustered ? clusterSums(inf, null, p.cluster!, new Float64Array(C)) : inf;
  });
  return vcovFromClusterSums(sums, 1 / (p.n * p.n));
}

/**
 * Replaces analytic SEs by multiplier-bootstrap SEs where the analytic SE exists (as R did does) and
 * adds the uniform-band critical values. Returns the critical value for the ATT(g,t) band.
 */
function bootstrapInPlace(
  rng: Rng,
  p: Prepared,
  o: DidOptions,
  cells: Cell[],
  cellSe: Array<number | null>,
  aggs: Partial<Record<AggregationType, AggregateWithInf>>,
): number | undefined {
  const withSe = cellSe.map((se, j) => (se !== null ? j : -1)).filter((j) => j >= 0);
  const cellCols: BootstrapColumn[] = withSe.map((j) => ({ idx: cells[j].idx, inf: cells[j].inf! }));
  const b = multiplierBootstrap(rng, cellCols, p.n, o.bootstrap, o.alpha, p.cluster, o.bootstrapWeights);
  withSe.forEach((j, m) => {
    cellSe[j] = b.se[m];
  });
  for (const agg of Object.values(aggs)) {
    if (!agg) continue;
    const est = agg.estimate;
    if (agg.overallInf && est.se !== null) {
      est.se = multiplierBootstrap(rng, [{ inf: agg.overallInf }], p.n, o.bootstrap, o.alpha, p.cluster, o.bootstrapWeights).se[0];
    }
    if (agg.preInf && est.pre && est.pre.se !== null) {
      est.pre.se = multiplierBootstrap(rng, [{ inf: agg.preInf }], p.n, o.bootstrap, o.alpha, p.cluster, o.bootstrapWeights).se[0];
    }
    const rows = (est.detail ?? []).map((d, m) => (d.se !== null && agg.detailInf[m] ? m : -1)).filter((m) => m >= 0);
    if (rows.length > 0) {
      const r = multiplierBootstrap(
        rng,
        rows.map((m) => ({ inf: agg.detailInf[m]! })),
        p.n,
        o.bootstrap,
        o.alpha,
        p.cluster,
        o.bootstrapWeights,
      );
      rows.forEach((m, q) => {
        est.detail![m].se = r.se[q];
      });
      if (r.crit !== null) est.crit = r.crit;
    }
  }
  return b.crit ?? undefined;
}

/**
 * Influence functions of `estimateDid`: its result keeps none of them, so every call reuses the same
 * memory (the engine makes thousands of estimates; see linalg/arena.ts).
 */
const callMemory = new Float64Arena();

/** @param rng the bootstrap's stream (default: one seeded from options.seed). */
export function estimateDid(panel: Panel, options: Partial<DidOptions> = {}, rng?: Rng): Estimate {
  callMemory.reset();
  return estimateDidDetailed(panel, options, callMemory, rng).estimate;
}

/** The estimator as the engine sees it: options bound once. */
export function didEstimator(options: Partial<DidOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  const o = withDefaults(opts);
  return { name: name ?? `cs_${o.method}`, estimate: (panel: Panel, rng?: Rng) => estimateDid(panel, o, rng) };
}
