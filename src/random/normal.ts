/**
 * Standard normal deviates by the ziggurat method: Marsaglia & Tsang (2000), "The ziggurat method for
 * generating random variables", Journal of Statistical Software 5(8), 128 layers. Each deviate takes
 * one uniform for ~98.8 % of draws (no logarithm, no square root): the generator's hot loops draw
 * millions a draw. As Doornik (2007, "An improved ziggurat method to generate normal random
 * samples") advises, the layer index and the value come from separate bits of the uniform (the low 7
 * bits pick the layer, the high 25 the signed value), and the base strip's tail uses fresh uniforms.
 */
import type { Rng, UnitStreams } from './stream.js';

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M = 2 ** 24; // |value bits| < 2^24
const kn = new Float64Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M);
  kn[1] = 0;
  wn[0] = q / M;
  wn[LAYERS - 1] = dn / M;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M;
  }
}

/** The slow path: the wedge of layer iz or the tail beyond R. */
function slow(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * wn[iz];
    if (iz === 0) {
      let a: number;
      let b: number;
      do {
        a = -Math.log(1 - rng()) / R;
        b = -Math.log(1 - rng());
      } while (b + b < a * a);
      return hz > 0 ? R + a : -R - a;
    }
    if (fn[iz] + rng() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
    const bits = (rng() * 4294967296) >>> 0;
    iz = bits & (LAYERS - 1);
    hz = (bits | 0) >> 7;
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  }
}

/** One standard normal deviate from the source. */
export function standardNormal(rng: Rng): number {
  const bits = (rng() * 4294967296) >>> 0;
  const iz = bits & (LAYERS - 1);
  const hz = (bits | 0) >> 7;
  return Math.abs(hz) < kn[iz] ? hz * wn[iz] : slow(rng, hz, iz);
}

/** One standard normal deviate from unit i's stream (the same numbers as standardNormal(us.stream(i))). */
export function unitNormal(us: UnitStreams, i: number): number {
  const bits = (us.uniform(i) * 4294967296) >>> 0;
  const iz = bits & (LAYERS - 1);
  const hz = (bits | 0) >> 7;
  return Math.abs(hz) < kn[iz] ? hz * wn[iz] : slow(us.stream(i), hz, iz);
}

/**
 * A normal generator bound to its source (d3-random style): parameters are checked once, here.
 * @throws {RangeError} when sd is negative or not finite
 * @example const z = randomNormal(rng, 0, 1); z(); z();
 */
export function randomNormal(rng: Rng, mean = 0, sd = 1): () => number {
  if (!Number.isFinite(mean) || !(sd >= 0) || !Number.isFinite(sd)) {
    throw new RangeError(`randomNormal: expected a finite mean and sd ≥ 0, found mean=${mean}, sd=${sd}`);
  }
  if (mean === 0 && sd === 1) return () => standardNormal(rng);
  return () => mean + sd * standardNormal(rng);
}
