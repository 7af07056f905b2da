/**
 * The diagnosis of a whole run: one streaming accumulator per design point × estimator × estimand,
 * fed record by record in draw order, and its tidy rows in a canonical order.
 */
import { EstimandAccumulator, type DiagnosandValue, type ResultRecord } from './diagnosands.js';
import { compareEstimandIds } from './estimand-id.js';
import { criticalValue } from './normal.js';

export interface DesignPointInfo {
  index: number;
  /** The varied axes of the grid (dotted paths) and this point's values. */
  settings: Record<string, number | string>;
}

export interface DiagnosisRow extends DiagnosandValue {
  point: number;
  estimator: string;
  estimand: string;
  /** Reason → count; only on `not_identified` rows. */
  reasons?: { reason: string; count: number }[];
}

export class Diagnosis {
  readonly z: number;
  private readonly accs = new Map<string, { point: number; estimator: string; estimand: string; acc: EstimandAccumulator }>();

  constructor(readonly alpha: number, readonly estimators: readonly string[]) {
    this.z = criticalValue(alpha);
  }

  push(point: number, estimator: string, estimand: string, r: ResultRecord): void {
    const key = `${point}\0${estimator}\0${estimand}`;
    let a = this.accs.get(key);
    if (!a) {
      a = { point, estimator, estimand, acc: new EstimandAccumulator(this.z) };
      this.accs.set(key, a);
    }
    a.acc.push(r);
  }

  /** All rows: points ascending, estimators in scenario order, estimands in canonical order. */
  rows(): DiagnosisRow[] {
    const rank = (e: string): number => {
      const i = this.estimators.indexOf(e);
      return i < 0 ? this.estimators.length : i;
    };
    const entries = [...this.accs.values()].sort(
      (a, b) =>
        a.point - b.point ||
        rank(a.estimator) - rank(b.estimator) ||
        (a.estimator < b.estimator ? -1 : a.estimator > b.estimator ? 1 : 0) ||
        compareEstimandIds(a.estimand, b.estimand),
    );
    const out: DiagnosisRow[] = [];
    for (const { point, estimator, estimand, acc } of entries) {
      for (const d of acc.diagnosands()) {
        const row: DiagnosisRow = { point, estimator, estimand, ...d };
        if (d.diagnosand === 'not_identified' && acc.reasons.size > 0) {
          row.reasons = [...acc.reasons.entries()]
            .map(([reason, count]) => ({ reason, count }))
            .sort((x, y) => y.count - x.count || (x.reason < y.reason ? -1 : 1));
        }
        out.push(row);
      }
    }
    return out;
  }
}
