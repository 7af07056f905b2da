/**
 * Small dense linear algebra on k × k matrices held row-major in Float64Array (k is the number of
 * covariates plus one, so a handful). Written for our shapes: n large, k small; every O(n) pass lives
 * with the caller, these routines only ever see k × k.
 */

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix.
 * @param out where to write L (its upper triangle is not touched); default: a new array.
 * @returns L, or null when A is not numerically positive definite.
 */
export function cholesky(a: Float64Array, k: number, out?: Float64Array): Float64Array | null {
  const l = out ?? new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  return l;
}

/** Solve (L Lᵀ) x = b for x, given the Cholesky factor L; x is written to `out` (may be b) or a new array. */
export function cholSolve(l: Float64Array, k: number, b: ArrayLike<number>, out?: Float64Array): Float64Array {
  const x = out ?? new Float64Array(k);
  for (let i = 0; i < k; i++) x[i] = b[i];
  for (let i = 0; i < k; i++) {
    let s = x[i];
    for (let m = 0; m < i; m++) s -= l[i * k + m] * x[m];
    x[i] = s / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let m = i + 1; m < k; m++) s -= l[m * k + i] * x[m];
    x[i] = s / l[i * k + i];
  }
  return x;
}

/**
 * Inverse of a general square matrix by Gauss–Jordan elimination with partial pivoting.
 * @returns the inverse, or null when a pivot vanishes (singular matrix).
 */
export function invert(a: Float64Array, k: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    let best = Math.abs(m[c * k + c]);
    for (let r = c + 1; r < k; r++) {
      const v = Math.abs(m[r * k + c]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0 || !Number.isFinite(best)) return null;
    if (p !== c) {
      for (let j = 0; j < k; j++) {
        let t = m[c * k + j];
        m[c * k + j] = m[p * k + j];
        m[p * k + j] = t;
        t = inv[c * k + j];
        inv[c * k + j] = inv[p * k + j];
        inv[p * k + j] = t;
      }
    }
    const d = m[c * k + c];
    for (let j = 0; j < k; j++) {
      m[c * k + j] /= d;
      inv[c * k + j] /= d;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r * k + c];
      if (f === 0) continue;
      for (let j = 0; j < k; j++) {
        m[r * k + j] -= f * m[c * k + j];
        inv[r * k + j] -= f * inv[c * k + j];
      }
    }
  }
  return inv;
}

function norm1(a: Float64Array, k: number): number {
  let best = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.abs(a[i * k + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Reciprocal condition number in the 1-norm, 1 / (‖A‖₁ ‖A⁻¹‖₁), as R's `rcond()` estimates it
 * (computed exactly here; k is small). 0 for a singular matrix.
 */
export function rcond(a: Float64Array, k: number): number {
  return rcondFromInverse(a, invert(a, k), k);
}

/** rcond(A) when A⁻¹ is already at hand (null: singular, 0). */
export function rcondFromInverse(a: Float64Array, inv: Float64Array | null, k: number): number {
  if (!inv) return 0;
  const r = 1 / (norm1(a, k) * norm1(inv, k));
  return Number.isFinite(r) ? r : 0;
}

/**
 * Reciprocal condition number in the 1-norm of a symmetric positive-definite A from its Cholesky
 * factor, with ‖A⁻¹‖₁ estimated by Hager's (1984) method as LAPACK's dpocon does: a few solves,
 * O(k²) each, instead of the O(k³) inverse. 0 when the factorisation failed.
 */
export function rcondSpd(a: Float64Array, l: Float64Array | null, k: number): number {
  if (!l) return 0;
  let x = new Float64Array(k).fill(1 / k);
  let est = 0;
  for (let iter = 0; iter < 5; iter++) {
    const y = cholSolve(l, k, x);
    est = 0;
    for (let i = 0; i < k; i++) est += Math.abs(y[i]);
    const xi = Float64Array.from(y, (v) => (v >= 0 ? 1 : -1));
    const z = cholSolve(l, k, xi); // A⁻ᵀ = A⁻¹ for symmetric A
    let jmax = 0,
      zmax = -Infinity,
      ztx = 0;
    for (let i = 0; i < k; i++) {
      ztx += z[i] * x[i];
      if (Math.abs(z[i]) > zmax) {
        zmax = Math.abs(z[i]);
        jmax = i;
      }
    }
    if (zmax <= ztx) break;
    x = new Float64Array(k);
    x[jmax] = 1;
  }
  const r = 1 / (norm1(a, k) * est);
  return Number.isFinite(r) ? r : 0;
}

/** y = A x for a k × k row-major A, written to `out` (not x) or a new array. */
export function matVec(a: Float64Array, k: number, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  const y = out ?? new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += a[i * k + j] * x[j];
    y[i] = s;
  }
  return y;
}

export const MACHINE_EPS = 2.220446049250313e-16;
