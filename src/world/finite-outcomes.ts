/**
 * Generated outcomes are finite: a scenario whose outcome scale overflows double precision (an
 * `outcome.mean` of 1e308 times a lognormal draw, say) can never give a usable panel, so the first
 * draw refuses it, naming the outcome and the largest finite scale, instead of writing NaN/Infinity
 * into panels, truths and draws files. (Finite but huge outcomes are the estimators' to refuse, per
 * draw: estimators/finite-guard.ts.)
 */

/** A scenario setting that no draw can satisfy (exit code 2, like other bad input). */
export class OutcomeRangeError extends Error {
  override name = 'InputError';
}

/**
 * @param name the outcome's name (or '' for the only one).
 * @throws {OutcomeRangeError} when y0 or y1 holds NaN or ±Infinity.
 */
export function checkFiniteOutcomes(name: string, y0: Float64Array, y1: Float64Array): void {
  for (const y of [y0, y1]) {
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) {
        throw new OutcomeRangeError(
          `outcome${name ? ` "${name}"` : ''}: the generated values overflow double precision (a value is ${v} in ${y === y0 ? 'Y(0)' : 'Y(1)'}): give the outcome's mean, sd and effect a smaller scale (e.g. thousands of kr instead of kr)`,
        );
      }
    }
  }
}
