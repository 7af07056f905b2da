/**
 * Matched follow-up (R4: young people on activity compensation, Försäkringskassan 2016; seed 004).
 * Participants are registered only with their consent (69 % in 2012), possibly depending on covariates
 * or on their outcome level (a selection). References come from a separate pool (4,871 people outside
 * any association) whose covariates may differ. Each registered participant, in random order, gets a
 * reference drawn at random among the unused references with exactly the same values of the
 * `match_on` variables (exact 1:1 matching without replacement); participants without one stay
 * unmatched and are reported. The panel holds the pairs: participants start in `start`, references never.
 *
 * Streams: participants then references from `population`; one consent uniform per participant from
 * `consent`; the participants' order and the reference picks from `assignment`.
 */
import type { Rng } from '../random/stream.js';
import { permutation } from '../random/discrete.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { concatPeople, drawPeople, selectPeople, type People } from '../world/covariates.js';
import { binaryShares, sampleByStart, type RecruitedSample } from './recruited-sample.js';
import { consentProbability } from './recruitment.js';

export type MatchedSpec = Extract<ResolvedScenario['design'], { type: 'matched' }>;

/** Exact-match cell of each person: the mixed-radix code of its match_on values. */
export function matchKeys(s: ResolvedScenario, people: People, matchOn: readonly string[]): Int32Array {
  const key = new Int32Array(people.n);
  let radix = 1;
  for (const name of matchOn) {
    const c = s.population.covariates[name];
    const levels = c.type === 'categorical' ? c.levels.length : 2;
    const x = people.covariates[name];
    for (let i = 0; i < people.n; i++) key[i] += radix * x[i];
    radix *= levels;
  }
  return key;
}

/**
 * Exact 1:1 matching without replacement: each participant in `order` takes a random unused reference
 * with the same key (one uniform per participant that has candidates).
 * @returns the matched reference of each participant (−1: unmatched)
 */
export function exactMatch(rng: Rng, participantKeys: Int32Array, order: ArrayLike<number>, referenceKeys: Int32Array): Int32Array {
  const buckets = new Map<number, number[]>();
  for (let r = 0; r < referenceKeys.length; r++) {
    const b = buckets.get(referenceKeys[r]);
    if (b) b.push(r);
    else buckets.set(referenceKeys[r], [r]);
  }
  const match = new Int32Array(participantKeys.length).fill(-1);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const b = buckets.get(participantKeys[i]);
    if (!b || b.length === 0) continue;
    const j = Math.floor(rng() * b.length);
    match[i] = b[j];
    b[j] = b[b.length - 1];
    b.pop();
  }
  return match;
}

export function matchedSample(
  s: ResolvedScenario,
  d: MatchedSpec,
  rng: { population: Rng; consent: Rng; assignment: Rng },
): RecruitedSample {
  const nP = s.population.size!;
  const participants = drawPeople(rng.population, s.population, nP);
  const references = drawPeople(rng.population, s.population, d.references.size, d.references.covariates);
  const registered = new Uint8Array(nP);
  let nReg = 0;
  for (let i = 0; i < nP; i++) {
    const pc = consentProbability(d.consent, d.consent_by, (name) =>
      name === 'level' ? participants.level[i] : participants.covariates[name][i],
    );
    if (rng.consent() < pc) {
      registered[i] = 1;
      nReg++;
    }
  }
  const order = Array.from(permutation(rng.assignment, nP)).filter((i) => registered[i]);
  const match = exactMatch(rng.assignment, matchKeys(s, participants, d.match_on), order, matchKeys(s, references, d.match_on));
  const pIdx: number[] = [];
  const rIdx: number[] = [];
  for (let i = 0; i < nP; i++)
    if (match[i] >= 0) {
      pIdx.push(i);
      rIdx.push(match[i]);
    }
  const pairs = pIdx.length;
  const people = concatPeople([selectPeople(participants, pIdx), selectPeople(references, rIdx)]);
  const start = new Float64Array(2 * pairs).fill(Infinity);
  start.fill(d.start, 0, pairs);
  // Participant p and its reference (unit pairs + p) share pair id p + 1.
  const pair = Float64Array.from({ length: 2 * pairs }, (_, u) => (u % pairs) + 1);
  const cohort = sampleByStart(people, start, {
    design: 'matched',
    byPeriod: [{ period: d.start, referred: nP, consented: nReg, excluded: nReg - pairs, enrolled: pairs }],
    totals: { participants: nP, registered: nReg, references: d.references.size, pairs, unmatched: nReg - pairs },
    notes: {
      ...(nP > 0 ? { registered_share: nReg / nP } : {}),
      ...binaryShares(
        s.population,
        people.covariates,
        start.map((x) => (Number.isFinite(x) ? x : 0)),
        ['participants', 'references'],
      ),
    },
  });
  return { ...cohort, pair };
}
