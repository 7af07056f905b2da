/**
 * Diagnosands of one estimator × estimand over the draws of one design point, from a streaming
 * accumulator (DeclareDesign's definitions: bias = mean(estimate − estimand), power = mean(p ≤ α), …).
 *
 * Each diagnosand is f(means of per-draw quantities); its Monte Carlo SE is the delta method on those
 * means (sd/√S for a mean, √(p(1−p)/S) for a share, the gradient form for RMSE, SD, SE/SD, type S and
 * the exaggeration ratio). Variances are plug-in (divisor S) throughout, so shares get exactly
 * √(p(1−p)/S).
 */
import { pnorm } from '../stats/normal.js';
import { Moments, deltaSe } from './moments.js';

/** One draw's answer for one estimator × estimand, as the draws file stores it. */
export interface ResultRecord {
  /** null when not identified (then `reason` says why). */
  estimate: number | null;
  se: number | null;
  reason?: string | null;
  /** The draw's own sample estimand; null when the draw has no such cell. */
  truth: number | null;
  /** The scenario's population estimand; null when the scenario does not define it. */
  popTruth: number | null;
  /** The estimator's own two-sided p-value (a Fisher test); absent: the Wald test |estimate| > z·se. */
  p?: number | null;
  /** The estimator's own interval (a bootstrap band); absent: estimate ± z·se. */
  ciLow?: number | null;
  ciHigh?: number | null;
}

/**
 * Whether a draw's answer rejects "no effect" at level α: by the estimator's own p-value where it gives
 * one, else by its own interval (0 outside), else by the Wald test |estimate| > z·se. A draw that is
 * not identified does not reject. The one rule diagnosis.csv and `stagger mde` both apply.
 */
export function rejects(r: ResultRecord, z: number, alpha: number): boolean {
  if (r.estimate === null || r.se === null || !Number.isFinite(r.estimate) || !Number.isFinite(r.se)) return false;
  if (r.p !== undefined && r.p !== null) return r.p <= alpha;
  if (r.ciLow !== undefined && r.ciLow !== null && r.ciHigh !== undefined && r.ciHigh !== null) return r.ciLow > 0 || r.ciHigh < 0;
  return Math.abs(r.estimate) > z * r.se;
}

/** Whether the interval covers a value: the estimator's own interval, else estimate ± z·se. */
export function covers(r: ResultRecord, value: number, z: number): boolean {
  if (r.ciLow !== undefined && r.ciLow !== null && r.ciHigh !== undefined && r.ciHigh !== null)
    return value >= r.ciLow && value <= r.ciHigh;
  return Math.abs(r.estimate! - value) <= z * r.se!;
}

export type Target = 'sample' | 'population';
export const TARGETS: readonly Target[] = ['sample', 'population'];

export interface DiagnosandValue {
  diagnosand: string;
  /** '' for diagnosands that do not compare with a truth (power, mean SE, …). */
  target: Target | '';
  value: number;
  mcSe: number;
  /** Draws the diagnosand is computed from. */
  n: number;
}

// Per-draw quantities of the draws with an estimate (with or without an SE): what bias, RMSE and the
// estimates' mean and SD need.
const P_EST = 0,
  P_EST2 = 1;
const P_K = 2;
const PT_ERR = 0,
  PT_ERR2 = 1,
  PT_TRUTH = 2;
const PT_K = 3;
// Per-draw quantities of identified draws (an estimate and an SE), independent of the target.
const E_EST = 0,
  E_EST2 = 1,
  E_SE = 2,
  E_SIG = 3;
const E_K = 4;
// Per-draw quantities of identified draws that have the target's truth.
const T_COVER = 0,
  T_SIG = 1,
  T_SIG_WRONG = 2,
  T_SIG_ABS_EST = 3,
  T_SIG_ABS_TRUTH = 4;
const T_K = 5;

