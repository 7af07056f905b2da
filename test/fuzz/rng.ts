/**
 * The fuzz harness's random helpers. Every case gets its own seedrandom stream keyed by (seed, case
 * index), so one case regenerates alone, whatever ran before it (`npm run fuzz -- --seed S --case I`).
 */
import seedrandom from 'seedrandom';
import type { Rng } from '../../src/random/stream.js';

export type { Rng };

/** The stream of case `index` of a fuzz run seeded `seed`. */
export function caseRng(seed: string | number, index: number): Rng {
  const prng = seedrandom.alea(`stagger-fuzz\0${seed}\0${index}`);
  return () => prng();
}

/** A whole number in [lo, hi]. */
export function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)];
}

/** True with probability p. */
export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}
