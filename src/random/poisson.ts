/**
 * Poisson deviates: Knuth's multiplication method for small means, and for large means the
 * transformed-rejection PTRS of Hörmann (1993), "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12, 39–45.
 */
import type { Rng } from './stream.js';

function logFactorial(k: number): number {
  // Stirling series: exact enough (< 1e-10) for k ≥ 10; sum the logs below.
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
}

/**
 * A Poisson(λ) generator bound to its source.
 * @throws {RangeError} when lambda is negative or not finite
 * @example randomPoisson(rng, 37)() // a month's referrals
 */
export function randomPoisson(rng: Rng, lambda: number): () => number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`randomPoisson: expected λ ≥ 0, found ${lambda}`);
  if (lambda === 0) return () => 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    return () => {
      let k = 0;
      let prod = rng();
      while (prod > limit) {
        k++;
        prod *= rng();
      }
      return k;
    };
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  return () => {
    for (;;) {
      const u = rng() - 0.5;
      const v = rng();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  };
}
