/**
 * Method-of-moments pieces of the latent model η_it = Σβ(x − Ex) + unit_sd·level + slope·t + e_it,
 * e AR(1) with stationary sd noise_sd (world/latent.ts). Each works on a periods × units array.
 */
import { cholesky, cholSolve } from '../linalg/small.js';
import { normalCdfFast, normalQuantile } from '../random/phi.js';
import { tetrachoric } from './bvn.js';

/** Least squares b = argmin ‖y − Xb‖² for a few columns; null when XᵀX is singular. */
export function leastSquares(cols: ArrayLike<number>[], y: ArrayLike<number>): Float64Array | null {
  const k = cols.length;
  const n = y.length;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const ca = cols[a];
    let s = 0;
    for (let i = 0; i < n; i++) s += ca[i] * y[i];
    xty[a] = s;
    for (let b = 0; b <= a; b++) {
      const cb = cols[b];
      let t = 0;
      for (let i = 0; i < n; i++) t += ca[i] * cb[i];
      xtx[a * k + b] = xtx[b * k + a] = t;
    }
  }
  const l = cholesky(xtx, k);
  return l ? cholSolve(l, k, xty) : null;
}

export interface TrendFit {
  /** Value of the period series at the first period, seasons averaged out. */
  intercept: number;
  /** Change per period. */
  slope: number;
  /** Seasonal deviations (sum zero) by position in the season, or null when not fitted. */
  season: number[] | null;
}

/**
 * q_t = intercept + slope·t + s_(t mod S) with Σ s = 0 (effect coding), by least squares over the
 * periods. Seasons are fitted only when S ≥ 2 and the panel covers two full seasons.
 */
export function fitTrend(q: ArrayLike<number>, season: number): TrendFit {
  const T = q.length;
  const S = season >= 2 && T >= 2 * season ? season : 0;
  const cols: Float64Array[] = [new Float64Array(T).fill(1), Float64Array.from({ length: T }, (_, t) => t)];
  for (let s = 0; s < S - 1; s++) cols.push(Float64Array.from({ length: T }, (_, t) => (t % S === s ? 1 : t % S === S - 1 ? -1 : 0)));
  const b = leastSquares(cols, q) ?? new Float64Array(cols.length);
  let seasonOut: number[] | null = null;
  if (S > 0) {
    seasonOut = Array.from(b.subarray(2));
    seasonOut.push(-seasonOut.reduce((a, v) => a + v, 0));
  }
  return { intercept: b[0], slope: b[1], season: seasonOut };
}

export interface ArFit {
  /** Lag-independent part (stable unit effects, incl. covariates). */
  a: number;
  /** Stationary variance of the AR(1) part. */
  b: number;
  rho: number;
}

/**
 * v_k = a + b·ρ^k over the given lags, a, b ≥ 0, ρ ∈ [0, 0.995], by weighted least squares (weights w_k,
 * e.g. the number of period pairs behind lag k): a grid over ρ, then golden section around the best
 * grid point; for each ρ, (a, b) by constrained weighted least squares.
 */
export function fitAr(ks: readonly number[], v: readonly number[], w: readonly number[] = ks.map(() => 1)): ArFit {
  const n = ks.length;
  const W = w.reduce((s, x) => s + x, 0);
  const mv = v.reduce((s, x, j) => s + w[j] * x, 0) / W;
  const sse = (rho: number): ArFit & { sse: number } => {
    const g = ks.map((k) => rho ** k);
    const mg = g.reduce((s, x, j) => s + w[j] * x, 0) / W;
    let sgg = 0;
    let sgv = 0;
    for (let j = 0; j < n; j++) {
      sgg += w[j] * (g[j] - mg) ** 2;
      sgv += w[j] * (g[j] - mg) * (v[j] - mv);
    }
    let b = sgg > 1e-14 ? sgv / sgg : 0;
    let a = mv - b * mg;
    if (b < 0) {
      b = 0;
      a = mv;
    }
    if (a < 0) {
      a = 0;
      const gg = g.reduce((s, x, j) => s + w[j] * x * x, 0);
      b = gg > 0 ? Math.max(0, g.reduce((s, x, j) => s + w[j] * x * v[j], 0) / gg) : 0;
    }
    let e = 0;
    for (let j = 0; j < n; j++) e += w[j] * (v[j] - a - b * g[j]) ** 2;
    return { a, b, rho, sse: e };
  };
  let best = sse(0);
  for (let r = 0.005; r <= 0.995 + 1e-9; r += 0.005) {
    const f = sse(r);
    if (f.sse < best.sse) best = f;
  }
  let lo = Math.max(0, best.rho - 0.005);
  let hi = Math.min(0.995, best.rho + 0.005);
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 40; it++) {
    const m1 = hi - gr * (hi - lo);
    const m2 = lo + gr * (hi - lo);
    if (sse(m1).sse < sse(m2).sse) hi = m2;
    else lo = m1;
  }
  const f = sse((lo + hi) / 2);
  const out = f.sse <= best.sse ? f : best;
  return { a: out.a, b: out.b, rho: out.rho };
}

