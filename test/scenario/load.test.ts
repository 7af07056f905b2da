// Scenario files: bundled ones load; grid axes expand; each bad scenario gives its exact problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { bundledFiles } from '../../src/scenario/bundled.js';
import { expandGrid, loadScenario, parseScenario, ScenarioError } from '../../src/scenario/index.js';

const r1Text = readFileSync(new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url), 'utf8');

test('every bundled scenario loads and expands', () => {
  const files = bundledFiles();
  assert.ok(files.length >= 1);
  for (const f of files) assert.ok(expandGrid(loadScenario(f)).length >= 1, f);
});

test('list-valued settings become grid axes (Cartesian product, last axis fastest)', () => {
  const raw = parse(r1Text);
  raw.design.treatment_share = [0.5, 0.6];
  raw.design.start_groups.count = [5, 9, 12];
  raw.analysis.estimators[0].control = ['never', 'notyet'];
  const pts = expandGrid(parseScenario(stringify(raw), 'grid.yaml'));
  assert.equal(pts.length, 12);
  assert.deepEqual(pts[0].settings, {
    'design.treatment_share': 0.5,
    'design.start_groups.count': 5,
    'analysis.estimators.0.control': 'never',
  });
  assert.deepEqual(pts[11].settings, {
    'design.treatment_share': 0.6,
    'design.start_groups.count': 12,
    'analysis.estimators.0.control': 'notyet',
  });
  const d3 = pts[3].scenario.design;
  assert.ok(d3.type === 'waitlist' && 'count' in d3.start_groups);
  assert.deepEqual([d3.treatment_share, d3.start_groups.count, pts[3].scenario.analysis.estimators[0].control], [0.5, 9, 'notyet']);
  assert.equal(pts.map((p) => p.index).join(), '0,1,2,3,4,5,6,7,8,9,10,11');
});

