/**
 * Family-wise power across a scenario's outcomes: for one design point × estimator × estimand that
 * every outcome has in a draw, the m outcomes' two-sided normal p-values p_k = 2(1 − Φ(|θ̂_k/se_k|))
 * (as the diagnosis's power uses), adjusted for testing m hypotheses at level α:
 *  - Bonferroni: reject H_k when p_k ≤ α/m;
 *  - Holm (1979): order p_(1) ≤ … ≤ p_(m); reject H_(1) … H_(j−1) where j is the first rank with
 *    p_(j) > α/(m − j + 1) (step-down; never fewer rejections than Bonferroni).
 * Both hold the family-wise error rate at α under any dependence. A draw whose estimate of an
 * outcome is not identified counts as not rejecting it (p = 1). Per draw the accumulator records each
 * outcome's adjusted rejection, whether any outcome was rejected and whether all were; each rate's
 * Monte Carlo SE is √(p(1−p)/S).
 */
import { pnorm } from '../stats/normal.js';
import type { ResultRecord } from './diagnosands.js';
import type { DiagnosandValue } from './diagnosands.js';

/** The estimator's own p-value where it gives one, else the two-sided normal p-value of estimate/se; 1 when not identified (no estimate, no SE, SE ≤ 0). */
export function twoSidedP(r: Pick<ResultRecord, 'estimate' | 'se' | 'p'>): number {
  if (r.estimate !== null && r.se !== null && Number.isFinite(r.estimate) && r.p !== undefined && r.p !== null) return r.p;
  if (r.estimate === null || r.se === null || !Number.isFinite(r.estimate) || !Number.isFinite(r.se) || !(r.se > 0)) return 1;
  return 2 * pnorm(-Math.abs(r.estimate / r.se));
}

/** Bonferroni: H_k rejected when p_k ≤ α/m. */
export function bonferroni(p: readonly number[], alpha: number): boolean[] {
  const m = p.length;
  return p.map((x) => x <= alpha / m);
}

/** Holm's step-down rejections, in the input's order (ties keep input order). */
export function holm(p: readonly number[], alpha: number): boolean[] {
  const m = p.length;
  const order = p.map((_, k) => k).sort((a, b) => p[a] - p[b] || a - b);
  const out = new Array<boolean>(m).fill(false);
  for (let j = 0; j < m; j++) {
    if (p[order[j]] > alpha / (m - j)) break;
    out[order[j]] = true;
  }
  return out;
}

export const ADJUSTMENTS = ['bonferroni', 'holm'] as const;
const ADJUST = { bonferroni, holm } as const;

/** The diagnosands of one point × estimator × estimand across m outcomes. */
export class FamilywiseAccumulator {
  n = 0;
  /** Rejections per adjustment: per outcome, any, all. */
  private readonly hits: Record<(typeof ADJUSTMENTS)[number], { each: Float64Array; any: number; all: number }>;

  constructor(
    readonly m: number,
    private readonly alpha: number,
  ) {
    this.hits = { bonferroni: { each: new Float64Array(m), any: 0, all: 0 }, holm: { each: new Float64Array(m), any: 0, all: 0 } };
  }

  /** One draw: the m outcomes' records in outcome order. */
  push(records: readonly ResultRecord[]): void {
    const p = records.map(twoSidedP);
    this.n += 1;
    for (const a of ADJUSTMENTS) {
      const rej = ADJUST[a](p, this.alpha);
      const h = this.hits[a];
      rej.forEach((r, k) => (h.each[k] += r ? 1 : 0));
      if (rej.some(Boolean)) h.any += 1;
      if (rej.every(Boolean)) h.all += 1;
    }
  }

  private share(hits: number): DiagnosandValue & { diagnosand: '' } {
    const p = this.n ? hits / this.n : NaN;
    return { diagnosand: '', target: '', value: p, mcSe: this.n ? Math.sqrt((p * (1 - p)) / this.n) : NaN, n: this.n };
  }

  /** power_<adj> of outcome k (its rejection rate after adjustment). */
  outcomeRows(k: number): DiagnosandValue[] {
    return ADJUSTMENTS.map((a) => ({ ...this.share(this.hits[a].each[k]), diagnosand: `power_${a}` }));
  }

  /** familywise_any_<adj> and familywise_all_<adj>. */
  familyRows(): DiagnosandValue[] {
    return ADJUSTMENTS.flatMap((a) => [
      { ...this.share(this.hits[a].any), diagnosand: `familywise_any_${a}` },
      { ...this.share(this.hits[a].all), diagnosand: `familywise_all_${a}` },
    ]);
  }
}
