/**
 * Staggered adoption by aggregate units (R3: Sweden's 290 municipalities joining coordination
 * associations; seed 003). The schedule gives the cumulative number of adopters at some periods
 * (< 55 by 2005, ~190 by 2010, 221, 240, 260, 273 by 2022), linear in between and flat after the
 * last point; the rest never adopt. Who adopts first is random, tilted by covariates: each unit gets an
 * exponential waiting key with rate exp(Σ b·x) (a proportional-hazards order), and the units adopt in
 * key order, as many each period as the schedule adds.
 *
 * Streams: units from `population`; one uniform per unit from `assignment` (its waiting key).
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { drawPeople } from '../world/covariates.js';
import { sampleByStart, type RecruitedSample } from './recruited-sample.js';

export type AdoptionSpec = Extract<ResolvedScenario['design'], { type: 'adoption' }>;

/** Cumulative adopters at a period: linear between schedule points, 0 before the first, flat after the last. */
export function membersAt(schedule: AdoptionSpec['schedule'], period: number): number {
  if (period < schedule[0].period) return 0;
  for (let k = 1; k < schedule.length; k++) {
    const a = schedule[k - 1];
    const b = schedule[k];
    if (period < b.period) return Math.round(a.members + ((b.members - a.members) * (period - a.period)) / (b.period - a.period));
  }
  return schedule[schedule.length - 1].members;
}

export function adoptionSample(s: ResolvedScenario, d: AdoptionSpec, rng: { population: Rng; assignment: Rng }): RecruitedSample {
  const n = s.population.size!;
  const people = drawPeople(rng.population, s.population, n);
  const tilt = Object.entries(d.adopt_by).map(([k, b]) => ({ b, x: people.covariates[k] }));
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lin = 0;
    for (const t of tilt) lin += t.b * t.x[i];
    key[i] = -Math.log(1 - rng.assignment()) / Math.exp(lin);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a] - key[b]);
  const start = new Float64Array(n).fill(Infinity);
  const first = s.periods.first;
  const last = first + s.periods.count - 1;
  const byPeriod = [];
  let done = 0;
  for (let p = first; p <= last; p++) {
    const target = Math.min(n, membersAt(d.schedule, p));
    const before = done;
    while (done < target) start[order[done++]] = p;
    if (done > before)
      byPeriod.push({ period: p, referred: done - before, consented: done - before, excluded: 0, enrolled: done - before });
  }
  return sampleByStart(people, start, {
    design: 'adoption',
    byPeriod,
    totals: { units: n, adopters: done, never: n - done },
    notes: { adopters_by_last_period: done },
  });
}
