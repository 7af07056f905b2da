// A world resampled from a real panel (population.from_panel): paths copied exactly, source units
// uniform, covariates carried, E[Y(1) − Y(0)] = τ on every outcome type, draws reproducible, and
// the engine runs such a scenario end to end. Panels are synthetic (test/helpers/history-panel.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGrid, generateDraw, parseScenario, type ResolvedScenario } from '../../src/generate.js';
import { drawResampledPeople, panelWorld, periodMoments } from '../../src/world/resample-panel.js';
import { resampledOutcomes } from '../../src/world/resample-outcomes.js';
import { sampleByStart } from '../../src/design/recruited-sample.js';
import { seeded } from '../../src/random/stream.js';
import { gammaQ } from '../../src/stats/chisq.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { assertSameFiles, tempDir } from '../engine/helpers.js';
import { EXAMPLE, historyCsv, type HistorySpec } from '../helpers/history-panel.js';

const root = mkdtempSync(join(tmpdir(), 'stagger-resample-'));

/** A history CSV in data/ and a scenario next to it naming it relatively; returns the scenario path. */
function world(spec: HistorySpec, body: string, name = `w${spec.seed}-${spec.type}`): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'h.csv'), historyCsv(spec));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, body);
  return file;
}

const scenarioText = (type: string, o: { periods?: number; size?: number; effect?: string; extra?: string; schedule?: string } = {}) => `
name: resampled
periods: { first: 1, count: ${o.periods ?? 12} }
population:
  size: ${o.size ?? 300}
  from_panel: { file: data/h.csv, id: id, time: period, outcome: y, covariates: [woman, age, region] }
  subgroups: { women: { woman: 1 } }
outcome: { type: ${type}, name: y }
effect: ${o.effect ?? '{ size: 0 }'}
design:
  type: adoption
  schedule: ${o.schedule ?? '[{ period: 4, members: 60 }, { period: 8, members: 150 }]'}
${o.extra ?? ''}
analysis:
  estimators: [{ name: cs, type: did, control: notyet }]
  estimands: [simple]
  subgroups: [women]
  event_window: [-3, 5]
`;

const load = (file: string) => expandGrid(parseScenario(readFileSync(file, 'utf8'), file))[0];

test('each drawn person is a whole source unit: Y(0) path equal to the source path, covariates carried', () => {
  const file = world(
    { units: 80, periods: 14, type: 'continuous', seed: 1 },
    scenarioText('continuous', { periods: 12, effect: '{ size: 1.5 }' }),
  );
  const p = load(file);
  const s = p.scenario;
  const w = panelWorld(s.population.from_panel!);
  const N = w.history.panel.nUnits;
  const people = drawResampledPeople(seeded('people'), s.population, 500);
  const start = Float64Array.from({ length: 500 }, (_, i) => (i % 2 ? 3 : Infinity));
  const cohort = sampleByStart(people, start, { design: 'test', byPeriod: [], totals: {}, notes: {} });
  const periods = Float64Array.from({ length: 12 }, (_, t) => t + 1);
  const { y0, y1 } = resampledOutcomes(s, cohort, periods, { unit: seeded('u'), effects: seeded('e') });
  for (let i = 0; i < 500; i++) {
    const src = people.source![i];
    for (let t = 0; t < 12; t++) assert.equal(y0[t * 500 + i], w.history.panel.y[t * N + src], `person ${i}, period ${t + 1}`);
    for (const c of ['woman', 'age', 'region']) assert.equal(people.covariates[c][i], w.history.panel.covariates[c][src]);
    // continuous: Y(1) − Y(0) is the effect exactly, from start on
    for (let t = 0; t < 12; t++) assert.ok(Math.abs(y1[t * 500 + i] - y0[t * 500 + i] - (i % 2 && t + 1 >= 3 ? 1.5 : 0)) < 1e-12);
  }
  assert.deepEqual(w.history.levels.region, ['north', 'south', 'west']); // text levels from the data, sorted
  const region = s.population.covariates.region;
  assert.ok(region.type === 'categorical' && region.levels.join() === 'north,south,west');
  assert.equal(s.population.covariates.woman.type, 'binary');
  assert.equal(s.population.covariates.age.type, 'normal');
});

