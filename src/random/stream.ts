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
 * (a small chaotic counter generator, 128-bit state, passes PractRand), warmed up 12 steps; far
 * cheaper to create than a seedrandom stream, which matters at one stream per unit and draw.
 * @example const [a, b] = unitStreams(streamFor(1, 0, 0, 'units'), 2); a(); // in [0, 1)
 */
export function unitStreams(parent: Rng, n: number): Rng[] {
  const out: Rng[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let a = (parent() * 4294967296) >>> 0;
    let b = (parent() * 4294967296) >>> 0;
    let c = (parent() * 4294967296) >>> 0;
    let d = ((parent() * 4294967296) >>> 0) | 1;
    const next = (): number => {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    for (let k = 0; k < 12; k++) next();
    out[i] = next;
  }
  return out;
}
