import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { allocateSlots, clusterSample, drawClusters, type ClustersSpec } from '../../src/design/clusters.js';
import { plannedStarts, splitEqually } from '../../src/design/cluster-waves.js';
import { clusterDraw, type ClusterWorld } from '../../src/generate-clusters.js';
import { drawDesign, truthOptionsFor } from '../../src/generate.js';
import { seeded, streamFor } from '../../src/random/stream.js';
import { expandGrid, parseScenario } from '../../src/scenario/index.js';
import type { ResolvedScenario } from '../../src/scenario/grid.js';
import { outcomeViews } from '../../src/world/outcome-views.js';

/** A small clusters scenario (continuous outcome), with design keys overridden. */
function scenario(design: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ResolvedScenario {
  const raw = {
    name: 'cl',
    periods: { count: 12 },
    population: { unit: { one: 'clinic', many: 'clinics' }, covariates: { urban: { type: 'binary', p: 0.5 } } },
    outcome: { type: 'continuous', mean: 10, sd: 2, icc: 0.05 },
    effect: { size: 1 },
    design: { type: 'clusters', clusters: 12, cluster_size: { mean: 50 }, waves: 4, ...design },
    analysis: { estimators: [{ name: 'cs', type: 'did', control: 'notyet', method: 'reg' }] },
    ...extra,
  };
  return expandGrid(parseScenario(stringify(raw), 'cl.yaml'))[0].scenario;
}
const streams = (seed: number, draw = 0) => ({
  population: streamFor(seed, 0, draw, 'population'),
  assignment: streamFor(seed, 0, draw, 'assignment'),
  dropout: streamFor(seed, 0, draw, 'dropout'),
});
const sample = (s: ResolvedScenario, seed = 1, draw = 0) => clusterSample(s, s.design as ClustersSpec, streams(seed, draw));
/** Clusters per start period, in period order (never last, as 0). */
function perWave(start: Float64Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of [...start].sort((a, b) => a - b)) m.set(Number.isFinite(x) ? x : 0, (m.get(Number.isFinite(x) ? x : 0) ?? 0) + 1);
  return m;
}

test('clusters split over the waves as equally as possible, earliest waves taking the remainder (several G and K)', () => {
  for (const [G, K] of [
    [12, 4],
    [16, 6],
    [24, 6],
    [7, 3],
    [30, 12],
  ]) {
    const s = scenario({ clusters: G, waves: K }, { periods: { count: 26 } });
    const got = [...perWave(sample(s, G * 100 + K).start).values()];
    // splitEqually (design/cluster-waves.ts): 16 over 6 = 3, 3, 3, 3, 2, 2.
    assert.deepEqual(got, splitEqually(G, K), `G=${G}, K=${K}`);
  }
  // 24 months, 6 waves: starts 4, 7, …, 19 (every ⌊24/7⌋ = 3, one block of baseline).
  const s = scenario({ clusters: 24, waves: 6 }, { periods: { count: 24 } });
  assert.deepEqual([...perWave(sample(s).start).keys()], [4, 7, 10, 13, 16, 19]);
});

test('the allocation is random: each cluster is equally likely to take each wave (400 draws, within 4 binomial SEs)', () => {
  const s = scenario({ clusters: 8, waves: 4 });
  const first = 3; // waves 3, 5, 7, 9 of 12 periods (every ⌊12/5⌋ = 2, one block of baseline)
  let hits = 0;
  const S = 400;
  for (let d = 0; d < S; d++) if (sample(s, 3, d).start[0] === first) hits++;
  // P(cluster 1 in wave 1) = 2/8; SE √(0.25·0.75/400) = 0.0217.
  assert.ok(Math.abs(hits / S - 0.25) < 4 * Math.sqrt((0.25 * 0.75) / S), `share ${hits / S}`);
});

test('stratified: each stratum is dealt over the waves in proportion (equal strata exactly, unequal within one cluster cumulatively)', () => {
  // 24 clusters, 12 urban, 6 waves of 4: every wave takes 2 urban and 2 rural, whatever the seed.
  const slots = plannedStarts(24, { waves: { count: 6 } }, { first: 1, count: 24 });
  const strata = Float64Array.from({ length: 24 }, (_, j) => (j % 2 === 0 ? 1 : 0));
  for (let seed = 0; seed < 20; seed++) {
    const start = allocateSlots(seeded(seed), slots, strata);
    for (const w of [4, 7, 10, 13, 16, 19]) {
      const inWave = [...start.keys()].filter((j) => start[j] === w);
      assert.equal(inWave.length, 4);
      assert.equal(inWave.filter((j) => strata[j] === 1).length, 2, `seed ${seed}, wave ${w}`);
    }
  }
  // Three strata of 5, 7 and 12 over 5 waves (5, 5, 5, 5, 4): after every wave each stratum's count of
  // started clusters is within one of its share n_h/G of the slots dealt so far.
  const sizes = [5, 7, 12];
  const st = Float64Array.from(sizes.flatMap((n, h) => Array(n).fill(h)));
  const sl = plannedStarts(24, { waves: { count: 5, first: 2, every: 2 } }, { first: 1, count: 12 });
  for (let seed = 0; seed < 50; seed++) {
    const start = allocateSlots(seeded(`u${seed}`), sl, st);
    for (const w of [2, 4, 6, 8, 10]) {
      const upto = [...start].filter((x) => x <= w).length;
      sizes.forEach((n, h) => {
        const got = [...start.keys()].filter((j) => st[j] === h && start[j] <= w).length;
        assert.ok(Math.abs(got - (upto * n) / 24) < 1 + 1e-9, `seed ${seed}, stratum ${h}, by ${w}: ${got} vs ${(upto * n) / 24}`);
      });
    }
  }
});

