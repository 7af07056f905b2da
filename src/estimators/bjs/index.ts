/**
 * The imputation estimator of Borusyak, Jaravel & Spiess (2024, "Revisiting event-study designs",
 * REStud), Theorem 2, without covariates, on a balanced panel:
 *   1. fit Y_it(0) = α_i + λ_t by OLS on the untreated observations Ω₀ = {t < g_i};
 *   2. impute τ̂_it = Y_it − α̂_i − λ̂_t on the treated observations Ω₁ = {t ≥ g_i};
 *   3. estimate τ_w = Σ_{Ω₁} w_it τ_it by Σ w_it τ̂_it.
 * Estimands (weights w): simple = every treated observation alike; dynamic = the observations at event
 * time ℓ ≥ 0 alike (overall: the mean over ℓ in the window); group = one cohort's observations alike
 * (overall: cohort-size weighted). Treated observations in a period with no untreated observation have
 * no λ̂_t and are left out (a message says how many).
 *
 * Structure: Ω₀ is a prefix of every unit's periods (t < a_c for cohort c), so concentrating out α
 * leaves one T₀ × T₀ system in λ (the Schur complement M, normalised by λ₀ = 0), factored once:
 *   M_ts = N_t 1{t = s} − Σ_{c: a_c > max(t,s)} n_c / a_c,  N_t = Σ_{c: a_c > t} n_c.
 *
 * Standard errors: BJS's conservative variance (Theorem 3, eqs. 6–10; as didimputation computes it):
 * the estimate is linear, Σ_it v_it Y_it, with v = w on Ω₁ and v = −Z₀(Z₀'Z₀)⁻¹Z₁'w₁ on Ω₀ (here
 * v_it = −(α_c + λ_t) from the same system with right-hand side Z₁'w₁); residuals ε̃ are the first-stage
 * residuals on Ω₀ and τ̂_it − τ̄_{c,t} on Ω₁, with τ̄ the v²-weighted mean of τ̂ in the cohort × period
 * cell; V̂ = Σ_g (Σ_{i∈g} Σ_t v_it ε̃_it)² over clusters g (units, or the panel's cluster column).
 * Conservative: it overstates the variance when effects vary within cells.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { clusterCodes, cohortsOf } from '../twfe/cohorts.js';
import { seOf } from '../twfe/within.js';

export interface BjsOptions {
  /** Event times reported in aggregates.dynamic (only ℓ ≥ 0 are estimated). */
  minE: number;
  maxE: number;
  cluster: 'unit' | 'column';
}

