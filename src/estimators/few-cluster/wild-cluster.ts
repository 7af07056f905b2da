/**
 * The restricted wild cluster bootstrap (WCR; Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017;
 * Roodman et al. 2019) of the CR1 t-statistic of one coefficient β_j, on a fit with absorbed effects
 * (cr2.ts AbsorbedFit plus the residualised outcome).
 *
 * Under H0: β_j = β0 the restricted residuals are ẽ = M_{−j}(ÿ − β0 ẍ_j) (M_{−j}: residual maker of the
 * other residualised regressors), and draw b sets y* = ŷ_r + v_g ẽ with one weight v_g per cluster. With
 * z = Ẍ B e_j (β̂_j = z'y), the bootstrap numerator is β̂*_j − β0 = Σ_h v_h z_h'ẽ_h, and the bootstrap
 * residuals e* = (I − H)(v ∘ ẽ) give the CR1 cluster scores s*_g = Σ_h K_gh v_h with
 *   K_gh = z_g'(I − H)_gh ẽ_h = δ_gh (z_g'ẽ_g − z_g'P_nested,g ẽ_g) − (F_g'z_g)'(F_h'ẽ_h) − (Ẍ_g'z_g)'B(Ẍ_h'ẽ_h),
 * so each draw costs O(G²) (Roodman et al. 2019 §3's algebra). t*_b = (β̂*_j − β0)/√(c·Σ_g s*_g²),
 * c = G/(G − 1)·(N − 1)/(N − K) as the actual t's CR1 (it cancels in the comparison).
 * p = share of draws with |t*| ≥ |t| (a tie, the identity draw and its mirror under full enumeration,
 * counts; relative tolerance 1e−9). ẽ is linear in β0, so every draw's t*(β0) is a ratio of a linear
 * function and the root of a quadratic: the interval {β0 : p(β0) > α} is found by bisection on each side.
 * Rademacher weights with 2^G ≤ B: all 2^G sign vectors (deterministic, as boottest and fwildclusterboot).
 */
import type { Rng } from '../../random/stream.js';
import { EstimatorInputError } from '../errors.js';
import { rademacher, webb } from '../did/bootstrap.js';
import { cholesky, cholSolve } from '../../linalg/small.js';
import type { AbsorbedFit } from './cr2.js';

export type WildWeights = 'rademacher' | 'webb';
export const WILD_WEIGHTS: readonly WildWeights[] = ['rademacher', 'webb'];

export interface WildResult {
  /** Symmetric bootstrap p-value of H0: β_j = β0. */
  p: number;
  /**
   * The interval by test inversion at level α; a side is ±Infinity when p(β0) never falls to α there
   * (with Rademacher weights and G ≤ 5, p ≥ 2/2^G > 0.05 always: the 95 % interval is the whole line).
   */
  ci: [number, number];
  /** True when a side of ci is infinite. */
  unbounded: boolean;
  /** Draws used (2^G when enumerated). */
  draws: number;
  enumerated: boolean;
}

export interface WildOptions {
  j: number;
  draws: number;
  weights: WildWeights;
  beta0?: number;
  alpha?: number;
  /** Parameters of the fit counted by the CR1 factor (N − 1)/(N − K). */
  kFit: number;
}

/** The per-draw pieces: t*(β0) = (n0 − β0 n1)/√(c(A − 2β0 Bq + β0² C)). */
interface Draws {
  n0: Float64Array;
  n1: Float64Array;
  a: Float64Array;
  bq: Float64Array;
  c: Float64Array;
}

