/**
 * BJS's own pre-trend test (Borusyak, Jaravel & Spiess 2024, Section 4.4, Test 1; didimputation's
 * `pretrends = -K:-1`): on the untreated observations Ω₀ only, regress y on unit and period fixed
 * effects plus dummies for the event times −K … −1 of the eventually treated units,
 *
 *   Y_it = α_i + λ_t + Σ_{k=1..K} γ_k 1{t − g_i = −k} + ε_it,  (i, t) ∈ Ω₀,
 *
 * and test γ = 0 jointly. Unlike an event-study's pre-period coefficients this regression is separate
 * from the imputation (the estimates of τ are unaffected). SEs: cluster-robust as didimputation's
 * fixest::feols(…, cluster = cluster_var) computes them — by Frisch–Waugh–Lovell on the two-way
 * residualised dummies, with fixest's small-sample factor G/(G−1)·(n−1)/(n−K), K = the K dummies plus
 * the period effects (the unit effects are nested in the clusters and not counted, fixef.K = "nested";
 * by a coarser cluster column they are). The joint test: W = γ̂'V̂⁻¹γ̂, χ²(K).
 *
 * se = 'iid' gives the homoskedastic SEs σ̂²[(D̃'D̃)⁻¹]_kk, σ̂² = RSS/(n − K − units − periods + 1): what
 * the didimputation README prints for `pretrends = -5:-1` on df_het (all five 0.07634962), so that its
 * printed output can be checked; the family reports the clustered ones.
 */
import type { Panel } from '../../panel/panel.js';
import { invert } from '../../linalg/small.js';
import { chisqUpper } from '../../stats/chisq.js';
import { twoWayProjection } from '../did2s/two-way-projection.js';
import type { WaldPretest } from '../types.js';
import { clusterCodes, startGroupsOf, reactionIndex } from '../twfe/start-groups.js';

export interface PretrendRow {
  /** Event time −k. */
  key: number;
  coef: number | null;
  se: number | null;
  reason?: string;
}

export interface PretrendResult {
  rows: PretrendRow[];
  wald: WaldPretest;
}

/**
 * @param leads K ≥ 1: the event times −K … −1 (didimputation's pretrends = -K:-1)
 * @param anticipation δ: Ω₀ = {t < g − δ}, so the leads are −δ−K … −δ−1 counted from g
 */
