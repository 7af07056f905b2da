/**
 * What the report says in words: each estimator family described as itself (the registry's line and
 * its options, never "Callaway & Sant'Anna" for another family), the population's own noun
 * (population.unit), the outcome's own units (outcome.units), a headline that names its estimand
 * and estimator with power, bias and coverage ± MC SE, an MDE line naming its estimand, and the draws
 * whose fits did not converge or whose estimates were not identified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ESTIMATORS } from '../../src/estimators/registry.js';
import { FAMILIES } from '../../src/estimators/family-options.js';
import { runEngine } from '../../src/engine/run.js';
import { moduleSpec } from '../../src/engine/spec.js';
import { estimatorWords } from '../../src/report/estimator-words.js';
import { failuresTable } from '../../src/report/failures-table.js';
import { buildReport, mdeLines } from '../../src/report/report.js';
import type { DiagnosisFile, MdeFile } from '../../src/report/run-files.js';
import { scenarioWords } from '../../src/report/scenario-words.js';
import { DiagnosisIndex } from '../../src/report/tables.js';
import { FAKE_ARGS, FAKE_MODULE, tempDir } from '../engine/helpers.js';

const bundled = (name: string) => readFileSync(new URL(`../../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
const sentences = (text: string, title: string) =>
  scenarioWords(text)
    .sections.find((s) => s.title === title)!
    .sentences.join(' ');

test('every estimator family is described as itself, with its options', () => {
  for (const type of FAMILIES) {
    const w = estimatorWords({ name: 'e', type });
    assert.ok(w.startsWith(ESTIMATORS[type].describe), `${type}: ${w}`);
    if (type !== 'did') assert.doesNotMatch(w, /Callaway|not-yet-treated/, `${type}: ${w}`);
  }
  assert.equal(
    estimatorWords({ name: 'cs', type: 'did', method: 'reg', control: 'never' }),
    `${ESTIMATORS.did.describe}: outcome regression, never-treated comparisons, no covariates`,
  );
  assert.equal(
    estimatorWords({ name: 'd', type: 'dim', horizon: 6, permutations: 99 }),
    `${ESTIMATORS.dim.describe}: wait-list horizon h = 6, Fisher randomisation test, 99 re-randomisations`,
  );
  assert.equal(estimatorWords({ name: 't', type: 'twfe', covariates: ['x'] }), `${ESTIMATORS.twfe.describe}: covariates x`);
  const analysis = sentences(bundled('teach-twfe-bias'), 'Analysis');
  assert.match(analysis, /twfe: Two-way fixed effects/);
  assert.doesNotMatch(analysis, /twfe: Callaway/);
  assert.match(
    sentences(bundled('teach-pretest'), 'Analysis'),
    /Pre-test \(Roth 2022\): a Wald test of the last 3 pre-periods at α = 0\.05/,
  );
});

test('the population noun comes from population.unit (R3: municipalities), else people', () => {
  const r3 = scenarioWords(bundled('r3-municipal-adoption'));
  assert.deepEqual(r3.unitNoun, { one: 'municipality', many: 'municipalities' });
  assert.match(sentences(bundled('r3-municipal-adoption'), 'Population'), /A population of 290 municipalities\./);
  assert.match(sentences(bundled('r3-municipal-adoption'), 'Design'), /municipalities join over time/);
  assert.deepEqual(scenarioWords(bundled('r1-isf-waitlist')).unitNoun, { one: 'person', many: 'people' });
  assert.match(sentences(bundled('r1-isf-waitlist'), 'Design'), /A wait-list experiment: people referred/);
});

test('axis units come from outcome.units of each outcome', () => {
  assert.deepEqual(scenarioWords(bundled('r1-isf-waitlist')).outcomeUnits, {
    earnings: 'kr/month',
    social_assistance: 'share (0.01 = 1 percentage point)',
    sickness_days: 'days/month',
  });
  assert.equal(scenarioWords(bundled('r5-survey-waves')).effectUnit, 'scale points (0–10)');
  assert.equal(
    scenarioWords('name: x\nperiods: { count: 3 }\noutcome: { type: continuous, name: y, units: "kr/month", mean: 0, sd: 1 }\n').effectUnit,
    'kr/month',
  );
});

test('the MDE line names its estimand and estimator', () => {
  const mde: MdeFile = {
    axis: 'effect.size',
    estimator: 'cs_dr',
    estimand: 'dynamic:2',
    draws: 200,
    seed: '1',
    curves: [
      {
        group: { fixed: {}, xs: [0, 1], points: [0, 1] },
        result: { value: 798, status: 'crossed', target: 0.8, curve: [], mcSe: 27, interval: [748, 854], notReached: 0 },
      },
    ],
  };
  assert.deepEqual(mdeLines(mde), [
    'Minimum detectable effect.size for 80 % power of event 2 (estimand dynamic:2), estimator cs_dr: 798 ± 27 (95 % MC interval 748–854).',
  ]);
});

test('the headline names the estimand and the estimator and gives power, bias and coverage, each ± MC SE', async () => {
  const dir = tempDir('headline');
  const { spec, scenario } = moduleSpec(FAKE_MODULE, { ...FAKE_ARGS, points: [FAKE_ARGS.points[1]] });
  await runEngine({ spec, scenario, seed: '5', draws: 30, workers: 0, outDir: dir });
  const m = await buildReport(dir, { renderer: { error: 'no charts in this test' } });
  assert.equal(m.headline.length, 2);
  const pmRe = '−?[\\d.,]+ ± [\\d.,]+';
  // A share of 1 has MC SE 0, which format.pm writes as the bare figure.
  const pmOrExact = '−?[\\d.,]+( ± [\\d.,]+)?';
  for (const [i, e] of ['a', 'b'].entries()) {
    assert.match(
      m.headline[i],
      new RegExp(
        `^The overall ATT \\(estimand simple\\), estimator ${e}: power ${pmRe}, bias ${pmRe} outcome units, coverage of the 95 % interval ${pmOrExact} \\(mean true ATT `,
      ),
      m.headline[i],
    );
  }
});

test('fits that did not converge and estimates not identified are in a table, with counts and reasons', () => {
  const file: DiagnosisFile = {
    alpha: 0.05,
    seed: '1',
    draws: 50,
    estimators: ['cs', 'cs|fit'],
    points: [{ index: 0, settings: {} }],
    rows: [
      { point: 0, estimator: 'cs', estimand: 'simple', target: null, diagnosand: 'not_identified', value: 0, mc_se: 0, n: 50 },
      {
        point: 0,
        estimator: 'cs',
        estimand: 'group:5',
        target: null,
        diagnosand: 'not_identified',
        value: 0.04,
        mc_se: 0.0277,
        n: 50,
        reasons: [{ reason: 'no comparison units', count: 2 }],
      },
      {
        point: 0,
        estimator: 'cs|fit',
        estimand: 'propensity',
        target: null,
        diagnosand: 'not_converged',
        value: 0.1,
        mc_se: 0.0424,
        n: 50,
        reasons: [{ reason: 'glm did not converge in 25 iterations', count: 5 }],
      },
    ],
  } as DiagnosisFile;
  const t = failuresTable(new DiagnosisIndex(file))!;
  assert.deepEqual(t.rows, [
    ['0', 'cs', 'group:5', 'not identified', '2 of 50', '0.040 ± 0.028', 'no comparison units (2)'],
    ['0', 'cs', 'propensity fits', 'a fit did not converge', '5 of 50', '0.100 ± 0.042', 'glm did not converge in 25 iterations (5)'],
  ]);
  assert.equal(failuresTable(new DiagnosisIndex({ ...file, rows: [file.rows[0]] })), null);
});
