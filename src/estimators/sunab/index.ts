/**
 * Sun & Abraham (2021) interaction-weighted (IW) event study.
 *
 * Step 1, the saturated regression (SA eq. 14): y_it = α_i + λ_t + Σ_{e∉C} Σ_{ℓ≠−1} δ_{e,ℓ} 1{E_i = e} 1{t − e = ℓ} + ε_it,
 * with control cohort C the never treated (or, when there are none, the last-treated cohort, and the
 * periods from its start dropped). Every treated cohort has one free period (ℓ = −1) and the control
 * cohort none, so on a balanced panel without covariates the least-squares solution is closed form:
 *   δ̂_{e,ℓ} = (ȳ_{e, e+ℓ} − ȳ_{e, e−1}) − (ȳ_{C, e+ℓ} − ȳ_{C, e−1}),
 * a DiD against the base period e − 1 (tests check this against the regression itself).
 * Step 2, the IW estimator (SA eq. 16): ν̂_ℓ = Σ_e δ̂_{e,ℓ} Pr̂(E = e | E ∈ [ℓ]), cohort shares among the
 * cohorts observed at ℓ → aggregates.dynamic. aggregates.simple averages all post-treatment cells
 * (ℓ ≥ 0) with weights ∝ cohort size (fixest's sunab att), aggregates.group averages each cohort's
 * post-treatment cells.
 *
 * Standard errors from influence functions (SA Proposition 6, the delta method): unit i's
 * contribution to δ̂_{e,ℓ} is (Δ_i − Δ̄_e)/n_e in cohort e and −(Δ_i − Δ̄_C)/n_C in the control cohort,
 * Δ_i = y_{i,e+ℓ} − y_{i,e−1}; an aggregate Σ_c w_c δ̂_c with w_c ∝ n_{e(c)} a_c adds the estimation of
 * the cohort shares, Σ_{c∈e(i)} a_c (δ̂_c − θ̂) / Σ_c n_{e(c)} a_c. V̂ = Σ_g (Σ_{i∈g} φ_i)² over clusters
 * g (units, or the panel's cluster column), no small-sample factor. These equal R did's
 * (Callaway & Sant'Anna with never-treated controls, universal base period, no covariates) estimates
 * and analytic SEs, which the tests check.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import type { AggregateEstimate, CellEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { clusterCodes, cohortsOf } from '../twfe/cohorts.js';
import { seOf } from '../twfe/within.js';

export interface SunabOptions {
  /** Event times reported in aggregates.dynamic (all relative periods are estimated). */
  minE: number;
  maxE: number;
  cluster: 'unit' | 'column';
}

interface SaCell {
  cohort: number;
  event: number;
  t: number;
  base: number;
  att: number;
}

