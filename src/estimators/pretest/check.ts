/**
 * Pre-tests as the engine applies them to every draw (Roth 2022): did this draw's pre-trend test pass?
 *   wald        the estimator's own Wald pre-test (`wald_pretest`): Callaway & Sant'Anna's over the
 *               pre-period ATT(g,t) of the last `periods` pre-periods (didWithPretest), TWFE's over its
 *               binned pre-period coefficients; passes when p > α.
 *   individual  the event-study pre-coefficients e = −periods … −1 (`aggregates.dynamic.detail`): passes
 *               when none is significant at α (the visual check of an event-study plot).
 * Null when the estimate has no such test (no Wald pre-test, or no pre-period rows with an SE).
 */
import { pnorm, qnorm } from '../../stats/normal.js';
import type { Estimate } from '../types.js';

export interface PretestConfig {
  test: 'wald' | 'individual';
  alpha: number;
  /** The last pre-periods tested (event times −periods … −1, before the anticipation window). */
  periods: number;
  /** The estimator's anticipation δ: the event times tested are −δ−periods … −δ−1 (did-wald.ts). */
  anticipation?: number;
}

export interface PretestOutcome {
  passed: boolean;
  /** Wald p-value, or the smallest individual p-value. */
  p: number;
}

export function pretestOutcome(est: Estimate, cfg: PretestConfig): PretestOutcome | null {
  if (cfg.test === 'wald') {
    const w = est.wald_pretest;
    if (!w || w.p === null) return null;
    return { passed: w.p > cfg.alpha, p: w.p };
  }
  const delta = cfg.anticipation ?? 0;
  const rows = (est.aggregates.dynamic?.detail ?? []).filter(
    (d) => d.key < -delta && d.key >= -delta - cfg.periods && d.att !== null && d.se !== null && d.se > 0,
  );
  if (rows.length === 0) return null;
  const zmax = Math.max(...rows.map((d) => Math.abs(d.att! / d.se!)));
  const p = 2 * (1 - pnorm(zmax));
  return { passed: zmax <= qnorm(1 - cfg.alpha / 2), p };
}
