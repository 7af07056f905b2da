/**
 * Every estimator's numbers are finite or absent with a reason (types.ts: "not identified is a value,
 * never NaN"). Two guards around each estimate, applied once for all families in registry.ts:
 *
 * 1. Before: outcomes so large that sums of squares overflow double precision (IEEE 754 doubles top
 *    out at 1.8e308; an SE sums squared deviations, a regression squared outcomes) are refused up
 *    front — a sum over N values of y² stays finite when max|y| ≤ √(MAX_VALUE)/N — as a not-identified
 *    refusal naming max |y| (errors.ts: a not-identified draw in a simulation, bad input on a CSV).
 * 2. After: any NaN or ±Infinity left in the estimate becomes null with a reason on its row, and an
 *    SE that an estimator left null without saying why gets the family's reason.
 */
import type { Panel } from '../panel/panel.js';
import type { Rng } from '../random/stream.js';
import { EstimatorInputError } from './errors.js';
import type { DrawAt } from './types.js';

/** The largest |y| whose sums of squares over the panel's N = units × periods values stay finite. */
export function outcomeLimit(values: number): number {
  return Math.sqrt(Number.MAX_VALUE) / Math.max(1, values);
}

/** The largest |value| of an array (NaN ignored: the CSV reader refuses it before). */
function maxAbs(y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    const a = Math.abs(y[i]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * @throws {EstimatorInputError} (notIdentified) when max |y| exceeds outcomeLimit(y.length).
 */
export function checkOutcomeScale(y: ArrayLike<number>, family: string): void {
  const m = maxAbs(y);
  if (m > outcomeLimit(y.length)) {
    throw new EstimatorInputError(
      `${family}: not identified: outcome values too large to estimate in double precision (max |y| = ${m.toExponential(3)}, ` +
        `the limit for ${y.length} values is ${outcomeLimit(y.length).toExponential(1)}); express the outcome in larger units`,
      { notIdentified: true },
    );
  }
}

/** did's SE reason: R did 2.5.1 sets an SE ≤ √ε·10 to NA (att_gt.R, compute.aggte.R), and so does Stagger. */
export const DID_SE_NA =
  'no standard error: it is at most √ε·10 ≈ 1.5e-7, where R did reports NA (the outcome does not vary, or hardly, across the units compared)';
/** Other families' SE reason when they give none. */
export const NO_SE = 'no standard error: its variance is zero (the outcome does not vary across the units compared)';

const NON_FINITE = 'not a finite number in double precision (an intermediate sum overflowed or divided by zero)';

/**
 * Replace every NaN/±Infinity in an estimate by null, setting `reason` on the object that held it when
 * it has none; give an object whose `se` is null beside a numeric `att`/`estimate` the family's
 * `seReason` when it has no reason. Mutates and returns the estimate (built fresh by each call).
 */
export function finiteEstimate<T extends object>(est: T, seReason: string): T {
  const walk = (o: Record<string, unknown>): void => {
    let why: string | null = null;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        o[k] = null;
        why ??= `${k} ${NON_FINITE}`;
      } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
        if (Array.isArray(v)) {
          v.forEach((x, i) => {
            if (typeof x === 'number' && !Number.isFinite(x)) {
              v[i] = null;
              why ??= `${k} ${NON_FINITE}`;
            } else if (x !== null && typeof x === 'object' && !ArrayBuffer.isView(x)) walk(x as Record<string, unknown>);
          });
        } else walk(v as Record<string, unknown>);
      }
    }
    const hasReason = typeof o.reason === 'string' && o.reason.length > 0;
    if (why && !hasReason) o.reason = why;
    else if (!hasReason && 'se' in o && o.se === null && (typeof o.att === 'number' || typeof o.estimate === 'number')) o.reason = seReason;
  };
  walk(est as Record<string, unknown>);
  explainCovariance(est);
  return est;
}

/** The rows without an SE are null in the event-study covariance (types.ts): say so beside it. */
const VCOV_NULLS = 'the rows and columns of event times without a standard error are null (each detail row says why)';
function explainCovariance(est: object): void {
  const aggregates = (est as { aggregates?: Record<string, { vcov?: (number | null)[][]; vcov_reason?: string } | undefined> }).aggregates;
  for (const agg of Object.values(aggregates ?? {})) {
    if (agg?.vcov && !agg.vcov_reason && agg.vcov.some((r) => r.some((v) => v === null))) agg.vcov_reason = VCOV_NULLS;
  }
}

/** An estimator's estimate wrapped in both guards. */
export function guarded<T extends object>(
  family: string,
  seReason: string,
  fn: (panel: Panel, rng: Rng, at?: DrawAt) => T,
): (panel: Panel, rng: Rng, at?: DrawAt) => T {
  return (panel, rng, at) => {
    checkOutcomeScale(panel.y, family);
    return finiteEstimate(fn(panel, rng, at), seReason);
  };
}
