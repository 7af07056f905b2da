/**
 * The cluster world's scenario keys (outcome.icc, cac, decay; effect.person_sd): parsed on the
 * continuous and binary types, refused where they mean nothing (a design whose units are people)
 * and decay refused together with cac < 1, each naming its path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScenarioError } from '../../src/scenario/errors.js';
import { checkScenario } from '../../src/scenario/check.js';
import { parseScenario } from '../../src/scenario/load.js';
import { type Scenario, scenarioSchema } from '../../src/scenario/schema.js';
import { parse } from 'yaml';

const scenario = (outcome: string, effect = '{size: 0}') =>
  [
    'name: t',
    'periods: {first: 1, count: 4}',
    'population: {size: 20}',
    `outcome: ${outcome}`,
    `effect: ${effect}`,
    'design: {type: adoption, schedule: [{period: 2, members: 5}]}',
  ].join('\n');

function problems(text: string): string[] {
  try {
    parseScenario(text, 't.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.expected}`);
  }
}

test('the keys parse with their defaults: cac 1, no decay, person_sd 0', () => {
  const s = parseScenario(scenario('{type: binary, p: 0.2}'), 't.yaml');
  assert.equal(s.outcome.type === 'binary' && s.outcome.cac, 1);
  assert.equal(s.outcome.type === 'binary' && s.outcome.decay, undefined);
  assert.equal(s.effect.person_sd, 0);
});

test('outside a clusters design icc, decay, cac < 1 and person_sd > 0 are errors naming their paths', () => {
  const got = problems(scenario('{type: continuous, mean: 0, sd: 1, icc: 0.1, cac: [1, 0.5]}', '{size: 1, person_sd: 0.2}'));
  assert.deepEqual(got, [
    'effect.person_sd: 0: effect.person_sd is for a clusters design (design.type: clusters); here each unit is one person (its heterogeneity is effect.unit_sd)',
    'outcome.icc: no icc: outcome.icc is for a clusters design (design.type: clusters); here each unit is one person',
    'outcome.cac: 1 (the default): outcome.cac is for a clusters design (design.type: clusters); here each unit is one person',
  ]);
  assert.deepEqual(problems(scenario('{type: binary, p: 0.2, cac: 1}')), [], 'cac 1 is the default and harmless');
});

test('decay together with cac < 1 is an error; the ranges are the schema', () => {
  assert.ok(
    problems(scenario('{type: binary, p: 0.2, cac: 0.8, decay: 0.9}')).includes(
      'outcome.decay: no decay together with cac < 1 (cac: 0.8): decay^|s−t| replaces the block-exchangeable cac',
    ),
  );
  assert.ok(problems(scenario('{type: binary, p: 0.2, icc: 1}')).some((p) => p.startsWith('outcome.icc: ')));
  assert.ok(problems(scenario('{type: binary, p: 0.2, decay: 0}')).some((p) => p.startsWith('outcome.decay: ')));
  assert.ok(problems(scenario('{type: binary, p: 0.2}', '{person_sd: -1}')).some((p) => p.startsWith('effect.person_sd: ')));
  assert.ok(problems(scenario('{type: earnings, mean: 100, share_any: 0.3, icc: 0.1}')).some((p) => p.startsWith('outcome.icc: ')));
});

test('in a clusters design: the outcome continuous or binary with an icc; no effect.persistence; a cohort needs individual variance', () => {
  // design.type clusters comes with the cluster design's schema; its checks here read only type and sampling.
  const asClusters = (outcome: string, effect: string, sampling: string) => {
    const s = scenarioSchema.parse(parse(scenario(outcome, effect)));
    (s as { design: unknown }).design = {
      type: 'clusters',
      sampling,
      clusters: 6,
      cluster_size: { mean: 10, cv: 0 },
      waves: { count: 2 },
      churn: 0,
      never: 0,
      dropout: 0,
    }; // in place: the outcome aliases are non-enumerable
    return checkScenario(s as Scenario)
      .filter((p) => p.path.startsWith('outcome') || p.path.startsWith('effect'))
      .map((p) => `${p.path}: ${p.expected}`);
  };
  assert.deepEqual(asClusters('{type: binary, p: 0.04, icc: 0.02, decay: 0.9}', '{size: -0.01, person_sd: 0.3}', 'cross_section'), []);
  assert.deepEqual(asClusters('{type: earnings, mean: 100, share_any: 0.3}', '{size: 1}', 'cross_section'), [
    'outcome.type: continuous or binary in a clusters design (the cluster world draws those two)',
  ]);
  assert.deepEqual(asClusters('{type: binary, p: 0.1, unit_sd: 0, noise_sd: 0}', '{size: 0.01, persistence: 0.5}', 'cohort'), [
    'effect.persistence: 0 in a clusters design (the latent threshold already moves the same people)',
    'outcome.icc: the intra-cluster correlation in [0, 1) on the outcome scale (a clusters design needs it)',
    'outcome.noise_sd: a value above 0 (or unit_sd above 0): in a cohort they split the individual variance',
  ]);
});