/**
 * A draw with an estimate but no SE (synthdid's placebo SE without enough controls, R did's NA SE) is
 * half identified: its estimate enters bias, RMSE, mean and SD of the estimates, while power,
 * coverage, type S, exaggeration, mean SE and SE/SD count it as not identified (no test and no
 * interval without an SE), with its reason in not_identified's reasons. Each diagnosand's `n` says
 * how many draws it used. With every SE present both sets are the same draws, and the figures are those
 * of one set.
 */
export class EstimandAccumulator {
  /** Draws in which the estimand is defined (a record exists: the draw's truth has the estimand). */
  total = 0;
  /** Draws without an estimate or without an SE (not counted in power, coverage, …). */
  notIdentified = 0;
  /** Draws with an estimate, with or without an SE (counted in bias, RMSE, …). */
  get withEstimate(): number {
    return this.point.n;
  }
  /** Draws that reject (rejects()); a draw that is not identified does not. */
  rejections = 0;
  private readonly alpha: number;
  /** Reason → count, in order of first occurrence (deterministic: draws arrive in order). */
  readonly reasons = new Map<string, number>();
  private readonly est = new Moments(E_K);
  private readonly byTarget: Record<Target, Moments> = { sample: new Moments(T_K), population: new Moments(T_K) };
  private readonly xe = new Float64Array(E_K);
  private readonly xt = new Float64Array(T_K);
  private readonly point = new Moments(P_K);
  private readonly pointByTarget: Record<Target, Moments> = { sample: new Moments(PT_K), population: new Moments(PT_K) };
  private readonly xp = new Float64Array(P_K);
  private readonly xpt = new Float64Array(PT_K);

  /**
   * @param z two-sided critical value z_{1−α/2}
   * @param alpha the level (default: the one z belongs to), for estimators' own p-values
   */
  constructor(
    private readonly z: number,
    alpha?: number,
  ) {
    this.alpha = alpha ?? 2 * pnorm(-z);
  }

  push(r: ResultRecord): void {
    this.total += 1;
    if (r.estimate !== null && Number.isFinite(r.estimate)) this.pushPoint(r.estimate, r);
    if (r.estimate === null || r.se === null || !Number.isFinite(r.estimate) || !Number.isFinite(r.se)) {
      this.notIdentified += 1;
      const why = r.reason ?? (r.estimate === null ? 'not identified (no reason given)' : 'no standard error');
      this.reasons.set(why, (this.reasons.get(why) ?? 0) + 1);
      return;
    }
    const est = r.estimate;
    const sig = rejects(r, this.z, this.alpha) ? 1 : 0;
    this.rejections += sig;
    const xe = this.xe;
    xe[E_EST] = est;
    xe[E_EST2] = est * est;
    xe[E_SE] = r.se;
    xe[E_SIG] = sig;
    this.est.push(xe);
    for (const target of TARGETS) {
      const truth = target === 'sample' ? r.truth : r.popTruth;
      if (truth === null || !Number.isFinite(truth)) continue;
      const xt = this.xt;
      xt[T_COVER] = covers(r, truth, this.z) ? 1 : 0;
      xt[T_SIG] = sig;
      // Type S (Gelman & Carlin 2014): significant with the opposite sign to a nonzero truth.
      xt[T_SIG_WRONG] = sig && est * truth < 0 ? 1 : 0;
      xt[T_SIG_ABS_EST] = sig * Math.abs(est);
      xt[T_SIG_ABS_TRUTH] = sig * Math.abs(truth);
      this.byTarget[target].push(xt);
    }
  }

  /** The estimate's own quantities, SE or not. */
  private pushPoint(est: number, r: ResultRecord): void {
    this.xp[P_EST] = est;
    this.xp[P_EST2] = est * est;
    this.point.push(this.xp);
    for (const target of TARGETS) {
      const truth = target === 'sample' ? r.truth : r.popTruth;
      if (truth === null || !Number.isFinite(truth)) continue;
      const err = est - truth;
      this.xpt[PT_ERR] = err;
      this.xpt[PT_ERR2] = err * err;
      this.xpt[PT_TRUTH] = truth;
      this.pointByTarget[target].push(this.xpt);
    }
  }

