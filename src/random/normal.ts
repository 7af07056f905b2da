/**
 * Standard normal deviates by the Marsaglia polar method, keeping the spare deviate.
 * https://en.wikipedia.org/wiki/Marsaglia_polar_method
 */
import type { Rng } from './stream.js';

/**
 * A normal generator bound to its source (d3-random style): parameters are checked once, here.
 * @throws {RangeError} when sd is negative or not finite
 * @example const z = randomNormal(rng, 0, 1); z(); z();
 */
export function randomNormal(rng: Rng, mean = 0, sd = 1): () => number {
  if (!Number.isFinite(mean) || !(sd >= 0) || !Number.isFinite(sd)) {
    throw new RangeError(`randomNormal: expected a finite mean and sd ≥ 0, found mean=${mean}, sd=${sd}`);
  }
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * rng() - 1;
      v = 2 * rng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return mean + sd * u * f;
  };
}
