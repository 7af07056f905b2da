/**
 * The diagnosis of a whole run: one streaming accumulator per design point × estimator × estimand,
 * fed record by record in draw order, and its tidy rows in a canonical order.
 */
import { EstimandAccumulator, type DiagnosandValue, type ResultRecord } from './diagnosands.js';
import { compareEstimandIds } from './estimand-id.js';
import { criticalValue } from './normal.js';
import { FamilywiseAccumulator } from './familywise.js';
import { isFitEstimator } from '../engine/fit-records.js';
import { analyticRows, type AnalyticSpec } from './analytic-rows.js';

/** What pushDraw needs of a draw's record. */
type DrawRecordLike = ResultRecord & { estimator: string; estimand: string; outcome?: string };

export interface DesignPointInfo {
  index: number;
  /** The varied axes of the grid (dotted paths) and this point's values. */
  settings: Record<string, number | string>;
}

export interface DiagnosisRow extends DiagnosandValue {
  point: number;
  /**
   * The outcome's name ('' when the simulation names none). Family-wise rows across all outcomes
   * (familywise_any_*, familywise_all_*) carry the outcomes' names joined by '+'.
   */
  outcome: string;
  estimator: string;
  estimand: string;
  /** Reason → count; only on `not_identified` rows. */
  reasons?: { reason: string; count: number }[];
}

export class Diagnosis {
  readonly z: number;
  private readonly accs = new Map<
    string,
    { point: number; outcome: string; estimator: string; estimand: string; acc: EstimandAccumulator }
  >();
  /** Family-wise accumulators by point × estimator × estimand (only with two or more outcomes). */
  private readonly family = new Map<string, { point: number; estimator: string; estimand: string; acc: FamilywiseAccumulator }>();
  readonly outcomes: readonly string[];

  /** Analytic rows (analytic_se, analytic_power) by point × outcome × estimator × estimand (analytic-rows.ts). */
  private readonly analytic = new Map<string, AnalyticSpec>();

  /**
   * @param outcomes the outcomes' names in scenario order (family-wise rows need two or more)
   * @param analytic the run's analytic specs (cluster designs with an hh estimator; the draws file's meta keeps them)
   */
  constructor(
    readonly alpha: number,
    readonly estimators: readonly string[],
    outcomes: readonly string[] = [],
    analytic: readonly AnalyticSpec[] = [],
  ) {
    this.z = criticalValue(alpha);
    this.outcomes = outcomes;
    for (const a of analytic) this.analytic.set(`${a.point}\0${a.outcome}\0${a.estimator}\0${a.estimand}`, a);
  }

  push(point: number, estimator: string, estimand: string, r: ResultRecord, outcome = ''): void {
    const key = `${point}\0${outcome}\0${estimator}\0${estimand}`;
    let a = this.accs.get(key);
    if (!a) {
      a = { point, outcome, estimator, estimand, acc: new EstimandAccumulator(this.z, this.alpha) };
      this.accs.set(key, a);
    }
    a.acc.push(r);
  }

  /**
   * One whole draw of one point: every record, and the family-wise tests across the outcomes for each
   * estimator × estimand that every outcome has in this draw (diagnosis/familywise.ts). Pre-test
   * pseudo-estimators (`NAME|pretest`) and fit counts (`NAME|fit`) are not hypotheses about effects and take no part.
   */
  pushDraw(point: number, records: readonly DrawRecordLike[]): void {
    for (const r of records) this.push(point, r.estimator, r.estimand, r, r.outcome ?? '');
    const m = this.outcomes.length;
    if (m < 2) return;
    const rank = new Map(this.outcomes.map((o, k) => [o, k]));
    const byTest = new Map<string, (DrawRecordLike | undefined)[]>();
    for (const r of records) {
      const k = rank.get(r.outcome ?? '');
      if (k === undefined || r.estimator.endsWith('|pretest') || isFitEstimator(r.estimator)) continue;
      const key = `${r.estimator}\0${r.estimand}`;
      let slot = byTest.get(key);
      if (!slot) byTest.set(key, (slot = new Array<DrawRecordLike | undefined>(m).fill(undefined)));
      slot[k] = r;
    }
    for (const [key, slot] of byTest) {
      if (slot.some((r) => r === undefined)) continue;
      const fk = `${point}\0${key}`;
      let f = this.family.get(fk);
      if (!f) {
        const [estimator, estimand] = key.split('\0');
        f = { point, estimator, estimand, acc: new FamilywiseAccumulator(m, this.alpha) };
        this.family.set(fk, f);
      }
      f.acc.push(slot as DrawRecordLike[]);
    }
  }

