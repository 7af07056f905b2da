/**
 * Every estimator on the edge panels of the reliability sweep (issue 16): a constant outcome, a binary
 * outcome that is 0 everywhere, denormal outcomes, outcomes at 1e200 and 1e308, no unit treated, every
 * treated unit starting in the first period. Each answer holds no NaN/Infinity and no null without a
 * reason (test/helpers/finite-check.ts); outcomes too large for double precision are refused as "not
 * identified" naming max |y|.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEstimator, ESTIMATOR_TYPES } from '../../src/estimators/registry.js';
import { EXTERNAL_FLAGS, EXTERNAL_OPTIONS } from '../helpers/external-fake.js';
import { isNotIdentified } from '../../src/estimators/errors.js';
import { DID_SE_NA, outcomeLimit } from '../../src/estimators/finite-guard.js';
import { makePanel, type Panel } from '../../src/panel/panel.js';
import { seeded } from '../../src/random/index.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvProblems, jsonProblems } from '../helpers/finite-check.js';

const T = 5;
/** 18 units: 6 never treated, 6 from period 3, 6 from period 4; pairs (2k, 2k+1) for `matched`. */
function edgePanel(y: (i: number, t: number) => number, groups = [...Array(6).fill(0), ...Array(6).fill(3), ...Array(6).fill(4)]): Panel {
  const n = groups.length;
  const rng = seeded('finite-guard');
  const yy = new Float64Array(n * T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) yy[t * n + i] = y(i, t);
  return makePanel({
    periods: [1, 2, 3, 4, 5],
    group: groups,
    y: yy,
    covariates: { pair: Float64Array.from(groups, (_, i) => Math.floor(i / 2)), x: Float64Array.from(groups, () => rng()) },
  });
}
/** Pairs of one treated (period 3) and one never-treated unit, for every family including matched. */
const PAIRED = Array.from({ length: 18 }, (_, i) => (i % 2 === 0 ? 3 : 0));

const OPTIONS: Record<string, object> = { efficient: { minE: 0, maxE: 2 }, matched: { pair: 'pair' }, external: EXTERNAL_OPTIONS };
const estimateWith = (type: string, panel: Panel) => buildEstimator(type, OPTIONS[type] ?? {}).estimate(panel, seeded(`e\0${type}`));

for (const [label, y] of [
  ['constant outcome', () => 5],
  ['binary outcome all 0', () => 0],
  ['denormal outcome', (i: number, t: number) => 5e-324 * ((i + t) % 4)],
] as const) {
  test(`${label}: every estimator answers with finite numbers or a reason`, () => {
    for (const type of ESTIMATOR_TYPES) {
      const est = estimateWith(type, edgePanel(y, PAIRED));
      // The raw object (NaN would survive here) and its JSON (where NaN turns into a bare null).
      assert.deepEqual(jsonProblems(est), [], `${type}: ${label}`);
      assert.deepEqual(jsonProblems(JSON.parse(JSON.stringify(est))), [], `${type}: ${label} (JSON)`);
    }
  });
}

test('constant outcome, did: ATT 0 and no SE, as R did 2.5.1 (att_gt.R: se <= sqrt(eps)*10 is set to NA), with the reason', () => {
  const est = estimateWith(
    'did',
    edgePanel(() => 5),
  );
  assert.ok(est.att_gt.length > 0);
  for (const c of est.att_gt) {
    assert.equal(c.att, 0);
    assert.equal(c.se, null);
    assert.equal(c.reason, DID_SE_NA);
  }
  assert.equal(est.aggregates.simple?.se, null);
  assert.equal(est.aggregates.simple?.reason, DID_SE_NA);
});

