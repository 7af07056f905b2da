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
 *
 * Covariates enter the saturated regression linearly, as fixest's `feols(y ~ x + sunab(g, t) | id + t)`:
 * the δ̂_{e,ℓ} then come from the regression itself (two-way-fit.ts) and each unit's contribution from
 * the regression's influence function φ_i = G⁻¹ Σ_t z̃_it e_it (which, without covariates, is the
 * closed-form contribution above). Anticipation δ: units may react from e − δ, so the reference
 * (base) period is e − 1 − δ (fixest's `ref.p = −1 − δ`), and without never-treated units the control
 * cohort serves only until its own start − δ.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import type { AggregateEstimate, CellEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { checkAnticipation, checkCovariates, clusterCodes, startGroupsOf, reactionIndex } from '../twfe/start-groups.js';
import { fitTwoWay, type CovariateCoefficient } from '../twfe/two-way-fit.js';
import { seOf } from '../twfe/within.js';
import { vcovFromClusterSums } from '../event-vcov.js';

export interface SunabOptions {
  /** Event times reported in aggregates.dynamic (all relative periods are estimated). */
  minE: number;
  maxE: number;
  cluster: 'unit' | 'column';
  /** Periods δ ≥ 0 before the start in which units may already react. */
  anticipation: number;
  /** Panel covariate columns entering the saturated regression linearly. */
  covariates: string[];
}

export interface SunabEstimate extends Estimate {
  /** Covariate coefficients of the saturated regression with CR1 SEs (fixest's default), with covariates. */
  covariates?: CovariateCoefficient[];
  /** The overall ATT with fixest's SE (summary(agg = "att"): cohort shares as known, CR1), for comparison with fixest. */
  fixest_att?: { att: number; se: number | null };
}

interface SaCell {
  cohort: number;
  event: number;
  t: number;
  base: number;
  att: number;
  /** Position among the regression's coefficients. */
  j: number;
}

export function estimateSunab(panel: Panel, options: Partial<SunabOptions> = {}): SunabEstimate {
  const o: SunabOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', anticipation: 0, covariates: [], ...definedOnly(options) };
  checkAnticipation('sunab', o.anticipation);
  checkCovariates(panel, 'sunab', o.covariates);
  const n = panel.nUnits,
    co = startGroupsOf(panel),
    C = co.start.length;
  const react = reactionIndex(panel, co, o.anticipation);
  const clusters = clusterCodes(panel, o.cluster === 'column');
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({
    estimator: 'sunab',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: null, se: null, reason } },
    messages: [...messages, reason],
  });

  // Control cohort and the periods it can serve.
  let control = co.start.findIndex((g) => !Number.isFinite(g));
  let T = panel.nPeriods;
  if (control < 0) {
    control = C - 1;
    T = react[control];
    if (C < 2 || T < 2) return fail('no never-treated units and no later-treated cohort with two untreated periods to serve as control');
    messages.push(
      `No never-treated units: the last-treated cohort (g=${co.start[control]}) is the control, and periods from ${panel.periods[T]} on are dropped.`,
    );
  }
  const treated: number[] = [];
  for (let c = 0; c < C; c++) {
    if (c === control) continue;
    if (react[c] === 0) {
      messages.push(
        `${co.size[c]} always-treated unit(s) (g=${co.start[c]}) have no pre-period${o.anticipation > 0 ? ` before the anticipation periods` : ''} and are left out.`,
      );
      continue;
    }
    if (react[c] < T) treated.push(c);
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
    const base = react[c] - 1;
    const b0 = cellMean(c, base) - cellMean(control, base);
    for (let t = 0; t < T; t++) {
      if (t === base) continue;
      cells.push({
        cohort: c,
        event: panel.periods[t] - co.start[c],
        t,
        base,
        att: cellMean(c, t) - cellMean(control, t) - b0,
        j: cells.length,
      });
    }
  }
  // With covariates: the saturated regression itself, one dummy per cell, on the treated and control cohorts.
  let reg: { phi: Float64Array; k: number } | null = null;
  let covariates: CovariateCoefficient[] | undefined;
  if (o.covariates.length > 0) {
    const TA = panel.nPeriods,
      k = cells.length;
    const regressors = cells.map((cell) => {
      const x = new Float64Array(C * TA);
      x[cell.cohort * TA + cell.t] = 1;
      return x;
    });
    const use = new Uint8Array(C);
    for (const c of treated) use[c] = 1;
    use[control] = 1;
    const f = fitTwoWay(panel, co, regressors, o.covariates, clusters, use, T);
    messages.push(...f.messages);
    if (!f.beta || !f.phi) return fail(f.reason ?? 'the saturated regression is not identified');
    cells.forEach((cell, j) => {
      cell.att = f.beta![j];
    });
    reg = { phi: f.phi, k };
    covariates = f.covariates;
  }

  /** θ = Σ w_c δ_c with w_c ∝ n_e a_c and its influence function, including the share-estimation term. */
  const aggregate = (sel: Array<{ cell: SaCell; a: number }>, shares = true): { att: number; phi: Float64Array } => {
    let W = 0;
    for (const { cell, a } of sel) W += co.size[cell.cohort] * a;
    let att = 0;
    for (const { cell, a } of sel) att += ((co.size[cell.cohort] * a) / W) * cell.att;
    const phi = new Float64Array(n);
    for (const { cell, a } of sel) {
      const w = (co.size[cell.cohort] * a) / W;
      if (reg) {
        for (let i = 0; i < n; i++) phi[i] += w * reg.phi[i * reg.k + cell.j];
      } else
        for (const [c, sign] of [
          [cell.cohort, 1],
          [control, -1],
        ] as const) {
          const m = members[c];
          let mean = 0;
          for (const i of m) mean += y[cell.t * n + i] - y[cell.base * n + i];
          mean /= m.length;
          const f = (sign * w) / m.length;
          for (const i of m) phi[i] += f * (y[cell.t * n + i] - y[cell.base * n + i] - mean);
        }
      if (!shares) continue;
      const share = (a * (cell.att - att)) / W;
      for (const i of members[cell.cohort]) phi[i] += share;
    }
    return { att, phi };
  };
  const clusterSums = (phi: Float64Array): Float64Array => {
    const byCluster = new Float64Array(clusters.count);
    for (let i = 0; i < n; i++) byCluster[clusters.code[i]] += phi[i];
    return byCluster;
  };
  /** V̂ = Σ_g (Σ_{i∈g} φ_i)². */
  const se = (phi: Float64Array): number | null => {
    const byCluster = clusterSums(phi);
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
  // fixest's summary(agg = "att") SE: the cohort shares taken as known, CR1 (K = cells + covariates + T).
  let fixestAtt: SunabEstimate['fixest_att'];
  if (post.length > 0) {
    const { att, phi } = aggregate(all(post), false);
    let units = 0;
    for (let c = 0; c < C; c++) if (c === control || treated.includes(c)) units += co.size[c];
    const N = units * T,
      K = cells.length + (covariates?.length ?? 0) + T;
    const used = new Set<number>();
    for (let c = 0; c < C; c++) if (c === control || treated.includes(c)) for (const i of members[c]) used.add(clusters.code[i]);
    const G = used.size;
    const v = se(phi);
    fixestAtt = { att, se: v !== null && G > 1 && N > K ? v * Math.sqrt((G / (G - 1)) * ((N - 1) / (N - K))) : null };
  }

  const events = [...new Set(cells.map((c) => c.event))].filter((e) => e >= o.minE && e <= o.maxE).sort((a, b) => a - b);
  const byEvent = events.map((e) => ({ e, ...aggregate(all(cells.filter((c) => c.event === e))) }));
  const detail: DetailEstimate[] = byEvent.map((b) => {
    const s = se(b.phi);
    return s === null ? { key: b.e, att: b.att, se: null, reason: 'no standard error (zero variance)' } : { key: b.e, att: b.att, se: s };
  });
  const ref = -1 - o.anticipation;
  if (ref >= o.minE && ref <= o.maxE)
    detail.push({ key: ref, att: 0, se: null, reason: 'reference period (normalised to 0)', reference: true });
  detail.sort((a, b) => a.key - b.key);
  // The event-study covariance, V̂_ab = Σ_g S_g^a S_g^b (the SEs' V̂ across event times); the
  // reference row has none.
  const phiOf = new Map(byEvent.map((b) => [b.e, b.phi]));
  const vcov = vcovFromClusterSums(
    detail.map((d) => (d.se !== null && phiOf.has(d.key) ? clusterSums(phiOf.get(d.key)!) : null)),
    1,
  );
  const dynamic: AggregateEstimate = { att: null, se: null, detail, vcov };
  const postE = byEvent.filter((b) => b.e >= 0);
  if (postE.length > 0) {
    // The overall event-study effect: the mean of ν̂_ℓ over the post-treatment event times in the window.
    const phi = new Float64Array(n);
    for (const b of postE) for (let i = 0; i < n; i++) phi[i] += b.phi[i] / postE.length;
    dynamic.att = postE.reduce((s, b) => s + b.att, 0) / postE.length;
    dynamic.se = se(phi);
    if (dynamic.se === null) dynamic.reason = 'no standard error (zero variance)';
  } else dynamic.reason = 'no post-treatment event times in the window';

  const group: AggregateEstimate = {
    att: null,
    se: null,
    reason: 'no cohort has a post-treatment period',
    detail: treated.map((c) => {
      const own = post.filter((x) => x.cohort === c);
      if (own.length === 0) return { key: co.start[c], att: null, se: null, reason: 'no post-treatment period observed for this cohort' };
      return { key: co.start[c], ...row(all(own)) };
    }),
  };
  if (post.length > 0) {
    // Cohort-size weighted average of the cohort effects: a_c = 1 / (post cells of its cohort).
    const count = new Map<number, number>();
    for (const x of post) count.set(x.cohort, (count.get(x.cohort) ?? 0) + 1);
    const r = row(post.map((cell) => ({ cell, a: 1 / count.get(cell.cohort)! })));
    group.att = r.att;
    group.se = r.se;
    if ('reason' in r) group.reason = r.reason;
    else delete group.reason;
  }
  return {
    estimator: 'sunab',
    att_gt,
    wald_pretest: null,
    aggregates: { simple, group, dynamic },
    messages,
    ...(covariates ? { covariates } : {}),
    ...(fixestAtt ? { fixest_att: fixestAtt } : {}),
  };
}

export function sunabEstimator(options: Partial<SunabOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'sunab', estimate: (panel: Panel) => estimateSunab(panel, opts) };
}
