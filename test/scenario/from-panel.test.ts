// population.from_panel as a scenario loads: the file relative to the scenario, errors naming the file
// and the path, the panel's covariates usable by every design (quotas, matching, subgroups).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGrid, generateDraw, loadScenario, ScenarioError } from '../../src/generate.js';
import { scenarioWithSettings } from '../../src/engine/settings.js';
import { historyCsv } from '../helpers/history-panel.js';

const root = mkdtempSync(join(tmpdir(), 'stagger-from-panel-'));
let k = 0;

/** A scenario file in a fresh folder with the history CSV at data/h.csv (binary outcome, 10 periods). */
function scenario(body: string, type: 'binary' | 'continuous' = 'binary'): string {
  const dir = join(root, `s${k++}`);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'h.csv'), historyCsv({ units: 120, periods: 10, type, seed: 5 }));
  writeFileSync(join(dir, 'scenario.yaml'), body);
  return join(dir, 'scenario.yaml');
}

const base = (o: { fp?: string; outcome?: string; periods?: number; design?: string; effect?: string; pop?: string } = {}) => `
name: t
periods: { first: 1, count: ${o.periods ?? 10} }
population:
  size: 400
  from_panel: ${o.fp ?? '{ file: data/h.csv, id: id, time: period, outcome: y, covariates: [woman, age, region] }'}
${o.pop ?? ''}
outcome: ${o.outcome ?? '{ type: binary, name: y }'}
effect: ${o.effect ?? '{ size: 0.05 }'}
design: ${o.design ?? '{ type: adoption, schedule: [{ period: 5, members: 150 }] }'}
`;

function problems(file: string): string {
  try {
    loadScenario(file);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    return e.message;
  }
  assert.fail('expected a ScenarioError');
}

test("a valid from_panel scenario loads with the file resolved next to the scenario and the data's covariates", () => {
  const file = scenario(base());
  const s = loadScenario(file);
  assert.equal(s.population.from_panel!.file, join(file, '..', 'data', 'h.csv'));
  assert.deepEqual(Object.keys(s.population.covariates), ['woman', 'age', 'region']);
  assert.equal(s.outcome.type, 'binary');
  // --set keeps the folder of the scenario file (not of its label)
  const set = scenarioWithSettings(file, [{ path: 'effect.size', value: '0.02' }]);
  assert.equal(set.population.from_panel!.file, s.population.from_panel!.file);
});

