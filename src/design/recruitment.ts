/**
 * Recruitment (R1): monthly referrals, Poisson around a planned rate, which falls by a share from each
 * shortfall month on (R1: referrals fell from autumn 2019 and again spring 2020), up to the shortfall's
 * end month if it has one (referrals recover; a partial recovery is a shorter shortfall on top of a
 * lasting one, since shares multiply); each referred person
 * is asked and consents with a probability (R1: 560 of 860, 65 %), possibly shifted by covariates, by
 * the unit's outcome level, or by a predictable arm; some consenting are excluded (R1: ~19 invalid ids);
 * recruitment stops when the target is reached (R1: 800, cut to 600 after a year) or the window closes.
 */
import type { Rng } from '../random/stream.js';
import { randomPoisson } from '../random/poisson.js';
import type { ResolvedScenario } from '../scenario/grid.js';

export type RecruitmentSpec = Extract<ResolvedScenario['design'], { type: 'waitlist' }>['recruitment'];

/** Planned referrals in a period after the shortfalls that apply then: from_month ≤ period ≤ to_month (inclusive). */
export function plannedReferrals(r: RecruitmentSpec, period: number): number {
  let rate = r.referrals;
  for (const s of r.shortfalls) if (period >= s.from_month && (s.to_month === undefined || period <= s.to_month)) rate *= 1 - s.share;
  return rate;
}

/** The target in force at a period (after a cut). */
export function targetAt(r: RecruitmentSpec, period: number): number {
  if (r.target_cut && period >= r.target_cut.at) return r.target_cut.to;
  return r.target ?? Infinity;
}

/** Referral counts per period of the window, from the recruitment stream (one Poisson per period). */
export function drawReferrals(rng: Rng, r: RecruitmentSpec): Int32Array {
  const out = new Int32Array(r.to - r.from + 1);
  for (let p = r.from; p <= r.to; p++) out[p - r.from] = randomPoisson(rng, plannedReferrals(r, p))();
  return out;
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

/** Consent probability for one person: base (maybe arm-dependent), shifted on the log-odds scale. */
export function consentProbability(base: number, shifts: Record<string, number>, x: (name: string) => number): number {
  if (base <= 0 || base >= 1) return base;
  let l = logit(base);
  for (const [k, b] of Object.entries(shifts)) l += b * x(k);
  return expit(l);
}
