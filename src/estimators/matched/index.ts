/**
 * Matched pairs (R4: exact 1:1 matching of participants to never-treated references): the
 * matched-pairs difference in outcomes and its paired SE.
 *
 * Pair p holds a treated unit (start g_p) and a never-treated reference; d_pt = y_treated,t − y_ref,t.
 * ATT(g,t) = mean of d_pt over the pairs of cohort g (levels, no pre-period: matching, not parallel
 * trends, makes the references comparable). Every aggregate is a weighted sum of cells, as R did's
 * aggte weights them (pairs per cohort as the group shares), so it is Σ_g mean_{p∈g} u_p with
 * u_p = Σ_t W_{g,t} d_pt, and its paired variance is Σ_g s²_g(u)/P_g — for one cohort, the classic
 * sd(u)/√P of the paired t-test (the pairs are the units of the design; the weights are fixed by it).
 * Pre-period cells (t < g) are the matched difference before treatment: a balance check, 0 in truth.
 */
import type { Panel } from '../../panel/panel.js';
import { definedOnly } from '../defined.js';
import { EstimatorInputError } from '../errors.js';
import type { AggregateEstimate, AggregationType, CellEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { seOf } from '../twfe/within.js';
import { startOf } from '../twfe/start-groups.js';

export interface MatchedOptions {
  /** Unit-level column holding the pair id (the generator's matched designs write `pair`). */
  pair: string;
  aggregations: AggregationType[];
  minE: number;
  maxE: number;
}

const DEFAULTS: MatchedOptions = {
  pair: 'pair',
  aggregations: ['simple', 'group', 'dynamic', 'calendar'],
  minE: -Infinity,
  maxE: Infinity,
};

interface Pairs {
  /** Cohort start labels, ascending; pairs per cohort. */
  starts: number[];
  size: Float64Array;
  /** Per pair: cohort index, treated unit, reference unit. */
  cohort: Int32Array;
  treated: Int32Array;
  reference: Int32Array;
  messages: string[];
}

/** The pairs of a panel. @throws EstimatorInputError on a missing column or a malformed pair. */
export function pairsOf(panel: Panel, column: string): Pairs {
  const id = panel.covariates[column];
  if (!id)
    throw new EstimatorInputError(
      `matched: no pair column "${column}" in the panel (columns: ${Object.keys(panel.covariates).join(', ') || 'none'}); name it with --pair COLUMN`,
    );
  if (id.length !== panel.nUnits)
    throw new EstimatorInputError(`matched: the pair column "${column}" varies over time; a pair id is a unit attribute`);
  const members = new Map<number, number[]>();
  for (let i = 0; i < panel.nUnits; i++) {
    const m = members.get(id[i]);
    if (m) m.push(i);
    else members.set(id[i], [i]);
  }
  const messages: string[] = [];
  const ok: [number, number, number][] = [];
  let singles = 0;
  for (const [p, us] of members) {
    if (us.length === 1) {
      singles++;
      continue;
    }
    if (us.length !== 2) throw new EstimatorInputError(`matched: pair ${p} has ${us.length} units; 1:1 matching gives pairs of two`);
    const [a, b] = us;
    const ga = startOf(panel, panel.group[a]),
      gb = startOf(panel, panel.group[b]);
    if ((ga === Infinity) === (gb === Infinity)) {
      throw new EstimatorInputError(
        `matched: pair ${p} (units ${panel.ids[a]}, ${panel.ids[b]}) needs one treated unit and one never-treated reference`,
      );
    }
    ok.push(ga === Infinity ? [gb, b, a] : [ga, a, b]);
  }
  if (singles > 0) messages.push(`matched: ${singles} unit(s) without a partner (unmatched) left out.`);
  const starts = [...new Set(ok.map((x) => x[0]))].sort((x, y) => x - y);
  const pos = new Map(starts.map((g, k) => [g, k]));
  const size = new Float64Array(starts.length);
  for (const [g] of ok) size[pos.get(g)!]++;
  return {
    starts,
    size,
    cohort: Int32Array.from(ok, (x) => pos.get(x[0])!),
    treated: Int32Array.from(ok, (x) => x[1]),
    reference: Int32Array.from(ok, (x) => x[2]),
    messages,
  };
}

/** First period index at or after a start label. */
function firstIndex(panel: Panel, g: number): number {
  let t = 0;
  while (t < panel.nPeriods && panel.periods[t] < g) t++;
  return t;
}

/** θ = Σ_g mean_{p∈g} Σ_t W[g,t] d_pt and its paired SE (W: cohorts × periods). */
function fitWeights(panel: Panel, pr: Pairs, W: Float64Array): { att: number; se: number | null } {
  const T = panel.nPeriods,
    n = panel.nUnits,
    G = pr.starts.length;
  const sum = new Float64Array(G),
    sum2 = new Float64Array(G);
  for (let p = 0; p < pr.cohort.length; p++) {
    const k = pr.cohort[p],
      a = pr.treated[p],
      b = pr.reference[p];
    let u = 0;
    for (let t = 0; t < T; t++) {
      const w = W[k * T + t];
      if (w !== 0) u += w * (panel.y[t * n + a] - panel.y[t * n + b]);
    }
    sum[k] += u;
    sum2[k] += u * u;
  }
  let att = 0,
    v = 0;
  for (let k = 0; k < G; k++) {
    const P = pr.size[k];
    if (P === 0) continue;
    const m = sum[k] / P;
    att += m;
    if (P > 1) v += (sum2[k] - P * m * m) / (P - 1) / P;
  }
  return { att, se: seOf(v) };
}

export function estimateMatched(panel: Panel, options: Partial<MatchedOptions> = {}): Estimate {
  const o: MatchedOptions = { ...DEFAULTS, ...definedOnly(options) };
  const pr = pairsOf(panel, o.pair);
  const T = panel.nPeriods,
    G = pr.starts.length;
  const first = pr.starts.map((g) => firstIndex(panel, g));
  const empty = () => new Float64Array(G * T);
  const fit = (W: Float64Array, why: string): AggregateEstimate => {
    const f = fitWeights(panel, pr, W);
    return f.se === null ? { att: f.att, se: null, reason: why } : { att: f.att, se: f.se };
  };
  const noSe = 'no standard error (fewer than two pairs, or identical differences)';
  const row = (key: number, W: Float64Array): DetailEstimate => ({ key, ...fit(W, noSe) });
  const post = (k: number) => Array.from({ length: Math.max(0, T - first[k]) }, (_, j) => first[k] + j);
  const Ptot = (ks: number[]) => ks.reduce((s, k) => s + pr.size[k], 0);
  const aggregates: Partial<Record<AggregationType, AggregateEstimate>> = {};
  const none: AggregateEstimate = { att: null, se: null, reason: G === 0 ? 'no matched pairs' : 'no post-treatment period in the panel' };
  const mean = (rows: Float64Array[]) => {
    const W = empty();
    for (const r of rows) for (let j = 0; j < W.length; j++) W[j] += r[j] / rows.length;
    return W;
  };

  if (o.aggregations.includes('simple')) {
    const cells = pr.starts.flatMap((_, k) => post(k).map((t) => ({ k, t })));
    const sw = cells.reduce((s, c) => s + pr.size[c.k], 0);
    const W = empty();
    for (const c of cells) W[c.k * T + c.t] += pr.size[c.k] / sw;
    aggregates.simple = sw > 0 ? fit(W, noSe) : none;
  }
  if (o.aggregations.includes('group')) {
    const ks = pr.starts.map((_, k) => k).filter((k) => post(k).length > 0);
    const rows = ks.map((k) => {
      const W = empty();
      for (const t of post(k)) W[k * T + t] = 1 / post(k).length;
      return W;
    });
    const W = empty();
    rows.forEach((r, j) => {
      for (let q = 0; q < W.length; q++) W[q] += (pr.size[ks[j]] / Ptot(ks)) * r[q];
    });
    aggregates.group = ks.length > 0 ? { ...fit(W, noSe), detail: ks.map((k, j) => row(pr.starts[k], rows[j])) } : none;
  }
  if (o.aggregations.includes('dynamic')) {
    const detail: { key: number; W: Float64Array }[] = [];
    for (let e = Math.max(o.minE, -T); e <= Math.min(o.maxE, T); e++) {
      const ks = pr.starts.map((_, k) => k).filter((k) => first[k] + e >= 0 && first[k] + e < T);
      if (ks.length === 0) continue;
      const W = empty();
      for (const k of ks) W[k * T + first[k] + e] = pr.size[k] / Ptot(ks);
      detail.push({ key: e, W });
    }
    const postRows = detail.filter((d) => d.key >= 0).map((d) => d.W);
    aggregates.dynamic = { ...(postRows.length > 0 ? fit(mean(postRows), noSe) : none), detail: detail.map((d) => row(d.key, d.W)) };
  }
  if (o.aggregations.includes('calendar')) {
    const detail: { key: number; W: Float64Array }[] = [];
    for (let t = 0; t < T; t++) {
      const ks = pr.starts.map((_, k) => k).filter((k) => first[k] <= t);
      if (ks.length === 0) continue;
      const W = empty();
      for (const k of ks) W[k * T + t] = pr.size[k] / Ptot(ks);
      detail.push({ key: panel.periods[t], W });
    }
    aggregates.calendar =
      detail.length > 0 ? { ...fit(mean(detail.map((d) => d.W)), noSe), detail: detail.map((d) => row(d.key, d.W)) } : none;
  }
  const att_gt: CellEstimate[] = [];
  pr.starts.forEach((g, k) => {
    for (let t = 0; t < T; t++) {
      const W = empty();
      W[k * T + t] = 1;
      const f = fit(W, noSe);
      att_gt.push({ group: g, time: panel.periods[t], att: f.att, se: f.se, ...(f.reason ? { reason: f.reason } : {}) });
    }
  });
  return { estimator: 'matched', att_gt, wald_pretest: null, aggregates, messages: pr.messages };
}

export function matchedEstimator(options: Partial<MatchedOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'matched', estimate: (panel: Panel) => estimateMatched(panel, opts) };
}