export function wildClusterBootstrap(rng: Rng, fit: AbsorbedFit & { yd: Float64Array; beta: Float64Array }, o: WildOptions): WildResult {
  const { k, x, bread, members, nested, f } = fit;
  const r = fit.r ?? 0;
  const G = members.length;
  const N = fit.e.length;
  const j = o.j;
  if (G < 2) throw new EstimatorInputError(`wild cluster bootstrap: needs at least 2 clusters, found ${G}`);
  // Restricted residuals ẽ(β0) = ẽ0 − β0 ρ: partial the other regressors out of ÿ and of ẍ_j.
  const others = [...Array(k).keys()].filter((a) => a !== j);
  const partial = (v: (o: number) => number): Float64Array => {
    const out = Float64Array.from({ length: N }, (_, q) => v(q));
    const p = others.length;
    if (p === 0) return out;
    const gram = new Float64Array(p * p),
      rhs = new Float64Array(p);
    for (let q = 0; q < N; q++)
      others.forEach((a, u) => {
        rhs[u] += x[q * k + a] * out[q];
        others.forEach((b, w) => {
          gram[u * p + w] += x[q * k + a] * x[q * k + b];
        });
      });
    const l = cholesky(gram, p);
    if (!l) throw new EstimatorInputError('wild cluster bootstrap: the other regressors are collinear');
    const coef = cholSolve(l, p, rhs);
    for (let q = 0; q < N; q++) others.forEach((a, u) => (out[q] -= x[q * k + a] * coef[u]));
    return out;
  };
  const e0 = partial((q) => fit.yd[q]);
  const rho = partial((q) => x[q * k + j]);
  const z = Float64Array.from({ length: N }, (_, q) => {
    let s = 0;
    for (let a = 0; a < k; a++) s += x[q * k + a] * bread[a * k + j];
    return s;
  });
  // Per cluster: ã (numerator pieces), the diagonal of K, and the cross factors ψ_g (of z) and ω_h (of ẽ).
  const pieces = (e: Float64Array) => {
    const num = new Float64Array(G),
      diag = new Float64Array(G),
      omega = new Float64Array(G * (r + k));
    members.forEach((idx, g) => {
      let ze = 0;
      const zl = new Map<number, number>(),
        el = new Map<number, number>();
      const xe = new Float64Array(k);
      for (const q of idx) {
        ze += z[q] * e[q];
        if (f) for (let s = 0; s < r; s++) omega[g * (r + k) + s] += f[q * r + s] * e[q];
        for (let a = 0; a < k; a++) xe[a] += x[q * k + a] * e[q];
        if (nested && nested.level[q] >= 0) {
          const l = nested.level[q];
          zl.set(l, (zl.get(l) ?? 0) + z[q]);
          el.set(l, (el.get(l) ?? 0) + e[q]);
        }
      }
      let pn = 0;
      for (const [l, sz] of zl) pn += (sz * el.get(l)!) / nested!.size[l];
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += bread[a * k + b] * xe[b];
        omega[g * (r + k) + r + a] = s;
      }
      num[g] = ze;
      diag[g] = ze - pn;
    });
    return { num, diag, omega };
  };
  const psi = new Float64Array(G * (r + k));
  members.forEach((idx, g) => {
    for (const q of idx) {
      if (f) for (let s = 0; s < r; s++) psi[g * (r + k) + s] += f[q * r + s] * z[q];
      for (let a = 0; a < k; a++) psi[g * (r + k) + r + a] += x[q * k + a] * z[q];
    }
  });
  const kernel = (pc: ReturnType<typeof pieces>): Float64Array => {
    const K = new Float64Array(G * G);
    const w = r + k;
    for (let g = 0; g < G; g++)
      for (let h = 0; h < G; h++) {
        let s = 0;
        for (let a = 0; a < w; a++) s += psi[g * w + a] * pc.omega[h * w + a];
        K[g * G + h] = (g === h ? pc.diag[g] : 0) - s;
      }
    return K;
  };
  const p0 = pieces(e0),
    p1 = pieces(rho);
  const K0 = kernel(p0),
    K1 = kernel(p1);

  return wildFromKernels(rng, { num0: p0.num, num1: p1.num, K0, K1, estimate: fit.beta[j] }, o);
}

/**
 * The linear pieces of a WCR whose restricted residuals are linear in β0, ẽ(β0) = ẽ0 − β0ρ: per cluster g
 * the numerator pieces num0_g = z_g'ẽ0_g and num1_g = z_g'ρ_g (β̂* − β0 = Σ v_g (num0_g − β0 num1_g)) and
 * the score kernels K0, K1 (G × G, row-major): the bootstrap CR score of cluster g is Σ_h (K0 − β0 K1)_gh v_h.
 */
export interface WildKernels {
  num0: Float64Array;
  num1: Float64Array;
  K0: Float64Array;
  K1: Float64Array;
  /** The estimate β̂_j the interval is centred on. */
  estimate: number;
}

/** Draws used and whether they are the full Rademacher enumeration (2^G ≤ B; no random numbers read). */
export function wildDrawPlan(weights: WildWeights, G: number, draws: number): { B: number; enumerated: boolean } {
  const enumerated = weights === 'rademacher' && G < 31 && 2 ** G <= draws;
  const B = enumerated ? 2 ** G : draws;
  if (B < 1) throw new EstimatorInputError('wild cluster bootstrap: needs at least 1 draw');
  return { B, enumerated };
}

