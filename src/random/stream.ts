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

/**
 * n streams, one per unit, each a seedrandom tyche-i generator seeded by a 53-bit integer drawn in
 * order from `parent` (two units share a stream with probability ~n²/2⁵⁴): stream i depends only on
 * the parent's first 2(i + 1) numbers, so appending units
 * leaves the earlier units' streams unchanged (common random numbers when a design point enrols more
 * people). `uniform(i)` steps unit i's generator, so hot loops need no closure of their own per unit.
 * @example const us = new UnitStreams(streamFor(1, 0, 0, 'unit'), 2); us.uniform(0); // in [0, 1)
 */
export class UnitStreams {
  private readonly gens: Array<() => number>;
  /** Each generator's raw step (its `int32`), which returns a small integer: no boxed double per call. */
  private readonly steps: Array<() => number>;

  constructor(
    parent: Rng,
    readonly n: number,
  ) {
    this.gens = new Array(n);
    this.steps = new Array(n);
    for (let i = 0; i < n; i++) {
      // 21 + 32 bits from two parent numbers; tyche-i takes an integer seed of up to 53 bits as its state.
      const seed = Math.floor(parent() * 2097152) * 4294967296 + Math.floor(parent() * 4294967296);
      const gen = seedrandom.tychei(seed as unknown as string); // the typings say string; the code takes integers
      this.gens[i] = gen;
      this.steps[i] = gen.int32;
    }
  }

  /** The next uniform in [0, 1) of unit i's stream: exactly tyche-i's own (int32 >>> 0) / 2³². */
  uniform(i: number): number {
    return (this.steps[i]() >>> 0) / 4294967296;
  }

  /** Unit i's stream as an Rng (for functions that take a source). */
  stream(i: number): Rng {
    return this.gens[i];
  }
}

/** The unit streams as separate Rngs (same numbers as UnitStreams). */
export function unitStreams(parent: Rng, n: number): Rng[] {
  const us = new UnitStreams(parent, n);
  return Array.from({ length: n }, (_, i) => us.stream(i));
}
