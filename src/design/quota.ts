/**
 * Quota-constrained list sampling (R2, Malmökraften; ISF 2023:2, appendix 2, seed 001).
 *
 * A fixed pool of people passes through the programme (JOB) in spells: entry uniform over a window,
 * duration geometric. For each intake, a list is drawn: a random sample, in random order, of those in
 * the programme at the list date (`list_lag` periods before the start) and not offered before; every
 * k-th person on it is a candidate. The caseworker fills deficient quota cells first (for each `min`
 * quota in turn, the candidates with the trait, in list order, until the cell is met), then the other
 * places in list order, never letting a `max` cell (60/40 men/women) overflow while candidates last.
 * The list is only so long (`candidates_per_place`), so quotas on rare traits are met only as far as
 * the list allows,
 * and because the traits are correlated (Gaussian copula), the treated over-represent correlated traits
 * (seed: 26–32 % vs 13–17 % with ≥ 450 days in JOB; 33 % vs 17 % on social assistance).
 * Offered people consent with a probability and start in the intake's period (treatment coded at
 * consent); those refusing stay possible controls. Start groups are calendar windows (G1 Mar–May
 * 2018 …); never-treated controls must be in the programme at some time within one of the control
 * windows (the seed's group-specific windows that open two weeks before each group's first start).
 *
 * Streams: people from `population`; spells from `spells` (two uniforms a person); list draws from
 * `assignment`; one consent uniform per offered person from `consent`.
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { drawPeople, selectPeople } from '../world/covariates.js';
import { binaryShares, groupSizes, rankGroups, type RecruitedSample, type RecruitmentSummary } from './recruited-sample.js';
import { binWindows } from './start-groups.js';

export type QuotaSpec = Extract<ResolvedScenario['design'], { type: 'quota_lists' }>;

export interface QuotaStreams {
  population: Rng;
  spells: Rng;
  assignment: Rng;
  consent: Rng;
}

/** A quota cell over the pool: who has the trait, and its min/max share of an intake. */
export interface QuotaCell {
  has: Uint8Array;
  min?: number;
  max?: number;
  /** Min cell with places of its own, not counting the trait among people offered for earlier cells. */
  separate?: boolean;
}

/**
 * Programme spells: entry period uniform over from..to, duration geometric on {1, 2, …} with the given
 * mean (two uniforms a person, in person order). Exit is the last period in the programme.
 */
export function drawSpells(rng: Rng, spec: QuotaSpec['spells'], n: number): { entry: Int32Array; exit: Int32Array } {
  const entry = new Int32Array(n);
  const exit = new Int32Array(n);
  const span = spec.to - spec.from + 1;
  const logq = spec.mean_duration > 1 ? Math.log(1 - 1 / spec.mean_duration) : -Infinity;
  for (let i = 0; i < n; i++) {
    const e = spec.from + Math.floor(rng() * span);
    const u = rng();
    entry[i] = e;
    exit[i] = e + Math.floor(Math.log(1 - u) / logq);
  }
  return { entry, exit };
}

/**
 * The caseworker's intake (pure, no randomness): first the deficient cells, each `min` quota in the
 * order the scenario lists them: walk the candidates in list order and offer those with the trait
 * until the cell is met; then the remaining places in list order. Nobody is offered who would push a
 * `max` cell over its cap, unless the candidates run out, when the places left are filled regardless.
 * @returns the offered candidates in order, and how many quota cells ended unmet
 */
export function fillIntake(candidates: ArrayLike<number>, size: number, cells: readonly QuotaCell[]): { offered: number[]; unmet: number } {
  const k = cells.length;
  const n = candidates.length;
  const minC = cells.map((c) => (c.min === undefined ? 0 : Math.ceil(c.min * size - 1e-9)));
  const maxC = cells.map((c) => (c.max === undefined ? size : Math.floor(c.max * size + 1e-9)));
  const count = new Int32Array(k);
  const taken = new Uint8Array(n);
  const offered: number[] = [];
  const take = (c: number) => {
    const i = candidates[c];
    taken[c] = 1;
    offered.push(i);
    for (let j = 0; j < k; j++) count[j] += cells[j].has[i];
  };
  const capsOk = (i: number) => {
    for (let j = 0; j < k; j++) if (cells[j].has[i] && count[j] + 1 > maxC[j]) return false;
    return true;
  };
  for (let j = 0; j < k; j++) {
    const has = cells[j].has;
    let filled = cells[j].separate ? 0 : count[j];
    for (let c = 0; c < n && filled < minC[j] && offered.length < size; c++)
      if (!taken[c] && has[candidates[c]] && capsOk(candidates[c])) {
        take(c);
        filled++;
      }
  }
  for (let c = 0; c < n && offered.length < size; c++) if (!taken[c] && capsOk(candidates[c])) take(c);
  for (let c = 0; c < n && offered.length < size; c++) if (!taken[c]) take(c);
  let unmet = 0;
  for (let j = 0; j < k; j++) if (count[j] < minC[j] || count[j] > maxC[j]) unmet++;
  return { offered, unmet };
}

