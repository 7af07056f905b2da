import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { expandGrid, parseScenario, ScenarioError } from '../../src/scenario/index.js';

/** The planner's scenario (issue 15) without the world's keys, with changes applied. */
function raw(change: (s: Record<string, any>) => void = () => {}): string {
  const s: Record<string, any> = {
    name: 'sw',
    periods: { count: 24 },
    population: {
      unit: { one: 'clinic', many: 'clinics' },
      covariates: { urban: { type: 'binary', p: 0.5 }, size: { type: 'normal', mean: 0, sd: 1 } },
    },
    outcome: { type: 'binary', p: 0.04, icc: 0.02 },
    effect: { size: -0.008, onset: 3 },
    design: { type: 'clusters', clusters: 24, cluster_size: { mean: 400, cv: 0 }, waves: 6 },
  };
  change(s);
  return stringify(s);
}
/** The one problem line of a scenario that must be refused. */
function refusal(change: (s: Record<string, any>) => void): string {
  try {
    parseScenario(raw(change), 'sw.yaml');
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    return e.message;
  }
  assert.fail('the scenario was accepted');
}

test('a clusters design loads with the agreed keys and their defaults', () => {
  const [p] = expandGrid(parseScenario(raw(), 'sw.yaml'));
  const d = p.scenario.design;
  assert.equal(d.type, 'clusters');
  if (d.type !== 'clusters') return;
  assert.deepEqual(
    { sampling: d.sampling, churn: d.churn, never: d.never, dropout: d.dropout, cv: d.cluster_size.cv, waves: d.waves },
    { sampling: 'cross_section', churn: 0, never: 0, dropout: 0, cv: 0, waves: 6 },
  );
});

test('grids: design.waves (bare list), design.waves.count, design.clusters and design.cluster_size.mean are axes', () => {
  const pts = expandGrid(
    parseScenario(
      raw((s) => (s.design.waves = [6, 12])),
      'sw.yaml',
    ),
  );
  assert.deepEqual(
    pts.map((p) => p.settings),
    [{ 'design.waves': 6 }, { 'design.waves': 12 }],
  );
  assert.equal(pts[1].scenario.design.type === 'clusters' && pts[1].scenario.design.waves, 12);
  const obj = expandGrid(
    parseScenario(
      raw((s) => (s.design.waves = { count: [4, 6], every: 2 })),
      'sw.yaml',
    ),
  );
  assert.deepEqual(
    obj.map((p) => p.settings),
    [{ 'design.waves.count': 4 }, { 'design.waves.count': 6 }],
  );
  const g = expandGrid(
    parseScenario(
      raw((s) => {
        s.design.clusters = [16, 24, 32];
        s.design.cluster_size.mean = [200, 400];
      }),
      'sw.yaml',
    ),
  );
  assert.equal(g.length, 6);
  assert.deepEqual(g[5].settings, { 'design.clusters': 32, 'design.cluster_size.mean': 400 });
});

