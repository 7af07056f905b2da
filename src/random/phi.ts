/**
 * The standard normal distribution function Φ and its inverse for the generator. One implementation
 * serves the whole code base: these delegate to `stats/normal.ts` (Cody's erfc, AS 241), adding the
 * generator's argument messages; `normalCdfFast` is a table for hot loops (one cell, one call).
 */
import { pnorm, qnorm } from '../stats/normal.js';

/**
 * Φ(x), the standard normal CDF (double precision).
 * @example normalCdf(1.959964) // ≈ 0.975
 */
export function normalCdf(x: number): number {
  return pnorm(x);
}

/**
 * Φ⁻¹(p), the standard normal quantile (Wichura's AS 241, as R's qnorm).
 * @throws {RangeError} when p is outside (0, 1)
 * @example normalQuantile(0.975) // ≈ 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: expected p in (0, 1), found ${p}`);
  return qnorm(p);
}

// Φ tabulated on [−LIM, LIM] in steps of 1/STEPS, linearly interpolated: the error is at most
// h²/8 · max|φ′| = 0.242/(8 · 256²) ≈ 4.6e-7, far below the sampling noise of any cell.
const STEPS = 256;
const LIM = 9;
const TABLE = Float64Array.from({ length: 2 * LIM * STEPS + 2 }, (_, k) => pnorm(k / STEPS - LIM));

/**
 * Φ(x) to within 5e-7, by table: for the generator's per-cell probabilities (millions a draw).
 * @example normalCdfFast(0) // 0.5
 */
export function normalCdfFast(x: number): number {
  if (!(x > -LIM)) return Number.isNaN(x) ? NaN : 0;
  if (x >= LIM) return 1;
  const s = (x + LIM) * STEPS;
  const k = Math.floor(s);
  const f = s - k;
  return TABLE[k] + f * (TABLE[k + 1] - TABLE[k]);
}
