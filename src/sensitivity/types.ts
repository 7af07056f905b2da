/**
 * The shapes of a sensitivity analysis to violations of parallel trends (Rambachan & Roth 2023,
 * HonestDiD): event-study coefficients and their covariance in, robust confidence sets out. Shared by
 * the restriction modules (relative-magnitudes.ts, smoothness.ts), the pre-test power (pretest-power.ts),
 * `stagger sensitivity` and the scenario's `analysis.sensitivity` estimands.
 */
import type { Rng } from '../random/stream.js';
import type { BiasDirection, MonotonicityDirection, Shape } from './shape-rows.js';

/**
 * Event-study coefficients as HonestDiD takes them: betahat = (pre-periods in time order, then
 * post-periods), the reference period left out; sigma their covariance. lVec weights the post-period
 * coefficients into the target θ = l'τ (default: the first post-period, HonestDiD's basisVector(1)).
 */
export interface EventStudyCoefficients {
  betahat: number[];
  sigma: number[][];
  numPre: number;
  numPost: number;
  lVec: number[];
}

/**
 * The restriction on how far post-period trends may differ from parallel: Δ^RM (relative_magnitudes,
 * HonestDiD's bound = "deviation from parallel trends"), Δ^SD (smoothness) and Δ^SDRM
 * (smoothness_relative_magnitudes, HonestDiD's bound = "deviation from linear trend"), each optionally
 * intersected with a sign or monotonicity restriction (shape-rows.ts).
 */
export type RestrictionMethod = 'relative_magnitudes' | 'smoothness' | 'smoothness_relative_magnitudes';
export const RESTRICTION_METHODS: readonly RestrictionMethod[] = ['relative_magnitudes', 'smoothness', 'smoothness_relative_magnitudes'];

/**
 * The confidence set construction, as HonestDiD names it: flci (fixed-length, smoothness only),
 * conditional (Andrews, Roth & Pakes), c-f (conditional–FLCI hybrid), c-lf (conditional–least
 * favourable hybrid). `hybrid` is the hybrid HonestDiD uses by default for the restriction (RM: c-lf,
 * SD: c-f) and is reported under that resolved name.
 */
export type CiType = 'flci' | 'conditional' | 'c-f' | 'c-lf' | 'hybrid';
export const CI_TYPES: readonly CiType[] = ['flci', 'conditional', 'c-f', 'c-lf', 'hybrid'];

export interface SensitivityOptions {
  /** Level of the confidence sets (1 − alpha), HonestDiD's default 0.05. */
  alpha: number;
  /** The construction; unset: the restriction's HonestDiD default (RM: c-lf, SD: flci). */
  ci?: CiType;
}

/** One robust confidence set: for relative magnitudes at Mbar, for smoothness at M. */
export interface RobustSet {
  method: RestrictionMethod;
  /** relative_magnitudes: the bound M̄ on post-period violations relative to the largest pre-period one. */
  mbar?: number;
  /** smoothness: the bound M on the change in the slope of the violation between periods. */
  m?: number;
  /** The sign restriction intersected with the base one, when given. */
  bias_direction?: BiasDirection;
  /** The monotonicity restriction intersected with the base one, when given. */
  monotonicity_direction?: MonotonicityDirection;
  /** The construction actually used (never 'hybrid': its resolution). */
  ci: Exclude<CiType, 'hybrid'>;
  /** The set's bounds; null (with reason) when it is empty or could not be computed. */
  lb: number | null;
  ub: number | null;
  reason?: string;
}

/** The restriction a result is for, as `stagger sensitivity --json` records it. */
export interface RestrictionRecord {
  method: RestrictionMethod;
  /** HonestDiD's Delta: DeltaRM, DeltaSD, DeltaSDRM, with PB/NB (sign) or I/D (monotonicity). */
  delta: string;
  bias_direction?: BiasDirection;
  monotonicity_direction?: MonotonicityDirection;
}

/** What `stagger sensitivity --json` prints. */
export interface SensitivityResult {
  /** The restriction (absent only in results made before it was recorded). */
  restriction?: RestrictionRecord;
  /** The usual (1 − alpha) interval for θ = l'β̂_post, parallel trends assumed. */
  original: { lb: number; ub: number };
  robust: RobustSet[];
  /** The smallest Mbar (or M) whose robust set includes 0; null when the original interval already does. */
  breakdown: number | null;
  /** Roth (2022): for each power, the linear pre-trend slope the pre-test detects with that power. */
  pretest_power?: { power: number; slope: number }[];
}

/**
 * One restriction (relative-magnitudes.ts, smoothness.ts) as the dispatcher (index.ts), the breakdown
 * search (breakdown.ts) and the scenario estimands call it.
 */
export interface Restriction {
  method: RestrictionMethod;
  /** The sign or monotonicity restriction intersected with the method's (shaped variants only). */
  shape?: Shape;
  /** HonestDiD's name of the set, as its results' Delta column: DeltaSD, DeltaSDPB, DeltaRMI, DeltaSDRM, … */
  delta?: string;
  /** The constructions it implements; the first is HonestDiD's default for the restriction. */
  cis: readonly Exclude<CiType, 'hybrid'>[];
  /** What `--ci hybrid` resolves to. */
  hybrid: Exclude<CiType, 'hybrid'>;
  /**
   * The robust confidence set at one bound (M̄ or M). Randomness (the least-favourable critical
   * value's simulation) comes only from `rng`, so a set is reproducible from its seed.
   */
  robustSet(rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Exclude<CiType, 'hybrid'>, alpha: number): RobustSet;
}
