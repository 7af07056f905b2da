/**
 * The bivariate normal distribution function Φ₂(h, k; r) = P(Z₁ ≤ h, Z₂ ≤ k), corr(Z₁, Z₂) = r ≥ 0,
 * and the tetrachoric correlation that reproduces a joint share. Calibration of binary-like outcomes
 * matches P(Y_t = 1, Y_s = 1) = Φ₂(c′_t, c′_s; r) (orthant probabilities of the probit latent).
 */
import { pnorm } from '../stats/normal.js';

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n from the Chebyshev guesses). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let m = 2; m <= n; m++) [p0, p1] = [p1, ((2 * m - 1) * z * p1 - (m - 1) * p0) / m];
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}
const GL = gaussLegendre(24);

/**
 * Φ₂(h, k; r) for 0 ≤ r < 1 by Plackett's identity Φ₂ = Φ(h)Φ(k) + ∫₀^r φ₂(h, k; s) ds, with s = sin θ
 * (Drezner & Wesolowsky 1990): the integrand exp(−(h² − 2hk sin θ + k²) / (2cos²θ)) / 2π is bounded and
 * smooth on [0, asin r], so 24-point Gauss–Legendre is accurate to ~1e-10 for r ≤ 0.99.
 */
export function bvnCdf(h: number, k: number, r: number): number {
  const base = pnorm(h) * pnorm(k);
  if (r <= 0) return base;
  const top = Math.asin(Math.min(r, 0.999999));
  const half = top / 2;
  const hk = h * k;
  const hh = (h * h + k * k) / 2;
  let s = 0;
  for (let j = 0; j < GL.x.length; j++) {
    const sn = Math.sin(half + half * GL.x[j]);
    s += GL.w[j] * Math.exp((hk * sn - hh) / (1 - sn * sn));
  }
  return base + (s * half) / (2 * Math.PI);
}

/**
 * The r in [0, 0.999] with mean_j Φ₂(h_j, k_j; r) = target (one lag's joint share averaged over period
 * pairs), by bisection (Φ₂ rises in r). Returns 0 or 0.999 when the target lies outside.
 */
export function tetrachoric(h: ArrayLike<number>, k: ArrayLike<number>, target: number): number {
  const n = h.length;
  const f = (r: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += bvnCdf(h[j], k[j], r);
    return s / n - target;
  };
  let lo = 0;
  let hi = 0.999;
  if (f(lo) >= 0) return 0;
  if (f(hi) <= 0) return hi;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
