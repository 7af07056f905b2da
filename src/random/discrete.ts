/**
 * Categorical draws, shuffles and samples without replacement.
 */
import type { Rng } from './stream.js';

/**
 * A categorical generator over level indices 0..k−1 with probabilities p (normalised here).
 * @throws {RangeError} when p is empty, has a negative entry or sums to zero
 * @example randomCategorical(rng, [0.55, 0.26, 0.12, 0.03, 0.04])() // a referral source
 */
export function randomCategorical(rng: Rng, p: readonly number[]): () => number {
  if (p.length === 0 || p.some((x) => !(x >= 0)))
    throw new RangeError(`randomCategorical: expected non-negative probabilities, found [${p.join(', ')}]`);
  const total = p.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('randomCategorical: probabilities sum to zero');
  const cum = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cum[i] = s += p[i] / total;
  return () => {
    const u = rng();
    for (let i = 0; i < cum.length - 1; i++) if (u < cum[i]) return i;
    return cum.length - 1;
  };
}

/** Fisher–Yates shuffle in place of a typed or plain array; returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(rng: Rng, a: T): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A random permutation of 0..n−1. */
export function permutation(rng: Rng, n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(rng, a);
}
