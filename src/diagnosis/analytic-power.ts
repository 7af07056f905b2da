/**
 * Analytic variance and power of the treatment effect θ̂ of a stepped-wedge (or any cluster × period)
 * design under the Hussey & Hughes (2007) linear mixed model on cluster-period means:
 *
 *   ȳ_it = μ_t + θ·X_it + c_it + ē_it,   Var(ē_it) = σ²_e / m_i,   Cov(c_is, c_it) = τ²·R_st,
 *
 * with period fixed effects μ_t, X_it ∈ {0, 1} the treatment indicator of cluster i in period t, τ² the
 * cluster variance at one period and R the correlation of a cluster's effects across periods:
 * exchangeable (R = 1, Hussey & Hughes), block exchangeable (R_st = cac for s ≠ t; Hooper et al. 2016,
 * Girling & Hemming 2016) or discrete-time decay (R_st = r^|s−t|; Kasza et al. 2019).
 *
 * Var(θ̂) is the θθ element of (Σ_i Z_iᵀ V_i⁻¹ Z_i)⁻¹ with Z_i = [I_T | x_i] and V_i = σ²_e/m_i·I + τ²R
 * (GLS with the true covariance, as REML attains in large samples); with equal sizes and an exchangeable
 * R it equals Hussey & Hughes' closed form (their eq. 8), which is computed directly then.
 * Power is two-sided with both tails, Φ(|θ|/SE − z) + Φ(−|θ|/SE − z), as swCRTdesign's swPwr and
 * SteppedPower's glsPower report it (Hussey & Hughes print the one-tail approximation Φ(|θ|/SE − z));
 * with t inference the same with a central t(df) (the scaled Wald approximation of Li et al. 2018).
 */
import { invert, rcondFromInverse } from '../linalg/small.js';
import { pt, qt } from '../stats/student-t.js';

export type ClusterCorrelation = { type: 'exchangeable' } | { type: 'block'; cac: number } | { type: 'decay'; r: number };

/** G clusters × T periods of 0/1 treatment indicators, row-major by cluster (x[i·T + t]). */
export interface SwDesign {
  G: number;
  T: number;
  x: Float64Array;
}

/** Treatment indicators from each cluster's start period (Infinity: never), periods first … first + count − 1. */
export function designFromStarts(starts: ArrayLike<number>, periods: { first: number; count: number }): SwDesign {
  const G = starts.length;
  const T = periods.count;
  const x = new Float64Array(G * T);
  for (let i = 0; i < G; i++) for (let t = 0; t < T; t++) x[i * T + t] = periods.first + t >= starts[i] ? 1 : 0;
  return { G, T, x };
}

/** The Hussey & Hughes sums: U = Σ X_it, W = Σ_t (Σ_i X_it)², V = Σ_i (Σ_t X_it)². */
export function hhSums(d: SwDesign): { U: number; W: number; V: number } {
  let U = 0;
  let V = 0;
  const col = new Float64Array(d.T);
  for (let i = 0; i < d.G; i++) {
    let row = 0;
    for (let t = 0; t < d.T; t++) {
      const v = d.x[i * d.T + t];
      row += v;
      col[t] += v;
    }
    U += row;
    V += row * row;
  }
  let W = 0;
  for (const c of col) W += c * c;
  return { U, W, V };
}

/**
 * Hussey & Hughes (2007) eq. 8: Var(θ̂) = I·σ²(σ² + Tτ²) / ((IU − W)σ² + (U² + ITU − TW − IV)τ²), with
 * I clusters, T periods, σ² = σ²_e/m the variance of a cluster-period mean and τ² the cluster variance.
 * NaN when the denominator vanishes (θ not identified: nobody or everybody treated in every period).
 */
export function hhVariance(d: SwDesign, sigma2: number, tau2: number): number {
  const { U, W, V } = hhSums(d);
  const I = d.G;
  const T = d.T;
  const den = (I * U - W) * sigma2 + (U * U + I * T * U - T * W - I * V) * tau2;
  return den > 1e-12 * Math.max(1, I * U * (sigma2 + tau2)) ? (I * sigma2 * (sigma2 + T * tau2)) / den : NaN;
}