test('generateDraw: every analysed unit has the path and covariates of some panel unit; same seed, same bytes', () => {
  const file = world({ units: 60, periods: 12, type: 'continuous', seed: 2 }, scenarioText('continuous', { effect: '{ size: 0.8 }' }));
  const p = load(file);
  const w = panelWorld(p.scenario.population.from_panel!);
  const N = w.history.panel.nUnits;
  const key = (get: (t: number) => number) => Array.from({ length: 12 }, (_, t) => get(t)).join(',');
  const byPath = new Map<string, number>();
  for (let u = 0; u < N; u++)
    byPath.set(
      key((t) => w.history.panel.y[t * N + u]),
      u,
    );
  const d = generateDraw(p, 4, 0);
  const n = d.panel.nUnits;
  for (let i = 0; i < n; i++) {
    const u = byPath.get(key((t) => d.y0[t * n + i]));
    assert.ok(u !== undefined, `unit ${i}: Y(0) path not in the panel`);
    assert.equal(d.panel.covariates.woman[i], w.history.panel.covariates.woman[u]);
    assert.equal(d.panel.covariates.region_west[i], w.history.panel.covariates.region[u] === 2 ? 1 : 0);
    assert.equal(d.subgroups.women[i], w.history.panel.covariates.woman[u]);
  }
  const again = generateDraw(load(file), 4, 0);
  assert.deepEqual(Buffer.from(again.y1.buffer), Buffer.from(d.y1.buffer));
  assert.deepEqual(Buffer.from(again.panel.y.buffer), Buffer.from(d.panel.y.buffer));
  assert.notDeepEqual(generateDraw(p, 4, 1).y0.slice(0, 50), d.y0.slice(0, 50));
});

test('source units are uniform with replacement (chi-square over 50 units, 20,000 draws)', () => {
  const file = world(
    { units: 50, periods: 6, type: 'binary', seed: 3 },
    scenarioText('binary', { periods: 6, schedule: '[{ period: 3, members: 60 }]' }),
  );
  const s = load(file).scenario;
  const n = 20000;
  const people = drawResampledPeople(seeded('uniform'), s.population, n);
  const count = new Array<number>(50).fill(0);
  for (const u of people.source!) count[u]++;
  const e = n / 50;
  const x2 = count.reduce((a, c) => a + (c - e) ** 2 / e, 0);
  // Under uniformity X² ~ χ²(49): P(X² > x2) is not tiny; a sampler favouring some units would be.
  assert.ok(gammaQ(49 / 2, x2 / 2) > 0.001, `X² = ${x2.toFixed(1)}`);
  // person k is the same unit whatever n is (one uniform a person, in order)
  assert.deepEqual(drawResampledPeople(seeded('uniform'), s.population, 100).source, people.source!.slice(0, 100));
});

/**
 * Mean of Y(1) − Y(0) over every cell of n people treated from period 1, with its Monte Carlo SE from
 * the per-person means (people are independent: one source draw and own uniforms each).
 */
function realisedEffect(
  s: ResolvedScenario,
  n: number,
  T: number,
  seed: string,
): { mean: number; se: number; y0: Float64Array; y1: Float64Array } {
  const people = drawResampledPeople(seeded(`${seed}p`), s.population, n);
  const cohort = sampleByStart(people, new Float64Array(n).fill(1), { design: 'test', byPeriod: [], totals: {}, notes: {} });
  const periods = Float64Array.from({ length: T }, (_, t) => t + 1);
  const { y0, y1 } = resampledOutcomes(s, cohort, periods, { unit: seeded(`${seed}u`), effects: seeded(`${seed}e`) });
  const per = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) per[i] += (y1[t * n + i] - y0[t * n + i]) / T;
  const mean = per.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n), y0, y1 };
}

