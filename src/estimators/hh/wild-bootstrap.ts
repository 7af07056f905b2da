/**
 * The restricted wild cluster bootstrap (WCR) of θ̂ in the Hussey & Hughes model, with the variance
 * components held at the REML estimates of the full fit: every bootstrap fit is then the same linear
 * GLS map, and each draw costs O(G²) (the algebra of the twfe WCR, few-cluster/wild-cluster.ts).
 *
 * Cluster j's cells: Z_j = [period dummies | X_jt] (m_j × k), V_j ∝ H_j = D_j + a·I + ψ·S_j exactly as
 * reml.ts (D_j = diag(1/n_jt), or I without cell sizes; S_j = J or r^|s−t|; ψ = τ²/σ², a = ω²/σ²; the
 * scale σ² cancels in every GLS coefficient and t-statistic). With A = (Σ Z_j'H_j⁻¹Z_j)⁻¹ and
 * B_j = A Z_j'H_j⁻¹, θ̂ = Σ_j c_j'y_j (c_j the θ row of B_j), h_j = Z_j'c_j, so c_j'Z_j summed is e_θ'.
 * Under H0: θ = θ0 the restricted GLS on the period dummies (same H) gives ũ_j(θ0) = ũ0_j − θ0 ρ_j,
 * ρ = X − Z₀γ̂ (γ̂ = GLS of X on Z₀). Draw y*_j = Z₀_jβ̂₀ + θ0 X_j + w_j ũ_j: θ̂* − θ0 = Σ_i w_i c_i'ũ_i and
 * the GLS sandwich score of cluster j is s*_j = c_j'(y*_j − Z_jβ̂*) = Σ_i K_ji w_i with
 *   K_ji = δ_ji c_j'ũ_j − h_j'B_iũ_i,
 * linear in θ0 (K = K0 − θ0 K1), which is the form wildFromKernels inverts for the interval.
 * se_CR1 = √(G/(G − 1)·Σ_j s_j²) (CR1's cluster factor; it cancels between t and t*).
 */
import { cholesky, cholSolve, invert } from '../../linalg/small.js';
import type { Rng } from '../../random/stream.js';
import { EstimatorInputError } from '../errors.js';
import { type WildResult, type WildWeights, wildFromKernels } from '../few-cluster/wild-cluster.js';
import type { HhCells } from './cells.js';

export interface HhWildComponents {
  sigma2: number;
  tau2: number;
  omega2: number;
  r: number;
}

export interface HhWildOptions {
  draws: number;
  weights: WildWeights;
  alpha: number;
  beta0?: number;
}

export interface HhWildResult extends WildResult {
  /** θ̂ of the linear GLS map at the fixed components (equals the REML fit's θ̂). */
  theta: number;
  /** The CR1 SE of θ̂ (G/(G − 1) factor) and the actual t = (θ̂ − θ0)/se. */
  seCr1: number;
  t: number;
}

/** Per cluster: W = H⁻¹Z (m × k, row-major). */
function whitened(cells: HhCells, j: number, q: { psi: number; a: number; r: number }, k: number): Float64Array | null {
  const { start, col, x, n, lag, P, sized } = cells;
  const k0 = start[j],
    m = start[j + 1] - k0;
  const H = new Float64Array(m * m);
  for (let s = 0; s < m; s++)
    for (let t = 0; t < m; t++)
      H[s * m + t] = q.psi * q.r ** Math.abs(lag[k0 + s] - lag[k0 + t]) + (s === t ? (sized ? 1 / n[k0 + s] : 1) + q.a : 0);
  const L = cholesky(H, m);
  if (!L) return null;
  const W = new Float64Array(m * k);
  const z = new Float64Array(m);
  for (let b = 0; b < k; b++) {
    for (let s = 0; s < m; s++) z[s] = b === P ? x[k0 + s] : col[k0 + s] === b ? 1 : 0;
    const w = cholSolve(L, m, z);
    for (let s = 0; s < m; s++) W[s * k + b] = w[s];
  }
  return W;
}

/**
 * The WCR p-value of H0: θ = θ0 and its test-inversion interval, variance components fixed.
 * @throws {EstimatorInputError} when a V_j or the GLS information matrix is not positive definite.
 */
