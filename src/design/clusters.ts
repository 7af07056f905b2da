/**
 * The data strategy of a cluster rollout (design.type: clusters; stepped-wedge trials, issue 15):
 * which clusters there are (their covariates and how many people each measures per period), which
 * planned wave slot each is randomised to (within strata of a cluster covariate when asked), and which
 * drop out. What it hands the world is the ClusterFrame of world/cluster-outcomes.ts; what it hands the
 * rest of the generator is a RecruitedSample whose units are the clusters of the balanced panel.
 *
 * Streams (common random numbers): `population` seeds one sub-stream per cluster in cluster order
 * (its covariates, then its size), so a design point with more clusters appends clusters and leaves the
 * first ones as they were; `assignment` draws one permutation of the clusters; `dropout` who leaves.
 */
import type { Rng } from '../random/stream.js';
import { unitStreams } from '../random/stream.js';
import { permutation } from '../random/discrete.js';
import { randomGamma } from '../random/lognormal.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { ClusterFrame } from '../world/cluster-outcomes.js';
import { concatPeople, drawPeople, selectPeople, type People, type PopulationSpec } from '../world/covariates.js';
import { plannedStarts, type SchedulePoint, type WaveRollout } from './cluster-waves.js';
import { groupSizes, rankGroups, type RecruitedSample } from './recruited-sample.js';

export type ClustersSpec = Extract<ResolvedScenario['design'], { type: 'clusters' }>;

/** A clusters draw: the sample of the panel's clusters (kept after dropout) and the frame the world reads. */
export interface ClusterSample extends RecruitedSample {
  frame: ClusterFrame;
  /** Each panel cluster's number among all G planned clusters (1..G): its id and cluster code. */
  number: Int32Array;
}

/** The rollout as design/cluster-waves.ts reads it: a bare `waves: K` is {count: K}. */
export function clusterRollout(d: Pick<ClustersSpec, 'waves' | 'schedule'>): { waves: WaveRollout } | { schedule: SchedulePoint[] } {
  if (d.schedule) return { schedule: d.schedule };
  if (d.waves === undefined) throw new Error('clusterRollout: a clusters design needs waves or schedule (checked when the scenario loads)');
  return { waves: typeof d.waves === 'number' ? { count: d.waves } : d.waves };
}

/**
 * G clusters: covariates by the population's copula (world/covariates.ts) and people per period
 * max(1, round(Gamma)) with the given mean and coefficient of variation (shape 1/cv², scale mean·cv²;
 * cv 0: every cluster round(mean)). Cluster j draws from its own sub-stream, covariates first.
 */
export function drawClusters(
  rng: Rng,
  pop: PopulationSpec,
  G: number,
  size: { mean: number; cv: number },
): { clusters: People; size: Int32Array } {
  const subs = unitStreams(rng, G);
  const parts: People[] = [];
  const sizes = new Int32Array(G);
  for (let j = 0; j < G; j++) {
    parts.push(drawPeople(subs[j], pop, 1));
    const m = size.cv > 0 ? randomGamma(subs[j], 1 / (size.cv * size.cv), size.mean * size.cv * size.cv)() : size.mean;
    sizes[j] = Math.max(1, Math.round(m));
  }
  const clusters = concatPeople(parts);
  if (G === 0) clusters.covariates = Object.fromEntries(Object.keys(pop.covariates).map((k) => [k, new Float64Array(0)]));
  return { clusters, size: sizes };
}

/**
 * Deal the planned slots (sorted start periods, Infinity last) to clusters at random. One permutation
 * of the clusters from `rng` orders them; without strata cluster perm[m] takes slot m. With strata the
 * slots are dealt in time order, each to the stratum furthest behind its proportional share
 * (largest (m + 1)·n_h/G − dealt_h, sequential apportionment; ties to the stratum met first in the
 * permutation), and within a stratum to its clusters in permutation order: so every stratum's count of
 * clusters started by any period stays within one of its proportional share n_h/G of the slots dealt
 * by then (worst 0.93 over 20,000 random designs of up to 60 clusters, 5 strata, 12 waves; equal
 * strata over equal waves get exactly equal numbers), and its count in any one wave within two.
 * @returns each cluster's start period
 */