test('a missing file is named with its path resolved relative to the scenario file', () => {
  const file = scenario(base({ fp: '{ file: data/nope.csv, id: id, time: period, outcome: y }' }));
  const m = problems(file);
  assert.match(
    m,
    /population\.from_panel\.file: expected a CSV file that exists and can be read \(a CSV panel\) \(the path is relative to the scenario file's folder, .*\), found no such file: /,
  );
  assert.ok(m.includes(join(file, '..', 'data', 'nope.csv')), m);
});

test('a missing column names the key, the file and the nearest column', () => {
  const m = problems(scenario(base({ fp: '{ file: data/h.csv, id: id, time: period, outcome: yy, covariates: [woman, sex] }' })));
  assert.match(
    m,
    /population\.from_panel\.outcome: expected a column of the panel \(nearest: y; the header has: id, period, y, woman, age, region\), found "yy", not a column of .*h\.csv/,
  );
});

test('a missing covariate column is named by its index', () => {
  const m = problems(scenario(base({ fp: '{ file: data/h.csv, id: id, time: period, outcome: y, covariates: [woman, agee] }' })));
  assert.match(m, /population\.from_panel\.covariates\.1: expected a column of the panel \(nearest: age;/);
});

test('more scenario periods than the panel has: an error naming both counts', () => {
  const m = problems(scenario(base({ periods: 12 })));
  assert.match(
    m,
    /periods\.count: expected at most 10 periods: the panel .*h\.csv has 10 \(1 … 10\), and scenario period t is the panel's t-th, found 12/,
  );
});

test('a covariate the design needs but the panel lacks is an error naming it', () => {
  const m = problems(
    scenario(base({ design: '{ type: adoption, schedule: [{ period: 5, members: 150 }], adopt_by: { disability: 0.5 } }' })),
  );
  assert.match(
    m,
    /design\.adopt_by\.disability: expected a covariate of the panel listed under population\.from_panel\.covariates \(one of: woman, age, region\), found "disability"/,
  );
});

test('outcome parameters, own covariates and scale outcomes are refused with from_panel', () => {
  assert.match(
    problems(scenario(base({ outcome: '{ type: binary, name: y, p: 0.3 }' }))),
    /outcome\.p: expected only type and name under outcome with population\.from_panel/,
  );
  assert.match(
    problems(scenario(base({ outcome: '{ type: scale, name: y }' }))),
    /outcome\.type: expected one of binary, earnings, count, continuous, share \(scale outcomes are not supported/,
  );
  assert.match(
    problems(scenario(base({ pop: '  covariates: { woman: { type: binary, p: 0.5 } }' }))),
    /population\.covariates: expected no population\.covariates with population\.from_panel/,
  );
});

test("an outcome type the panel's values do not fit, and an effect the panel leaves no room for", () => {
  const file = scenario(base({ outcome: '{ type: binary, name: y }' }), 'continuous');
  assert.match(
    problems(file),
    /outcome\.type: expected the type of the panel's column "y", found binary, but the column has [0-9.]+ for unit u1 in period 1 \(a binary outcome is 0 or 1\)/,
  );
  assert.match(
    problems(scenario(base({ effect: '{ size: 0.95 }' }))),
    /effect\.size: expected an effect of at most 0\.\d+ up, the room a binary outcome leaves in every period \(the share of zeros; least in the panel's period \d+\), found a largest mean effect of 0\.95/,
  );
});

test('quota lists select on resampled covariates; matching reweights the reference pool to its overrides', () => {
  const quota = scenario(
    base({
      design: `
  type: quota_lists
  spells: { from: 1, to: 6, mean_duration: 4 }
  intakes: [{ period: 5, size: 30 }]
  every_kth: 2
  candidates_per_place: 4
  quotas: [{ covariate: woman, value: 1, min: 0.7 }, { covariate: region, value: north, max: 0.2 }]
  start_groups: { windows: [{ from: 5, to: 5 }] }
  controls: { windows: [{ from: 4, to: 6 }] }`,
    }),
  );
  const d = generateDraw(expandGrid(loadScenario(quota))[0], 1, 0);
  let women = 0;
  let north = 0;
  let treated = 0;
  for (let i = 0; i < d.panel.nUnits; i++)
    if (d.panel.group[i] !== 0) {
      treated++;
      women += d.panel.covariates.woman[i];
      north += d.panel.covariates.region_south[i] === 0 && d.panel.covariates.region_west[i] === 0 ? 1 : 0;
    }
  assert.ok(treated >= 25, `treated ${treated}`);
  assert.ok(women / treated >= 0.7 - 1e-9, `women share ${women / treated} (panel ~0.45; quota min 0.7)`);
  assert.ok(north / treated <= 0.2 + 1e-9, `north share ${north / treated} (panel ~1/3; quota max 0.2)`);

  const matched = (override: string) =>
    scenario(
      base({
        design: `
  type: matched
  start: 5
  consent: 0.7
  references: { size: 4000, covariates: { ${override} } }
  match_on: [woman]`,
      }),
    );
  const s = loadScenario(matched('woman: { type: binary, p: 0.8 }'));
  const m = generateDraw(expandGrid(s)[0], 1, 0);
  assert.ok(m.recruitment!.totals.pairs > 100);
  assert.match(
    problems(matched('age: { type: normal, mean: 30, sd: 5 }')),
    /design\.references\.covariates: expected reference-pool shares the panel's units can be reweighted to, found age: a different distribution of a normal covariate is not supported/,
  );
});
