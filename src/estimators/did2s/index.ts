/**
 * Gardner's (2022) two-stage difference-in-differences, as the R package did2s (Butts & Gardner 2022)
 * computes it with first_stage = ~ 0 | fe + year and second_stage = ~ i(treat) or ~ i(rel_year):
 *
 * 1. Y_it(0) = α_{a(i)} + λ_t by OLS on the untreated observations (t < g, or never treated), with a the
 *    unit (did2s's `| unit + year`) or the panel's cluster column (its README's `| state + year`);
 * 2. regress Ỹ = Y − α̂ − λ̂ on the treatment dummy (static) or on event-time dummies (event study), no
 *    intercept, on every observation whose α and λ are identified. The dummies are disjoint, so each
 *    coefficient is the mean of Ỹ over its observations.
 *
 * SEs: Gardner's GMM correction for the estimated first stage (Gardner 2022, Section 3; did2s's
 * analytic SE): the influence of observation i on β is (X₂'X₂)⁻¹[γ'x₁₀ᵢ ε̂₁ᵢ − x₂ᵢ ε̂₂ᵢ] with
 * γ = (X₁₀'X₁₀)⁻¹X₁'X₂, X₁₀ the first-stage design with treated rows zeroed, ε̂₁ the first-stage residual
 * (0 on treated rows) and ε̂₂ the second-stage residual; V = Σ_c (Σ_{i∈c} IFᵢ)(Σ_{i∈c} IFᵢ)' over clusters,
 * no small-sample factor (did2s applies none). γ's column k is the two-way projection of x₂ₖ, so
 * γ'x₁₀ᵢ = α^k_{a(i)} + λ^k_t (two-way-projection.ts).
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { clusterCodes, startGroupsOf } from '../twfe/start-groups.js';
import { seOf } from '../twfe/within.js';
import { twoWayProjection } from './two-way-projection.js';

export interface Did2sOptions {
  /** Event times reported in aggregates.dynamic (the overall dynamic averages those ≥ 0). */
  minE: number;
  maxE: number;
  /** Clusters of the SE: units, or the panel's cluster column (did2s's cluster_var). */
  cluster: 'unit' | 'column';
  /** First-stage fixed effects besides the period's: unit (did2s `| unit + year`) or the cluster column (`| state + year`). */
  fixedEffects: 'unit' | 'column';
}

/** One second-stage regression: disjoint 0/1 columns, each a list of observation indices t·n + i. */
interface Stage2 {
  beta: Float64Array;
  vcov: Float64Array;
  count: Float64Array;
}

