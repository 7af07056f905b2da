/**
 * The efficient estimator for staggered rollouts with random treatment timing (Roth & Sant'Anna 2023,
 * "Efficient Estimation for Staggered Rollout Designs", JPE Micro; R package `staggered`).
 *
 * Everything is a linear function of the cohort means Ȳ_g (a T-vector per start cohort g) with cohort
 * sizes N_g and sample covariance matrices S_g (n − 1 denominator), in the paper's order:
 *   θ̂₀ = Σ_g A_θ,g Ȳ_g          the plug-in estimand: treated cohort minus not-yet-treated cohorts (eq. 6);
 *   X̂  = Σ_g A_0,g Ȳ_g          the same comparison in the period before each treated cohort starts
 *                                (the scalar of Callaway & Sant'Anna's DiD, E[X̂] = 0 under random timing);
 *   θ̂_β = θ̂₀ − β X̂             β = 0 is the difference in means, β = 1 the CS estimator (not-yet-treated);
 *   β* = Var(X̂)⁻¹ Cov(X̂, θ̂₀)   the plug-in efficient coefficient (Proposition 2.1), each moment
 *                                Σ_g A S_g B' / N_g.
 * SEs (section 3): the Neyman-type conservative variance
 *   V̂ = Σ_g (A_θ,g − β A_0,g) S_g (A_θ,g − β A_0,g)' / N_g,
 * and the refined design-based one that subtracts the part of the treatment-effect heterogeneity
 * explained by pre-period outcomes: with M the periods before g_min (the first cohort the estimand
 * touches), b = Σ_{g ≥ g_min} (M S_g M')⁺ M S_g A_θ,g', V̂* = V̂ − b' avg_{g ≥ g_min}(M S_g M') b / N.
 * The refined SE is `se`; the Neyman SE is kept as `se_neyman`, as the package reports both. The
 * refinement regresses on every period before g_min within each cohort: with many pre-periods against
 * small cohorts it overfits (the subtracted term can exceed V̂). Where V̂* ≤ 0 the package returns 0;
 * we return the Neyman SE and say so. With `refine` false, se is the Neyman SE throughout.
 *
 * Periods are handled by index: the "period before g" is the index before the cohort's first treated
 * period and event time e is e indices after it (equal to the package's labels g − 1, g + e on
 * consecutive periods). StartGroups of a single unit have no covariance and are dropped with a message, as
 * the package does. The never-treated (group 0) form one cohort that is never a treated cohort.
 */
import type { Panel } from '../../panel/panel.js';
import { SE_FLOOR } from '../did/influence.js';
import { startGroupsOf } from '../twfe/start-groups.js';
import { pinvSym } from '../../linalg/pinv.js';

export interface CohortSummaries {
  /** Start label per kept cohort, ascending (Infinity = never treated). */
  start: number[];
  /** Index of each cohort's first treated period (T for never treated). */
  first: Int32Array;
  /** N_g. */
  size: Float64Array;
  /** Ȳ_g, G × T. */
  ybar: Float64Array;
  /** S_g, one T × T matrix per cohort. */
  S: Float64Array[];
  T: number;
  /** Units kept (Σ N_g). */
  n: number;
  /** Index bound of identified periods: the first treated period of the last cohort (T with never treated). */
  aMax: number;
  messages: string[];
  /**
   * Compare with the last-starting cohort only (the staggered package's use_last_treated_only, as Sun
   * & Abraham 2021 suggest) instead of every cohort not yet treated; with β = 1 this is staggered_sa.
   */
  lastOnly?: boolean;
}