export function estimateBjs(panel: Panel, options: Partial<BjsOptions> = {}): Estimate {
  const o: BjsOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', ...definedOnly(options) };
  const n = panel.nUnits, T = panel.nPeriods, co = cohortsOf(panel), C = co.start.length;
  const a = co.firstIndex, size = co.size;
  const clusters = clusterCodes(panel, o.cluster === 'column');
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({ estimator: 'bjs', att_gt: [], wald_pretest: null, aggregates: { simple: { att: null, se: null, reason } }, messages: [...messages, reason] });

  const always = co.start.filter((_, c) => a[c] === 0);
  if (always.length > 0) messages.push(`Units treated from the first period (g=${always.join(', ')}) have no untreated period to impute from and are left out.`);
  // Periods with untreated observations: 0..T0−1.
  let T0 = 0;
  for (let c = 0; c < C; c++) T0 = Math.max(T0, a[c]);
  if (T0 < 1) return fail('no untreated observations');
  const N = new Float64Array(T0);
  for (let c = 0; c < C; c++) for (let t = 0; t < a[c]; t++) N[t] += size[c];
  // Cohorts and treated cells that can be imputed: a_c ≥ 1, t < T0.
  const imputable = (c: number, t: number) => a[c] >= 1 && t >= a[c] && t < T0;
  let dropped = 0;
  for (let c = 0; c < C; c++) for (let t = Math.max(a[c], T0); t < T; t++) if (a[c] >= 1) dropped += size[c];
  if (dropped > 0) messages.push(`${dropped} treated observation(s) in periods from ${panel.periods[T0]} on have no untreated unit to impute λ_t from and are left out.`);

  // Cell means of y and the unit means over each unit's untreated periods.
  const cell = new Float64Array(C * T);
  const pre = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const c = co.of[i], v = panel.y[t * n + i];
      cell[c * T + t] += v / size[c];
      if (t < a[c]) pre[i] += v / a[c];
    }
  }
  // Reduced system in λ_1..λ_{T0−1} (λ_0 = 0).
  const k = T0 - 1;
  const M = new Float64Array(k * k);
  for (let t = 1; t < T0; t++) {
    M[(t - 1) * k + (t - 1)] += N[t];
    for (let c = 0; c < C; c++) {
      if (a[c] <= t) continue;
      for (let s = 1; s < a[c]; s++) M[(t - 1) * k + (s - 1)] -= size[c] / a[c];
    }
  }
  const L = k > 0 ? cholesky(M, k) : new Float64Array(0);
  if (!L) return fail('the untreated observations do not identify the period effects');
  /** Solve Z₀'Z₀ [α; λ] = [r; s] with α by cohort (r_c per unit of cohort c) and s by period; λ₀ = 0. */
  const solve = (r: Float64Array, s: Float64Array): { alpha: Float64Array; lambda: Float64Array } => {
    const rhs = new Float64Array(k);
    for (let t = 1; t < T0; t++) {
      let v = s[t];
      for (let c = 0; c < C; c++) if (a[c] > t) v -= size[c] * r[c] / a[c];
      rhs[t - 1] = v;
    }
    const sol = k > 0 ? cholSolve(L, k, rhs) : rhs;
    const lambda = new Float64Array(T0);
    for (let t = 1; t < T0; t++) lambda[t] = sol[t - 1];
    const alpha = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      if (a[c] === 0) continue;
      let sum = 0;
      for (let t = 0; t < Math.min(a[c], T0); t++) sum += lambda[t];
      alpha[c] = (r[c] - sum) / a[c];
    }
    return { alpha, lambda };
  };

  // Step 1: the first stage. Per-cohort mean unit effect ᾱ_c = mean_{t<a_c}(ȳ_ct − λ_t); unit i: pre_i − λ̄_c.
  const r0 = new Float64Array(C), s0 = new Float64Array(T0);
  for (let c = 0; c < C; c++) for (let t = 0; t < a[c]; t++) { r0[c] += cell[c * T + t]; s0[t] += size[c] * cell[c * T + t]; }
  const fs = solve(r0, s0);
  const lambdaBar = Float64Array.from({ length: C }, (_, c) => {
    let s = 0;
    for (let t = 0; t < a[c]; t++) s += fs.lambda[t];
    return a[c] > 0 ? s / a[c] : 0;
  });
  // Step 2: τ̂ cell means and the residuals ε̃ (first-stage residuals on Ω₀, τ̂ − τ̄ on Ω₁).
  const tauCell = new Float64Array(C * T);
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) if (imputable(c, t)) tauCell[c * T + t] = cell[c * T + t] - (fs.alpha[c]) - fs.lambda[t];
  const resid = (i: number, t: number): number => {
    const c = co.of[i];
    const alphaI = pre[i] - lambdaBar[c];
    if (t < a[c]) return panel.y[t * n + i] - alphaI - fs.lambda[t];
    return panel.y[t * n + i] - alphaI - fs.lambda[t] - tauCell[c * T + t];
  };
  const eps = new Float64Array(n * T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
    const c = co.of[i];
    if (a[c] === 0 || (t >= a[c] && !imputable(c, t))) continue;
    eps[t * n + i] = resid(i, t);
  }

  /** Step 3 for cell weights w_ct (per observation): estimate and conservative SE. */
  const estimand = (w: Float64Array): { att: number; se: number | null } => {
    let att = 0;
    const r = new Float64Array(C), s = new Float64Array(T0);
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) {
      const wc = w[c * T + t];
      if (wc === 0) continue;
      att += size[c] * wc * tauCell[c * T + t];
      r[c] += wc;
      s[t] += size[c] * wc;
    }
    const b = solve(r, s);
    const v = new Float64Array(C * T);
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) v[c * T + t] = t < a[c] ? -(b.alpha[c] + b.lambda[t]) : w[c * T + t];
    const byCluster = new Float64Array(clusters.count);
    for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
      const vi = v[co.of[i] * T + t];
      if (vi !== 0) byCluster[clusters.code[i]] += vi * eps[t * n + i];
    }
    let variance = 0;
    for (const x of byCluster) variance += x * x;
    return { att, se: seOf(variance) };
  };
  const row = (w: Float64Array) => {
    const r = estimand(w);
    return r.se === null ? { ...r, reason: 'no standard error (zero variance)' } : r;
  };
  /** Equal weights on the imputable treated observations that `keep` selects. */
  const equal = (keep: (c: number, t: number) => boolean): Float64Array | null => {
    const w = new Float64Array(C * T);
    let total = 0;
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) if (imputable(c, t) && keep(c, t)) { w[c * T + t] = 1; total += size[c]; }
    if (total === 0) return null;
    for (let m = 0; m < w.length; m++) w[m] /= total;
    return w;
  };

  const wAll = equal(() => true);
  if (!wAll) return fail('no treated observation can be imputed');
  const simple: AggregateEstimate = row(wAll);
  const event = (c: number, t: number) => panel.periods[t] - co.start[c];
  const events = new Set<number>();
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) if (imputable(c, t)) events.add(event(c, t));
  const keys = [...events].filter((e) => e >= o.minE && e <= o.maxE).sort((x, y) => x - y);
  const wE = keys.map((e) => equal((c, t) => event(c, t) === e)!);
  const detail: DetailEstimate[] = keys.map((key, j) => ({ key, ...row(wE[j]) }));
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'no post-treatment event time in the window', detail };
  if (wE.length > 0) {
    const w = new Float64Array(C * T);
    for (const we of wE) for (let m = 0; m < w.length; m++) w[m] += we[m] / wE.length;
    Object.assign(dynamic, row(w));
    if (dynamic.se !== null) delete dynamic.reason;
  }
  const cohorts = co.start.map((_, c) => c).filter((c) => a[c] >= 1 && a[c] < T);
  const group: AggregateEstimate = { att: null, se: null, detail: cohorts.map((c) => {
    const w = equal((cc) => cc === c);
    return w ? { key: co.start[c], ...row(w) } : { key: co.start[c], att: null, se: null, reason: 'no imputable treated period for this cohort' };
  }) };
  // Overall by group: cohort-size weighted mean of the cohort averages.
  const wG = new Float64Array(C * T);
  let nG = 0;
  for (const c of cohorts) {
    const w = equal((cc) => cc === c);
    if (!w) continue;
    nG += size[c];
    for (let m = 0; m < w.length; m++) wG[m] += size[c] * w[m];
  }
  if (nG > 0) {
    for (let m = 0; m < wG.length; m++) wG[m] /= nG;
    Object.assign(group, row(wG));
  } else group.reason = 'no cohort has an imputable treated period';
  return { estimator: 'bjs', att_gt: [], wald_pretest: null, aggregates: { simple, group, dynamic }, messages };
}

export function bjsEstimator(options: Partial<BjsOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'bjs', estimate: (panel: Panel) => estimateBjs(panel, opts) };
}
