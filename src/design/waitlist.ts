/**
 * Wait-list randomisation (R1, R5): each consenting person is randomised to treatment (meets the team
 * at once, start = enrolment) with the treatment share (R1: 60 %), else to control, which starts after
 * at least `min_wait` periods (R1: 6 months) plus a geometric extra wait (queues); everyone is
 * eventually treated. Start periods are then binned into start groups.
 *
 * Streams (common random numbers): referral counts from `recruitment`; people from `population`; per
 * referred person, in order, consent and exclusion uniforms from `consent` and arm and extra-wait
 * uniforms from `assignment`, drawn whether or not the person is enrolled, so person k is the same
 * person with the same coin flips at every design point.
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { drawPeople, selectPeople } from '../world/covariates.js';
import { groupSizes, rankGroups, type RecruitedSample, type RecruitmentSummary } from './recruited-sample.js';
import { consentProbability, drawReferrals, targetAt } from './recruitment.js';
import { binEqualGroups, binWindows } from './start-groups.js';

export type WaitlistSpec = Extract<ResolvedScenario['design'], { type: 'waitlist' }>;

export interface WaitlistStreams {
  recruitment: Rng;
  population: Rng;
  consent: Rng;
  assignment: Rng;
}

/** Geometric number of extra periods on {0, 1, …} with the given mean, from one uniform. */
export function geometricWait(u: number, mean: number): number {
  if (mean <= 0) return 0;
  const q = mean / (1 + mean);
  return Math.floor(Math.log(1 - u) / Math.log(q));
}

export function waitlistSample(s: ResolvedScenario, d: WaitlistSpec, rng: WaitlistStreams): RecruitedSample {
  const r = d.recruitment;
  const referrals = drawReferrals(rng.recruitment, r);
  const total = referrals.reduce((a, b) => a + b, 0);
  const people = drawPeople(rng.population, s.population, total);
  const chosen: number[] = [];
  const enrolP: number[] = [];
  const startP: number[] = [];
  const arms: number[] = [];
  const byPeriod: RecruitmentSummary['byPeriod'] = [];
  let k = 0;
  let asked = 0;
  let consented = 0;
  let excluded = 0;
  let stopReason = 'window closed';
  let stoppedAt = r.to;
  const lastPeriod = s.periods.first + s.periods.count - 1;
  outer: for (let p = r.from; p <= r.to; p++) {
    const row = { period: p, referred: referrals[p - r.from], consented: 0, excluded: 0, enrolled: 0 };
    byPeriod.push(row);
    for (let j = 0; j < row.referred; j++, k++) {
      const uConsent = rng.consent();
      const uExclude = rng.consent();
      const uArm = rng.assignment();
      const uWait = rng.assignment();
      if (chosen.length >= targetAt(r, p)) {
        stopReason = 'target reached';
        stoppedAt = p;
        row.referred = j;
        break outer;
      }
      asked++;
      const treated = uArm < d.treatment_share;
      const pa = d.predictable_allocation;
      const base = pa && p <= pa.until ? (treated ? pa.consent_treatment : pa.consent_control) : r.consent;
      const i = k;
      const pc = consentProbability(base, r.consent_by, (name) => (name === 'level' ? people.level[i] : people.covariates[name][i]));
      if (!(uConsent < pc)) continue;
      consented++;
      row.consented++;
      if (uExclude < r.exclusion) {
        excluded++;
        row.excluded++;
        continue;
      }
      row.enrolled++;
      chosen.push(k);
      enrolP.push(p);
      arms.push(treated ? 1 : 0);
      startP.push(treated ? p : p + d.min_wait + geometricWait(uWait, d.extra_wait));
    }
  }
  const cohortPeople = selectPeople(people, chosen);
  const start = Float64Array.from(startP, (x) => (x <= lastPeriod ? x : Infinity));
  let group: Float64Array;
  let outside = 0;
  if ('count' in d.start_groups) group = binEqualGroups(start, d.start_groups.count);
  else {
    group = binWindows(start, d.start_groups.windows);
    // Starts outside every window: treated but in no analysable group; count them, keep as never.
    group = group.map((g, i) => {
      if (!Number.isNaN(g)) return g;
      outside++;
      start[i] = Infinity;
      return 0;
    });
  }
  const nTreated = arms.reduce((a, b) => a + b, 0);
  return {
    people: cohortPeople,
    start,
    group,
    rank: rankGroups(group),
    enrol: Float64Array.from(enrolP),
    summary: {
      design: 'waitlist',
      byPeriod,
      totals: {
        referred: asked,
        consented,
        excluded,
        analysed: chosen.length,
        treatment_arm: nTreated,
        control_arm: chosen.length - nTreated,
      },
      groups: groupSizes(group),
      notes: { stop: stopReason, stopped_at: stoppedAt, ...(outside > 0 ? { starts_outside_windows: outside } : {}) },
    },
  };
}
