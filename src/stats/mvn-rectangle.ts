/**
 * P(a ≤ X ≤ b) for X ~ N(μ, Σ): the multivariate normal rectangle probability, as R's
 * mvtnorm::pmvnorm computes it, written here by Genz's separation of variables (Genz 1992, "Numerical
 * computation of multivariate normal probabilities", J. Comput. Graph. Stat. 1(2), section 2):
 * with Σ = LL' (Cholesky, lower), the probability is the integral over w ∈ [0, 1]^{m−1} of
 *   f(w) = Π_{i=1}^{m} (e_i − d_i),  d_i = Φ((a_i − Σ_{j<i} L_ij y_j) / L_ii),  e_i likewise with b_i,
 *   y_j = Φ⁻¹(d_j + w_j (e_j − d_j)),
 * a smooth integrand on the unit cube. One dimension is exact (Φ(b) − Φ(a)). Otherwise the integral is
 * a quasi-Monte Carlo lattice rule: Richtmyer (Weyl) points k·√p_j mod 1 (p_j the j-th prime), through
 * the tent (Baker) periodisation |2x − 1|, with `shifts` fixed shifts (a seeded stream, so the result is
 * deterministic); the estimate is the mean over shifts and its error 3 standard errors across shifts
 * (Genz & Bretz 2009, "Computation of Multivariate Normal and t Probabilities", section 4.2.2). The
 * number of points doubles until that error is below `absTol` (or maxPoints is reached; `error` says
 * what was attained).
 *
 * Up to four dimensions the integral is instead done by nested composite Gauss–Legendre quadrature in
 * the standardised variables y (12 nodes on panels of width ≤ 1, the standard normal cut at ±10), with
 * the innermost dimension exact: the integrand φ(y)·P(rest | y) is analytic, so this is accurate to
 * ~1e-13 and fast (a few thousand Φ evaluations); `error` is then reported as 0.
 */
import { cholesky } from '../linalg/small.js';
import { seeded } from '../random/stream.js';
import { pnorm, qnorm } from './normal.js';

export interface MvnRectangle {
  /** The probability (clamped to [0, 1]). */
  p: number;
  /** 3 standard errors across the lattice shifts (0 in one dimension). */
  error: number;
  /** Lattice points per shift at the end. */
  points: number;
}

export interface MvnOptions {
  absTol: number;
  /** Points per shift, at most. */
  maxPoints: number;
  shifts: number;
}

const DEFAULTS: MvnOptions = { absTol: 1e-7, maxPoints: 1 << 20, shifts: 12 };

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

/** Φ⁻¹ kept inside the open interval where it is finite. */
function qnormSafe(p: number): number {
  const tiny = 1e-300;
  return qnorm(Math.min(1 - 1.1102230246251565e-16, Math.max(tiny, p)));
}

/**
 * @param lower lower bounds (−Infinity allowed)
 * @param upper upper bounds (Infinity allowed)
 * @param mean μ
 * @param sigma Σ, m × m, positive definite
 * @throws {RangeError} when the dimensions disagree, a lower bound exceeds its upper bound, or Σ is not
 *   positive definite.
 */
