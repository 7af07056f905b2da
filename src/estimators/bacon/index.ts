/**
 * The Goodman-Bacon (2021) decomposition of the static two-way fixed-effects estimate: on a balanced
 * panel without covariates, β̂_TWFE is a weighted average of every 2×2 DiD between two timing groups,
 *   β̂_TWFE = Σ_k s_kU β̂_kU + Σ_{k<ℓ} (s^k_kℓ β̂^k_kℓ + s^ℓ_kℓ β̂^ℓ_kℓ),   Σ s = 1     (Theorem 1, eq. 10)
 * with group shares n_k, treated-period shares D̄_k, n_kℓ = n_k / (n_k + n_ℓ) and
 *   s_kU    = (n_k + n_U)² n_kU(1 − n_kU) D̄_k(1 − D̄_k)                                    / V̂^D
 *   s^k_kℓ  = ((n_k + n_ℓ)(1 − D̄_ℓ))² n_kℓ(1 − n_kℓ) (D̄_k − D̄_ℓ)/(1 − D̄_ℓ) · (1 − D̄_k)/(1 − D̄_ℓ) / V̂^D
 *   s^ℓ_kℓ  = ((n_k + n_ℓ) D̄_k)² n_kℓ(1 − n_kℓ) (D̄_ℓ/D̄_k) · (D̄_k − D̄_ℓ)/D̄_k                   / V̂^D
 * where V̂^D is the variance of the double-demeaned treatment dummy. The 2×2s: treated vs never
 * (whole panel), earlier vs later (the later group, not yet treated, as control, periods before ℓ)
 * and later vs earlier (the earlier group, already treated, as control, periods from k on) — the
 * "forbidden comparison" that turns effects growing over time into bias. Units treated from the first
 * period act as a control only ("later vs always treated").
 */
import type { Panel } from '../../panel/panel.js';
import type { Estimate, Estimator } from '../types.js';
import { clusterCodes, startGroupsOf } from '../twfe/start-groups.js';
import { staticTwfe, treatedCells, twfeOptions, type TwfeOptions } from '../twfe/index.js';

export type BaconType = 'treated vs never' | 'earlier vs later' | 'later vs earlier' | 'later vs always treated';

export interface BaconTerm {
  /** Start group of the units treated in this 2×2. */
  treated: number;
  /** Start group of the comparison units; 0 = never treated. */
  control: number;
  type: BaconType;
  weight: number;
  estimate: number;
}

export interface BaconDecomposition {
  /** The static TWFE estimate the terms add up to. */
  twfe: number;
  terms: BaconTerm[];
  /** Total weight of each type and the weighted average of its estimates. */
  byType: { type: BaconType; weight: number; estimate: number }[];
  /** V̂^D, the variance of the double-demeaned treatment dummy. */
  varianceD: number;
}

export interface BaconEstimate extends Estimate {
  bacon: BaconDecomposition | null;
  /** Why `bacon` is null (no unit changes treatment status inside the panel). */
  bacon_reason?: string;
}

/**
 * Decompose the static TWFE estimate of a balanced panel.
 * @returns null (with a reason) when no unit changes treatment status inside the panel.
 */