/** Apply an edit to R1's parsed YAML and return the problems' text lines (without the file prefix). */
function problems(edit: (raw: any) => void): string[] {
  const raw = parse(r1Text);
  edit(raw);
  try {
    parseScenario(stringify(raw), 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof ScenarioError);
    return err.problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`);
  }
  assert.fail('expected a ScenarioError');
}

// The fuzzed set: each a one-key corruption of R1 with the exact problem it must give.
const cases: [string, (raw: any) => void, string[]][] = [
  ['consent above 1', (r) => (r.design.recruitment.consent = 1.5), ['design.recruitment.consent: expected a number ≤ 1, found 1.5']],
  [
    'consent as text',
    (r) => (r.design.recruitment.consent = 'high'),
    ['design.recruitment.consent: expected a number or a list, found "high"'],
  ],
  [
    'grid axis with one bad value',
    (r) => (r.design.treatment_share = [0.5, 2]),
    ['design.treatment_share.1: expected a number ≤ 1, found 2'],
  ],
  [
    'missing referrals',
    (r) => delete r.design.recruitment.referrals,
    ['design.recruitment.referrals: expected a number or a list, found nothing (the key is missing)'],
  ],
  [
    'shortfall month as text',
    (r) => (r.design.recruitment.shortfalls[0].from_month = 'autumn'),
    ['design.recruitment.shortfalls.0.from_month: expected a number, found "autumn"'],
  ],
  [
    'shortfall outside the panel',
    (r) => (r.design.recruitment.shortfalls[0].from_month = 200),
    ['design.recruitment.shortfalls.0.from_month: expected a period from 1 to 114 (periods.first … first + count − 1), found 200'],
  ],
  [
    'shortfall ending before it starts',
    (r) => (r.design.recruitment.shortfalls[0].to_month = 57),
    ['design.recruitment.shortfalls.0.to_month: expected a period ≥ from_month (58), found 57'],
  ],
  [
    'unknown key',
    (r) => (r.outcomes[0].meen = 3),
    ['outcomes.0.meen: expected a known key of outcomes.0 (see scenarios/README.md), found unknown key "meen"; did you mean "mean"?'],
  ],
  [
    'unknown covariate type',
    (r) => (r.population.covariates.woman.type = 'bool'),
    ['population.covariates.woman.type: expected one of "binary", "normal", "categorical", found "bool"'],
  ],
  [
    'unknown outcome type',
    (r) => (r.outcomes[0].type = 'money'),
    ['outcomes.0.type: expected one of "earnings", "binary", "count", "continuous", "scale", "share", found "money"'],
  ],
  [
    'categorical p not summing to 1',
    (r) => (r.population.covariates.referral.p = [0.5, 0.26, 0.12, 0.03, 0.04]),
    ['population.covariates.referral.p: expected probabilities summing to 1, found "0.5 + 0.26 + 0.12 + 0.03 + 0.04 = 0.95"'],
  ],
  [
    'categorical p of wrong length',
    (r) => (r.population.covariates.referral.p = [0.5, 0.5]),
    ['population.covariates.referral.p: expected 5 probabilities, one per level, found [0.5,0.5]'],
  ],
  [
    'subgroup on an unknown covariate',
    (r) => (r.population.subgroups.women = { female: 1 }),
    [
      'population.subgroups.women.female: expected a covariate defined under population.covariates (one of: woman, age, foreign_background, small_children, referral), found "female"',
    ],
  ],
  [
    'dcdh with covariates (its controls must vary over time; simulated covariates are unit-level)',
    (r) => r.analysis.estimators.push({ name: 'dcdh_x', type: 'dcdh', covariates: ['age'] }),
    [
      `analysis.estimators.1.covariates: expected no covariates for dcdh in a scenario: its covariates are did_multiplegt_dyn's time-varying controls and a simulated panel's covariates are unit-level (use trends_nonparam to compare within a unit-level column's cells; controls work with stagger estimate --covariates on a panel file), found ["age"]`,
    ],
  ],
  [
    'twowayfeweights with an unknown twfe_type',
    (r) => r.analysis.estimators.push({ name: 'tw_bad', type: 'twowayfeweights', twfe_type: 'fe' }),
    ['analysis.estimators.1.twfe_type: expected one of "feTR", "feS", "fdTR", "fdS", found "fe"; did you mean "feS"?'],
  ],
  [
    'a misspelt choice names the one it most likely meant (also where the key takes a list: an axis)',
    (r) => (r.analysis.estimators[0].control = 'notyat'),
    ['analysis.estimators.0.control: expected one of "never", "notyet" or a list, found "notyat"; did you mean "notyet"?'],
  ],
  [
    'twowayfeweights with covariates (unit-level: absorbed or differenced away)',
    (r) => r.analysis.estimators.push({ name: 'tw_x', type: 'twowayfeweights', twfe_type: 'fdTR', covariates: ['age'] }),
    [
      `analysis.estimators.1.covariates: expected no covariates for twowayfeweights in a scenario: a simulated panel's covariates are unit-level, which the unit effects absorb (feTR, feS) and first differences remove (fdTR, fdS); its controls work with stagger estimate --covariates on a panel file with time-varying columns, found ["age"]`,
    ],
  ],
  [
    'analysis subgroup not defined',
    (r) => r.analysis.subgroups.push('young'),
    ['analysis.subgroups.2: expected a subgroup defined under population.subgroups (women, men), found "young"'],
  ],
  [
    'bad estimator method',
    (r) => (r.analysis.estimators[0].method = 'ols'),
    ['analysis.estimators.0.method: expected one of "dr", "ipw", "reg" or a list, found "ols"'],
  ],
  ['window reversed', (r) => (r.design.recruitment.to = 50), ['design.recruitment.to: expected a period ≥ from (56), found 50']],
  ['periods count not an integer', (r) => (r.periods.count = 11.5), ['periods.count: expected an integer, found 11.5']],
  ['negative wait', (r) => (r.design.min_wait = -1), ['design.min_wait: expected a number ≥ 0, found -1']],
  [
    'event window reversed',
    (r) => (r.analysis.event_window = [5, -5]),
    ['analysis.event_window: expected [min_e, max_e] with min_e ≤ max_e, found [5,-5]'],
  ],
  [
    'estimator covariate unknown',
    (r) => (r.analysis.estimators[0].covariates = ['sex']),
    [
      'analysis.estimators.0.covariates.0: expected a covariate defined under population.covariates (one of: woman, age, foreign_background, small_children, referral), found "sex"',
    ],
  ],
];
for (const [name, edit, expected] of cases) {
  test(`bad scenario: ${name}`, () => assert.deepEqual(problems(edit), expected));
}

test('every problem is reported at once, with file and line', () => {
  const raw = parse(r1Text);
  raw.design.recruitment.consent = 2;
  raw.design.treatment_share = -0.1;
  raw.outcomes[0].share_any = 'many';
  try {
    parseScenario(stringify(raw), 'many.yaml');
    assert.fail('expected a ScenarioError');
  } catch (err) {
    assert.ok(err instanceof ScenarioError);
    assert.equal(err.problems.length, 3);
    assert.match(err.message, /^many\.yaml: 3 problems in the scenario/);
    assert.match(err.message, /many\.yaml:\d+: design\.recruitment\.consent: expected a number ≤ 1, found 2/);
  }
});

test('YAML syntax errors and non-mappings are scenario errors', () => {
  assert.throws(
    () => parseScenario('name: [unclosed', 'x.yaml'),
    (e: unknown) => e instanceof ScenarioError && /expected valid YAML/.test(e.message),
  );
  assert.throws(() => parseScenario('- 1\n- 2\n', 'x.yaml'), /expected a mapping of scenario keys/);
  assert.throws(
    () => loadScenario('/nonexistent/s.yaml'),
    /expected a file that exists and can be read \(a scenario, YAML\), found no such file/,
  );
});

test('YAML tags that would build objects are refused (scenario files are data)', () => {
  assert.throws(() => parseScenario('name: !!js/function "x"\n', 'x.yaml'), ScenarioError);
});
