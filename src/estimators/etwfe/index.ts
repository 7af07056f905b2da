/**
 * Wooldridge's (2021) extended two-way fixed effects, as the R package etwfe (McDermott) fits it with its
 * defaults (cgroup = "notyet", cohort and period fixed effects, ivar = NULL) and aggregates it with
 * emfx():
 *
 *   y_it = Σ_{(g,t): g ≤ t} D_gt,it (τ_gt + ẋ_it'δ_gt) + η_{g(i)} + φ_t + x_it'(κ_{g(i)} + ψ_t) + ε_it,
 *
 * D_gt,it the cohort × period indicator of a treated cell (t ≥ g, g not the never-treated cohort;
 * Wooldridge 2021, eq. (6.33)), ẋ = x demeaned on cohort and period effects (etwfe's x_dm), cohort- and
 * period-specific covariate slopes (etwfe's fe = "vs"/"feo"; the same column space). Untreated cells
 * (never treated, not yet treated) are the controls. Without a never-treated cohort, the last cohort is
 * the reference and the periods from its start on are dropped (as etwfe sets .Dtreat to NA there).
 *
 * emfx's aggregates are averages over the treated observations of the marginal effect τ_gt + ẋ'δ_gt
 * (simple: all of them; event: those with t − g = e; group: by cohort; calendar: by period), with
 * delta-method SEs from fixest's cluster-robust vcov, small-sample factor G/(G−1)·(n−1)/(n−K) (fixest's
 * default ssc; K counts the regressors, the cohort effects are nested in the unit clusters and not
 * counted, as fixest's fixef.K = "nested").
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import { cholesky, cholSolve, invert } from '../../linalg/small.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { checkCovariates, clusterCodes, startGroupsOf } from '../twfe/start-groups.js';
import { covariateAt } from '../twfe/two-way-fit.js';
import { seOf } from '../twfe/within.js';

export interface EtwfeOptions {
  minE: number;
  maxE: number;
  cluster: 'unit' | 'column';
  covariates: string[];
}

export function estimateEtwfe(panel: Panel, options: Partial<EtwfeOptions> = {}): Estimate {
  const o: EtwfeOptions = { minE: -Infinity, maxE: Infinity, cluster: 'unit', covariates: [], ...definedOnly(options) };
  checkCovariates(panel, 'etwfe', o.covariates);
  const n = panel.nUnits,
    T = panel.nPeriods,
    q = o.covariates.length;
  const co = startGroupsOf(panel);
  const C = co.start.length;
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({
    estimator: 'etwfe',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: null, se: null, reason } },
    messages: [...messages, reason],
  });
  // Reference cohort: the never treated, or else the last cohort (its periods from its start on dropped).
  let ref = co.start.findIndex((g) => !Number.isFinite(g));
  let Tuse = T;
  if (ref < 0) {
    ref = C - 1;
    Tuse = co.firstIndex[ref];
    messages.push(
      `No never-treated units: the last cohort (g=${co.start[ref]}) is the comparison, and periods from ${panel.periods[Tuse] ?? '—'} on are dropped (as etwfe does).`,
    );
  }
  if (Tuse < 2) return fail('fewer than two periods with a comparison cohort');
  const always = co.start.filter((_, c) => c !== ref && co.firstIndex[c] === 0);
  if (always.length > 0) return fail(`units treated from the first period (g=${always.join(', ')}) have no pre-period; drop them`);
  // Treated cells (c, t), t ≥ g_c, t < Tuse.
  const cells: { c: number; t: number }[] = [];
  const cellOf = new Int32Array(C * T).fill(-1);
  for (let c = 0; c < C; c++) {
    if (c === ref) continue;
    for (let t = co.firstIndex[c]; t < Tuse; t++) {
      cellOf[c * T + t] = cells.length;
      cells.push({ c, t });
    }
  }
  if (cells.length === 0) return fail('no treated cohort × period cell');
  const Kc = cells.length;
  const xs = o.covariates.map((nm) => panel.covariates[nm]);
  const x = (j: number, t: number, i: number) => covariateAt(xs[j], n, t, i);
  // ẋ: x demeaned on cohort and period effects over the estimation sample (fixest::demean(x ~ g + t));
  // alternating projections to convergence (balanced: one pass is exact for time-invariant x).
  const xdm = xs.map((_, j) => {
    const v = new Float64Array(n * Tuse);
    for (let t = 0; t < Tuse; t++) for (let i = 0; i < n; i++) v[t * n + i] = x(j, t, i);
    for (let it = 0; it < 1000; it++) {
      let change = 0;
      const gm = new Float64Array(C);
      for (let t = 0; t < Tuse; t++) for (let i = 0; i < n; i++) gm[co.of[i]] += v[t * n + i] / (co.size[co.of[i]] * Tuse);
      for (let t = 0; t < Tuse; t++) for (let i = 0; i < n; i++) v[t * n + i] -= gm[co.of[i]];
      for (let t = 0; t < Tuse; t++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += v[t * n + i] / n;
        for (let i = 0; i < n; i++) v[t * n + i] -= m;
        change = Math.max(change, Math.abs(m));
      }
      for (const g of gm) change = Math.max(change, Math.abs(g));
      if (change < 1e-13) break;
    }
    return v;
  });
  // Columns: cells τ (Kc), cells × ẋ (Kc·q), then the absorbed effects: cohort (C), period 2.. (Tuse − 1),
  // cohort × x (C·q), period 2.. × x ((Tuse − 1)·q).
  const p = Kc * (1 + q) + C + (Tuse - 1) + C * q + (Tuse - 1) * q;
  const row = new Float64Array(p);
  const fill = (t: number, i: number) => {
    row.fill(0);
    const c = co.of[i];
    const k = cellOf[c * T + t];
    if (k >= 0) {
      row[k] = 1;
      for (let j = 0; j < q; j++) row[Kc + k * q + j] = xdm[j][t * n + i];
    }
    let b = Kc * (1 + q);
    row[b + c] = 1;
    b += C;
    if (t > 0) row[b + t - 1] = 1;
    b += Tuse - 1;
    for (let j = 0; j < q; j++) row[b + c * q + j] = x(j, t, i);
    b += C * q;
    if (t > 0) for (let j = 0; j < q; j++) row[b + (t - 1) * q + j] = x(j, t, i);
  };
  const xtx = new Float64Array(p * p),
    xty = new Float64Array(p);
  const y = panel.y;
  for (let t = 0; t < Tuse; t++)
    for (let i = 0; i < n; i++) {
      fill(t, i);
      const yi = y[t * n + i];
      for (let a = 0; a < p; a++) {
        const ra = row[a];
        if (ra === 0) continue;
        xty[a] += ra * yi;
        for (let b = 0; b <= a; b++) xtx[a * p + b] += ra * row[b];
      }
    }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[b * p + a] = xtx[a * p + b];
  const L = cholesky(xtx, p);
  if (!L) return fail('the cohort × period regression is collinear (a covariate constant within a cohort or a period?)');
  const beta = cholSolve(L, p, xty);
  const inv = invert(xtx, p)!;
  // Cluster scores of the τ and δ coefficients: (X'X)⁻¹ Σ_{i∈c} x_i e_i, first Kc(1+q) rows only.
  const cl = clusterCodes(panel, o.cluster === 'column');
  const m = Kc * (1 + q);
  const score = new Float64Array(cl.count * p);
  for (let t = 0; t < Tuse; t++)
    for (let i = 0; i < n; i++) {
      fill(t, i);
      let e = y[t * n + i];
      for (let a = 0; a < p; a++) e -= row[a] * beta[a];
      const s = cl.code[i] * p;
      for (let a = 0; a < p; a++) if (row[a] !== 0) score[s + a] += row[a] * e;
    }
  const nObs = n * Tuse;
  // K: the regressors fixest counts (cohort effects nested in unit clusters are not; by a coarser cluster column they are).
  const K = p - (o.cluster === 'unit' ? C : 0);
  const ssc = (cl.count / (cl.count - 1)) * ((nObs - 1) / (nObs - K));
  const bread = new Float64Array(m * p);
  for (let a = 0; a < m; a++) for (let b = 0; b < p; b++) bread[a * p + b] = inv[a * p + b];
  const u = new Float64Array(cl.count * m);
  for (let g = 0; g < cl.count; g++)
    for (let a = 0; a < m; a++) {
      let v = 0;
      for (let b = 0; b < p; b++) v += bread[a * p + b] * score[g * p + b];
      u[g * m + a] = v;
    }
  /** Estimate and SE of Σ_k w_k τ_k + Σ_kj v_kj δ_kj (gradient grad over the first m coefficients). */
  const linear = (grad: Float64Array): { att: number; se: number | null } => {
    let att = 0;
    for (let a = 0; a < m; a++) att += grad[a] * beta[a];
    let v = 0;
    for (let g = 0; g < cl.count; g++) {
      let s = 0;
      for (let a = 0; a < m; a++) s += grad[a] * u[g * m + a];
      v += s * s;
    }
    return { att, se: seOf(ssc * v) };
  };
  /** emfx's average of the marginal effect over the treated observations in the cells `keep` selects. */
  const average = (keep: (k: number) => boolean): { att: number; se: number | null; reason?: string } | null => {
    const grad = new Float64Array(m);
    let N = 0;
    for (let k = 0; k < Kc; k++) {
      if (!keep(k)) continue;
      const { c, t } = cells[k];
      grad[k] += co.size[c];
      N += co.size[c];
      for (let j = 0; j < q; j++) for (let i = 0; i < n; i++) if (co.of[i] === c) grad[Kc + k * q + j] += xdm[j][t * n + i];
    }
    if (N === 0) return null;
    for (let a = 0; a < m; a++) grad[a] /= N;
    const r = linear(grad);
    return r.se === null ? { ...r, reason: 'no standard error (zero variance)' } : r;
  };
  const simple: AggregateEstimate = average(() => true)!;
  const ev = (k: number) => panel.periods[cells[k].t] - co.start[cells[k].c];
  const keys = [...new Set(cells.map((_, k) => ev(k)))].filter((e) => e >= o.minE && e <= o.maxE).sort((a, b) => a - b);
  const detail: DetailEstimate[] = keys.map((key) => ({ key, ...average((k) => ev(k) === key)! }));
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'no post-treatment event time in the window', detail };
  if (keys.length > 0) {
    // The overall dynamic: the mean of the event-time rows (as R did's dynamic overall).
    const grad = new Float64Array(m);
    for (const key of keys) {
      let N = 0;
      for (let k = 0; k < Kc; k++) if (ev(k) === key) N += co.size[cells[k].c];
      for (let k = 0; k < Kc; k++) {
        if (ev(k) !== key) continue;
        const { c, t } = cells[k];
        grad[k] += co.size[c] / N / keys.length;
        for (let j = 0; j < q; j++)
          for (let i = 0; i < n; i++) if (co.of[i] === c) grad[Kc + k * q + j] += xdm[j][t * n + i] / N / keys.length;
      }
    }
    Object.assign(dynamic, linear(grad));
    if (dynamic.se !== null) delete dynamic.reason;
    else dynamic.reason = 'no standard error (zero variance)';
  }
  const cohorts = [...new Set(cells.map((cell) => cell.c))];
  const group: AggregateEstimate = {
    att: null,
    se: null,
    reason: 'etwfe reports no overall by cohort',
    detail: cohorts.map((c) => ({ key: co.start[c], ...average((k) => cells[k].c === c)! })),
  };
  const periodsT = [...new Set(cells.map((cell) => cell.t))].sort((a, b) => a - b);
  const calendar: AggregateEstimate = {
    att: null,
    se: null,
    reason: 'etwfe reports no overall by period',
    detail: periodsT.map((t) => ({ key: panel.periods[t], ...average((k) => cells[k].t === t)! })),
  };
  const att_gt = cells.map((cell, k) => ({
    group: co.start[cell.c],
    time: panel.periods[cell.t],
    ...(average((kk) => kk === k) as { att: number; se: number | null }),
  }));
  return { estimator: 'etwfe', att_gt, wald_pretest: null, aggregates: { simple, dynamic, group, calendar }, messages };
}

export function etwfeEstimator(options: Partial<EtwfeOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'etwfe', estimate: (panel: Panel) => estimateEtwfe(panel, opts) };
}