export function estimateDid2s(panel: Panel, options: Partial<Did2sOptions> = {}): Estimate {
  const o: Did2sOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', fixedEffects: 'unit', ...definedOnly(options) };
  const n = panel.nUnits,
    T = panel.nPeriods,
    y = panel.y;
  const co = startGroupsOf(panel);
  const first = (i: number) => co.firstIndex[co.of[i]];
  const treated = (t: number, i: number) => t >= first(i);
  const fe = clusterCodes(panel, o.fixedEffects === 'column');
  const cl = clusterCodes(panel, o.cluster === 'column');
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({
    estimator: 'did2s',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: null, se: null, reason }, dynamic: { att: null, se: null, reason } },
    messages: [...messages, reason],
  });
  const proj = twoWayProjection(fe.code, fe.count, T, (t, i) => !treated(t, i));
  if (!proj) return fail('the untreated observations do not identify the first-stage fixed effects');

  // Step 1: α̂, λ̂ on the untreated observations; Ỹ on every observation where both are identified.
  const R = new Float64Array(fe.count),
    s = new Float64Array(T);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++)
      if (!treated(t, i)) {
        R[fe.code[i]] += y[t * n + i];
        s[t] += y[t * n + i];
      }
  const fit = proj.solve(R, s);
  const usable = (t: number, i: number) => proj.groupCount[fe.code[i]] > 0 && proj.periodCount[t] > 0;
  const ytil = new Float64Array(n * T);
  let dropped = 0;
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      if (usable(t, i)) ytil[t * n + i] = y[t * n + i] - fit.alpha[fe.code[i]] - fit.lambda[t];
      else if (treated(t, i)) dropped++;
    }
  if (dropped > 0)
    messages.push(
      `${dropped} treated observation(s) have no untreated observation of their ${o.fixedEffects === 'unit' ? 'unit' : 'cluster'} or period to impute Y(0) from and are left out (as did2s drops rows the first stage cannot predict).`,
    );

  /** Step 2 and the GMM variance for disjoint dummy columns: column(t, i) = k, or −1 for none. */
  const stage2 = (K: number, column: (t: number, i: number) => number): Stage2 => {
    const count = new Float64Array(K),
      beta = new Float64Array(K);
    const colOf = new Int32Array(n * T).fill(-1);
    for (let t = 0; t < T; t++)
      for (let i = 0; i < n; i++) {
        if (!usable(t, i)) continue;
        const k = column(t, i);
        if (k < 0) continue;
        colOf[t * n + i] = k;
        count[k]++;
        beta[k] += ytil[t * n + i];
      }
    for (let k = 0; k < K; k++) beta[k] /= count[k];
    // Per cluster and column: Σ γ'x₁₀ ε̂₁ − Σ x₂ ε̂₂, scaled by (X₂'X₂)⁻¹ = 1/count.
    const S = new Float64Array(K * cl.count);
    for (let k = 0; k < K; k++) {
      // X₁'x₂ₖ: column k's observations by fixed-effect group and by period.
      const Rk = new Float64Array(fe.count),
        sk = new Float64Array(T);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < n; i++)
          if (colOf[t * n + i] === k) {
            Rk[fe.code[i]]++;
            sk[t]++;
          }
      const g = proj.solve(Rk, sk);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < n; i++) {
          const m = t * n + i;
          let v = 0;
          if (!treated(t, i)) v += (g.alpha[fe.code[i]] + g.lambda[t]) * ytil[m];
          if (colOf[m] === k) v -= ytil[m] - beta[k];
          if (v !== 0) S[k * cl.count + cl.code[i]] += v / count[k];
        }
    }
    const vcov = new Float64Array(K * K);
    for (let k = 0; k < K; k++)
      for (let l = 0; l <= k; l++) {
        let v = 0;
        for (let c = 0; c < cl.count; c++) v += S[k * cl.count + c] * S[l * cl.count + c];
        vcov[k * K + l] = v;
        vcov[l * K + k] = v;
      }
    return { beta, vcov, count };
  };

  // Static: i(treat).
  let nTreated = 0;
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) if (treated(t, i) && usable(t, i)) nTreated++;
  if (nTreated === 0) return fail('no treated observation has an imputable Y(0)');
  const st = stage2(1, (t, i) => (treated(t, i) ? 0 : -1));
  const simple: AggregateEstimate = { att: st.beta[0], se: seOf(st.vcov[0]) };
  if (simple.se === null) simple.reason = 'no standard error (zero variance)';

  // Event study: i(rel_year) over the ever-treated units' observations, within the window.
  const event = (t: number, i: number) => panel.periods[t] - co.start[co.of[i]];
  const keySet = new Set<number>();
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(co.start[co.of[i]]) || first(i) === 0 || !usable(t, i)) continue;
      const e = event(t, i);
      if (e >= o.minE && e <= o.maxE) keySet.add(e);
    }
  const keys = [...keySet].sort((x, z) => x - z);
  const index = new Map(keys.map((e, k) => [e, k]));
  const es = stage2(keys.length, (t, i) => (Number.isFinite(co.start[co.of[i]]) ? (index.get(event(t, i)) ?? -1) : -1));
  const K = keys.length;
  const detail: DetailEstimate[] = keys.map((key, k) => {
    const se = seOf(es.vcov[k * K + k]);
    return se === null ? { key, att: es.beta[k], se, reason: 'no standard error (zero variance)' } : { key, att: es.beta[k], se };
  });
  const vcov = keys.map((_, k) => keys.map((__, l) => es.vcov[k * K + l]));
  const post = keys.map((e, k) => (e >= 0 ? k : -1)).filter((k) => k >= 0);
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'no post-treatment event time in the window', detail, vcov };
  if (post.length > 0) {
    let att = 0,
      v = 0;
    for (const k of post) {
      att += es.beta[k] / post.length;
      for (const l of post) v += es.vcov[k * K + l] / post.length ** 2;
    }
    dynamic.att = att;
    dynamic.se = seOf(v);
    dynamic.reason = dynamic.se === null ? 'no standard error (zero variance)' : undefined;
    if (dynamic.reason === undefined) delete dynamic.reason;
  }
  return { estimator: 'did2s', att_gt: [], wald_pretest: null, aggregates: { simple, dynamic }, messages };
}

export function did2sEstimator(options: Partial<Did2sOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'did2s', estimate: (panel: Panel) => estimateDid2s(panel, opts) };
}
