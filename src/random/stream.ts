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
 * n streams, one per unit, seeded in order from `parent` (4 × 32 bits each): stream i depends only on
 * the parent's first 4(i + 1) numbers, so appending units leaves the earlier units' streams unchanged
 * (common random numbers when a design point enrols more people). Each is Chris Doty-Humphrey's sfc32
 * (a small chaotic counter generator, 128-bit state, passes PractRand), warmed up 12 steps. The states
 * live in one typed array and `uniform(i)` steps unit i's, so hot loops make no closure per unit.
 * @example const us = new UnitStreams(streamFor(1, 0, 0, 'unit'), 2); us.uniform(0); // in [0, 1)
 */
export class UnitStreams {
  private readonly st: Int32Array;

  constructor(parent: Rng, readonly n: number) {
    const st = (this.st = new Int32Array(4 * n));
    for (let i = 0; i < n; i++) {
      st[4 * i] = (parent() * 4294967296) >>> 0;
      st[4 * i + 1] = (parent() * 4294967296) >>> 0;
      st[4 * i + 2] = (parent() * 4294967296) >>> 0;
      st[4 * i + 3] = ((parent() * 4294967296) >>> 0) | 1;
      for (let k = 0; k < 12; k++) this.uniform(i);
    }
  }

  /** The next uniform in [0, 1) of unit i's stream. */
  uniform(i: number): number {
    const st = this.st;
    const k = 4 * i;
    const b = st[k + 1];
    const c = st[k + 2];
    const d = st[k + 3];
    const t = (((st[k] + b) | 0) + d) | 0;
    st[k + 3] = (d + 1) | 0;
    st[k] = b ^ (b >>> 9);
    st[k + 1] = (c + (c << 3)) | 0;
    st[k + 2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Unit i's stream as an Rng (for functions that take a source). */
  stream(i: number): Rng {
    return () => this.uniform(i);
  }
}

/** The unit streams as separate Rngs (same numbers as UnitStreams). */
export function unitStreams(parent: Rng, n: number): Rng[] {
  const us = new UnitStreams(parent, n);
  return Array.from({ length: n }, (_, i) => us.stream(i));
}
