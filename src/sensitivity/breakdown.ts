/**
 * The breakdown value of a sensitivity analysis: the smallest bound (M̄ for relative magnitudes, M
 * for smoothness) whose robust confidence set includes 0, i.e. how large a violation of parallel
 * trends must be allowed before the result is no longer significant (Rambachan & Roth 2023, sec. 3.3,
 * "breakdown value"). Found by bisection, which presumes the sets grow with the bound (they are
 * nested in the identified sets' sense; with simulated critical values the caller holds the draws
 * fixed across bounds, see index.ts).
 */

export interface BreakdownSearch {
  /** Where the search starts: the bound known (or presumed) NOT to include 0 (default 0). */
  lo?: number;
  /** The top of the search range. */
  hi: number;
  /** Stop when the bracket is narrower than this (absolute, in the bound's units). */
  tol: number;
  /** Bounds already evaluated (e.g. the user's list): they narrow the first bracket for free. */
  known?: { bound: number; includesZero: boolean }[];
}

export interface BreakdownResult {
  /** The smallest bound found to include 0 (the upper end of the final bracket, within tol); null: see reason. */
  value: number | null;
  reason?: string;
  /** How many robust sets the search computed. */
  evaluations: number;
}

/**
 * Bisection for the smallest bound b in [lo, hi] with includesZero(b). Returns the upper end of the
 * final bracket [b_no, b_yes] (b_yes − b_no ≤ tol), so the value is a bound that does include 0.
 */
export function breakdownBisect(includesZero: (bound: number) => boolean, search: BreakdownSearch): BreakdownResult {
  let lo = search.lo ?? 0;
  let hi = search.hi;
  let yesAtHi: boolean | undefined;
  for (const k of search.known ?? []) {
    if (k.includesZero && k.bound <= hi) {
      hi = k.bound;
      yesAtHi = true;
    }
  }
  for (const k of search.known ?? []) if (!k.includesZero && k.bound > lo && k.bound < hi) lo = k.bound;
  let evaluations = 0;
  if (yesAtHi === undefined) {
    evaluations++;
    if (!includesZero(hi)) {
      return { value: null, reason: `the robust set excludes 0 at every bound searched, up to ${hi}`, evaluations };
    }
  }
  if (lo === 0 && !(search.known ?? []).some((k) => k.bound === 0)) {
    evaluations++;
    if (includesZero(0)) return { value: 0, evaluations };
  }
  while (hi - lo > search.tol) {
    const mid = 0.5 * (lo + hi);
    evaluations++;
    if (includesZero(mid)) hi = mid;
    else lo = mid;
  }
  return { value: hi, evaluations };
}
