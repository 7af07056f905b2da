import { invert, MACHINE_EPS } from './small.js';
import { symEigen } from './sym-eigen.js';

/**
 * Moore–Penrose pseudo-inverse of a symmetric positive semi-definite matrix (a covariance matrix of
 * pre-period outcomes, possibly singular when a cohort has fewer units than periods), by the cyclic
 * Jacobi eigenvalue method: A = V Λ V', A⁺ = V Λ⁺ V' with eigenvalues at or below √ε · max|λ| set to
 * zero — the tolerance of MASS::ginv, whose singular values are |λ| for a symmetric matrix.
 *
 * Fast path: when the plain inverse exists and ‖A‖_F ‖A⁻¹‖_F < 0.1/√ε, every eigenvalue exceeds the
 * tolerance (λ_min ≥ 1/‖A⁻¹‖_F, λ_max ≤ ‖A‖_F), so the pseudo-inverse is the inverse.
 * @param a m × m symmetric, row-major (not modified)
 * @example pinvSym(Float64Array.of(1, 1, 1, 1), 2) // [0.25, 0.25, 0.25, 0.25]
 */
export function pinvSym(a: Float64Array, m: number): Float64Array {
  const direct = invert(a, m);
  if (direct && frobenius(a) * frobenius(direct) < 0.1 / Math.sqrt(MACHINE_EPS)) {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < i; j++) direct[i * m + j] = direct[j * m + i] = (direct[i * m + j] + direct[j * m + i]) / 2;
    return direct;
  }
  return pinvJacobi(a, m);
}

function frobenius(a: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * a[j];
  return Math.sqrt(s);
}

/** The pseudo-inverse by Jacobi eigen-decomposition (any symmetric PSD matrix; linalg/sym-eigen.ts). */
export function pinvJacobi(a: Float64Array, m: number): Float64Array {
  const { values, vectors: v } = symEigen(a, m);
  let maxAbs = 0;
  for (let i = 0; i < m; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  const tol = Math.sqrt(MACHINE_EPS) * maxAbs;
  const inv = new Float64Array(m);
  for (let i = 0; i < m; i++) inv[i] = values[i] > tol ? 1 / values[i] : 0;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += v[i * m + k] * inv[k] * v[j * m + k];
      out[i * m + j] = s;
      out[j * m + i] = s;
    }
  }
  return out;
}
