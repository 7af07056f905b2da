/**
 * Binomial and Bernoulli deviates.
 */
import type { Rng } from './stream.js';

/**
 * A Binomial(n, p) generator bound to its source, exact: the sum of n Bernoulli trials for n ≤ 60, else
 * geometric waiting times between successes (Devroye 1986, X.4), whose cost grows with n·min(p, 1−p).
 * @throws {RangeError} when n is not a non-negative integer or p is outside [0, 1]
 * @example randomBinomial(rng, 30, 0.2)()
 */
export function randomBinomial(rng: Rng, n: number, p: number): () => number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randomBinomial: expected an integer n ≥ 0, found ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`randomBinomial: expected p in [0, 1], found ${p}`);
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  if (q === 0) return () => (flip ? n : 0);
  if (n <= 60) {
    return () => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng() < q) k++;
      return flip ? n - k : k;
    };
  }
  const logq = Math.log(1 - q);
  return () => {
    // Count successes by skipping geometric numbers of failures.
    let k = 0;
    let pos = 0;
    for (;;) {
      pos += Math.floor(Math.log(1 - rng()) / logq) + 1;
      if (pos > n) break;
      k++;
    }
    return flip ? n - k : k;
  };
}

/**
 * The share of successes of Binomial(n, p), by its normal approximation with a shared standard normal,
 * used for aggregate units with thousands of people (R3 municipalities), where exact draws would cost
 * O(n) and the approximation error is far below sampling noise.
 */
export function binomialShareApprox(z: number, n: number, p: number): number {
  const v = p + Math.sqrt((p * (1 - p)) / n) * z;
  return v < 0 ? 0 : Math.min(v, 1);
}