test('refusals name the path, what was expected and what was found', () => {
  const cases: [string, (s: Record<string, any>) => void, RegExp][] = [
    [
      'population.size',
      (s) => (s.population.size = 100),
      /population\.size: expected no population\.size in a clusters design \(the number of clusters is design\.clusters/,
    ],
    ['clusters < 2', (s) => (s.design.clusters = 1), /design\.clusters: expected a number ≥ 2, found 1/],
    ['cluster_size.mean 0', (s) => (s.design.cluster_size.mean = 0), /design\.cluster_size\.mean: expected a number > 0, found 0/],
    ['cv < 0', (s) => (s.design.cluster_size.cv = -1), /design\.cluster_size\.cv: expected a number ≥ 0, found -1/],
    ['sampling', (s) => (s.design.sampling = 'cohrt'), /design\.sampling: expected one of "cohort", "cross_section"/],
    [
      'churn with cross-sections',
      (s) => (s.design.churn = 0.1),
      /design\.churn: expected 0 with sampling cross_section .*set design\.sampling: cohort/,
    ],
    ['waves 0', (s) => (s.design.waves = 0), /design\.waves: expected a mapping \(key: value\) or a number ≥ 1, found 0/],
    ['waves text', (s) => (s.design.waves = 'six'), /design\.waves: expected a mapping \(key: value\) or a number or a list, found "six"/],
    ['waves list item', (s) => (s.design.waves = [6, 0]), /design\.waves\.1: expected a number ≥ 1, found 0/],
    [
      'waves key typo',
      (s) => (s.design.waves = { count: 6, evry: 3 }),
      /design\.waves\.evry: .*unknown key "evry"; did you mean "every"\?/,
    ],
    [
      'too many waves',
      (s) => (s.design.waves = 30),
      /design\.waves: expected waves that start within the periods \(1 … 24\): wave 24 of 30 would start in period 25/,
    ],
    [
      'last wave late',
      (s) => (s.design.waves = { count: 6, first: 10, every: 3 }),
      /design\.waves\.count: .*wave 6 of 6 would start in period 25 \(first 10, every 3\), found 6/,
    ],
    [
      'no baseline',
      (s) => (s.design.waves = { count: 6, first: 1 }),
      /design\.waves\.first: expected a first wave from period 2 on \(at least one period before the first wave\), not wave 1 of 6 in period 1, found 1/,
    ],
    ['neither', (s) => delete s.design.waves, /design\.waves: expected a rollout: waves .* or schedule .*, found nothing/],
    [
      'both',
      (s) => (s.design.schedule = [{ period: 4, share: 0.5 }]),
      /design\.schedule: expected either design\.waves or design\.schedule, not both/,
    ],
    [
      'schedule at period 1',
      (s) => {
        delete s.design.waves;
        s.design.schedule = [{ period: 1, share: 0.5 }];
      },
      /design\.schedule\.0\.period: expected a period from 2 to 24 \(at least one period before the first start\), found 1/,
    ],
    [
      'schedule falling',
      (s) => {
        delete s.design.waves;
        s.design.schedule = [
          { period: 4, share: 0.5 },
          { period: 8, share: 0.3 },
        ];
      },
      /design\.schedule\.1\.share: expected a cumulative share ≥ 0\.5 \(non-decreasing\), found 0\.3/,
    ],
    [
      'schedule share > 1',
      (s) => {
        delete s.design.waves;
        s.design.schedule = [{ period: 4, share: 1.5 }];
      },
      /design\.schedule\.0\.share: expected a number ≤ 1, found 1\.5/,
    ],
    [
      'never with schedule',
      (s) => {
        delete s.design.waves;
        s.design.schedule = [{ period: 4, share: 0.5 }];
        s.design.never = 0.2;
      },
      /design\.never: expected 0 with a schedule/,
    ],
    ['never 1', (s) => (s.design.never = 1), /design\.never: expected a number < 1, found 1/],
    [
      'nobody starts',
      (s) => {
        s.design.clusters = 2;
        s.design.never = 0.8;
      },
      /design\.never: expected a rollout in which at least one of the 2 clusters starts, found 0\.8/,
    ],
    [
      'stratify_by typo',
      (s) => (s.design.stratify_by = 'urbn'),
      /design\.stratify_by: expected a cluster covariate defined under population\.covariates \(one of: urban, size\) \(nearest valid: "urban"\), found "urbn"/,
    ],
    ['stratify_by normal', (s) => (s.design.stratify_by = 'size'), /design\.stratify_by: expected a binary or categorical covariate/],
    [
      'dropout leaves one',
      (s) => {
        s.design.clusters = [2, 24];
        s.design.dropout = 0.5;
      },
      /design\.dropout: expected a share that leaves at least 2 of the 2 clusters \(1 would drop out\), found 0\.5/,
    ],
    ['key typo', (s) => (s.design.clustr = 3), /design\.clustr: .*did you mean "clusters"\?/],
    [
      'covariate n',
      (s) => (s.population.covariates.n = { type: 'binary', p: 0.5 }),
      /population\.covariates\.n: expected a covariate name other than n and ss/,
    ],
    [
      'level correlation',
      (s) => (s.population.correlations = [{ between: ['urban', 'level'], r: 0.3 }]),
      /population\.correlations\.0\.between\.1: expected a cluster covariate .*outcome\.icc/,
    ],
  ];
  for (const [what, change, words] of cases) assert.match(refusal(change), words, what);
});

test('the draw size counts person-periods: a billion people a period are refused before anything is built', (t) => {
  const before = process.env.STAGGER_MAX_MEMORY;
  process.env.STAGGER_MAX_MEMORY = '8GB'; // the same budget on every machine
  t.after(() => (before === undefined ? delete process.env.STAGGER_MAX_MEMORY : (process.env.STAGGER_MAX_MEMORY = before)));
  const m = refusal((s) => {
    s.design.clusters = 10000;
    s.design.cluster_size.mean = 100000;
  });
  assert.match(
    m,
    /design\.cluster_size\.mean: expected a draw that fits in memory .*10,000 clusters × 100,000 people × 24 periods \(24,000,000,000 person-periods\): would need about 384 GB of memory, more than the 8 GB allowed/,
  );
});
