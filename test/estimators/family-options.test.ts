/**
 * One option schema per family: the registry, `stagger estimate` and the scenario schema refuse an
 * option a family does not implement (naming the option, the family and the valid ones), accept every
 * option a family does implement, and reject values out of range with a clean message.
 */
import { seeded } from '../../src/random/stream.js';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAMILIES, FAMILY_OPTIONS } from '../../src/estimators/family-options.js';
import { buildEstimator } from '../../src/estimators/registry.js';
import { parseScenario, ScenarioError } from '../../src/scenario/index.js';
import { tempDir } from '../engine/helpers.js';
import { synthPanel } from './helpers.js';
import { EXTERNAL_OPTIONS } from '../helpers/external-fake.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const r1Text = readFileSync(new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url), 'utf8');
const withEstimator = (entry: string) =>
  r1Text.replace(/^ {4}- \{ name: cs_dr, type: did.*$/m, `    - ${entry}\n    - { name: cs_dr, type: did }`);

describe('registry: each family takes exactly its options', () => {
  it('bacon and efficient refuse anticipation and covariates, naming the family, the option and what they take', () => {
    assert.throws(
      () => buildEstimator('bacon', { anticipation: 2 }),
      /bacon does not take anticipation \(bacon takes: cluster; nearest: cluster\); anticipation is taken by did, twfe, sunab, bjs/,
    );
    assert.throws(() => buildEstimator('bacon', { covariates: ['x'] }), /bacon does not take covariates/);
    assert.throws(
      () => buildEstimator('efficient', { covariates: ['x'] }),
      /efficient does not take covariates \(efficient takes: aggregations, minE, maxE, beta, se, cells, permutations, seed/,
    );
    assert.throws(() => buildEstimator('efficient', { anticipation: 1 }), /efficient does not take anticipation/);
    assert.throws(() => buildEstimator('twfe', { method: 'dr' }), /twfe does not take method .*; method is taken by did/);
  });

  it('neutral values (no covariates, no anticipation) and run-wide settings are accepted by every family', () => {
    for (const f of FAMILIES) {
      assert.doesNotThrow(
        () =>
          buildEstimator(f, {
            covariates: [],
            anticipation: 0,
            alpha: 0.1,
            aggregations: ['simple'],
            pretest: false,
            cells: false,
            ...(f === 'external' ? EXTERNAL_OPTIONS : {}),
          }),
        f,
      );
    }
  });

  it('twfe, sunab and bjs now take anticipation and covariates, and the estimate changes with them', () => {
    const p = synthPanel({ seed: 'opts', groups: [0, 0, 0, 3, 3, 4, 4, 5, 5, 0], T: 6, effect: (_g, e) => 1 + e });
    for (const f of ['twfe', 'sunab', 'bjs'] as const) {
      const a = buildEstimator(f).estimate(p, seeded('t')).aggregates.simple!.att!;
      const b = buildEstimator(f, { anticipation: 1 }).estimate(p, seeded('t')).aggregates.simple!.att!;
      assert.ok(Math.abs(a - b) > 1e-6, `${f}: anticipation changes the estimate`);
      assert.throws(
        () => buildEstimator(f, { covariates: ['nope'] }).estimate(p, seeded('t')),
        new RegExp(`${f}: covariate "nope" is not a column`),
      );
    }
  });

  it('values out of range are refused cleanly: alpha 0 or 1, anticipation −1 or 1.5', () => {
    for (const f of FAMILIES) {
      assert.throws(() => buildEstimator(f, { alpha: 0 }), new RegExp(`${f}: alpha: expected a level in \\(0, 1\\), found 0`));
      assert.throws(() => buildEstimator(f, { alpha: 1 }), /alpha: expected a level in \(0, 1\), found 1/);
    }
    for (const f of ['did', 'twfe', 'sunab', 'bjs'] as const) {
      assert.throws(() => buildEstimator(f, { anticipation: -1 }), /anticipation: expected a whole number of periods ≥ 0, found -1/);
      assert.throws(() => buildEstimator(f, { anticipation: 1.5 }), /anticipation: expected a whole number of periods ≥ 0, found 1.5/);
    }
  });
});

describe("scenario schema: an estimator entry has exactly its family's keys", () => {
  const problems = (entry: string): string[] => {
    try {
      parseScenario(withEstimator(entry), 'bad.yaml');
    } catch (err) {
      assert.ok(err instanceof ScenarioError, String(err));
      return [err.message];
    }
    return [];
  };

  it('{type: bjs, anticipation: 2, covariates: [age]} is valid now that bjs implements both', () => {
    assert.deepEqual(problems('{ name: b, type: bjs, anticipation: 2, covariates: [age] }'), []);
  });

  it('a key the family does not take is an error with file:line, the path, the key, the family and the nearest valid key', () => {
    const [m] = problems('{ name: b, type: bacon, anticipation: 2 }');
    // The entry's line in R1 (1-based), wherever R1 has it.
    const line = r1Text.split('\n').findIndex((l) => /^ {4}- \{ name: cs_dr, type: did/.test(l)) + 1;
    assert.match(m, new RegExp(`bad\\.yaml:${line}: `));
    assert.match(
      m,
      /analysis\.estimators\.0\.anticipation: expected an option of the bacon estimator: bacon does not take anticipation \(bacon takes: name, type; nearest: name\); anticipation is taken by did, twfe, sunab, bjs/,
    );
    assert.match(
      problems('{ name: e, type: efficient, covariates: [age] }')[0],
      /analysis\.estimators\.0\.covariates: expected an option of the efficient estimator: efficient does not take covariates/,
    );
    assert.match(
      problems('{ name: t, type: twfe, base_period: universal }')[0],
      /twfe does not take base_period \(twfe takes: name, type, anticipation, covariates, vcov, df, wild, wild_weights; nearest: /,
    );
    assert.match(problems('{ name: d, type: dim, se: neyman }')[0], /dim does not take se .*; se is taken by efficient/);
  });

  it('an unknown family lists the known ones; the default type is did', () => {
    assert.match(problems('{ name: x, type: ols }')[0], /analysis\.estimators\.0\.type/);
    const s = parseScenario(withEstimator('{ name: plain }'), 'ok.yaml');
    assert.equal(s.analysis.estimators[0].type, 'did');
    assert.equal(s.analysis.estimators[0].method, 'dr');
    assert.deepEqual(
      s.analysis.estimators.map((e) => e.covariates),
      [[], []],
    );
  });

  it("every family's scenario keys map to options it implements", () => {
    for (const f of FAMILIES) assert.ok(Object.keys(FAMILY_OPTIONS[f]).length >= 1, f);
  });
});

describe('stagger estimate: flags the chosen family does not implement', () => {
  const dir = tempDir('family-flags');
  const csv = join(dir, 'p.csv');
  const p = synthPanel({ seed: 'cli', groups: [0, 0, 0, 3, 3, 4, 4, 0], T: 5, effect: () => 1 });
  const rows = ['id,period,first_treat,y'];
  for (let i = 0; i < p.nUnits; i++)
    for (let t = 0; t < p.nPeriods; t++) rows.push(`${i + 1},${t + 1},${p.group[i]},${p.y[t * p.nUnits + i]}`);
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'estimate', '--data', csv, ...args], { encoding: 'utf8' });

  it('refuses, with the family, the flag and the flags it takes; no stack trace', () => {
    for (const [args, re] of [
      [
        ['--estimator', 'bacon', '--anticipation', '2'],
        /bacon does not take --anticipation \(bacon takes: --cluster; nearest: --cluster\); --anticipation works with --estimator did, twfe, sunab, bjs/,
      ],
      [['--estimator', 'efficient', '--covariates', 'y'], /efficient does not take --covariates/],
      [['--estimator', 'twfe', '--method', 'reg'], /twfe does not take --method .*works with --estimator did/],
      [['--estimator', 'sunab', '--seed', '3'], /sunab does not take --seed/],
      [['--estimator', 'bjs', '--anticipation', '-1'], /^stagger: --anticipation: expected a whole number of periods ≥ 0, found -1\n$/],
      [['--estimator', 'twfe', '--anticipation', '1.5'], /^stagger: --anticipation: expected a whole number of periods ≥ 0, found 1.5\n$/],
      [['--estimator', 'sunab', '--anticipation', 'abc'], /^stagger: --anticipation: expected a number, found "abc"\n$/],
      [['--estimator', 'bacon', '--alpha', '0'], /^stagger: --alpha: expected a level in \(0, 1\), e.g. 0.05, found 0\n$/],
      [['--estimator', 'dim', '--alpha', '1'], /^stagger: --alpha: expected a level in \(0, 1\), e.g. 0.05, found 1\n$/],
    ] as const) {
      const r = run(...args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace: ${args.join(' ')}`);
    }
  });

  it('accepts what the family implements: twfe with --anticipation and --reference, bjs with --anticipation', () => {
    const out = JSON.parse(
      execFileSync(
        process.execPath,
        [CLI, 'estimate', '--data', csv, '--estimator', 'twfe', '--anticipation', '1', '--reference', '-3', '--json'],
        { encoding: 'utf8' },
      ),
    );
    assert.equal(out.aggregates.dynamic.detail.find((d: { att: number; se: number | null }) => d.att === 0 && d.se === null).key, -3);
    assert.equal(run('--estimator', 'bjs', '--anticipation', '1').status, 0);
  });
});