  /**
   * All rows: points ascending, outcomes in scenario order (the family-wise rows across outcomes
   * after them), estimators in scenario order, estimands in canonical order. An outcome's
   * power_bonferroni and power_holm follow its other diagnosands of the same estimator × estimand.
   */
  rows(): DiagnosisRow[] {
    const rank = (e: string): number => {
      const i = this.estimators.indexOf(e);
      return i < 0 ? this.estimators.length : i;
    };
    const m = this.outcomes.length;
    const oRank = (o: string): number => {
      const i = this.outcomes.indexOf(o);
      return i < 0 ? m : i;
    };
    const family = this.outcomes.join('+');
    type Entry = {
      point: number;
      outcome: string;
      estimator: string;
      estimand: string;
      acc?: EstimandAccumulator;
      fam?: FamilywiseAccumulator;
      exact?: AnalyticSpec;
    };
    const entries: Entry[] = [
      ...this.accs.values(),
      ...[...this.family.values()].map((f) => ({
        point: f.point,
        outcome: family,
        estimator: f.estimator,
        estimand: f.estimand,
        fam: f.acc,
      })),
      // An analytic spec whose estimand no draw identified still has its rows.
      ...[...this.analytic.entries()].filter(([k]) => !this.accs.has(k)).map(([, a]) => ({ ...a, exact: a })),
    ];
    const famRank = (e: Entry) => (e.fam ? m + 1 : oRank(e.outcome));
    entries.sort(
      (a, b) =>
        a.point - b.point ||
        famRank(a) - famRank(b) ||
        (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0) ||
        rank(a.estimator) - rank(b.estimator) ||
        (a.estimator < b.estimator ? -1 : a.estimator > b.estimator ? 1 : 0) ||
        compareEstimandIds(a.estimand, b.estimand),
    );
    const out: DiagnosisRow[] = [];
    for (const { point, outcome, estimator, estimand, acc, fam, exact } of entries) {
      const key = `${point}\0${outcome}\0${estimator}\0${estimand}`;
      if (exact) {
        for (const d of analyticRows(exact, this.alpha)) out.push({ point, outcome, estimator, estimand, ...d });
        continue;
      }
      if (fam) {
        for (const d of fam.familyRows()) out.push({ point, outcome, estimator, estimand, ...d });
        continue;
      }
      // A fit pseudo-estimator (engine/fit-records.ts) has one row: its not-identified share is the
      // share of draws with a propensity fit that did not converge.
      const fit = isFitEstimator(estimator);
      for (const d0 of acc!.diagnosands()) {
        if (fit && d0.diagnosand !== 'not_identified') continue;
        const d = fit ? { ...d0, diagnosand: 'not_converged' } : d0;
        const row: DiagnosisRow = { point, outcome, estimator, estimand, ...d };
        if (d0.diagnosand === 'not_identified' && acc!.reasons.size > 0) {
          row.reasons = [...acc!.reasons.entries()]
            .map(([reason, count]) => ({ reason, count }))
            .sort((x, y) => y.count - x.count || (x.reason < y.reason ? -1 : 1));
        } else if (!Number.isFinite(row.value) || !Number.isFinite(row.mcSe)) {
          // Not identified is a value with its reason, never a bare NA (issue 16: found by the fuzz suite).
          row.reasons = [{ reason: undefinedReason(row.diagnosand, row.n, Number.isFinite(row.value), acc!.withEstimate), count: row.n }];
        }
        out.push(row);
      }
      const k = this.outcomes.indexOf(outcome);
      const f = k >= 0 ? this.family.get(`${point}\0${estimator}\0${estimand}`) : undefined;
      if (f) for (const d of f.acc.outcomeRows(k)) out.push({ point, outcome, estimator, estimand, ...d });
      // The exact analytic figures follow the simulated ones of the same estimator × estimand.
      const a = this.analytic.get(key);
      if (a) for (const d of analyticRows(a, this.alpha)) out.push({ point, outcome, estimator, estimand, ...d });
    }
    return out;
  }
}

/**
 * Why a diagnosand (or only its MC SE) has no number: type S and exaggeration are conditional on
 * significance; power, coverage and the SE's diagnosands need an SE, which draws with an estimate
 * alone (`withEstimate` of them) lack.
 */
export function undefinedReason(diagnosand: string, n: number, valueDefined: boolean, withEstimate = 0): string {
  if (n === 0 && withEstimate > 0)
    return `no draw has a standard error (${withEstimate} with an estimate only: see not_identified's reasons)`;
  if (n === 0) return 'no draw identified this estimand';
  if (!valueDefined && (diagnosand === 'type_s' || diagnosand === 'exaggeration'))
    return `no significant draw: ${diagnosand} is defined among significant draws only`;
  return `too few draws (${n}) for ${valueDefined ? `the MC SE of ${diagnosand}` : diagnosand}`;
}