test('stratify_by reads the cluster covariate: with a binary covariate each wave holds its urban share', () => {
  const s = scenario({ clusters: 24, waves: 4, stratify_by: 'urban' }, { periods: { count: 12 } });
  for (let d = 0; d < 10; d++) {
    const c = sample(s, 5, d);
    const urban = c.people.covariates.urban;
    const nu = urban.reduce((a, b) => a + b, 0);
    for (const w of [3, 5, 7, 9]) {
      const got = [...c.start.keys()].filter((j) => c.start[j] === w && urban[j] === 1).length;
      // 6 slots a wave: the urban count is ⌊6·nu/24⌋ or ⌈…⌉ give or take the rounding of the running share.
      assert.ok(Math.abs(got - (6 * nu) / 24) < 2, `draw ${d}, wave ${w}: ${got} urban of ${nu}`);
    }
  }
});

test('never share: round(never·G) clusters never start, the rest split over the waves', () => {
  const c = sample(scenario({ clusters: 20, waves: 4, never: 0.25 }));
  assert.equal(c.summary.totals.never, 5);
  assert.deepEqual(
    [...perWave(c.start).entries()],
    [
      [3, 4],
      [5, 4],
      [7, 4],
      [9, 3],
      [0, 5],
    ],
  );
  assert.deepEqual(c.summary.groups.at(-1), { group: 0, size: 5 });
});