export function bjsPretrend(
  panel: Panel,
  leads: number,
  cluster: 'unit' | 'column',
  anticipation = 0,
  se: 'cluster' | 'iid' = 'cluster',
): PretrendResult {
  const n = panel.nUnits,
    T = panel.nPeriods,
    y = panel.y;
  const co = startGroupsOf(panel);
  const u = reactionIndex(panel, co, anticipation);
  const untreated = (t: number, i: number) => t < u[co.of[i]];
  const fail = (reason: string): PretrendResult => ({
    rows: Array.from({ length: leads }, (_, k) => ({ key: -(leads - k) - anticipation, coef: null, se: null, reason })),
    wald: { W: null, df: leads, p: null, reason },
  });
  const units = Int32Array.from({ length: n }, (_, i) => i);
  const proj = twoWayProjection(units, n, T, untreated);
  if (!proj) return fail('the untreated observations do not identify the unit and period effects');
  // The event time of an untreated observation of an eventually treated unit, counted from its first
  // reacting period (−1 = the period just before it).
  const lead = (t: number, i: number): number => {
    const c = co.of[i];
    if (!Number.isFinite(co.start[c]) || !untreated(t, i)) return 0;
    const k = u[c] - t; // 1 = last untreated period
    return k >= 1 && k <= leads ? k : 0;
  };
  /** Two-way residual (on Ω₀) of z. */
  const residual = (z: (t: number, i: number) => number): Float64Array => {
    const R = new Float64Array(n),
      s = new Float64Array(T);
    for (let t = 0; t < T; t++)
      for (let i = 0; i < n; i++)
        if (untreated(t, i)) {
          const v = z(t, i);
          R[i] += v;
          s[t] += v;
        }
    const f = proj.solve(R, s);
    const r = new Float64Array(n * T);
    for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) if (untreated(t, i)) r[t * n + i] = z(t, i) - f.alpha[i] - f.lambda[t];
    return r;
  };
  const K = leads;
  const count = new Float64Array(K);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const k = lead(t, i);
      if (k > 0) count[k - 1]++;
    }
  const missing = [...count].map((c, k) => (c === 0 ? -(k + 1) - anticipation : 0)).filter((e) => e !== 0);
  if (missing.length > 0) return fail(`no untreated observation at event time ${missing.join(', ')}`);
  const yr = residual((t, i) => y[t * n + i]);
  const dr = Array.from({ length: K }, (_, k) => residual((t, i) => (lead(t, i) === k + 1 ? 1 : 0)));
  const xtx = new Float64Array(K * K),
    xty = new Float64Array(K);
  for (let m = 0; m < n * T; m++)
    for (let a = 0; a < K; a++) {
      xty[a] += dr[a][m] * yr[m];
      for (let b = 0; b < K; b++) xtx[a * K + b] += dr[a][m] * dr[b][m];
    }
  const inv = invert(xtx, K);
  if (!inv) return fail('the lead dummies are collinear with the unit and period effects');
  const gamma = Float64Array.from({ length: K }, (_, a) => {
    let v = 0;
    for (let b = 0; b < K; b++) v += inv[a * K + b] * xty[b];
    return v;
  });
  const cl = clusterCodes(panel, cluster === 'column');
  const score = new Float64Array(cl.count * K);
  let nObs = 0;
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      if (!untreated(t, i)) continue;
      nObs++;
      const m = t * n + i;
      let e = yr[m];
      for (let a = 0; a < K; a++) e -= dr[a][m] * gamma[a];
      for (let a = 0; a < K; a++) score[cl.code[i] * K + a] += dr[a][m] * e;
    }
  let periodsWith = 0;
  for (let t = 0; t < T; t++) if (proj.periodCount[t] > 0) periodsWith++;
  let unitsWith = 0;
  for (let i = 0; i < n; i++) if (proj.groupCount[i] > 0) unitsWith++;
  // fixest: the unit effects are nested in unit clusters (not counted); by a cluster column they are.
  const Kall = K + (periodsWith - 1) + (cluster === 'unit' ? 0 : unitsWith);
  const ssc = (cl.count / (cl.count - 1)) * ((nObs - 1) / (nObs - Kall));
  const meat = new Float64Array(K * K);
  for (let g = 0; g < cl.count; g++)
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) meat[a * K + b] += score[g * K + a] * score[g * K + b];
  const V = new Float64Array(K * K);
  if (se === 'iid') {
    let rss = 0;
    for (let t = 0; t < T; t++)
      for (let i = 0; i < n; i++) {
        if (!untreated(t, i)) continue;
        const m = t * n + i;
        let e = yr[m];
        for (let a = 0; a < K; a++) e -= dr[a][m] * gamma[a];
        rss += e * e;
      }
    const s2 = rss / (nObs - K - unitsWith - periodsWith + 1);
    for (let a = 0; a < K * K; a++) V[a] = s2 * inv[a];
  } else
    for (let a = 0; a < K; a++)
      for (let b = 0; b < K; b++) {
        let v = 0;
        for (let c = 0; c < K; c++) for (let d = 0; d < K; d++) v += inv[a * K + c] * meat[c * K + d] * inv[d * K + b];
        V[a * K + b] = ssc * v;
      }
  const rows: PretrendRow[] = Array.from({ length: K }, (_, j) => {
    const k = K - j; // rows in event-time order −K … −1
    const se = V[(k - 1) * K + (k - 1)] > 0 ? Math.sqrt(V[(k - 1) * K + (k - 1)]) : null;
    const row: PretrendRow = { key: -k - anticipation, coef: gamma[k - 1], se };
    if (se === null) row.reason = 'no standard error (zero variance)';
    return row;
  });
  const vinv = invert(V, K);
  if (!vinv) return { rows, wald: { W: null, df: K, p: null, reason: 'the covariance of the lead coefficients is singular' } };
  let W = 0;
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) W += gamma[a] * vinv[a * K + b] * gamma[b];
  return { rows, wald: { W, df: K, p: chisqUpper(W, K) } };
}