test('outcomes at 1e200 and 1e308: every estimator refuses as not identified, naming max |y|', () => {
  for (const big of [1e200, 1e308]) {
    const panel = edgePanel((i, t) => big * (0.5 + ((i * 7 + t) % 5) / 10), PAIRED);
    for (const type of ESTIMATOR_TYPES) {
      assert.throws(
        () => estimateWith(type, panel),
        (e: unknown) => {
          assert.ok(isNotIdentified(e), `${type}: ${String(e)}`);
          assert.match(
            (e as Error).message,
            new RegExp(
              `^${type}: not identified: outcome values too large to estimate in double precision \\(max \\|y\\| = ${(big * 0.9).toExponential(3).replace('+', '\\+')}`,
            ),
          );
          return true;
        },
      );
    }
  }
});

test('the outcome limit: √MAX_VALUE / N, so N·max|y| squared stays finite; a panel just under it is estimated', () => {
  // 90 values: √(1.797e308)/90 = 1.490e152 (closed form).
  assert.ok(Math.abs(outcomeLimit(90) / 1.4898e152 - 1) < 1e-4);
  const under = outcomeLimit(90) / 2;
  const est = estimateWith(
    'did',
    edgePanel((i, t) => under * (((i * 7 + t) % 5) / 5)),
  );
  assert.deepEqual(jsonProblems(est), []);
  assert.ok(est.aggregates.simple?.se !== null && Number.isFinite(est.aggregates.simple!.se!));
});

test('no unit treated, or every treated unit from the first period: finite or a reason; did refuses as not identified', () => {
  for (const groups of [Array(18).fill(0), [...Array(9).fill(0), ...Array(9).fill(1)]]) {
    const panel = edgePanel((i, t) => Math.sin(i * 3 + t), groups);
    for (const type of ESTIMATOR_TYPES) {
      if (type === 'matched') continue; // its pairs need one treated unit each (an input error, tested in matched/)
      let est: ReturnType<typeof estimateWith>;
      try {
        est = estimateWith(type, panel);
      } catch (e) {
        assert.ok(type === 'did' && isNotIdentified(e), `${type}: ${String(e)}`);
        continue;
      }
      assert.deepEqual(jsonProblems(est), [], type);
    }
  }
});

test('bacon with nothing changing treatment: bacon is null with bacon_reason', () => {
  const est = estimateWith(
    'bacon',
    edgePanel((i, t) => Math.sin(i + t), Array(18).fill(0)),
  ) as unknown as { bacon: unknown; bacon_reason?: string };
  assert.equal(est.bacon, null);
  assert.match(est.bacon_reason ?? '', /treat/);
});

test('stagger estimate on a constant-outcome CSV panel (every estimator, and did --unbalanced): the tidy CSV holds no NaN, Infinity or unexplained null', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-finite-'));
  const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
  for (const [label, y] of [['constant', (_i: number, _t: number) => '5']] as const) {
    const rows = ['id,period,first_treat,y,pair'];
    PAIRED.forEach((g, i) => {
      for (let t = 1; t <= T; t++) rows.push(`${i + 1},${t},${g},${y(i, t)},${Math.floor(i / 2)}`);
    });
    const data = join(dir, `${label}.csv`);
    writeFileSync(data, `${rows.join('\n')}\n`);
    for (const args of [
      ...ESTIMATOR_TYPES.map((e) => [
        '--estimator',
        e,
        ...(e === 'efficient' ? ['--min-e', '0', '--max-e', '2'] : e === 'external' ? EXTERNAL_FLAGS : []),
      ]),
      ['--unbalanced'],
    ]) {
      const out = join(dir, `${label}-${args.join('').replace(/\//g, '_')}.tidy.csv`);
      // (The JSON is the Estimate checked in-process above.)
      const r = spawnSync(process.execPath, [cli, 'estimate', '--data', data, '--csv', out, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${label} ${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /NaN|Infinity/, `${label} ${args.join(' ')}: printed table`);
      assert.deepEqual(csvProblems(readFileSync(out, 'utf8')), [], `${label} ${args.join(' ')}: tidy CSV`);
    }
  }
});