export function hhWildBootstrap(rng: Rng, cells: HhCells, vc: HhWildComponents, o: HhWildOptions): HhWildResult {
  const { G, start, col, x, y, P } = cells;
  const k = P + 1;
  const q = { psi: vc.tau2 / vc.sigma2, a: vc.omega2 / vc.sigma2, r: vc.r };
  const Ws: Float64Array[] = [];
  const M = new Float64Array(k * k);
  for (let j = 0; j < G; j++) {
    const W = whitened(cells, j, q, k);
    if (!W) throw new EstimatorInputError('hh wild bootstrap: a cluster covariance V_j is not positive definite');
    Ws.push(W);
    const k0 = start[j];
    for (let s = 0; s < start[j + 1] - k0; s++) {
      // Z_j'W_j: row s of Z_j has a 1 in its period column and X_js in the last.
      for (let b = 0; b < k; b++) {
        M[col[k0 + s] * k + b] += W[s * k + b];
        M[P * k + b] += x[k0 + s] * W[s * k + b];
      }
    }
  }
  const A = invert(M, k);
  if (!A) throw new EstimatorInputError('hh wild bootstrap: the GLS information matrix is singular');
  // The null fit on the period dummies: β̂₀ = M00⁻¹ Z₀'H⁻¹y, γ̂ = M00⁻¹ Z₀'H⁻¹X.
  const M00 = new Float64Array(P * P);
  for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) M00[a * P + b] = M[a * k + b];
  const L0 = cholesky(M00, P);
  if (!L0) throw new EstimatorInputError('hh wild bootstrap: the period-only null fit is singular');
  const zy = new Float64Array(P);
  const zx = new Float64Array(P);
  for (let j = 0; j < G; j++) {
    const W = Ws[j],
      k0 = start[j];
    for (let s = 0; s < start[j + 1] - k0; s++)
      for (let b = 0; b < P; b++) {
        zy[b] += W[s * k + b] * y[k0 + s];
        zx[b] += W[s * k + b] * x[k0 + s];
      }
  }
  const beta0 = cholSolve(L0, P, zy);
  const gamma = cholSolve(L0, P, zx);
  const th0 = o.beta0 ?? 0;
  // Per cluster: c_j = W_j A e_θ, h_j = Z_j'c_j, and for u ∈ {ũ0, ρ}: c_j'u_j and B_j u_j = A W_j'u_j.
  const h = new Float64Array(G * k);
  const num0 = new Float64Array(G),
    num1 = new Float64Array(G);
  const g0 = new Float64Array(G * k),
    g1 = new Float64Array(G * k);
  let theta = 0;
  for (let j = 0; j < G; j++) {
    const W = Ws[j],
      k0 = start[j],
      m = start[j + 1] - k0;
    const wu0 = new Float64Array(k),
      wu1 = new Float64Array(k);
    for (let s = 0; s < m; s++) {
      let c = 0;
      for (let b = 0; b < k; b++) c += W[s * k + b] * A[b * k + P];
      const u0 = y[k0 + s] - beta0[col[k0 + s]];
      const u1 = x[k0 + s] - gamma[col[k0 + s]];
      theta += c * y[k0 + s];
      num0[j] += c * u0;
      num1[j] += c * u1;
      h[j * k + col[k0 + s]] += c;
      h[j * k + P] += x[k0 + s] * c;
      for (let b = 0; b < k; b++) {
        wu0[b] += W[s * k + b] * u0;
        wu1[b] += W[s * k + b] * u1;
      }
    }
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        g0[j * k + a] += A[a * k + b] * wu0[b];
        g1[j * k + a] += A[a * k + b] * wu1[b];
      }
  }
  const K0 = new Float64Array(G * G),
    K1 = new Float64Array(G * G);
  for (let j = 0; j < G; j++)
    for (let i = 0; i < G; i++) {
      let s0 = 0,
        s1 = 0;
      for (let a = 0; a < k; a++) {
        s0 += h[j * k + a] * g0[i * k + a];
        s1 += h[j * k + a] * g1[i * k + a];
      }
      K0[j * G + i] = (i === j ? num0[j] : 0) - s0;
      K1[j * G + i] = (i === j ? num1[j] : 0) - s1;
    }
  const w = wildFromKernels(
    rng,
    { num0, num1, K0, K1, estimate: theta },
    { draws: o.draws, weights: o.weights, beta0: th0, alpha: o.alpha },
  );
  const seCr1 = Math.sqrt((G / (G - 1)) * w.scores2);
  const { scores2: _s, ...rest } = w;
  return { ...rest, theta, seCr1, t: (theta - th0) / seCr1 };
}
