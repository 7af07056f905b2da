/**
 * The sensitivity analysis (Rambachan & Roth 2023, HonestDiD): the original interval, a robust set at
 * each bound, and the breakdown value, for one restriction. Each restriction module registers itself
 * in RESTRICTIONS with one line.
 */
import { seeded, type Rng } from '../random/stream.js';
import { breakdownBisect } from './breakdown.js';
import { originalCi, targetEstimate } from './original-ci.js';
import { relativeMagnitudes } from './relative-magnitudes.js';
import { relativeMagnitudesShaped } from './relative-magnitudes-shape.js';
import { type Shape, shapeFields, shapeText } from './shape-rows.js';
import { smoothness } from './smoothness.js';
import { smoothnessRelativeMagnitudes, smoothnessRelativeMagnitudesShaped } from './smoothness-relative-magnitudes.js';
import { smoothnessShaped } from './smoothness-shape.js';
import type {
  CiType,
  EventStudyCoefficients,
  Restriction,
  RestrictionMethod,
  RestrictionRecord,
  RobustSet,
  SensitivityResult,
} from './types.js';

/** The implemented restrictions, by method name. */
export const RESTRICTIONS: Partial<Record<RestrictionMethod, Restriction>> = {
  relative_magnitudes: relativeMagnitudes,
  smoothness,
  smoothness_relative_magnitudes: smoothnessRelativeMagnitudes,
};

/**
 * The restrictions intersected with a sign or monotonicity restriction (Rambachan & Roth 2023, sec.
 * 2.4.3), by method: Δ^SDB/Δ^SDM, Δ^RMB/Δ^RMM, Δ^SDRMB/Δ^SDRMM.
 */
export const SHAPED_RESTRICTIONS: Partial<Record<RestrictionMethod, (shape: Shape) => Restriction>> = {
  smoothness: smoothnessShaped,
  relative_magnitudes: relativeMagnitudesShaped,
  smoothness_relative_magnitudes: smoothnessRelativeMagnitudesShaped,
};

/** HonestDiD's Delta of the unshaped restrictions. */
const BASE_DELTA: Record<RestrictionMethod, string> = {
  relative_magnitudes: 'DeltaRM',
  smoothness: 'DeltaSD',
  smoothness_relative_magnitudes: 'DeltaSDRM',
};

/** What a result records about its restriction. */
export function restrictionRecord(r: Restriction): RestrictionRecord {
  return { method: r.method, delta: r.delta ?? BASE_DELTA[r.method], ...shapeFields(r.shape) };
}

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
  smoothness_relative_magnitudes: () => ({ hi: 10, tol: 1e-3 }),
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
  /** A sign or monotonicity restriction intersected with the method's (at most one, as HonestDiD). */
  shape?: Shape;
  /** Compute the breakdown value (default true). */
  breakdown?: boolean;
}

/** The restriction for a method (and shape), or an error naming the implemented ones. */
export function restrictionFor(method: string, shape?: Shape): Restriction {
  const r = RESTRICTIONS[method as RestrictionMethod];
  if (!r) {
    throw new SensitivityOptionError(
      `method: expected one of ${Object.keys(RESTRICTIONS).join(', ') || '(none implemented)'}, found "${method}"`,
    );
  }
  if (!shape) return r;
  const make = SHAPED_RESTRICTIONS[method as RestrictionMethod];
  if (!make) {
    throw new SensitivityOptionError(
      `${shapeText(shape)}: ${method} takes no sign or monotonicity restriction (implemented for ${Object.keys(SHAPED_RESTRICTIONS).join(', ')})`,
    );
  }
  return make(shape);
}

/** Resolve 'hybrid' and the default, refusing a ci the restriction does not implement. */
export function resolveCi(r: Restriction, ci: CiType | undefined): Exclude<CiType, 'hybrid'> {
  if (ci === undefined) return r.cis[0];
  if (ci === 'hybrid') return r.hybrid;
  if (!r.cis.includes(ci)) {
    const name = r.shape ? `${r.method} with ${shapeText(r.shape)}` : r.method;
    const why =
      ci !== 'flci'
        ? ''
        : r.shape && r.method === 'smoothness'
          ? ' (the FLCI does not use sign or monotonicity restrictions: HonestDiD computes the plain smoothness FLCI with a warning, stagger refuses; drop the restriction for the FLCI)'
          : ' (HonestDiD offers the FLCI only for smoothness restrictions)';
    throw new SensitivityOptionError(
      `ci: ${name} implements ${[...r.cis, 'hybrid'].join(', ')} (hybrid = ${r.hybrid}); found "${ci}"${why}`,
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
  const r = restrictionFor(req.method, req.shape);
  const ci = resolveCi(r, req.ci);
  const key = Math.floor(rng() * 4294967296);
  const streamAt = (): Rng => seeded(`sensitivity\0${key}`);
  const original = originalCi(coef, req.alpha);
  const robust = req.bounds.map((b) => r.robustSet(streamAt(), coef, b, ci, req.alpha));
  const result: SensitivityResult & { breakdown_reason?: string } = {
    restriction: restrictionRecord(r),
    original,
    robust,
    breakdown: null,
  };
  if (req.breakdown === false) return result;
  if (original.lb <= 0 && 0 <= original.ub) return result;
  const known = robust.map((s, i) => ({ bound: req.bounds[i], includesZero: includesZero(s) }));
  const found = breakdownBisect((b) => includesZero(r.robustSet(streamAt(), coef, b, ci, req.alpha)), {
    ...breakdownSearch(req.method, coef),
    known,
  });
  result.breakdown = found.value;
  if (found.reason) result.breakdown_reason = found.reason;
  // The bisection presumes sets that grow with the bound. ARP's conditional test need not give nested
  // sets (with a sign or monotonicity restriction isolated grid points far from θ̂ are accepted at some
  // bounds and not at larger ones): when the sets at the requested bounds contradict the value found,
  // there is no single breakdown value to report.
  if (found.value !== null) {
    const bad = known.find((k) => k.bound >= found.value! && !k.includesZero);
    if (bad) {
      const firstYes = known.filter((k) => k.includesZero).sort((x, y) => x.bound - y.bound)[0];
      result.breakdown = null;
      result.breakdown_reason =
        `not available: the robust sets are not nested in the bound (the set at ${firstYes?.bound ?? found.value} includes 0, ` +
        `the one at ${bad.bound} does not), so no smallest bound beyond which every set includes 0 exists on these bounds`;
    }
  }
  return result;
}