export function allocateSlots(rng: Rng, slots: Float64Array, strata?: Float64Array): Float64Array {
  const G = slots.length;
  const perm = permutation(rng, G);
  const start = new Float64Array(G);
  if (!strata) {
    for (let m = 0; m < G; m++) start[perm[m]] = slots[m];
    return start;
  }
  // Strata in order of their first cluster in the permutation; members in permutation order.
  const index = new Map<number, number>();
  const members: number[][] = [];
  for (let m = 0; m < G; m++) {
    const c = perm[m];
    let h = index.get(strata[c]);
    if (h === undefined) {
      h = members.length;
      index.set(strata[c], h);
      members.push([]);
    }
    members[h].push(c);
  }
  const dealt = new Int32Array(members.length);
  for (let m = 0; m < G; m++) {
    let best = -1;
    let bestDeficit = -Infinity;
    for (let h = 0; h < members.length; h++) {
      if (dealt[h] >= members[h].length) continue;
      const deficit = ((m + 1) * members[h].length) / G - dealt[h];
      if (deficit > bestDeficit + 1e-12) {
        best = h;
        bestDeficit = deficit;
      }
    }
    start[members[best][dealt[best]++]] = slots[m];
  }
  return start;
}

/**
 * Which clusters drop out: round(share·G) of them chosen at random, each leaving at a uniformly random
 * period (for the summary: a dropped cluster leaves the balanced panel whenever it leaves).
 */
export function dropouts(
  rng: Rng,
  G: number,
  share: number,
  periods: { first: number; count: number },
): { cluster: Int32Array; period: Int32Array } {
  const n = Math.round(share * G);
  const order = permutation(rng, G);
  const cluster = order.slice(0, n).sort();
  const period = Int32Array.from(cluster, () => periods.first + Math.floor(rng() * periods.count));
  return { cluster, period };
}

/** One draw of a clusters design: the clusters of the panel and the world's frame. */
export function clusterSample(
  s: ResolvedScenario,
  d: ClustersSpec,
  rng: { population: Rng; assignment: Rng; dropout: Rng },
): ClusterSample {
  const G = d.clusters;
  const T = s.periods.count;
  const { clusters, size } = drawClusters(rng.population, s.population, G, d.cluster_size);
  const slots = plannedStarts(G, clusterRollout(d), s.periods, d.never);
  const allStart = allocateSlots(rng.assignment, slots, d.stratify_by ? clusters.covariates[d.stratify_by] : undefined);
  const drop = dropouts(rng.dropout, G, d.dropout, s.periods);
  const gone = new Set(drop.cluster);
  const keep = Int32Array.from({ length: G }, (_, j) => j).filter((j) => !gone.has(j));
  const people = selectPeople(clusters, keep);
  const start = Float64Array.from(keep, (j) => allStart[j]);
  const group = Float64Array.from(start, (x) => (Number.isFinite(x) ? x : 0));
  const rank = rankGroups(group);
  const keptSize = Int32Array.from(keep, (j) => size[j]);
  const frame: ClusterFrame = {
    G: keep.length,
    start,
    rank,
    size: keptSize,
    covariates: people.covariates,
    sampling: d.sampling,
    churn: d.churn,
  };
  const starting = new Map<number, number>();
  for (const x of start) if (Number.isFinite(x)) starting.set(x, (starting.get(x) ?? 0) + 1);
  const byPeriod = [...starting.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([period, n]) => ({ period, referred: n, consented: n, excluded: 0, enrolled: n }));
  const perPeriod = keptSize.reduce((a, b) => a + b, 0);
  const rollout = clusterRollout(d);
  const planned = 'waves' in rollout ? rollout.waves.count : rollout.schedule.length;
  const notes: Record<string, number | string> = { planned_waves: planned, started_waves: starting.size };
  if (d.stratify_by) notes.stratified_by = d.stratify_by;
  if (drop.cluster.length > 0) notes.dropouts = [...drop.cluster].map((j, i) => `cluster ${j + 1} in period ${drop.period[i]}`).join('; ');
  return {
    people,
    start,
    group,
    rank,
    frame,
    number: Int32Array.from(keep, (j) => j + 1),
    summary: {
      design: 'clusters',
      byPeriod,
      totals: {
        clusters: G,
        never: group.filter((g) => g === 0).length,
        dropped: drop.cluster.length,
        people_per_period: perPeriod,
        person_periods: perPeriod * T,
      },
      groups: groupSizes(group),
      notes,
    },
  };
}
