/**
 * Survey waves with attrition (R5: the R1 experiment measured by questionnaire; ISF 2023:2, ch. 4).
 * The outcome is observed only at waves, in periods since each person's enrolment (before, 6 and 12
 * months); people answer wave w with probability response[w], shifted on the log-odds scale by the
 * unit's outcome level (outcome-related attrition). One uniform per person against every wave's
 * probability makes attrition monotone (whoever answers a wave answered the earlier ones), so the
 * balanced panel the estimator needs is the people answering every wave (R5: 560 → 472 → 446).
 * Panel periods become the wave numbers 1..W; a person's start group is the first wave measured
 * after they started (treatment arm: wave 2; controls starting 6–11 months after enrolment: wave 3;
 * later: never within the waves, 0).
 *
 * An answer enters the analysis only when it came in time (`on_time[w]`, R5: only questionnaires
 * answered within 30 days are analysed; people took 28 days on average): independent of the response
 * itself, so a late answer at one wave does not stop a later one, but the person then lacks a wave of
 * the balanced panel (R5: 439 people answered in time at all, 247 at both waves 1 and 2).
 *
 * Stream: one uniform per person from `attrition`; with `on_time`, then one per person and wave.
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { selectPeople, type People } from '../world/covariates.js';
import { groupSizes, type RecruitedSample, type RecruitmentSummary } from './recruited-sample.js';

export type MeasurementSpec = NonNullable<ResolvedScenario['measurement']>;

export interface WavePanel {
  y0: Float64Array;
  y1: Float64Array;
  y: Float64Array;
  people: People;
  group: Float64Array;
  summary: RecruitmentSummary;
  periods: Float64Array;
  /** Each kept unit's index in the cohort. */
  index: Int32Array;
}

const logit = (p: number) => Math.log(p / (1 - p));

/** Probability of answering a wave with base response p, for a unit at the given latent level. */
export function responseProbability(p: number, shift: number, level: number): number {
  if (p <= 0 || p >= 1 || shift === 0) return p;
  return 1 / (1 + Math.exp(-(logit(p) + shift * level)));
}

export function surveyWaves(
  rng: Rng,
  m: MeasurementSpec,
  c: RecruitedSample,
  periods: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
): WavePanel {
  if (!c.enrol) throw new Error('measurement: survey waves need enrolment periods (design.type waitlist)');
  const n = c.people.n;
  const T = periods.length;
  const W = m.waves.length;
  const answered = new Array<number>(W).fill(0);
  const inTime = new Array<number>(W).fill(0);
  const onTime = m.on_time;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng();
    let last = -1;
    for (let w = 0; w < W; w++) {
      const t = c.enrol[i] + m.waves[w] - periods[0];
      if (t >= T || !(u < responseProbability(m.response[w], m.attrition_by_level, c.people.level[i]))) break;
      answered[w]++;
      last = w;
    }
    // Whether each answer came in time: W uniforms a person whatever they answered (common random numbers).
    let timely = true;
    if (onTime) {
      for (let w = 0; w < W; w++) {
        const ok = rng() < onTime[w];
        if (w <= last && ok) inTime[w]++;
        timely &&= ok;
      }
    }
    if (last === W - 1 && timely) keep.push(i);
  }
  const k = keep.length;
  const wy0 = new Float64Array(W * k);
  const wy1 = new Float64Array(W * k);
  const wy = new Float64Array(W * k);
  const group = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = keep[j];
    const treated = c.group[i] !== 0;
    for (let w = 0; w < W; w++) {
      const month = c.enrol[i] + m.waves[w];
      const cell = (month - periods[0]) * n + i;
      wy0[w * k + j] = y0[cell];
      wy1[w * k + j] = y1[cell];
      wy[w * k + j] = treated ? y1[cell] : y0[cell];
      if (group[j] === 0 && month > c.start[i]) group[j] = w + 1;
    }
  }
  const notes: Record<string, number | string> = { ...c.summary.notes };
  m.waves.forEach((wave, w) => {
    notes[`wave_${w + 1}_month_${wave}_answered`] = answered[w];
    notes[`wave_${w + 1}_response`] = n > 0 ? answered[w] / n : 0;
    if (onTime) notes[`wave_${w + 1}_month_${wave}_answered_in_time`] = inTime[w];
  });
  return {
    y0: wy0,
    y1: wy1,
    y: wy,
    people: selectPeople(c.people, keep),
    group,
    periods: Float64Array.from({ length: W }, (_, w) => w + 1),
    index: Int32Array.from(keep),
    summary: {
      ...c.summary,
      design: `${c.summary.design} + survey waves`,
      totals: { ...c.summary.totals, answered_every_wave: k },
      groups: groupSizes(group),
      notes,
    },
  };
}
