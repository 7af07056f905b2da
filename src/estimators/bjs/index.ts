/**
 * The imputation estimator of Borusyak, Jaravel & Spiess (2024, "Revisiting event-study designs",
 * REStud), Theorem 2, on a balanced panel:
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
 *
 * Covariates enter the first stage, Y_it(0) = α_i + λ_t + x_it'γ, as didimputation's
 * `first_stage = ~ x | unit + year`: γ̂ by Frisch–Waugh–Lovell on Ω₀ (x and y projected on the same
 * unit and period effects), and Z = [D, X] in v = −Z₀(Z₀'Z₀)⁻¹Z₁'w₁. Anticipation δ: Ω₀ = {t < g − δ};
 * the observations g − δ … g − 1 are imputed and reported as event times −δ … −1 (anticipation effects)
 * but stay out of the simple, group and overall dynamic estimands (t ≥ g), as R did treats them.
 * (didimputation and did2s have no anticipation argument; their users move gname to g − δ, which gives
 * the same first stage.)
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import { cholesky, cholSolve, invert } from '../../linalg/small.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { checkAnticipation, checkCovariates, clusterCodes, startGroupsOf, reactionIndex } from '../twfe/start-groups.js';
import { covariateAt } from '../twfe/two-way-fit.js';
import { seOf } from '../twfe/within.js';
import { vcovFromClusterSums } from '../event-vcov.js';
import { bjsPretrend, type PretrendRow } from './pretrend.js';

export interface BjsOptions {
  /** Event times reported in aggregates.dynamic (ℓ ≥ −δ are estimated; the overall averages ℓ ≥ 0). */
  minE: number;
  maxE: number;
  cluster: 'unit' | 'column';
  /** Periods δ ≥ 0 before the start in which units may already react: Ω₀ = {t < g − δ}. */
  anticipation: number;
  /** Panel covariate columns of the first stage, Y_it(0) = α_i + λ_t + x_it'γ (didimputation's first_stage = ~ x | id + t). */
  covariates: string[];
  /** K ≥ 1: BJS's pre-trend test (Test 1) on the leads −K … −1 (pretrend.ts; didimputation's pretrends = -K:-1). Unset: none. */
  pretrends?: number;
}

export interface BjsEstimate extends Estimate {
  /** With `pretrends`: the lead coefficients of Test 1 and their clustered SEs (the joint test is wald_pretest). */
  pretrends?: PretrendRow[];
  /** First-stage covariate coefficients γ̂ (with covariates; no SE: the first stage is a nuisance fit). */
  covariates?: { name: string; coef: number }[];
}

