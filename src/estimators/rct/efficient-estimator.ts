/**
 * Roth & Sant'Anna's efficient estimator as an Estimator: ATT(g,t) cells and the four aggregations
 * (simple; cohort as `group`; event time as `dynamic`; calendar), each row with its own plug-in β*,
 * its refined design-based SE (`se`), the Neyman SE (`se_neyman`) and β. With `permutations` > 0 the
 * simple estimate gets the package's Fisher randomisation test on the studentised statistic.
 */
import type { Panel } from '../../panel/panel.js';
import { seeded, type Rng } from '../../random/stream.js';
import { definedOnly } from '../defined.js';
import type { AggregateEstimate, AggregationType, CellEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { fisherTest, NO_FISHER, type FisherResult } from './dim.js';
import { cohortSummaries, EfficientFitter, type EfficientFit, type LinearEstimand } from './efficient.js';
import { calendarEstimands, cellEstimand, cohortEstimands, eventEstimands, simpleEstimand } from './estimands.js';

export interface EfficientOptions {
  aggregations: AggregationType[];
  /** Event-time window of the dynamic detail. */
  minE: number;
  maxE: number;
  /** Fixed β (0: difference in means, 1: Callaway & Sant'Anna); null: the plug-in efficient β*. */
  beta: number | null;
  /** Standard error: the package's refined design-based SE, or the conservative Neyman SE. */
  se: 'refined' | 'neyman';
  /** Also report every ATT(g,t) cell (each its own β*). */
  cells: boolean;
  /** Re-randomisations of the Fisher test of the simple estimate (0 = none). */
  permutations: number;
  seed: number | string;
  /** Compare with the last-starting cohort only (the package's use_last_treated_only; with β = 1 staggered_sa). */
  lastTreatedOnly: boolean;
}

const DEFAULTS: EfficientOptions = {
  aggregations: ['simple', 'group', 'dynamic', 'calendar'],
  minE: -Infinity,
  maxE: Infinity,
  beta: null,
  se: 'refined',
  cells: true,
  permutations: 0,
  seed: 1,
  lastTreatedOnly: false,
};

/** A detail or aggregate row with the package's second SE and the coefficient used. */
export interface EfficientRow extends DetailEstimate {
  se_neyman: number | null;
  beta: number | null;
}

export interface EfficientEstimate extends Estimate {
  fisher: FisherResult | null;
  /** Why `fisher` is null: no re-randomisations were asked for. */
  fisher_reason?: string;
}

function row(key: number, f: EfficientFit): EfficientRow {
  return { key, att: f.att, se: f.se, se_neyman: f.se_neyman, beta: f.beta, ...(f.reason ? { reason: f.reason } : {}) };
}

function aggregate(
  fit: (e: LinearEstimand) => EfficientFit,
  overall: LinearEstimand | null,
  why: string,
  detail?: { key: number; e: LinearEstimand }[],
): AggregateEstimate {
  const top: AggregateEstimate & { se_neyman?: number | null; beta?: number | null } = overall
    ? (({ key: _k, ...r }) => r)(row(0, fit(overall)))
    : { att: null, se: null, reason: why };
  if (detail) top.detail = detail.map((d) => row(d.key, fit(d.e)));
  return top;
}

/** The simple estimate and its refined SE alone (the Fisher test's statistic on re-drawn start times). */
function studentised(panel: Panel, group: ArrayLike<number>, beta: number | null, refine: boolean, lastOnly: boolean): number | null {
  const cs = { ...cohortSummaries(panel, group), lastOnly };
  const e = simpleEstimand(cs);
  if (!e) return null;
  const f = new EfficientFitter(cs).fit(e, beta ?? undefined, refine);
  return f.att !== null && f.se !== null ? f.att / f.se : null;
}

export function estimateEfficient(panel: Panel, options: Partial<EfficientOptions> = {}, rng?: Rng): EfficientEstimate {
  const o: EfficientOptions = { ...DEFAULTS, ...definedOnly(options) };
  const cs = { ...cohortSummaries(panel), lastOnly: o.lastTreatedOnly };
  const fitter = new EfficientFitter(cs);
  let fallbacks = 0;
  const fit = (e: LinearEstimand) => {
    const f = fitter.fit(e, o.beta ?? undefined, o.se === 'refined');
    if (f.refinedFailed) fallbacks++;
    return f;
  };
  const messages = [...cs.messages];
  const none = o.lastTreatedOnly
    ? 'no treated cohort has a cell before the last cohort starts'
    : 'no treated cohort has a not-yet-treated comparison cohort';
  const aggregates: Partial<Record<AggregationType, AggregateEstimate>> = {};
  for (const type of o.aggregations) {
    if (type === 'simple') aggregates.simple = aggregate(fit, simpleEstimand(cs), none);
    if (type === 'group') {
      const g = cohortEstimands(cs);
      aggregates.group = aggregate(fit, g.overall, none, g.detail);
    }
    if (type === 'dynamic') {
      const d = eventEstimands(cs, o.minE, o.maxE);
      aggregates.dynamic = aggregate(fit, d.overall, `no event time ≥ 0 in [${o.minE}, ${o.maxE}] has a comparison cohort`, d.detail);
    }
    if (type === 'calendar') {
      const c = calendarEstimands(cs, panel.periods);
      aggregates.calendar = aggregate(fit, c.overall, none, c.detail);
    }
  }
  const att_gt: CellEstimate[] = [];
  if (o.cells) {
    cs.start.forEach((g, k) => {
      for (let t = cs.first[k]; t < cs.aMax; t++) {
        const f = fit(cellEstimand(cs, k, t)!);
        att_gt.push({ group: g, time: panel.periods[t], att: f.att, se: f.se, ...(f.reason ? { reason: f.reason } : {}) });
      }
    });
  }
  if (fallbacks > 0) {
    messages.push(
      `efficient: the refined variance was not positive for ${fallbacks} estimate(s) (many pre-periods against small cohorts); their SE is the Neyman SE. Consider se: neyman.`,
    );
  }
  const simple = aggregates.simple;
  if (simple && simple.att === null && simple.reason) messages.push(simple.reason);
  const fisher =
    o.permutations > 0
      ? fisherTest(
          rng ?? seeded(`fisher\0${o.seed}`),
          panel,
          (g) => studentised(panel, g, o.beta, o.se === 'refined', o.lastTreatedOnly),
          o.permutations,
        )
      : null;
  if (fisher && simple && simple.att !== null) Object.assign(simple, { p: fisher.p, inference: 'fisher' });
  return {
    estimator: `${o.beta === null ? 'efficient' : `efficient:beta=${o.beta}`}${o.lastTreatedOnly ? ':last_treated_only' : ''}`,
    att_gt,
    wald_pretest: null,
    aggregates,
    messages,
    fisher,
    ...(fisher ? {} : { fisher_reason: NO_FISHER }),
  };
}

export function efficientEstimator(options: Partial<EfficientOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'efficient', estimate: (panel: Panel, rng?: Rng) => estimateEfficient(panel, opts, rng) };
}