/** Draw b's cluster weights into v: sign vector b (bit g = cluster g) when enumerated, else from rng. */
export function wildWeightsInto(rng: Rng, v: Float64Array, b: number, enumerated: boolean, weights: WildWeights): void {
  const G = v.length;
  if (enumerated) for (let g = 0; g < G; g++) v[g] = (b >> g) & 1 ? -1 : 1;
  else {
    const draw = weights === 'webb' ? webb : rademacher;
    for (let g = 0; g < G; g++) v[g] = draw(rng);
  }
}

/**
 * The symmetric p-value at β0 and the interval by test inversion from the kernels (the CR factor cancels
 * between t and t*, so the kernels are unscaled). Also returns the actual draw's Σ_g s_g² (CR0 meat).
 */
export function wildFromKernels(
  rng: Rng,
  k: WildKernels,
  o: Pick<WildOptions, 'draws' | 'weights' | 'beta0' | 'alpha'>,
): WildResult & { scores2: number } {
  const { num0, num1, K0, K1 } = k;
  const G = num0.length;
  const { B, enumerated } = wildDrawPlan(o.weights, G, o.draws);
  const d: Draws = {
    n0: new Float64Array(B),
    n1: new Float64Array(B),
    a: new Float64Array(B),
    bq: new Float64Array(B),
    c: new Float64Array(B),
  };
  /** Draw b's pieces for the weights v. */
  const record = (v: Float64Array, into: Draws, b: number) => {
    let n0 = 0,
      n1 = 0,
      a = 0,
      bq = 0,
      c = 0;
    for (let g = 0; g < G; g++) {
      n0 += v[g] * num0[g];
      n1 += v[g] * num1[g];
      let s0 = 0,
        s1 = 0;
      for (let h = 0; h < G; h++) {
        s0 += K0[g * G + h] * v[h];
        s1 += K1[g * G + h] * v[h];
      }
      a += s0 * s0;
      bq += s0 * s1;
      c += s1 * s1;
    }
    into.n0[b] = n0;
    into.n1[b] = n1;
    into.a[b] = a;
    into.bq[b] = bq;
    into.c[b] = c;
  };
  const v = new Float64Array(G);
  for (let b = 0; b < B; b++) {
    wildWeightsInto(rng, v, b, enumerated, o.weights);
    record(v, d, b);
  }
  // The actual t(β0) = (β̂_j − β0)/se1 is the identity draw's (v = 1), computed by the same operations so
  // that the identity draw and its mirror tie with it exactly at every β0 (in exact arithmetic K1's row
  // sums vanish: the unrestricted residuals do not depend on β0).
  const actual: Draws = {
    n0: new Float64Array(1),
    n1: new Float64Array(1),
    a: new Float64Array(1),
    bq: new Float64Array(1),
    c: new Float64Array(1),
  };
  record(new Float64Array(G).fill(1), actual, 0);
  const tStat = (q: Draws, b: number, beta0: number): number => {
    const den = q.a[b] - 2 * beta0 * q.bq[b] + beta0 * beta0 * q.c[b];
    return den > 0 ? Math.abs(q.n0[b] - beta0 * q.n1[b]) / Math.sqrt(den) : Infinity;
  };
  const bj = k.estimate;
  const pAt = (beta0: number): number => {
    const tt = tStat(actual, 0, beta0);
    let hits = 0;
    for (let b = 0; b < B; b++) if (tStat(d, b, beta0) >= tt * (1 - 1e-9)) hits++;
    return hits / B;
  };
  const p = pAt(o.beta0 ?? 0);
  const alpha = o.alpha ?? 0.05;
  const se = Math.sqrt(actual.a[0]);
  const side = (dir: number): number => {
    if (!(se > 0)) return dir * Infinity;
    let inside = bj,
      out = bj + dir * 2 * se;
    for (let it = 0; pAt(out) > alpha; it++) {
      if (it > 40) return dir * Infinity;
      out = inside + 2 * (out - inside);
    }
    for (let it = 0; it < 60; it++) {
      const mid = (inside + out) / 2;
      if (pAt(mid) > alpha) inside = mid;
      else out = mid;
    }
    return (inside + out) / 2;
  };
  const ci: [number, number] = [side(-1), side(1)];
  return { p, ci, unbounded: !Number.isFinite(ci[0]) || !Number.isFinite(ci[1]), draws: B, enumerated, scores2: actual.a[0] };
}
