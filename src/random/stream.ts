/**
 * Seeded random streams. Every random number in Stagger comes from a stream made here.
 *
 * A stream is keyed by (seed, design point, draw, step) alone, so a draw never depends on how many
 * draws ran before it, on which worker, or in which shard (docs/architecture: "Randomness").
 * The NUL separators keep keys unambiguous ("1","23" ≠ "12","3"), and the long key avoids the short
 * ARC4 keys that cycle.
 */
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). Always the first, required argument of a random function. */
export type Rng = () => number;

/** The steps of one draw that get independent streams (common random numbers across design points). */
export type Step = string;

/**
 * Build the stream for one step of one draw.
 * @example const rng = streamFor(1, 0, 17, 'population'); rng(); // same value on every machine
 */
export function streamFor(seed: number | string, point: number, draw: number, step: Step): Rng {
  const key = `stagger\0${seed}\0${point}\0${draw}\0${step}`;
  const prng = seedrandom.alea(key);
  return () => prng();
}

/** A stream from one plain seed, for tests and one-off uses (bootstrap weights, examples). */
export function seeded(seed: number | string): Rng {
  const prng = seedrandom.alea(`stagger\0${seed}`);
  return () => prng();
}