  /** Every diagnosand with its Monte Carlo SE, in a fixed order. */
  diagnosands(): DiagnosandValue[] {
    const out: DiagnosandValue[] = [];
    const e = this.est;
    const m = Float64Array.from({ length: E_K }, (_, i) => e.meanOf(i));
    const add = (diagnosand: string, target: Target | '', mom: Moments, value: number, grad: number[]): void => {
      out.push({ diagnosand, target, value: mom.n ? value : NaN, mcSe: mom.n ? deltaSe(mom, grad) : NaN, n: mom.n });
    };
    const unit = (k: number, i: number): number[] => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0));

    // Power: the share of the draws in which the estimand is defined that reject, a draw that is not
    // identified counting as not rejecting (the definition `stagger mde` uses); power_identified: the
    // share among identified draws.
    const pw = this.total ? this.rejections / this.total : NaN;
    out.push({
      diagnosand: 'power',
      target: '',
      value: pw,
      mcSe: this.total ? Math.sqrt((pw * (1 - pw)) / this.total) : NaN,
      n: this.total,
    });
    add('power_identified', '', e, m[E_SIG], unit(E_K, E_SIG));
    const pt = this.point;
    const pm = Float64Array.from({ length: P_K }, (_, i) => pt.meanOf(i));
    add('mean_estimate', '', pt, pm[P_EST], unit(P_K, P_EST));
    add('mean_se', '', e, m[E_SE], unit(E_K, E_SE));
    // SD from the centred co-moment (stable); its gradient in the raw means (m, m2): s = √(m2 − m²).
    const sp = Math.sqrt(pt.cov(P_EST, P_EST));
    add('sd_estimate', '', pt, sp, [-pm[P_EST] / sp, 1 / (2 * sp)]);
    // SE/SD over the draws with an SE: the SD of those draws' estimates.
    const s = Math.sqrt(e.cov(E_EST, E_EST));
    const gS = [-m[E_EST] / s, 1 / (2 * s), 0, 0];
    const r = m[E_SE] / s;
    add('se_sd_ratio', '', e, r, [-(m[E_SE] / (s * s)) * gS[0], -(m[E_SE] / (s * s)) * gS[1], 1 / s, 0]);

    const p = this.total ? this.notIdentified / this.total : NaN;
    out.push({
      diagnosand: 'not_identified',
      target: '',
      value: p,
      mcSe: this.total ? Math.sqrt((p * (1 - p)) / this.total) : NaN,
      n: this.total,
    });

    for (const target of TARGETS) {
      const t = this.byTarget[target];
      const q = this.pointByTarget[target];
      // A target no draw defines (e.g. no population truth for subgroups) gets no rows, not rows of NA.
      if (q.n === 0) continue;
      const tm = Float64Array.from({ length: T_K }, (_, i) => t.meanOf(i));
      const qm = Float64Array.from({ length: PT_K }, (_, i) => q.meanOf(i));
      add('mean_truth', target, q, qm[PT_TRUTH], unit(PT_K, PT_TRUTH));
      add('bias', target, q, qm[PT_ERR], unit(PT_K, PT_ERR));
      const rmse = Math.sqrt(qm[PT_ERR2]);
      add('rmse', target, q, rmse, scaled(unit(PT_K, PT_ERR2), 1 / (2 * rmse)));
      add('coverage', target, t, tm[T_COVER], unit(T_K, T_COVER));
      add('type_s', target, t, ...ratio(tm, T_SIG_WRONG, T_SIG, T_K));
      add('exaggeration', target, t, ...ratio(tm, T_SIG_ABS_EST, T_SIG_ABS_TRUTH, T_K));
    }
    return out;
  }
}

/** a/b of two means and its gradient: e_a/b − a/b² e_b. */
function ratio(m: Float64Array, a: number, b: number, k: number): [number, number[]] {
  const g = new Array<number>(k).fill(0);
  g[a] = 1 / m[b];
  g[b] = -m[a] / (m[b] * m[b]);
  return [m[a] / m[b], g];
}

function scaled(v: number[], c: number): number[] {
  return v.map((x) => x * c);
}