/** Cohort means, sizes and covariance matrices of a balanced panel (the package's g-level summaries). */
export function cohortSummaries(panel: Panel, group: ArrayLike<number> = panel.group): CohortSummaries {
  const n = panel.nUnits,
    T = panel.nPeriods,
    y = panel.y;
  const co = startGroupsOf(group === panel.group ? panel : { ...panel, group: Float64Array.from(group) });
  const messages: string[] = [];
  const keep = co.start.map((_, c) => co.size[c] > 1);
  const single = co.start.filter((_, c) => !keep[c]);
  if (single.length > 0) {
    messages.push(
      `efficient: dropped start group(s) ${single.map((g) => (g === Infinity ? 'never treated' : g)).join(', ')} with a single unit (no covariance), as the staggered package does.`,
    );
  }
  const slot = new Int32Array(co.start.length).fill(-1);
  const start: number[] = [];
  const firsts: number[] = [];
  const sizes: number[] = [];
  co.start.forEach((g, c) => {
    if (!keep[c]) return;
    slot[c] = start.length;
    start.push(g);
    firsts.push(co.firstIndex[c]);
    sizes.push(co.size[c]);
  });
  const G = start.length;
  const size = Float64Array.from(sizes);
  const ybar = new Float64Array(G * T);
  const unitSlot = Int32Array.from(co.of, (c) => slot[c]);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let i = 0; i < n; i++) if (unitSlot[i] >= 0) ybar[unitSlot[i] * T + t] += y[row + i];
  }
  for (let k = 0; k < G; k++) for (let t = 0; t < T; t++) ybar[k * T + t] /= size[k];
  // Upper triangles of Σ_i d_i d_i' (d the centred outcome vector), then symmetric and / (N_g − 1).
  const S = start.map(() => new Float64Array(T * T));
  const d = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    const k = unitSlot[i];
    if (k < 0) continue;
    for (let t = 0; t < T; t++) d[t] = y[t * n + i] - ybar[k * T + t];
    const s = S[k];
    for (let a = 0; a < T; a++) {
      const da = d[a],
        r = a * T;
      for (let b = a; b < T; b++) s[r + b] += da * d[b];
    }
  }
  for (let k = 0; k < G; k++) {
    const s = S[k],
      f = 1 / (size[k] - 1);
    for (let a = 0; a < T; a++)
      for (let b = a; b < T; b++) {
        s[a * T + b] *= f;
        s[b * T + a] = s[a * T + b];
      }
  }
  let nKept = 0;
  for (let k = 0; k < G; k++) nKept += size[k];
  const first = Int32Array.from(firsts);
  const aMax = G > 0 ? Math.min(T, first[G - 1]) : 0;
  return { start, first, size, ybar, S, T, n: nKept, aMax, messages };
}

/** A linear estimand: the weight matrices A_θ and A_0 (G × T each) on the cohort means. */
export interface LinearEstimand {
  A: Float64Array;
  A0: Float64Array;
}

export function emptyEstimand(cs: CohortSummaries): LinearEstimand {
  return { A: new Float64Array(cs.start.length * cs.T), A0: new Float64Array(cs.start.length * cs.T) };
}

/**
 * Adds w · ATT(g, t) for cohort k at period index t: the cohort minus the size-weighted mean of the
 * cohorts starting after both g and t (A_θ), and the same comparison in the period before g (A_0).
 * With `cs.lastOnly` the comparison is the last cohort alone, when it starts after t.
 * @returns false when no cohort is left to compare with (nothing added).
 */
export function addCell(cs: CohortSummaries, e: LinearEstimand, k: number, t: number, w: number): boolean {
  const G = cs.start.length,
    T = cs.T,
    after = Math.max(t, cs.first[k]);
  // The comparison cohorts: every one starting after both g and t, or only the last (cs.lastOnly).
  const compares = (c: number) => cs.first[c] > after && (!cs.lastOnly || c === G - 1);
  let nc = 0;
  for (let c = 0; c < G; c++) if (compares(c)) nc += cs.size[c];
  if (nc === 0) return false;
  const pre = cs.first[k] - 1;
  e.A[k * T + t] += w;
  if (pre >= 0) e.A0[k * T + pre] += w;
  for (let c = 0; c < G; c++) {
    if (!compares(c)) continue;
    const wc = (w * cs.size[c]) / nc;
    e.A[c * T + t] -= wc;
    if (pre >= 0) e.A0[c * T + pre] -= wc;
  }
  return true;
}

export interface EfficientFit {
  att: number | null;
  /** Refined design-based SE (the package's `se`). */
  se: number | null;
  /** Neyman-type conservative SE (the package's `se_neyman`). */
  se_neyman: number | null;
  beta: number | null;
  reason?: string;
  /** The refined variance was not positive (too many pre-periods for the cohort sizes): se is the Neyman SE. */
  refinedFailed?: boolean;
}

/** a' S b over the nonzero entries of a and b (rows of a G × T matrix at offset o). */
function quad(S: Float64Array, T: number, a: Float64Array, b: Float64Array, o: number): number {
  let s = 0;
  for (let u = 0; u < T; u++) {
    const au = a[o + u];
    if (au === 0) continue;
    const r = u * T;
    for (let v = 0; v < T; v++) {
      const bv = b[o + v];
      if (bv !== 0) s += au * S[r + v] * bv;
    }
  }
  return s;
}

/** Pre-period blocks for the refined variance, per first cohort touched (cached per panel). */
interface PreBlocks {
  m: number;
  /** (M S_g M')⁺ per cohort from the first touched on (null before it). */
  pinv: (Float64Array | null)[];
  avg: Float64Array;
}

