/**
 * Critical values z_{1−α/2} for the diagnosands. The quantile itself is the one implementation in
 * `stats/normal.ts` (Wichura's AS 241, as R's qnorm); this adds the diagnosis-level argument checks.
 */
import { qnorm } from '../stats/normal.js';

/**
 * Quantile function of the standard normal (probit).
 * @throws RangeError when p is not in (0, 1)
 * @example normalQuantile(0.975) // 1.959963984540054 (R: qnorm(0.975))
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  return qnorm(p);
}

/** Two-sided critical value z_{1−α/2} of a level-α test. */
export function criticalValue(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  return normalQuantile(1 - alpha / 2);
}