export function baconDecomposition(panel: Panel): BaconDecomposition | { reason: string } {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const co = startGroupsOf(panel);
  const C = co.start.length;
  // Cell means ȳ_ct and the means over a range of periods.
  const mean = new Float64Array(C * T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) mean[co.of[i] * T + t] += panel.y[t * n + i];
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) mean[c * T + t] /= co.size[c];
  const avg = (c: number, from: number, to: number) => {
    let s = 0;
    for (let t = from; t < to; t++) s += mean[c * T + t];
    return s / (to - from);
  };
  const did = (tr: number, ct: number, pre: [number, number], post: [number, number]) =>
    avg(tr, post[0], post[1]) - avg(tr, pre[0], pre[1]) - (avg(ct, post[0], post[1]) - avg(ct, pre[0], pre[1]));

  const share = Float64Array.from(co.size, (s) => s / n);
  const a = co.firstIndex; // first treated period index; T = never, 0 = always treated
  const dbar = Float64Array.from(a, (ai) => (T - ai) / T);
  const d = treatedCells(panel, co);
  const varianceD = varianceOfDemeaned(d, co.size, C, T, n);
  if (!(varianceD > 0)) return { reason: 'no unit changes treatment status inside the panel, so the TWFE estimate is not identified' };

  const label = (c: number) => (Number.isFinite(co.start[c]) ? co.start[c] : 0);
  const terms: BaconTerm[] = [];
  const never = a.indexOf(T);
  for (let k = 0; k < C; k++) {
    if (a[k] === 0 || a[k] === T) continue;
    if (never >= 0) {
      const nk = share[k],
        nu = share[never],
        nku = nk / (nk + nu);
      const w = ((nk + nu) ** 2 * nku * (1 - nku) * dbar[k] * (1 - dbar[k])) / varianceD;
      terms.push({ treated: label(k), control: 0, type: 'treated vs never', weight: w, estimate: did(k, never, [0, a[k]], [a[k], T]) });
    }
  }
  for (let k = 0; k < C; k++) {
    for (let l = 0; l < C; l++) {
      if (!(a[k] < a[l]) || a[l] === T) continue; // k earlier than l, both treated inside the panel or before it
      const nkl = share[k] / (share[k] + share[l]);
      const m = (share[k] + share[l]) ** 2 * nkl * (1 - nkl);
      if (a[k] > 0) {
        const w = (m * (1 - dbar[l]) ** 2 * ((dbar[k] - dbar[l]) / (1 - dbar[l])) * ((1 - dbar[k]) / (1 - dbar[l]))) / varianceD;
        terms.push({
          treated: label(k),
          control: label(l),
          type: 'earlier vs later',
          weight: w,
          estimate: did(k, l, [0, a[k]], [a[k], a[l]]),
        });
      }
      const w = (m * dbar[k] ** 2 * (dbar[l] / dbar[k]) * ((dbar[k] - dbar[l]) / dbar[k])) / varianceD;
      terms.push({
        treated: label(l),
        control: label(k),
        type: a[k] === 0 ? 'later vs always treated' : 'later vs earlier',
        weight: w,
        estimate: did(l, k, [a[k], a[l]], [a[l], T]),
      });
    }
  }
  const twfe = terms.reduce((s, t) => s + t.weight * t.estimate, 0);
  const types: BaconType[] = ['treated vs never', 'earlier vs later', 'later vs earlier', 'later vs always treated'];
  const byType = types.flatMap((type) => {
    const of = terms.filter((t) => t.type === type);
    if (of.length === 0) return [];
    const weight = of.reduce((s, t) => s + t.weight, 0);
    return [{ type, weight, estimate: of.reduce((s, t) => s + t.weight * t.estimate, 0) / weight }];
  });
  return { twfe, terms, byType, varianceD };
}

/** V̂^D = (1/nT) Σ_i Σ_t D̃_it² for a cohort-level dummy (balanced panel, double demeaning). */
function varianceOfDemeaned(d: Float64Array, size: Float64Array, C: number, T: number, n: number): number {
  const row = new Float64Array(C),
    col = new Float64Array(T);
  let grand = 0;
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < T; t++) {
      row[c] += d[c * T + t] / T;
      col[t] += (size[c] * d[c * T + t]) / n;
    }
    grand += (size[c] * row[c]) / n;
  }
  let v = 0;
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) v += size[c] * (d[c * T + t] - row[c] - col[t] + grand) ** 2;
  return v / (n * T);
}

/**
 * The decomposition as an estimator: aggregates.simple is the static TWFE estimate with its CR1 SE
 * (from the regression, so it matches `twfe`), and `bacon` lists the 2×2s.
 */
export function estimateBacon(panel: Panel, options: Partial<Pick<TwfeOptions, 'cluster'>> = {}): BaconEstimate {
  const o = twfeOptions({ ...options, eventStudy: false });
  const dec = baconDecomposition(panel);
  const messages: string[] = [];
  if ('reason' in dec) {
    return {
      estimator: 'bacon',
      att_gt: [],
      wald_pretest: null,
      aggregates: { simple: { att: null, se: null, reason: dec.reason } },
      messages: [dec.reason],
      bacon: null,
      bacon_reason: dec.reason,
    };
  }
  if (o.cluster === 'column') clusterCodes(panel, true); // fail early with the message when no column
  const s = staticTwfe(panel, o);
  const simple = { att: dec.twfe, se: s.se, ...(s.se === null ? { reason: s.reason ?? 'no standard error' } : {}) };
  const bad = dec.byType.find((b) => b.type === 'later vs earlier');
  if (bad && bad.weight > 0) {
    messages.push(
      `${(100 * bad.weight).toFixed(1)} % of the TWFE weight is on comparisons that use already-treated units as controls (later vs earlier, average ${bad.estimate.toPrecision(4)}).`,
    );
  }
  return { estimator: 'bacon', att_gt: [], wald_pretest: null, aggregates: { simple }, messages, bacon: dec };
}

export function baconEstimator(options: Partial<Pick<TwfeOptions, 'cluster'>> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'bacon', estimate: (panel: Panel) => estimateBacon(panel, opts) };
}