export class EfficientFitter {
  private readonly pre = new Map<number, PreBlocks>();
  constructor(readonly cs: CohortSummaries) {}

  /**
   * θ̂_β, the Neyman and the refined SE of a linear estimand.
   * @param beta fixed coefficient on X̂ (0: difference in means, 1: Callaway & Sant'Anna); the plug-in β* when omitted
   */
  fit(e: LinearEstimand, beta?: number, refine = true): EfficientFit {
    const { cs } = this;
    const G = cs.start.length,
      T = cs.T;
    let theta0 = 0,
      xhat = 0,
      vT = 0,
      vX = 0,
      cXT = 0;
    let kMin = -1;
    for (let k = 0; k < G; k++) {
      const o = k * T;
      let touched = false;
      for (let t = 0; t < T; t++) {
        theta0 += e.A[o + t] * cs.ybar[o + t];
        xhat += e.A0[o + t] * cs.ybar[o + t];
        if (e.A[o + t] !== 0) touched = true;
      }
      if (touched && kMin < 0) kMin = k;
      const S = cs.S[k],
        N = cs.size[k];
      vT += quad(S, T, e.A, e.A, o) / N;
      vX += quad(S, T, e.A0, e.A0, o) / N;
      cXT += quad(S, T, e.A0, e.A, o) / N;
    }
    if (kMin < 0) return { att: null, se: null, se_neyman: null, beta: null, reason: 'no cohort enters the estimand' };
    const b = beta ?? (vX > 0 ? cXT / vX : 0);
    const att = theta0 - b * xhat;
    const vNeyman = Math.max(0, vT + b * b * vX - 2 * b * cXT);
    const seN = Math.sqrt(vNeyman);
    const out: EfficientFit = { att, se: null, se_neyman: seN > SE_FLOOR ? seN : null, beta: b };
    if (out.se_neyman === null) {
      out.reason = 'no standard error (zero variance: the estimand is its own pre-period difference, or constant outcomes)';
      return out;
    }
    if (!refine) {
      out.se = out.se_neyman;
      return out;
    }
    const se = Math.sqrt(Math.max(0, vNeyman - this.refinement(e, kMin)));
    if (se > SE_FLOOR) {
      out.se = se;
    } else {
      // The package returns 0 here (with a warning); an interval of width 0 is never right, so the
      // conservative SE stands in and the reason says so.
      out.se = out.se_neyman;
      out.refinedFailed = true;
    }
    return out;
  }

  /** b' avg(M S_g M') b / N, b = Σ_{g ≥ g_min} (M S_g M')⁺ M S_g A_θ,g'; 0 when g_min starts in the first period. */
  private refinement(e: LinearEstimand, kMin: number): number {
    const { cs } = this;
    const T = cs.T,
      m = cs.first[kMin];
    if (m <= 0) return 0;
    const blocks = this.blocks(kMin);
    const bsum = new Float64Array(m);
    const v = new Float64Array(m);
    for (let k = kMin; k < cs.start.length; k++) {
      const S = cs.S[k],
        o = k * T;
      v.fill(0);
      for (let t = 0; t < T; t++) {
        const a = e.A[o + t];
        if (a === 0) continue;
        for (let p = 0; p < m; p++) v[p] += S[p * T + t] * a;
      }
      const P = blocks.pinv[k]!;
      for (let p = 0; p < m; p++) {
        let s = 0;
        for (let q = 0; q < m; q++) s += P[p * m + q] * v[q];
        bsum[p] += s;
      }
    }
    let adj = 0;
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let q = 0; q < m; q++) s += blocks.avg[p * m + q] * bsum[q];
      adj += bsum[p] * s;
    }
    return adj / cs.n;
  }

  private blocks(kMin: number): PreBlocks {
    const hit = this.pre.get(kMin);
    if (hit) return hit;
    const { cs } = this;
    const T = cs.T,
      m = cs.first[kMin],
      G = cs.start.length;
    const avg = new Float64Array(m * m);
    const pinv: (Float64Array | null)[] = new Array(G).fill(null);
    const block = new Float64Array(m * m);
    for (let k = kMin; k < G; k++) {
      const S = cs.S[k];
      for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) block[p * m + q] = S[p * T + q];
      for (let j = 0; j < m * m; j++) avg[j] += block[j] / (G - kMin);
      pinv[k] = pinvSym(block, m);
    }
    const out = { m, pinv, avg };
    this.pre.set(kMin, out);
    return out;
  }
}