for (const [type, taus] of [
  ['binary', [0.12, -0.12]],
  ['continuous', [0.7, -0.7]],
  ['earnings', [900, -900]],
  ['count', [1.5, -1.5]],
  ['share', [0.05, -0.05]],
] as const) {
  test(`${type}: E[Y(1) − Y(0)] = τ for τ = ${taus.join(' and ')} within 4 MC SEs; Y(1) a valid ${type} value; Y(0) the same at every τ`, () => {
    const file = world({ units: 400, periods: 10, type, seed: 7 }, scenarioText(type, { periods: 10, effect: '{ size: 0 }' }));
    const s = load(file).scenario;
    const base = realisedEffect(s, 6000, 10, type);
    for (const tau of taus) {
      const r = realisedEffect({ ...s, effect: { ...s.effect, size: tau } }, 6000, 10, type);
      assert.deepEqual(r.y0, base.y0, 'Y(0) does not depend on τ');
      // the power of the test: τ is ≥ 40 SEs from 0 (45–285 here), so a rule 10 % off fails the 4-SE bound
      assert.ok(Math.abs(tau) > 40 * r.se, `SE ${r.se} too large to test τ = ${tau}`);
      assert.ok(Math.abs(r.mean - tau) < 4 * r.se + 1e-12, `${type} τ = ${tau}: realised ${r.mean} ± ${r.se}`);
      for (const v of r.y1) {
        if (type === 'binary') assert.ok(v === 0 || v === 1);
        if (type === 'count') assert.ok(v >= 0 && Number.isInteger(v));
        if (type === 'earnings') assert.ok(v >= 0);
        if (type === 'share') assert.ok(v >= 0 && v <= 1);
      }
    }
    assert.equal(base.mean, 0);
  });
}

test("earnings: people the effect brings into work get amounts from the period's positive values", () => {
  const file = world(
    { units: 300, periods: 8, type: 'earnings', seed: 8 },
    scenarioText('earnings', { periods: 8, schedule: '[{ period: 3, members: 60 }]' }),
  );
  const s = load(file).scenario;
  const m = periodMoments(panelWorld(s.population.from_panel!));
  const r = realisedEffect({ ...s, effect: { ...s.effect, size: 1500 } }, 2000, 8, 'amounts');
  let moved = 0;
  for (let t = 0; t < 8; t++)
    for (let i = 0; i < 2000; i++) {
      const a = r.y0[t * 2000 + i];
      const b = r.y1[t * 2000 + i];
      if (a === 0 && b > 0) {
        moved++;
        assert.ok(m.positive[t].includes(b), `amount ${b} not a positive value of period ${t + 1}`);
      } else assert.equal(b, a);
    }
  assert.ok(moved > 100);
});

test("the engine runs the bundled from_panel example end to end; its CSV is the committed generator's output", () => {
  const example = new URL('../../../scenarios/example-from-panel.yaml', import.meta.url).pathname;
  const csv = new URL('../../../scenarios/data/example-history.csv', import.meta.url).pathname;
  assert.equal(readFileSync(csv, 'utf8'), historyCsv(EXAMPLE));
  const sim = createSimulation({ scenarioFile: example });
  const recs = sim.runDraw('5', 0, 0);
  const simple = recs.find((r) => r.estimand === 'simple')!;
  assert.ok(Number.isFinite(simple.estimate!) && simple.se! > 0, JSON.stringify(simple));
  assert.ok(recs.some((r) => r.estimand === 'simple@women'));
  assert.deepEqual(createSimulation({ scenarioFile: example }).runDraw('5', 0, 0), recs);
});