/** V = cellVar·I + τ²·R (T × T, row-major): the covariance of one cluster's T period means. */
export function clusterCovariance(T: number, cellVar: number, tau2: number, corr: ClusterCorrelation): Float64Array {
  const v = new Float64Array(T * T);
  for (let s = 0; s < T; s++)
    for (let t = 0; t < T; t++) {
      const r = s === t ? 1 : corr.type === 'exchangeable' ? 1 : corr.type === 'block' ? corr.cac : corr.r ** Math.abs(s - t);
      v[s * T + t] = tau2 * r + (s === t ? cellVar : 0);
    }
  return v;
}

/**
 * GLS variance of θ̂: [(Σ_i Z_iᵀ V_i⁻¹ Z_i)⁻¹]_θθ, Z_i = [I_T | x_i] (period effects, then treatment).
 * `cov(i)` gives V_i; clusters with the same matrix object share one inverse. NaN when θ is not identified.
 */
export function glsVariance(d: SwDesign, cov: (i: number) => Float64Array): number {
  const T = d.T;
  const k = T + 1;
  const info = new Float64Array(k * k);
  const inverses = new Map<Float64Array, Float64Array | null>();
  for (let i = 0; i < d.G; i++) {
    const v = cov(i);
    if (!inverses.has(v)) inverses.set(v, invert(v, T));
    const w = inverses.get(v);
    if (!w) return NaN;
    const x = d.x.subarray(i * T, (i + 1) * T);
    // Z'WZ: the period block is W itself; the θ column is W x; the θθ element x'Wx.
    let xwx = 0;
    for (let s = 0; s < T; s++) {
      let wx = 0;
      for (let t = 0; t < T; t++) {
        info[s * k + t] += w[s * T + t];
        wx += w[s * T + t] * x[t];
      }
      info[s * k + T] += wx;
      info[T * k + s] += wx;
      xwx += x[s] * wx;
    }
    info[T * k + T] += xwx;
  }
  const inv = invert(info, k);
  // Singular information (θ confounded with the periods: nobody, or everybody at once, treated) or all
  // but singular in rounding: not identified.
  if (!inv || rcondFromInverse(info, inv, k) < 1e-12) return NaN;
  const v = inv[T * k + T];
  return v > 0 && Number.isFinite(v) ? v : NaN;
}

export interface AnalyticModel {
  design: SwDesign;
  /** Person-level variance within a cluster-period, σ²_e. */
  sigmaE2: number;
  /** Cluster variance at one period, τ². */
  tau2: number;
  /** People per cluster and period: one number, or one per cluster (unequal sizes). */
  m: number | ArrayLike<number>;
  correlation: ClusterCorrelation;
}

/** Var(θ̂) of the model, and which formula gave it: HH's closed form where it applies, else GLS. */
export function analyticVariance(a: AnalyticModel): { variance: number; method: 'hussey-hughes' | 'gls' } {
  const exch = a.correlation.type === 'exchangeable' || (a.correlation.type === 'block' && a.correlation.cac === 1);
  if (typeof a.m === 'number' && exch) return { variance: hhVariance(a.design, a.sigmaE2 / a.m, a.tau2), method: 'hussey-hughes' };
  const bySize = new Map<number, Float64Array>();
  const sizeOf = (i: number) => (typeof a.m === 'number' ? a.m : a.m[i]);
  const cov = (i: number) => {
    const m = sizeOf(i);
    let v = bySize.get(m);
    if (!v) bySize.set(m, (v = clusterCovariance(a.design.T, a.sigmaE2 / m, a.tau2, a.correlation)));
    return v;
  };
  return { variance: glsVariance(a.design, cov), method: 'gls' };
}

/**
 * Two-sided power of the Wald test of θ = 0 at level α: P(|θ̂/SE| > q) with both tails, q = z_{1−α/2}
 * (df = Infinity) or t_{df, 1−α/2} with a central t(df) (df = G − 1 for `inference: t`).
 */
export function twoSidedPower(theta: number, se: number, alpha: number, df = Infinity): number {
  if (!(se > 0)) return NaN;
  const q = qt(1 - alpha / 2, df);
  const z = Math.abs(theta) / se;
  return pt(z - q, df) + pt(-q - z, df);
}
