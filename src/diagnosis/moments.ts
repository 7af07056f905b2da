/**
 * Streaming means and co-moments of a vector of per-draw quantities (multivariate Welford).
 *
 * Every diagnosand is a smooth function of the means of a few per-draw quantities (power is the mean
 * of a rejection indicator, RMSE the root of the mean squared error, the SE/SD ratio a function of the
 * means of se, estimate and estimate²). Keeping their means and their co-moment matrix gives both the
 * diagnosand and, by the delta method, its Monte Carlo SE, in memory that does not grow with the draws.
 *
 * Updates are applied in draw order only, so the result is a deterministic function of the sequence
 * (the same bytes for 1 or N workers, shards + merge, or a resumed run, which all replay that order).
 * Welford, B. P. (1962) Technometrics 4(3); the co-moment form: Pébay (2008), SAND2008-6212, eq. 3.12.
 */
export class Moments {
  readonly k: number;
  n = 0;
  /** Running Welford means (used for the co-moment updates). */
  readonly mean: Float64Array;
  /** Plain sums in draw order: sum/n is the reported mean (exact for shares: 52/1000 is 0.052). */
  readonly sum: Float64Array;
  /** Upper triangle and diagonal of Σ (x_i − mean_i)(x_j − mean_j), row-major, full k × k for simplicity. */
  readonly comoment: Float64Array;
  private readonly delta: Float64Array;

  constructor(k: number) {
    this.k = k;
    this.mean = new Float64Array(k);
    this.sum = new Float64Array(k);
    this.comoment = new Float64Array(k * k);
    this.delta = new Float64Array(k);
  }

  /** Add one observation x (length k). */
  push(x: ArrayLike<number>): void {
    const k = this.k;
    this.n += 1;
    const n = this.n;
    for (let i = 0; i < k; i++) {
      this.sum[i] += x[i];
      const d = x[i] - this.mean[i];
      this.delta[i] = d;
      this.mean[i] += d / n;
    }
    // C_ij += (x_i − old mean_i)(x_j − new mean_j): exact Welford, symmetric in exact arithmetic.
    for (let i = 0; i < k; i++) {
      const di = this.delta[i];
      for (let j = i; j < k; j++) {
        this.comoment[i * k + j] += di * (x[j] - this.mean[j]);
      }
    }
  }

  /** Mean of quantity i as reported: sum / n. */
  meanOf(i: number): number {
    return this.n === 0 ? NaN : this.sum[i] / this.n;
  }

  /** Plug-in covariance (divisor n) of quantities i and j. For an indicator, var = p(1 − p). */
  cov(i: number, j: number): number {
    if (this.n === 0) return NaN;
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    return this.comoment[a * this.k + b] / this.n;
  }
}

/**
 * Delta-method Monte Carlo SE of f(means) given f's gradient at the means: √(gᵀ Σ g / n), Σ the
 * plug-in covariance. For a plain mean (g = e_i) this is sd/√n; for a share it is √(p(1 − p)/n).
 */
export function deltaSe(m: Moments, grad: ArrayLike<number>): number {
  if (m.n === 0) return NaN;
  let v = 0;
  for (let i = 0; i < m.k; i++) {
    if (grad[i] === 0) continue;
    for (let j = 0; j < m.k; j++) {
      if (grad[j] === 0) continue;
      v += grad[i] * grad[j] * m.cov(i, j);
    }
  }
  return Math.sqrt(Math.max(v, 0) / m.n);
}
