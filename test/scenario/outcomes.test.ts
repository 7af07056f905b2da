// Several outcomes per scenario: the `outcomes:` list, its names, its checks, grid axes inside its
// elements, and the dotted paths of --set / --over that reach them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { expandGrid, parseScenario, ScenarioError } from '../../src/scenario/index.js';
import { canonicalOutcomePath, gridAxisName } from '../../src/scenario/outcome-paths.js';
import { parseSetting, scenarioWithSettings } from '../../src/engine/settings.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';

const SMALL = new URL('../../../test/engine/fixtures/small-outcomes.yaml', import.meta.url).pathname;
const SINGLE = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const text = readFileSync(SMALL, 'utf8');

function problems(edit: (raw: any) => void): string[] {
  const raw = parse(text);
  edit(raw);
  try {
    parseScenario(stringify(raw), 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof ScenarioError);
    return err.problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`);
  }
  assert.fail('expected a ScenarioError');
}

test('an outcomes list: outcome and effect are the first element, outcomes the whole list', () => {
  const s = parseScenario(text, 'small.yaml');
  assert.deepEqual(
    s.outcomes.map((o) => [o.name, o.type]),
    [
      ['y', 'continuous'],
      ['z', 'continuous'],
      ['b', 'binary'],
    ],
  );
  assert.equal(s.outcome.name, 'y');
  assert.equal(s.effect.size, 0);
  assert.equal((s.outcome as Record<string, unknown>).effect, undefined);
  // The third element has no effect block: it gets the no-effect default.
  assert.equal(s.outcomes[2].effect.size, 0);
  const [p] = expandGrid(s);
  assert.deepEqual(
    p.scenario.outcomes.map((o) => o.name),
    ['y', 'z', 'b'],
  );
  assert.equal(p.scenario.outcome.name, 'y');
});

test('the single form is a list of one (same resolved outcome, same axis names)', () => {
  const raw = parse(readFileSync(SINGLE, 'utf8'));
  raw.effect.size = [0, 2];
  const pts = expandGrid(parseScenario(stringify(raw), 'single.yaml'));
  assert.deepEqual(
    pts.map((p) => p.settings),
    [{ 'effect.size': 0 }, { 'effect.size': 2 }],
  );
  assert.equal(pts[1].scenario.outcomes.length, 1);
  assert.equal(pts[1].scenario.outcomes[0].effect.size, 2);
  assert.equal(pts[1].scenario.outcomes[0].name, 'y');
});

test('a grid axis inside a list element varies once and is named the same in either form', () => {
  const raw = parse(text);
  raw.outcomes[0].effect.size = [0, 0.5];
  raw.outcomes[1].effect.size = [0, 1, 2];
  const pts = expandGrid(parseScenario(stringify(raw), 'grid.yaml'));
  assert.equal(pts.length, 6);
  assert.deepEqual(pts[5].settings, { 'effect.size': 0.5, 'outcomes.z.effect.size': 2 });
  assert.equal(pts[5].scenario.effect.size, 0.5);
  assert.equal(pts[5].scenario.outcomes[0].effect.size, 0.5);
  assert.equal(pts[5].scenario.outcomes[1].effect.size, 2);
  assert.equal(pts[3].scenario.outcomes[1].effect.size, 0);
});

test('outcome names: unique, not a covariate, level only first; correlations name covariates or outcomes', () => {
  assert.deepEqual(
    problems((r) => {
      r.population.correlations = [];
      r.outcomes[1].name = 'y';
    }),
    ['outcomes.1.name: expected a name not used by another outcome, found "y"'],
  );
  assert.deepEqual(
    problems((r) => {
      r.population.correlations = [];
      r.outcomes[2].name = 'woman';
    }),
    [
      'outcomes.2.name: expected an outcome name that is not a covariate\'s (the outcome\'s unit level is the copula variable woman; covariates: woman), found "woman"',
    ],
  );
  assert.deepEqual(
    problems((r) => (r.population.correlations[0].between = ['y', 'w'])),
    ['population.correlations.0.between.1: expected a covariate or an outcome (one of: woman, level, y, z, b), found "w"'],
  );
  assert.deepEqual(
    problems((r) => (r.population.correlations[1].between = ['level', 'z'])),
    ['population.correlations.1.between: expected a pair not stated by another correlation, found ["level","z"]'],
  );
  assert.deepEqual(
    problems((r) => (r.outcome = { type: 'binary', p: 0.5 })),
    ['outcome: expected either outcome: (+ effect:) or outcomes: (each with its own effect:), not both, found {"type":"binary","p":0.5}'],
  );
  assert.deepEqual(
    problems((r) => delete r.outcomes),
    ['outcome: expected an outcome: block (or an outcomes: list), found nothing (the key is missing)'],
  );
  assert.deepEqual(
    problems((r) => (r.outcomes[1].effect.bogus = 1)),
    [
      'outcomes.1.effect.bogus: expected a known key of outcomes.1.effect (known: size, by_group, onset, ramp, duration, decay, anticipation, announcement, by_covariate, unit_sd, person_sd, persistence, target; see scenarios/README.md), found unknown key "bogus"',
    ],
  );
});

test('dotted paths: outcome.* / effect.* are the first outcome, outcomes.NAME.* and outcomes.N.* any', () => {
  const list = { list: true, names: ['earnings', 'sa'] };
  assert.equal(canonicalOutcomePath('effect.size', list), 'outcomes.0.effect.size');
  assert.equal(canonicalOutcomePath('outcome.sdlog', list), 'outcomes.0.sdlog');
  assert.equal(canonicalOutcomePath('outcomes.sa.effect.size', list), 'outcomes.1.effect.size');
  assert.equal(canonicalOutcomePath('outcomes.1.p', list), 'outcomes.1.p');
  const single = { list: false, names: ['earnings'] };
  assert.equal(canonicalOutcomePath('outcomes.earnings.effect.size', single), 'effect.size');
  assert.equal(canonicalOutcomePath('outcomes.0.mean', single), 'outcome.mean');
  assert.throws(() => canonicalOutcomePath('outcomes.nope.effect.size', list), /no outcome "nope" \(outcomes: 0 earnings, 1 sa\)/);
  assert.equal(gridAxisName('outcomes.0.effect.size', ['earnings', 'sa']), 'effect.size');
  assert.equal(gridAxisName('outcomes.1.effect.size', ['earnings', 'sa']), 'outcomes.sa.effect.size');
});

test('--set and --over reach list elements by name and by index', () => {
  const s = scenarioWithSettings(SMALL, [
    parseSetting('outcomes.z.effect.size=[0, 1]'),
    parseSetting('effect.size=0.3'),
    parseSetting('outcomes.2.p=0.2'),
  ]);
  const pts = expandGrid(s);
  assert.deepEqual(
    pts.map((p) => p.settings),
    [{ 'outcomes.z.effect.size': 0 }, { 'outcomes.z.effect.size': 1 }],
  );
  assert.equal(pts[1].scenario.effect.size, 0.3);
  assert.equal(pts[1].scenario.outcomes[2].type === 'binary' && pts[1].scenario.outcomes[2].p, 0.2);
  const sim = createSimulation({ scenarioFile: SMALL, over: { path: 'outcomes.b.effect.size', values: [0, 0.1] } });
  assert.deepEqual(
    sim.points.map((p) => p.settings),
    [{ 'outcomes.b.effect.size': 0 }, { 'outcomes.b.effect.size': 0.1 }],
  );
  const first = createSimulation({ scenarioFile: SMALL, over: { path: 'outcomes.0.effect.size', values: [0, 1] } });
  assert.deepEqual(
    first.points.map((p) => p.settings),
    [{ 'effect.size': 0 }, { 'effect.size': 1 }],
  );
  assert.throws(
    () => scenarioWithSettings(SMALL, [parseSetting('outcomes.w.effect.size=1')]),
    /outcomes\.w\.effect\.size: expected an outcome of the scenario.*no outcome "w"/,
  );
});