/** Pooled autocovariance Σ_i Σ_t r_it r_i,t+k / (n (T − k)) of a periods × units array, k = 0..K. */
export function autocovariances(r: Float64Array, n: number, T: number, K: number): number[] {
  const out: number[] = [];
  for (let k = 0; k <= K; k++) {
    let c = 0;
    for (let t = 0; t + k < T; t++) {
      const a = t * n;
      const b = (t + k) * n;
      for (let i = 0; i < n; i++) c += r[a + i] * r[b + i];
    }
    out.push(c / (n * (T - k)));
  }
  return out;
}

/** Share of ones per period, kept inside (0, 1) by half a unit so Φ⁻¹ is finite. */
export function periodShares(d: Uint8Array, n: number, T: number): Float64Array {
  const p = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[t * n + i];
    p[t] = Math.min(1 - 0.5 / n, Math.max(0.5 / n, s / n));
  }
  return p;
}

/**
 * Tetrachoric correlations of a 0/1 panel's latent Z_it at lags 1..K: r_k solves
 * mean_t Φ₂(h_t, h_t+k; r_k) = mean_(i,t) D_it D_i,t+k with h_t = Φ⁻¹(share in period t), so a trend or
 * season in the share does not pass for persistence.
 */
export function latentLagCorrelations(d: Uint8Array, n: number, T: number, K: number): { ks: number[]; r: number[]; h: Float64Array } {
  const h = periodShares(d, n, T).map((p) => normalQuantile(p));
  const ks: number[] = [];
  const r: number[] = [];
  for (let k = 1; k <= K; k++) {
    let c = 0;
    for (let t = 0; t + k < T; t++) {
      const a = t * n;
      const b = (t + k) * n;
      for (let i = 0; i < n; i++) c += d[a + i] & d[b + i];
    }
    ks.push(k);
    r.push(tetrachoric(h.subarray(0, T - k), h.subarray(k), c / (n * (T - k))));
  }
  return { ks, r, h };
}

/**
 * Probit slopes γ of P(D_it = 1 | x_i) = Φ(α_t + γ'x̃_i) (x̃ centred unit-level covariates), by Fisher
 * scoring. α_t = h_t·√(1 + γ'Σ_x γ) keeps each period's marginal share at Φ(h_t) (exact for normal x).
 */
export function probitSlopes(d: Uint8Array, n: number, T: number, h: Float64Array, x: Float64Array[]): Float64Array {
  const k = x.length;
  const g = new Float64Array(k);
  if (k === 0) return g;
  const cov = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[a][i] * x[b][i];
      cov[a * k + b] = s / n;
    }
  const lin = new Float64Array(n);
  for (let it = 0; it < 12; it++) {
    let q = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) q += g[a] * cov[a * k + b] * g[b];
    const inflate = Math.sqrt(1 + q);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += g[a] * x[a][i];
      lin[i] = s;
    }
    const score = new Float64Array(k);
    const info = new Float64Array(k * k);
    for (let t = 0; t < T; t++) {
      const alpha = h[t] * inflate;
      const off = t * n;
      for (let i = 0; i < n; i++) {
        const u = alpha + lin[i];
        const p = Math.min(1 - 1e-12, Math.max(1e-12, normalCdfFast(u)));
        const f = Math.exp(-0.5 * u * u) * 0.3989422804014327;
        const lam = (f * (d[off + i] - p)) / (p * (1 - p));
        const w = (f * f) / (p * (1 - p));
        for (let a = 0; a < k; a++) {
          const xa = x[a][i];
          score[a] += lam * xa;
          for (let b = 0; b <= a; b++) info[a * k + b] += w * xa * x[b][i];
        }
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) info[b * k + a] = info[a * k + b];
    const l = cholesky(info, k);
    if (!l) break;
    const step = cholSolve(l, k, score);
    let mx = 0;
    for (let a = 0; a < k; a++) {
      g[a] += step[a];
      mx = Math.max(mx, Math.abs(step[a]));
    }
    if (mx < 1e-7) break;
  }
  return g;
}
