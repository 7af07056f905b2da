import { invert, MACHINE_EPS } from '../../linalg/small.js';

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

/** The pseudo-inverse by Jacobi eigen-decomposition (any symmetric PSD matrix). */
export function pinvJacobi(a: Float64Array, m: number): Float64Array {
  const w = Float64Array.from(a);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      diag = 0;
    for (let p = 0; p < m; p++) {
      diag += w[p * m + p] * w[p * m + p];
      for (let q = p + 1; q < m; q++) off += w[p * m + q] * w[p * m + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = w[p * m + q];
        if (apq === 0) continue;
        const app = w[p * m + p],
          aqq = w[q * m + q];
        // Rotation angle zeroing (p, q): t = tan θ, the smaller root of t² + 2τt − 1 = 0.
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t),
          s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = w[k * m + p],
            akq = w[k * m + q];
          w[k * m + p] = c * akp - s * akq;
          w[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = w[p * m + k],
            aqk = w[q * m + k];
          w[p * m + k] = c * apk - s * aqk;
          w[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p],
            vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let maxAbs = 0;
  for (let i = 0; i < m; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i * m + i]));
  const tol = Math.sqrt(MACHINE_EPS) * maxAbs;
  const inv = new Float64Array(m);
  for (let i = 0; i < m; i++) inv[i] = w[i * m + i] > tol ? 1 / w[i * m + i] : 0;
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
