/**
 * Calibration checks for validity tests and `npm run validate`: is a diagnosand within k Monte Carlo
 * SEs of what theory says, and is the spread of a diagnosand across independent seeds what its
 * reported Monte Carlo SE claims? Pure functions on diagnosis rows; the callers run the draws.
 */
import { pnorm, qnorm } from '../stats/normal.js';
import type { DiagnosisRow } from './diagnosis.js';

/** The row of one point × estimator × estimand × diagnosand (× target). */
export function rowOf(
  rows: readonly DiagnosisRow[],
  q: { point?: number; outcome?: string; estimator?: string; estimand: string; diagnosand: string; target?: string },
): DiagnosisRow {
  const r = rows.find(
    (x) =>
      (q.point === undefined || x.point === q.point) &&
      (q.outcome === undefined || x.outcome === q.outcome) &&
      (q.estimator === undefined || x.estimator === q.estimator) &&
      x.estimand === q.estimand &&
      x.diagnosand === q.diagnosand &&
      (q.target === undefined || x.target === q.target),
  );
  if (!r) throw new Error(`no diagnosis row for ${JSON.stringify(q)}`);
  return r;
}

export interface Check {
  name: string;
  value: number;
  expected: number;
  /** The tolerance: k × the Monte Carlo SE (of the difference, when two runs are compared). */
  tolerance: number;
  ok: boolean;
}

/** |value − expected| ≤ k·se. */
export function within(name: string, value: number, expected: number, se: number, k = 3): Check {
  const tolerance = k * se;
  return { name, value, expected, tolerance, ok: Math.abs(value - expected) <= tolerance };
}

/**
 * The SD of one diagnosand across K independent runs (seeds) against the root mean square of the
 * Monte Carlo SEs the runs report. With K runs, (K − 1)·sd²/se² is χ²(K − 1): the returned interval is
 * where the ratio sd/se lies with probability about 0.997 (Wilson–Hilferty quantiles).
 */
export function seedSpread(
  values: readonly number[],
  mcSes: readonly number[],
): { sd: number; se: number; ratio: number; interval: [number, number] } {
  const K = values.length;
  if (K < 3) throw new Error('seedSpread: needs at least 3 runs');
  const m = values.reduce((s, x) => s + x, 0) / K;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - m) ** 2, 0) / (K - 1));
  const se = Math.sqrt(mcSes.reduce((s, x) => s + x * x, 0) / K);
  const df = K - 1;
  // χ² quantile by Wilson–Hilferty: df·(1 − 2/(9df) + z·√(2/(9df)))³, z = ±3 (two-sided ~0.997).
  const q = (z: number) => df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
  return { sd, se, ratio: sd / se, interval: [Math.sqrt(q(-3) / df), Math.sqrt(q(3) / df)] };
}

/**
 * Power at a second design point predicted from the first by the precision alone: with power
 * p0 = Φ(θ0/se0 − z) (the far tail neglected), the point whose signal-to-noise ratio θ/se is `ratio`
 * times as large has power Φ((Φ⁻¹(p0) + z)·ratio − z). A smaller sample of n1 instead of n0 people
 * has ratio ≈ √(n1/n0) at the same θ.
 */
export function predictedPower(p0: number, ratio: number, alpha: number): number {
  const z = qnorm(1 - alpha / 2);
  return pnorm((qnorm(Math.min(1 - 1e-9, Math.max(1e-9, p0))) + z) * ratio - z);
}

/**
 * Does the power at point 1 match the power at point 0 carried over by a signal-to-noise `ratio`
 * (predictedPower)? The tolerance is k times the MC SE of p1 − prediction, treating p0 and p1 as
 * independent (conservative under common random numbers, which correlate them positively).
 */
export function powerMatches(name: string, p0: Row, p1: Row, ratio: number, alpha: number, k = 3): Check {
  const pred = predictedPower(p0.value, ratio, alpha);
  const h = 1e-4;
  const slope = (predictedPower(p0.value + h, ratio, alpha) - predictedPower(p0.value - h, ratio, alpha)) / (2 * h);
  return within(name, p1.value, pred, Math.sqrt(p1.mcSe ** 2 + (slope * p0.mcSe) ** 2), k);
}

type Row = Pick<DiagnosisRow, 'value' | 'mcSe'>;