/** 0/1 per person: covariate == value (a level name for categorical covariates). */
function traitMask(s: ResolvedScenario, x: Float64Array, covariate: string, value: number | string): Uint8Array {
  const spec = s.population.covariates[covariate];
  const v = spec.type === 'categorical' && typeof value === 'string' ? spec.levels.indexOf(value) : Number(value);
  const m = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) m[i] = x[i] === v ? 1 : 0;
  return m;
}

export function quotaSample(s: ResolvedScenario, d: QuotaSpec, rng: QuotaStreams): RecruitedSample {
  const N = s.population.size!;
  const pool = drawPeople(rng.population, s.population, N);
  const { entry, exit } = drawSpells(rng.spells, d.spells, N);
  const cells: QuotaCell[] = d.quotas.map((q) => ({
    has: traitMask(s, pool.covariates[q.covariate], q.covariate, q.value),
    min: q.min,
    max: q.max,
    separate: q.counting === 'separate',
  }));
  const offeredFlag = new Uint8Array(N);
  const start = new Float64Array(N).fill(Infinity);
  const byPeriod: RecruitmentSummary['byPeriod'] = [];
  const stock = new Int32Array(N);
  let listed = 0;
  let candidatesTotal = 0;
  let offeredTotal = 0;
  let unmetIntakes = 0;
  let short = 0;
  for (const it of d.intakes) {
    const listAt = it.period - d.list_lag;
    let m = 0;
    for (let i = 0; i < N; i++) if (!offeredFlag[i] && entry[i] <= listAt && exit[i] >= listAt) stock[m++] = i;
    const k = it.every_kth ?? d.every_kth;
    const L = Math.min(m, Math.ceil(it.size * d.candidates_per_place * k));
    // The list: a random sample of L from the stock, in random order (partial Fisher–Yates).
    for (let j = 0; j < L; j++) {
      const r = j + Math.floor(rng.assignment() * (m - j));
      const t = stock[j];
      stock[j] = stock[r];
      stock[r] = t;
    }
    const candidates: number[] = [];
    for (let j = k - 1; j < L; j += k) candidates.push(stock[j]);
    const { offered, unmet } = fillIntake(candidates, it.size, cells);
    if (unmet > 0) unmetIntakes++;
    if (offered.length < it.size) short += it.size - offered.length;
    let consented = 0;
    for (const i of offered) {
      offeredFlag[i] = 1;
      if (rng.consent() < d.consent) {
        start[i] = it.period;
        consented++;
      }
    }
    listed += L;
    candidatesTotal += candidates.length;
    offeredTotal += offered.length;
    byPeriod.push({ period: it.period, referred: offered.length, consented, excluded: 0, enrolled: consented });
  }

  // Analysed: the treated, and never-treated people in the programme during some control window.
  const keep: number[] = [];
  for (let i = 0; i < N; i++) {
    let ok = Number.isFinite(start[i]);
    if (!ok)
      for (const w of d.controls.windows)
        if (entry[i] <= w.to && exit[i] >= w.from) {
          ok = true;
          break;
        }
    if (ok) keep.push(i);
  }
  const people = selectPeople(pool, keep);
  const n = keep.length;
  const unitStart = new Float64Array(n);
  const unitEntry = new Int32Array(n);
  const unitExit = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    const i = keep[u];
    unitStart[u] = start[i];
    unitEntry[u] = entry[i];
    unitExit[u] = exit[i];
  }
  const group = binWindows(unitStart, d.start_groups.windows);
  let treated = 0;
  for (let u = 0; u < n; u++) if (group[u] !== 0) treated++;

  // Over-representation: share of each binary covariate among treated and controls.
  const notes: Record<string, number | string> = binaryShares(s.population, people.covariates, group);
  notes.intakes_with_unmet_quotas = unmetIntakes;
  if (short > 0) notes.places_left_empty = short;
  return {
    people,
    start: unitStart,
    group,
    rank: rankGroups(group),
    pool: { index: Int32Array.from(keep), entry: unitEntry, exit: unitExit },
    summary: {
      design: 'quota_lists',
      byPeriod,
      totals: { pool: N, listed, candidates: candidatesTotal, offered: offeredTotal, treated, controls: n - treated, analysed: n },
      groups: groupSizes(group),
      notes,
    },
  };
}
