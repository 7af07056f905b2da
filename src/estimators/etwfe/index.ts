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
import { vcovFromClusterSums } from '../event-vcov.js';
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
  // X'X from each row's non-zeros (at most 2 + 3q + 2 of p), then solved by the Schur complement of
  // the cell block, which is block diagonal (one (1+q)×(1+q) block per cell): O(m·pf²) rather than p³.
  const xtx = new Float64Array(p * p),
    xty = new Float64Array(p);
  const y = panel.y;
  const nz = new Int32Array(p);
  const nonzeros = () => {
    let c = 0;
    for (let a = 0; a < p; a++) if (row[a] !== 0) nz[c++] = a;
    return c;
  };
  for (let t = 0; t < Tuse; t++)
    for (let i = 0; i < n; i++) {
      fill(t, i);
      const yi = y[t * n + i];
      const c = nonzeros();
      for (let x1 = 0; x1 < c; x1++) {
        const a = nz[x1];
        xty[a] += row[a] * yi;
        for (let x2 = 0; x2 < c; x2++) xtx[a * p + nz[x2]] += row[a] * row[nz[x2]];
      }
    }
  const m = Kc * (1 + q),
    pf = p - m;
  /** Indices of cell k's block: its τ and its q slopes. */
  const blocks = Array.from({ length: Kc }, (_, k) => [k, ...Array.from({ length: q }, (_, j) => Kc + k * q + j)]);
  const blockIdx = (k: number) => blocks[k];
  const bq = 1 + q;
  const bcInv: Float64Array[] = [];
  for (let k = 0; k < Kc; k++) {
    const idx = blockIdx(k);
    const blk = new Float64Array(bq * bq);
    idx.forEach((a, x1) => idx.forEach((b, x2) => (blk[x1 * bq + x2] = xtx[a * p + b])));
    const inv = invert(blk, bq);
    if (!inv) return fail(`the cell (g=${co.start[cells[k].c]}, t=${panel.periods[cells[k].t]}) is collinear with its covariate slope`);
    bcInv.push(inv);
  }
  const applyBcInv = (v: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(m);
    for (let k = 0; k < Kc; k++) {
      const idx = blockIdx(k);
      idx.forEach((a, x1) => {
        let s = 0;
        idx.forEach((b, x2) => (s += bcInv[k][x1 * bq + x2] * v[b]));
        out[a] = s;
      });
    }
    return out;
  };
  // W = Bc⁻¹G (m × pf, column-major by f), S = F − G'W.
  const W = new Float64Array(pf * m);
  for (let f = 0; f < pf; f++) {
    const g = new Float64Array(m);
    for (let a = 0; a < m; a++) g[a] = xtx[a * p + m + f];
    W.set(applyBcInv(g), f * m);
  }
  const S = new Float64Array(pf * pf);
  for (let f = 0; f < pf; f++)
    for (let h = 0; h <= f; h++) {
      let v = xtx[(m + f) * p + m + h];
      for (let a = 0; a < m; a++) v -= xtx[a * p + m + f] * W[h * m + a];
      S[f * pf + h] = S[h * pf + f] = v;
    }
  const L = cholesky(S, pf);
  if (!L) return fail('the cohort × period regression is collinear (a covariate constant within a cohort or a period?)');
  /** The first m rows of (X'X)⁻¹v for v = [vc; vf]. */
  const cellPart = (vc: ArrayLike<number>, vf: ArrayLike<number>): Float64Array => {
    const w = applyBcInv(vc);
    const r = new Float64Array(pf);
    for (let f = 0; f < pf; f++) {
      let v = vf[f];
      const off = f * m;
      for (let a = 0; a < m; a++) v -= W[off + a] * vc[a];
      r[f] = v;
    }
    const z = cholSolve(L, pf, r);
    for (let f = 0; f < pf; f++) {
      const zf = z[f];
      if (zf === 0) continue;
      for (let a = 0; a < m; a++) w[a] -= W[f * m + a] * zf;
    }
    return w;
  };
  // β: the cell part from cellPart; the absorbed part from the Schur system, for the residuals.
  const rc = xty.subarray(0, m),
    rf = xty.subarray(m);
  const bfRhs = Float64Array.from({ length: pf }, (_, f) => {
    let v = rf[f];
    for (let a = 0; a < m; a++) v -= W[f * m + a] * rc[a];
    return v;
  });
  const bf = cholSolve(L, pf, bfRhs);
  const beta = new Float64Array(p);
  beta.set(cellPart(rc, rf), 0);
  beta.set(bf, m);
  // Cluster scores Σ_{i∈c} x_i e_i, then u_c = first m rows of (X'X)⁻¹ score_c.
  const cl = clusterCodes(panel, o.cluster === 'column');
  const score = new Float64Array(cl.count * p);
  for (let t = 0; t < Tuse; t++)
    for (let i = 0; i < n; i++) {
      fill(t, i);
      const c = nonzeros();
      let e = y[t * n + i];
      for (let x1 = 0; x1 < c; x1++) e -= row[nz[x1]] * beta[nz[x1]];
      const s0 = cl.code[i] * p;
      for (let x1 = 0; x1 < c; x1++) score[s0 + nz[x1]] += row[nz[x1]] * e;
    }
  const nObs = n * Tuse;
  // K: the regressors fixest counts (cohort effects nested in unit clusters are not; by a coarser cluster column they are).
  const K = p - (o.cluster === 'unit' ? C : 0);
  const ssc = (cl.count / (cl.count - 1)) * ((nObs - 1) / (nObs - K));
  const u = new Float64Array(cl.count * m);
  for (let g = 0; g < cl.count; g++) u.set(cellPart(score.subarray(g * p, g * p + m), score.subarray(g * p + m, (g + 1) * p)), g * m);
  /**
   * Estimate and SE of Σ_k w_k τ_k + Σ_kj v_kj δ_kj (gradient grad over the first m coefficients), with
   * its cluster sums S_g = grad'u_g, so that Var = ssc · Σ_g S_g² (fixest's CR1 through the delta method).
   */
  const linear = (grad: Float64Array): { att: number; se: number | null; sums: Float64Array } => {
    // Only the gradient's non-zeros (one cell's row for an ATT(g,t), a few for an event time).
    const idx: number[] = [];
    for (let a = 0; a < m; a++) if (grad[a] !== 0) idx.push(a);
    let att = 0;
    for (const a of idx) att += grad[a] * beta[a];
    const sums = new Float64Array(cl.count);
    let v = 0;
    for (let g = 0; g < cl.count; g++) {
      let s = 0;
      for (const a of idx) s += grad[a] * u[g * m + a];
      sums[g] = s;
      v += s * s;
    }
    return { att, se: seOf(ssc * v), sums };
  };
  /**
   * emfx's average of the marginal effect over the treated observations in the cells `keep` selects,
   * with its cluster sums (for the event-study covariance).
   */
  const averageWithSums = (
    keep: (k: number) => boolean,
  ): { att: number; se: number | null; reason?: string; sums: Float64Array } | null => {
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
  /** The row without its cluster sums. */
  const withoutSums = <R extends { sums: Float64Array }>({ sums: _, ...row }: R): Omit<R, 'sums'> => row;
  const average = (keep: (k: number) => boolean) => {
    const r = averageWithSums(keep);
    return r && withoutSums(r);
  };
  const simple: AggregateEstimate = average(() => true)!;
  const ev = (k: number) => panel.periods[cells[k].t] - co.start[cells[k].c];
  const keys = [...new Set(cells.map((_, k) => ev(k)))].filter((e) => e >= o.minE && e <= o.maxE).sort((a, b) => a - b);
  const perEvent = keys.map((key) => averageWithSums((k) => ev(k) === key)!);
  const detail: DetailEstimate[] = keys.map((key, a) => ({ key, ...withoutSums(perEvent[a]) }));
  // The event-study covariance V_ab = ssc · Σ_g S_g^a S_g^b, S_g^a the cluster sums of event time a's
  // emfx gradient applied to (X'X)⁻¹ score_g: the off-diagonal of the delta-method SEs above.
  const vcov = vcovFromClusterSums(
    perEvent.map((r) => (r.se === null ? null : r.sums)),
    ssc,
  );
  const dynamic: AggregateEstimate = { att: null, se: null, reason: 'no post-treatment event time in the window', detail, vcov };
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
    Object.assign(dynamic, withoutSums(linear(grad)));
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