test('dropout: round(dropout·G) clusters leave the panel; the summary says how many and when', () => {
  const c = sample(scenario({ clusters: 20, waves: 4, dropout: 0.15 }));
  assert.equal(c.summary.totals.dropped, 3);
  assert.equal(c.summary.totals.clusters, 20);
  assert.equal(c.frame.G, 17);
  assert.equal(c.people.n, 17);
  assert.equal(c.number.length, 17);
  assert.match(String(c.summary.notes.dropouts), /^cluster \d+ in period \d+; cluster \d+ in period \d+; cluster \d+ in period \d+$/);
  // The kept clusters' numbers are 1..20 without the dropped ones.
  const dropped = [...String(c.summary.notes.dropouts).matchAll(/cluster (\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(
    [...c.number],
    Array.from({ length: 20 }, (_, j) => j + 1).filter((j) => !dropped.includes(j)),
  );
  assert.equal(c.summary.totals.people_per_period, 17 * 50);
  assert.equal(c.summary.totals.person_periods, 17 * 50 * 12);
});

test('common random numbers: 16 clusters keep the first 12 clusters of 12 (covariates and sizes)', () => {
  const pop = scenario().population;
  const a = drawClusters(seeded('crn'), pop, 12, { mean: 100, cv: 0.6 });
  const b = drawClusters(seeded('crn'), pop, 16, { mean: 100, cv: 0.6 });
  assert.deepEqual([...b.size.subarray(0, 12)], [...a.size]);
  assert.deepEqual([...b.clusters.covariates.urban.subarray(0, 12)], [...a.clusters.covariates.urban]);
  // Through the design: the frames' sizes and covariates agree on the first 12.
  const s12 = sample(scenario({ clusters: 12, cluster_size: { mean: 80, cv: 0.5 } }), 9);
  const s16 = sample(scenario({ clusters: 16, cluster_size: { mean: 80, cv: 0.5 } }), 9);
  assert.deepEqual([...s16.frame.size.subarray(0, 12)], [...s12.frame.size]);
  assert.deepEqual([...s16.frame.covariates.urban.subarray(0, 12)], [...s12.frame.covariates.urban]);
  assert.notDeepEqual([...a.size.subarray(0, 4)], [...drawClusters(seeded('other'), pop, 4, { mean: 100, cv: 0.6 }).size]);
});

test('cluster sizes: Gamma with the stated mean and cv (4,000 clusters, within 4 MC SEs); cv 0 gives round(mean) each', () => {
  const pop = scenario().population;
  const { size } = drawClusters(seeded('sizes'), pop, 4000, { mean: 200, cv: 0.5 });
  const n = size.length;
  const mean = size.reduce((a, b) => a + b, 0) / n;
  const v = size.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  // Gamma(k = 1/cv² = 4, θ = 50): mean 200, variance 10,000 (+1/12 from rounding); SE of the mean
  // 100/√4000 = 1.58; SE of the variance σ²√((2 + 6/k)/n) = 10,000·√(3.5/4000) = 296 (excess kurtosis 6/k).
  assert.ok(Math.abs(mean - 200) < 4 * 1.58, `mean ${mean}`);
  assert.ok(Math.abs(v - 10000) < 4 * 296, `variance ${v}`);
  assert.ok(size.every((x) => x >= 1));
  assert.deepEqual([...new Set(drawClusters(seeded('eq'), pop, 30, { mean: 40.4, cv: 0 }).size)], [40]);
  assert.deepEqual([...new Set(drawClusters(seeded('eq'), pop, 5, { mean: 0.2, cv: 0 }).size)], [1]); // at least 1
});

test('reproducible: same seed and draw, the same clusters and starts; another draw, others', () => {
  const s = scenario({ clusters: 18, waves: 3, cluster_size: { mean: 30, cv: 0.4 }, stratify_by: 'urban', dropout: 0.1 });
  const a = sample(s, 11, 4);
  const b = sample(s, 11, 4);
  assert.deepEqual([...a.start], [...b.start]);
  assert.deepEqual([...a.frame.size], [...b.frame.size]);
  assert.deepEqual(a.summary, b.summary);
  assert.notDeepEqual([...sample(s, 11, 5).start], [...a.start]);
});

/** A stand-in world (the real one is world/cluster-outcomes.ts): cell c = 100·(cluster+1) + t, effect 2 after the start. */
const fakeWorld: ClusterWorld = (_rngs, v, frame, periods) => {
  const T = periods.length;
  const G = frame.G;
  const y0 = new Float64Array(T * G);
  const y1 = new Float64Array(T * G);
  const y = new Float64Array(T * G);
  const cellSize = new Float64Array(T * G);
  const cellSS = new Float64Array(T * G);
  const shift = v.outcome.name === 'y' ? 0 : 1000;
  for (let t = 0; t < T; t++)
    for (let j = 0; j < G; j++) {
      const c = t * G + j;
      y0[c] = shift + 100 * (j + 1) + t;
      y1[c] = y0[c] + 2;
      y[c] = periods[t] >= frame.start[j] ? y1[c] : y0[c];
      cellSize[c] = frame.size[j];
      cellSS[c] = frame.size[j] - 1;
    }
  return { y0, y1, y, cellSize, cellSS };
};

test('generate wiring (a stand-in world): units = clusters, cluster codes, cell sizes, covariates, groups, truths', () => {
  const s = scenario({ clusters: 10, waves: 3, cluster_size: { mean: 25, cv: 0.3 }, never: 0.2, dropout: 0.1 });
  const stream = (step: string) => streamFor(4, 0, 0, step);
  const d = clusterDraw(outcomeViews(s), stream, truthOptionsFor(s), fakeWorld);
  const c = sample(s, 4, 0);
  const p = d.panel;
  assert.equal(p.nUnits, 9); // one of 10 dropped
  assert.equal(p.nPeriods, 12);
  assert.deepEqual([...p.cluster!], [...c.number]);
  assert.deepEqual(p.ids, [...c.number].map(String));
  assert.deepEqual([...p.group], [...c.group]);
  assert.deepEqual([...p.covariates.urban], [...c.people.covariates.urban]);
  assert.deepEqual([...p.cellSize!.subarray(0, 9)], [...c.frame.size]);
  assert.equal(p.cellSS![9], c.frame.size[0] - 1);
  assert.equal(p.weights, undefined);
  assert.equal(d.recruitment?.design, 'clusters');
  // Y(1) − Y(0) = 2 in every cell: the sample ATT is 2.
  assert.ok(Math.abs(d.truth.estimate.aggregates.simple!.att! - 2) < 1e-12);
  // The design part alone (what population truths use) has the same groups.
  const point = { index: 0, settings: {}, scenario: s };
  assert.deepEqual([...drawDesign(point, 4, 0).group], [...p.group]);
});

test('several outcomes: one panel each, same clusters and cells, its own y', () => {
  const s = expandGrid(
    parseScenario(
      stringify({
        name: 'cl2',
        periods: { count: 10 },
        population: {},
        outcomes: [
          { type: 'continuous', name: 'y', mean: 0, sd: 1, icc: 0.05, effect: { size: 1 } },
          { type: 'binary', name: 'admitted', p: 0.1, icc: 0.02, effect: { size: -0.01 } },
        ],
        design: { type: 'clusters', clusters: 6, cluster_size: { mean: 20 }, waves: 2 },
      }),
      'cl2.yaml',
    ),
  )[0].scenario;
  const d = clusterDraw(outcomeViews(s), (step) => streamFor(1, 0, 0, step), truthOptionsFor(s), fakeWorld);
  assert.deepEqual(
    d.outcomes.map((o) => o.name),
    ['y', 'admitted'],
  );
  assert.equal(d.outcomes[1].panel.y[0], 1100);
  assert.deepEqual([...d.outcomes[1].panel.group], [...d.panel.group]);
  assert.ok(d.outcomes[1].panel.cellSize);
});
