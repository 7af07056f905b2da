/**
 * Log-normal and gamma deviates (earnings amounts, unit population sizes).
 */
import type { Rng } from './stream.js';
import { randomNormal } from './normal.js';

/**
 * A log-normal generator with the given arithmetic mean and log-scale sd, so scenario files state the
 * mean on the outcome's own scale (kr/month): μ = log(mean) − σ²/2.
 * @throws {RangeError} when mean ≤ 0 or sdlog < 0
 * @example randomLogNormalMean(rng, 7100, 0.9)()
 */
export function randomLogNormalMean(rng: Rng, mean: number, sdlog: number): () => number {
  if (!(mean > 0) || !(sdlog >= 0)) throw new RangeError(`randomLogNormalMean: expected mean > 0 and sdlog ≥ 0, found ${mean}, ${sdlog}`);
  const mu = Math.log(mean) - (sdlog * sdlog) / 2;
  const z = randomNormal(rng, 0, 1);
  return () => Math.exp(mu + sdlog * z());
}

/**
 * A Gamma(shape k, scale θ) generator by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3); for k < 1 the boost U^(1/k).
 * @throws {RangeError} when shape or scale is not positive
 */
export function randomGamma(rng: Rng, shape: number, scale = 1): () => number {
  if (!(shape > 0) || !(scale > 0)) throw new RangeError(`randomGamma: expected shape > 0 and scale > 0, found ${shape}, ${scale}`);
  const z = randomNormal(rng, 0, 1);
  const k = shape < 1 ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return () => {
    let x: number, v: number, u: number;
    for (;;) {
      do {
        x = z();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      u = rng();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) break;
    }
    const g = d * v * scale;
    return shape < 1 ? g * rng() ** (1 / shape) : g;
  };
}