export function estimateSunab(panel: Panel, options: Partial<SunabOptions> = {}): Estimate {
  const o: SunabOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', ...definedOnly(options) };
  const n = panel.nUnits, co = cohortsOf(panel), C = co.start.length;
  const clusters = clusterCodes(panel, o.cluster === 'column');
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({ estimator: 'sunab', att_gt: [], wald_pretest: null, aggregates: { simple: { att: null, se: null, reason } }, messages: [...messages, reason] });

  // Control cohort and the periods it can serve.
  let control = co.start.findIndex((g) => !Number.isFinite(g));
  let T = panel.nPeriods;
  if (control < 0) {
    control = C - 1;
    T = co.firstIndex[control];
    if (C < 2 || T < 2) return fail('no never-treated units and no later-treated cohort with two untreated periods to serve as control');
    messages.push(`No never-treated units: the last-treated cohort (g=${co.start[control]}) is the control, and periods from ${co.start[control]} on are dropped.`);
  }
  const treated: number[] = [];
  for (let c = 0; c < C; c++) {
    if (c === control) continue;
    if (co.firstIndex[c] === 0) {
      messages.push(`${co.size[c]} always-treated unit(s) (g=${co.start[c]}) have no pre-period and are left out.`);
      continue;
    }
    if (co.firstIndex[c] < T) treated.push(c);
  }
  if (treated.length === 0) return fail('no cohort is treated inside the periods the control cohort covers');

  const members: Int32Array[] = Array.from({ length: C }, (_, c) => new Int32Array(co.size[c]));
  const fill = new Int32Array(C);
  for (let i = 0; i < n; i++) members[co.of[i]][fill[co.of[i]]++] = i;
  const y = panel.y;
  const cellMean = (c: number, t: number) => {
    let s = 0;
    for (const i of members[c]) s += y[t * n + i];
    return s / members[c].length;
  };

  const cells: SaCell[] = [];
  for (const c of treated) {
    const base = co.firstIndex[c] - 1;
    const b0 = cellMean(c, base) - cellMean(control, base);
    for (let t = 0; t < T; t++) {
      if (t === base) continue;
      cells.push({ cohort: c, event: panel.periods[t] - co.start[c], t, base, att: cellMean(c, t) - cellMean(control, t) - b0 });
    }
  }

  /** θ = Σ w_c δ_c with w_c ∝ n_e a_c and its influence function, including the share-estimation term. */
  const aggregate = (sel: Array<{ cell: SaCell; a: number }>): { att: number; phi: Float64Array } => {
    let W = 0;
    for (const { cell, a } of sel) W += co.size[cell.cohort] * a;
    let att = 0;
    for (const { cell, a } of sel) att += (co.size[cell.cohort] * a / W) * cell.att;
    const phi = new Float64Array(n);
    for (const { cell, a } of sel) {
      const w = co.size[cell.cohort] * a / W;
      for (const [c, sign] of [[cell.cohort, 1], [control, -1]] as const) {
        const m = members[c];
        let mean = 0;
        for (const i of m) mean += y[cell.t * n + i] - y[cell.base * n + i];
        mean /= m.length;
        const f = (sign * w) / m.length;
        for (const i of m) phi[i] += f * (y[cell.t * n + i] - y[cell.base * n + i] - mean);
      }
      const share = (a * (cell.att - att)) / W;
      for (const i of members[cell.cohort]) phi[i] += share;
    }
    return { att, phi };
  };
  /** V̂ = Σ_g (Σ_{i∈g} φ_i)². */
  const se = (phi: Float64Array): number | null => {
    const byCluster = new Float64Array(clusters.count);
    for (let i = 0; i < n; i++) byCluster[clusters.code[i]] += phi[i];
    let v = 0;
    for (const s of byCluster) v += s * s;
    return seOf(v);
  };
  const row = (sel: Array<{ cell: SaCell; a: number }>) => {
    const { att, phi } = aggregate(sel);
    const s = se(phi);
    return s === null ? { att, se: s, reason: 'no standard error (zero variance)' } : { att, se: s };
  };
  const all = (list: SaCell[]) => list.map((cell) => ({ cell, a: 1 }));

  const att_gt: CellEstimate[] = cells.map((c) => ({ group: co.start[c.cohort], time: panel.periods[c.t], ...row([{ cell: c, a: 1 }]) }));
  const post = cells.filter((c) => c.event >= 0);
  const simple: AggregateEstimate = post.length > 0 ? row(all(post)) : { att: null, se: null, reason: 'no post-treatment cells' };

  const events = [...new Set(cells.map((c) => c.event))].filter((e) => e >= o.minE && e <= o.maxE).sort((a, b) => a - b);
  const byEvent = events.map((e) => ({ e, ...aggregate(all(cells.filter((c) => c.event === e))) }));
  const detail: DetailEstimate[] = byEvent.map((b) => {
    const s = se(b.phi);
    return s === null ? { key: b.e, att: b.att, se: null, reason: 'no standard error (zero variance)' } : { key: b.e, att: b.att, se: s };
  });
  if (-1 >= o.minE && -1 <= o.maxE) detail.push({ key: -1, att: 0, se: null, reason: 'reference period (normalised to 0)' });
  detail.sort((a, b) => a.key - b.key);
  const dynamic: AggregateEstimate = { att: null, se: null, detail };
  const postE = byEvent.filter((b) => b.e >= 0);
  if (postE.length > 0) {
    // The overall event-study effect: the mean of ν̂_ℓ over the post-treatment event times in the window.
    const phi = new Float64Array(n);
    for (const b of postE) for (let i = 0; i < n; i++) phi[i] += b.phi[i] / postE.length;
    dynamic.att = postE.reduce((s, b) => s + b.att, 0) / postE.length;
    dynamic.se = se(phi);
    if (dynamic.se === null) dynamic.reason = 'no standard error (zero variance)';
  } else dynamic.reason = 'no post-treatment event times in the window';

  const group: AggregateEstimate = { att: null, se: null, reason: 'no cohort has a post-treatment period', detail: treated.map((c) => {
    const own = post.filter((x) => x.cohort === c);
    if (own.length === 0) return { key: co.start[c], att: null, se: null, reason: 'no post-treatment period observed for this cohort' };
    return { key: co.start[c], ...row(all(own)) };
  }) };
  if (post.length > 0) {
    // Cohort-size weighted average of the cohort effects: a_c = 1 / (post cells of its cohort).
    const count = new Map<number, number>();
    for (const x of post) count.set(x.cohort, (count.get(x.cohort) ?? 0) + 1);
    const r = row(post.map((cell) => ({ cell, a: 1 / count.get(cell.cohort)! })));
    group.att = r.att; group.se = r.se;
    if ('reason' in r) group.reason = r.reason; else delete group.reason;
  }
  return { estimator: 'sunab', att_gt, wald_pretest: null, aggregates: { simple, group, dynamic }, messages };
}

export function sunabEstimator(options: Partial<SunabOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'sunab', estimate: (panel: Panel) => estimateSunab(panel, opts) };
}