export function mvnRectangle(
  lower: readonly number[],
  upper: readonly number[],
  mean: readonly number[],
  sigma: readonly (readonly number[])[],
  options: Partial<MvnOptions> = {},
): MvnRectangle {
  const o = { ...DEFAULTS, ...options };
  const m = mean.length;
  if (lower.length !== m || upper.length !== m || sigma.length !== m || sigma.some((r) => r.length !== m)) {
    throw new RangeError(`mvnRectangle: lower, upper, mean and sigma must all have dimension ${m}`);
  }
  if (m === 0) return { p: 1, error: 0, points: 0 };
  const a = lower.map((v, i) => v - mean[i]);
  const b = upper.map((v, i) => v - mean[i]);
  for (let i = 0; i < m; i++) {
    if (!(a[i] <= b[i])) throw new RangeError(`mvnRectangle: lower[${i}] = ${lower[i]} exceeds upper[${i}] = ${upper[i]}`);
  }
  const flat = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) flat[i * m + j] = sigma[i][j];
  const chol = cholesky(flat, m);
  if (!chol) throw new RangeError('mvnRectangle: sigma is not positive definite');
  const L: Float64Array = chol;
  const Phi = (x: number) => (x === Infinity ? 1 : x === -Infinity ? 0 : pnorm(x));
  const d1 = Phi(a[0] / L[0]),
    e1 = Phi(b[0] / L[0]);
  if (m === 1) return { p: Math.max(0, e1 - d1), error: 0, points: 0 };

  const y = new Float64Array(m);
  if (m <= 4) return { p: Math.min(1, Math.max(0, nested(0))), error: 0, points: 0 };
  /** ∫ over y_i ∈ [α_i, β_i] of φ(y_i) · (the inner integrals), y_0 … y_{i−1} fixed. */
  function nested(i: number): number {
    let s = 0;
    for (let j = 0; j < i; j++) s += L[i * m + j] * y[j];
    const lii = L[i * m + i];
    const lo = (a[i] - s) / lii,
      hi = (b[i] - s) / lii;
    if (i === m - 1) return Math.max(0, Phi(hi) - Phi(lo));
    const from = Math.max(lo, -10),
      to = Math.min(hi, 10);
    if (!(from < to)) return 0;
    const panels = Math.ceil(to - from);
    const h = (to - from) / panels;
    let total = 0;
    for (let k = 0; k < panels; k++) {
      const mid = from + (k + 0.5) * h;
      for (let g = 0; g < GL_X.length; g++) {
        const yy = mid + 0.5 * h * GL_X[g];
        y[i] = yy;
        total += 0.5 * h * GL_W[g] * Math.exp(-0.5 * yy * yy) * INV_SQRT_2PI * nested(i + 1);
      }
    }
    return total;
  }
  /** The Genz integrand at w ∈ [0, 1]^{m−1}. */
  const f = (w: Float64Array): number => {
    let d = d1,
      e = e1,
      prod = e1 - d1;
    for (let i = 1; i < m; i++) {
      if (prod === 0) return 0;
      y[i - 1] = qnormSafe(d + w[i - 1] * (e - d));
      let s = 0;
      for (let j = 0; j < i; j++) s += L[i * m + j] * y[j];
      const lii = L[i * m + i];
      d = Phi((a[i] - s) / lii);
      e = Phi((b[i] - s) / lii);
      prod *= e - d;
    }
    return prod;
  };

  const dim = m - 1;
  if (dim > PRIMES.length) throw new RangeError(`mvnRectangle: at most ${PRIMES.length + 1} dimensions`);
  const q = PRIMES.slice(0, dim).map((p) => Math.sqrt(p) % 1);
  const rng = seeded('mvn-rectangle');
  const shift = Array.from({ length: o.shifts }, () => Array.from({ length: dim }, () => rng()));
  const sums = new Float64Array(o.shifts);
  const w = new Float64Array(dim);
  let done = 0;
  let points = 1 << 10;
  for (;;) {
    // Points done+1 … points are added to every shift's running sum (the rule nests as N doubles).
    for (let s = 0; s < o.shifts; s++) {
      let acc = 0;
      for (let k = done + 1; k <= points; k++) {
        for (let j = 0; j < dim; j++) {
          const x = (k * q[j] + shift[s][j]) % 1;
          w[j] = Math.abs(2 * x - 1);
        }
        acc += f(w);
      }
      sums[s] += acc;
    }
    done = points;
    let mu = 0;
    for (let s = 0; s < o.shifts; s++) mu += sums[s] / points / o.shifts;
    let v = 0;
    for (let s = 0; s < o.shifts; s++) v += (sums[s] / points - mu) ** 2;
    const error = 3 * Math.sqrt(v / (o.shifts * (o.shifts - 1)));
    if (error <= o.absTol || points * 2 > o.maxPoints) return { p: Math.min(1, Math.max(0, mu)), error, points };
    points *= 2;
  }
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n from Chebyshev starts). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n),
    w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1,
        p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const { x: GL_X, w: GL_W } = gaussLegendre(12);