export function estimateBjs(panel: Panel, options: Partial<BjsOptions> = {}): BjsEstimate {
  const o: BjsOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', anticipation: 0, covariates: [], ...definedOnly(options) };
  checkAnticipation('bjs', o.anticipation);
  checkCovariates(panel, 'bjs', o.covariates);
  const n = panel.nUnits,
    T = panel.nPeriods,
    co = startGroupsOf(panel),
    C = co.start.length;
  // a: first treated period index; u: first period from which the cohort may react (a − δ): Ω₀ = {t < u_c}.
  const a = co.firstIndex,
    u = reactionIndex(panel, co, o.anticipation),
    size = co.size;
  const clusters = clusterCodes(panel, o.cluster === 'column');
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({
    estimator: 'bjs',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: null, se: null, reason } },
    messages: [...messages, reason],
  });

  const always = co.start.filter((_, c) => u[c] === 0);
  if (always.length > 0)
    messages.push(
      `Units treated from the first period${o.anticipation > 0 ? ` (or reacting from it, anticipation ${o.anticipation})` : ''} (g=${always.join(', ')}) have no untreated period to impute from and are left out.`,
    );
  // Periods with untreated observations: 0..T0−1.
  let T0 = 0;
  for (let c = 0; c < C; c++) T0 = Math.max(T0, u[c]);
  if (T0 < 1) return fail('no untreated observations');
  const N = new Float64Array(T0);
  for (let c = 0; c < C; c++) for (let t = 0; t < u[c]; t++) N[t] += size[c];
  // Cells that can be imputed: u_c ≥ 1, t ≥ u_c (anticipation and treated periods), t < T0.
  const imputable = (c: number, t: number) => u[c] >= 1 && t >= u[c] && t < T0;
  let dropped = 0;
  for (let c = 0; c < C; c++) for (let t = Math.max(a[c], T0); t < T; t++) if (u[c] >= 1) dropped += size[c];
  if (dropped > 0)
    messages.push(
      `${dropped} treated observation(s) in periods from ${panel.periods[T0]} on have no untreated unit to impute λ_t from and are left out.`,
    );

  // Reduced system in λ_1..λ_{T0−1} (λ_0 = 0).
  const k = T0 - 1;
  const M = new Float64Array(k * k);
  for (let t = 1; t < T0; t++) {
    M[(t - 1) * k + (t - 1)] += N[t];
    for (let c = 0; c < C; c++) {
      if (u[c] <= t) continue;
      for (let s = 1; s < u[c]; s++) M[(t - 1) * k + (s - 1)] -= size[c] / u[c];
    }
  }
  const L = k > 0 ? cholesky(M, k) : new Float64Array(0);
  if (!L) return fail('the untreated observations do not identify the period effects');
  /**
   * Solve D₀'D₀ [α; λ] = [r; s] (unit and period dummies on Ω₀, λ₀ = 0) given the cohort sums
   * R_c = Σ_{i∈c} r_i: returns λ and Λ_c = Σ_{t<u_c} λ_t, so that α_i = (r_i − Λ_c) / u_c.
   */
  const solve = (R: Float64Array, s: Float64Array): { lambda: Float64Array; Lambda: Float64Array } => {
    const rhs = new Float64Array(k);
    for (let t = 1; t < T0; t++) {
      let v = s[t];
      for (let c = 0; c < C; c++) if (u[c] > t) v -= R[c] / u[c];
      rhs[t - 1] = v;
    }
    const sol = k > 0 ? cholSolve(L, k, rhs) : rhs;
    const lambda = new Float64Array(T0);
    for (let t = 1; t < T0; t++) lambda[t] = sol[t - 1];
    const Lambda = Float64Array.from({ length: C }, (_, c) => {
      let sum = 0;
      for (let t = 0; t < Math.min(u[c], T0); t++) sum += lambda[t];
      return sum;
    });
    return { lambda, Lambda };
  };
  /** The two-way projection on Ω₀ of z(t, i): unit sums r_i, the solution, and α_i. */
  const project = (z: (t: number, i: number) => number) => {
    const r = new Float64Array(n),
      R = new Float64Array(C),
      s = new Float64Array(T0);
    for (let t = 0; t < T0; t++)
      for (let i = 0; i < n; i++) {
        const c = co.of[i];
        if (t >= u[c]) continue;
        const v = z(t, i);
        r[i] += v;
        R[c] += v;
        s[t] += v;
      }
    const { lambda, Lambda } = solve(R, s);
    const alpha = Float64Array.from(r, (ri, i) => (u[co.of[i]] > 0 ? (ri - Lambda[co.of[i]]) / u[co.of[i]] : 0));
    return { alpha, lambda };
  };

  // Step 1: the first stage, Y(0) = α_i + λ_t (+ x'γ, by Frisch–Waugh–Lovell on Ω₀).
  const y = panel.y;
  const fy = project((t, i) => y[t * n + i]);
  const xs = o.covariates.map((nm) => panel.covariates[nm]);
  const xAt = (j: number, t: number, i: number) => covariateAt(xs[j], n, t, i);
  const fx = xs.map((_, j) => project((t, i) => xAt(j, t, i)));
  // Residualised covariates x̌ on Ω₀; drop those the unit and period effects absorb.
  const keep: number[] = [];
  for (let j = 0; j < xs.length; j++) {
    let ss = 0,
      scale = 0;
    for (let t = 0; t < T0; t++)
      for (let i = 0; i < n; i++) {
        if (t >= u[co.of[i]]) continue;
        const x = xAt(j, t, i);
        ss += (x - fx[j].alpha[i] - fx[j].lambda[t]) ** 2;
        scale += x * x;
      }
    if (ss > 1e-20 * Math.max(1, scale)) keep.push(j);
    else
      messages.push(
        `Covariate ${o.covariates[j]} has no variation on the untreated observations beyond the unit and period effects, so the first stage leaves it out (as fixest removes a collinear variable).`,
      );
  }
  const q = keep.length;
  const check = (j: number, t: number, i: number) => xAt(keep[j], t, i) - fx[keep[j]].alpha[i] - fx[keep[j]].lambda[t];
  const xtx = new Float64Array(q * q),
    xty = new Float64Array(q);
  for (let t = 0; t < T0; t++)
    for (let i = 0; i < n; i++) {
      if (t >= u[co.of[i]]) continue;
      const yc = y[t * n + i] - fy.alpha[i] - fy.lambda[t];
      for (let j = 0; j < q; j++) {
        const xj = check(j, t, i);
        xty[j] += xj * yc;
        for (let l = 0; l <= j; l++) xtx[j * q + l] += xj * check(l, t, i);
      }
    }
  for (let j = 0; j < q; j++) for (let l = 0; l < j; l++) xtx[l * q + j] = xtx[j * q + l];
  const xl = q > 0 ? cholesky(xtx, q) : new Float64Array(0);
  if (!xl) return fail('the first-stage covariates are collinear on the untreated observations');
  const gamma = q > 0 ? cholSolve(xl, q, xty) : new Float64Array(0);
  // α̂, λ̂ of y − x'γ̂ by linearity of the projection.
  const alphaHat = Float64Array.from(fy.alpha),
    lambdaHat = Float64Array.from(fy.lambda);
  keep.forEach((jj, j) => {
    for (let i = 0; i < n; i++) alphaHat[i] -= gamma[j] * fx[jj].alpha[i];
    for (let t = 0; t < T0; t++) lambdaHat[t] -= gamma[j] * fx[jj].lambda[t];
  });
  const xg = (t: number, i: number) => {
    let s = 0;
    for (let j = 0; j < q; j++) s += gamma[j] * xAt(keep[j], t, i);
    return s;
  };
  // Step 2: τ̂ on the imputable observations, their cohort × period means τ̄, and the residuals ε̃
  // (first-stage residuals on Ω₀, τ̂ − τ̄ on Ω₁).
  const tauCell = new Float64Array(C * T);
  const eps = new Float64Array(n * T);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const c = co.of[i];
      if (u[c] === 0 || (t >= u[c] && !imputable(c, t))) continue;
      const e = y[t * n + i] - alphaHat[i] - lambdaHat[t] - xg(t, i);
      eps[t * n + i] = e;
      if (t >= u[c]) tauCell[c * T + t] += e / size[c];
    }
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const c = co.of[i];
      if (imputable(c, t)) eps[t * n + i] -= tauCell[c * T + t];
    }
  const ginv = q > 0 ? invert(xtx, q)! : new Float64Array(0);

  /**
   * Step 3 for cell weights w_ct (per observation): the estimate Σ w τ̂ and BJS's conservative SE with
   * v = w on Ω₁ and v = −Z₀ b on Ω₀, b = (Z₀'Z₀)⁻¹Z₁'w₁; with covariates b = [b_FE; b_x] by partitioned
   * least squares: b_x = (X̌'X̌)⁻¹ Σ_{Ω₁} w (x − α̂ˣ − λ̂ˣ), b_FE solves D₀'D₀ b_FE = D₁'w₁ − D₀'X₀ b_x.
   */
  const estimand = (w: Float64Array): { att: number; se: number | null; sums: Float64Array } => {
    let att = 0;
    const R = new Float64Array(C),
      s = new Float64Array(T0),
      W = new Float64Array(C);
    for (let c = 0; c < C; c++)
      for (let t = 0; t < T; t++) {
        const wc = w[c * T + t];
        if (wc === 0) continue;
        att += size[c] * wc * tauCell[c * T + t];
        W[c] += wc;
        R[c] += size[c] * wc;
        if (t < T0) s[t] += size[c] * wc;
      }
    // b_x and each unit's x_it'b_x on Ω₀.
    const bx = new Float64Array(q);
    if (q > 0) {
      const g = new Float64Array(q);
      for (let c = 0; c < C; c++)
        for (let t = 0; t < T; t++) {
          const wc = w[c * T + t];
          if (wc === 0) continue;
          for (let i = 0; i < n; i++) if (co.of[i] === c) for (let j = 0; j < q; j++) g[j] += wc * check(j, t, i);
        }
      for (let j = 0; j < q; j++) for (let l = 0; l < q; l++) bx[j] += ginv[j * q + l] * g[l];
    }
    const xb = (t: number, i: number) => {
      let v = 0;
      for (let j = 0; j < q; j++) v += bx[j] * xAt(keep[j], t, i);
      return v;
    };
    const rUnit = Float64Array.from({ length: n }, (_, i) => W[co.of[i]]);
    if (q > 0) {
      for (let t = 0; t < T0; t++)
        for (let i = 0; i < n; i++) {
          const c = co.of[i];
          if (t >= u[c]) continue;
          const v = xb(t, i);
          rUnit[i] -= v;
          R[c] -= v;
          s[t] -= v;
        }
    }
    const b = solve(R, s);
    const byCluster = new Float64Array(clusters.count);
    for (let t = 0; t < T; t++)
      for (let i = 0; i < n; i++) {
        const c = co.of[i];
        if (u[c] === 0) continue;
        const vi = t < u[c] ? -((rUnit[i] - b.Lambda[c]) / u[c] + b.lambda[t] + (q > 0 ? xb(t, i) : 0)) : w[c * T + t];
        if (vi !== 0) byCluster[clusters.code[i]] += vi * eps[t * n + i];
      }
    let variance = 0;
    for (const x of byCluster) variance += x * x;
    return { att, se: seOf(variance), sums: byCluster };
  };
  const row = (w: Float64Array) => {
    const { sums: _, ...r } = estimand(w);
    return r.se === null ? { ...r, reason: 'no standard error (zero variance)' } : r;
  };
  /** Equal weights on the imputable treated observations that `keep` selects. */
  const equal = (keep: (c: number, t: number) => boolean): Float64Array | null => {
    const w = new Float64Array(C * T);
    let total = 0;
    for (let c = 0; c < C; c++)
      for (let t = 0; t < T; t++)
        if (imputable(c, t) && keep(c, t)) {
          w[c * T + t] = 1;
          total += size[c];
        }
    if (total === 0) return null;
    for (let m = 0; m < w.length; m++) w[m] /= total;
    return w;
  };

  /** Treated (post) observations, t ≥ g: the simple and group estimands; −δ … −1 are anticipation rows. */
  const post = (c: number, t: number) => t >= a[c];
  const wAll = equal(post);
  if (!wAll) return fail('no treated observation can be imputed');
  const simple: AggregateEstimate = row(wAll);
  const event = (c: number, t: number) => panel.periods[t] - co.start[c];
  const events = new Set<number>();
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) if (imputable(c, t)) events.add(event(c, t));
  const keys = [...events].filter((e) => e >= o.minE && e <= o.maxE).sort((x, y) => x - y);
  const wE = keys.map((e) => equal((c, t) => event(c, t) === e)!);
  const perEvent = wE.map((w) => estimand(w));
  const detail: DetailEstimate[] = keys.map((key, j) => {
    const { att, se } = perEvent[j];
    return se === null ? { key, att, se, reason: 'no standard error (zero variance)' } : { key, att, se };
  });
  // The event-study covariance, V̂_ab = Σ_g S_g^a S_g^b with S_g the cluster sums of v_it ε̃_it: BJS's
  // conservative variance (Theorem 3) across event times.
  const vcov = vcovFromClusterSums(
    perEvent.map((r) => (r.se === null ? null : r.sums)),
    1,
  );
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'no post-treatment event time in the window', detail, vcov };
  const wPost = wE.filter((_, j) => keys[j] >= 0);
  if (wPost.length > 0) {
    const w = new Float64Array(C * T);
    for (const we of wPost) for (let m = 0; m < w.length; m++) w[m] += we[m] / wPost.length;
    Object.assign(dynamic, row(w));
    if (dynamic.se !== null) delete dynamic.reason;
  }
  const cohorts = co.start.map((_, c) => c).filter((c) => u[c] >= 1 && a[c] < T);
  const group: AggregateEstimate = {
    att: null,
    se: null,
    detail: cohorts.map((c) => {
      const w = equal((cc, t) => cc === c && post(cc, t));
      return w
        ? { key: co.start[c], ...row(w) }
        : { key: co.start[c], att: null, se: null, reason: 'no imputable treated period for this cohort' };
    }),
  };
  // Overall by group: cohort-size weighted mean of the cohort averages.
  const wG = new Float64Array(C * T);
  let nG = 0;
  for (const c of cohorts) {
    const w = equal((cc, t) => cc === c && post(cc, t));
    if (!w) continue;
    nG += size[c];
    for (let m = 0; m < w.length; m++) wG[m] += size[c] * w[m];
  }
  if (nG > 0) {
    for (let m = 0; m < wG.length; m++) wG[m] /= nG;
    Object.assign(group, row(wG));
  } else group.reason = 'no cohort has an imputable treated period';
  const covariates = o.covariates.length > 0 ? { covariates: keep.map((jj, j) => ({ name: o.covariates[jj], coef: gamma[j] })) } : {};
  const pre = o.pretrends === undefined ? null : bjsPretrend(panel, o.pretrends, o.cluster, o.anticipation);
  if (pre && o.covariates.length > 0)
    messages.push('The pre-trend test (BJS Test 1) fits unit and period effects only; the first-stage covariates are not in it.');
  return {
    estimator: 'bjs',
    att_gt: [],
    wald_pretest: pre ? pre.wald : null,
    aggregates: { simple, group, dynamic },
    messages,
    ...covariates,
    ...(pre ? { pretrends: pre.rows } : {}),
  };
}

export function bjsEstimator(options: Partial<BjsOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'bjs', estimate: (panel: Panel) => estimateBjs(panel, opts) };
}
