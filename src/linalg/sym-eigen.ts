/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5),
 * and its matrix powers A^p = V diag(λ^p) V' with eigenvalues at or below a tolerance set to 0: the
 * pseudo-inverse square root clubSandwich's matrix_power(x, −1/2, tol = 1e−12) takes of CR2's
 * I − H_gg, singular when fixed effects nested in the cluster are absorbed.
 */

export interface SymEigen {
  values: Float64Array;
  /** Eigenvectors as columns, row-major n × n: vectors[i·n + j] is entry i of vector j. */
  vectors: Float64Array;
}

/** Eigenvalues and eigenvectors of the symmetric n × n row-major matrix a (a is not changed). */
export function symEigen(a: Float64Array, n: number): SymEigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        // Negligible against both diagonal entries (below their rounding): zero it, no rotation (NR §11.1).
        const eps = 1e-17 * (Math.abs(m[p * n + p]) + Math.abs(m[q * n + q]));
        if (Math.abs(apq) <= eps) {
          m[p * n + q] = 0;
          m[q * n + p] = 0;
          continue;
        }
        // The rotation that zeroes m[p][q] (GvL Algorithm 8.5.1, symmetric Schur).
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p],
            mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k],
            mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p],
            vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]), vectors: v };
}

/**
 * A^p for symmetric A through its eigen-decomposition, eigenvalues ≤ tol mapped to 0 (so p = −1/2 gives
 * the Moore–Penrose inverse square root on A's range, as clubSandwich's matrix_power with tol 1e−12).
 */
export function symPower(a: Float64Array, n: number, p: number, tol = 1e-12): Float64Array {
  const { values, vectors } = symEigen(a, n);
  const lp = Float64Array.from(values, (l) => (l > tol ? l ** p : 0));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k] * lp[k] * vectors[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return out;
}