test('a reference pool with other shares (R4): raked weights give the stated shares, the rest of the joint as in the panel', () => {
  const file = world(
    { units: 200, periods: 6, type: 'binary', seed: 9 },
    scenarioText('binary', { periods: 6, schedule: '[{ period: 3, members: 60 }]' }),
  );
  const s = load(file).scenario;
  const w = panelWorld(s.population.from_panel!);
  const n = 40000;
  const overrides = {
    woman: { type: 'binary' as const, p: 0.8 },
    region: { type: 'categorical' as const, levels: ['north', 'south', 'west'], p: [0.5, 0.25, 0.25] },
  };
  const people = drawResampledPeople(seeded('raked'), s.population, n, overrides);
  const share = (f: (i: number) => boolean) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (f(i)) c++;
    return c / n;
  };
  const near = (got: number, p: number, what: string) =>
    assert.ok(Math.abs(got - p) < 4 * Math.sqrt((p * (1 - p)) / n), `${what}: ${got} vs ${p}`);
  near(
    share((i) => people.covariates.woman[i] === 1),
    0.8,
    'women',
  );
  near(
    share((i) => people.covariates.region[i] === 0),
    0.5,
    'north',
  );
  near(
    share((i) => people.covariates.region[i] === 1),
    0.25,
    'south',
  );
  // Within a (woman, region) cell the units keep equal weights: ages there are the panel's.
  const panelAge = w.history.panel.covariates.age;
  const inCell = (x: Float64Array, r: Float64Array, a: Float64Array, m: number) => {
    let s0 = 0;
    let c = 0;
    for (let i = 0; i < m; i++)
      if (x[i] === 1 && r[i] === 0) {
        s0 += a[i];
        c++;
      }
    return s0 / c;
  };
  const pc = w.history.panel.covariates;
  const expected = inCell(pc.woman, pc.region, panelAge, w.history.panel.nUnits);
  const got = inCell(people.covariates.woman, people.covariates.region, people.covariates.age, n);
  assert.ok(Math.abs(got - expected) < 0.5, `mean age of northern women ${got} vs the panel's ${expected}`);
});

test('the engine on a from_panel scenario: same bytes with 0 and 2 workers (each worker reads the panel itself)', async () => {
  const example = new URL('../../../scenarios/example-from-panel.yaml', import.meta.url).pathname;
  const dirs = [0, 2].map((w) => tempDir(`from-panel-w${w}`));
  for (const [i, d] of dirs.entries()) await runEngine({ ...scenarioSpec(example), seed: '2', draws: 4, workers: i * 2, outDir: d });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  assert.match(readFileSync(join(dirs[0], 'diagnosis.csv'), 'utf8'), /^0,[a-z_]+,cs_dr,simple,,,sample,bias,/m);
});

test('common random numbers: grid points differing in the effect or the population size draw the same people and Y(0)', () => {
  const file = world(
    { units: 90, periods: 12, type: 'binary', seed: 10 },
    scenarioText('binary', { size: 400, effect: '{ size: [0, 0.1] }' }).replace('size: 400', 'size: [300, 400]'),
  );
  const pts = expandGrid(parseScenario(readFileSync(file, 'utf8'), file));
  assert.equal(pts.length, 4);
  const draw = (k: number) => generateDraw({ ...pts[k], index: 0 }, 6, 3); // the engine's streams of point 0
  const [a300, b300, a400] = [0, 1, 2].map(draw);
  assert.deepEqual(a300.y0, b300.y0, 'Y(0) does not depend on the effect');
  assert.notDeepEqual(a300.y1, b300.y1);
  // person k is the same source unit whatever the population size: the first 300 paths agree
  const path = (d: typeof a300, i: number) => Array.from({ length: 12 }, (_, t) => d.y0[t * d.panel.nUnits + i]);
  let same = 0;
  for (let i = 0; i < 300; i++)
    if (path(a300, i).join() === path(a400, i).join() && a300.panel.covariates.age[i] === a400.panel.covariates.age[i]) same++;
  assert.equal(same, 300);
});
