/**
 * The sensitivity analysis (Rambachan & Roth 2023, HonestDiD): the original interval, a robust set at
 * each bound, and the breakdown value, for one restriction. Each restriction module registers itself
 * in RESTRICTIONS with one line.
 */
import { seeded, type Rng } from '../random/stream.js';
import { breakdownBisect } from './breakdown.js';
import { originalCi, targetEstimate } from './original-ci.js';
import { relativeMagnitudes } from './relative-magnitudes.js';
import { smoothness } from './smoothness.js';
import type { CiType, EventStudyCoefficients, Restriction, RestrictionMethod, RobustSet, SensitivityResult } from './types.js';

/** The implemented restrictions, by method name. */
export const RESTRICTIONS: Partial<Record<RestrictionMethod, Restriction>> = {
  relative_magnitudes: relativeMagnitudes,
  smoothness,
};

/** An option the restriction does not implement (a `--ci` it lacks, an unknown method). */
export class SensitivityOptionError extends Error {
  override name = 'InputError';
}

/**
 * Where the breakdown search looks, per restriction: [0, hi] to within tol. Relative magnitudes:
 * M̄ ∈ [0, 10] to 0.001 (M̄ = 10 lets post-period violations be ten times the largest pre-period
 * one, beyond any reading of "parallel trends"). Other restrictions: [0, 10·sd(θ̂)] to 0.001·sd(θ̂)
 * (M is in the outcome's units; the smoothness module may register its own).
 */
export const BREAKDOWN_SEARCH: Partial<Record<RestrictionMethod, (coef: EventStudyCoefficients) => { hi: number; tol: number }>> = {
  relative_magnitudes: () => ({ hi: 10, tol: 1e-3 }),
};

function breakdownSearch(method: RestrictionMethod, coef: EventStudyCoefficients): { hi: number; tol: number } {
  const own = BREAKDOWN_SEARCH[method];
  if (own) return own(coef);
  const { se } = targetEstimate(coef);
  return { hi: 10 * se, tol: 1e-3 * se };
}

export interface SensitivityRequest {
  method: RestrictionMethod;
  /** The bounds (M̄ or M) to compute robust sets at. */
  bounds: number[];
  /** Unset: the restriction's default (its first ci). 'hybrid': the restriction's hybrid. */
  ci?: CiType;
  alpha: number;
  /** Compute the breakdown value (default true). */
  breakdown?: boolean;
}

/** The restriction for a method, or an error naming the implemented ones. */
export function restrictionFor(method: string): Restriction {
  const r = RESTRICTIONS[method as RestrictionMethod];
  if (!r) {
    throw new SensitivityOptionError(
      `method: expected one of ${Object.keys(RESTRICTIONS).join(', ') || '(none implemented)'}, found "${method}"`,
    );
  }
  return r;
}

/** Resolve 'hybrid' and the default, refusing a ci the restriction does not implement. */
export function resolveCi(r: Restriction, ci: CiType | undefined): Exclude<CiType, 'hybrid'> {
  if (ci === undefined) return r.cis[0];
  if (ci === 'hybrid') return r.hybrid;
  if (!r.cis.includes(ci)) {
    throw new SensitivityOptionError(
      `ci: ${r.method} implements ${[...r.cis, 'hybrid'].join(', ')} (hybrid = ${r.hybrid}); found "${ci}"` +
        (ci === 'flci' ? ' (HonestDiD offers the FLCI only for smoothness restrictions)' : ''),
    );
  }
  return ci;
}

/** Whether a robust set includes 0 (an empty or failed set does not). */
function includesZero(s: RobustSet): boolean {
  return s.lb !== null && s.ub !== null && s.lb <= 0 && 0 <= s.ub;
}

/**
 * The full analysis. Every robust set (and every breakdown step) uses the same random stream, seeded
 * from one number drawn from `rng`: as HonestDiD re-seeds (seed = 0) for each M̄, the simulated
 * least-favourable critical value is the same function of the data at every bound, so the sets are
 * comparable across bounds and the breakdown bisection sees one monotone family.
 */
export function sensitivity(
  rng: Rng,
  coef: EventStudyCoefficients,
  req: SensitivityRequest,
): SensitivityResult & { breakdown_reason?: string } {
  const r = restrictionFor(req.method);
  const ci = resolveCi(r, req.ci);
  const key = Math.floor(rng() * 4294967296);
  const streamAt = (): Rng => seeded(`sensitivity\0${key}`);
  const original = originalCi(coef, req.alpha);
  const robust = req.bounds.map((b) => r.robustSet(streamAt(), coef, b, ci, req.alpha));
  const result: SensitivityResult & { breakdown_reason?: string } = { original, robust, breakdown: null };
  if (req.breakdown === false) return result;
  if (original.lb <= 0 && 0 <= original.ub) return result;
  const known = robust.map((s, i) => ({ bound: req.bounds[i], includesZero: includesZero(s) }));
  const found = breakdownBisect((b) => includesZero(r.robustSet(streamAt(), coef, b, ci, req.alpha)), {
    ...breakdownSearch(req.method, coef),
    known,
  });
  result.breakdown = found.value;
  if (found.reason) result.breakdown_reason = found.reason;
  return result;
}
