/**
 * Sign and monotonicity restrictions, Δ^SDRM and HonestDiD's default bounds: the constraint rows
 * against hand-worked matrices (HonestDiD's .create_A_B, .create_A_M, .create_A_SDRM layouts), the
 * identified set's closed form, and every combination `stagger sensitivity` and analysis.sensitivity
 * refuse, with the valid ones named. R parity of the sets themselves: test-reference/sensitivity/
 * shape-restrictions.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { runEngine } from '../../src/engine/run.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseScenario } from '../../src/scenario/load.js';
import { defaultBounds, seqLength, smoothnessUpperBoundMpre } from '../../src/sensitivity/default-bounds.js';
import { robustEstimandId } from '../../src/sensitivity/from-estimate.js';
import { polyhedralIdentifiedSet } from '../../src/sensitivity/identified-set-lp.js';
import { monotonicityRows, signRows } from '../../src/sensitivity/shape-rows.js';
import { smoothnessConstraints } from '../../src/sensitivity/smoothness-geometry.js';
import { sdrmConstraints } from '../../src/sensitivity/smoothness-relative-magnitudes.js';
import { CLI, tempDir } from '../engine/helpers.js';

const diag = (n: number, v: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v : 0)));
const clean = (a: number[][]) => a.map((r) => r.map((v) => (v === 0 ? 0 : v)));

describe('constraint rows (HonestDiD layout, reference period dropped)', () => {
  it('sign: −δ_t ≤ 0 (positive) or δ_t ≤ 0 (negative) on each post-period', () => {
    assert.deepEqual(clean(signRows(2, 2, 'positive')), [
      [0, 0, -1, 0],
      [0, 0, 0, -1],
    ]);
    assert.deepEqual(clean(signRows(2, 2, 'negative')), [
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('monotonicity: δ_{t−1} − δ_t ≤ 0 through δ_0 = 0 (increasing); decreasing negates', () => {
    // Columns δ_{−2}, δ_{−1}, δ_1, δ_2: δ_{−2} ≤ δ_{−1}, δ_{−1} ≤ 0, 0 ≤ δ_1, δ_1 ≤ δ_2.
    const inc = [
      [1, -1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, -1, 0],
      [0, 0, 1, -1],
    ];
    assert.deepEqual(clean(monotonicityRows(2, 2, 'increasing')), inc);
    assert.deepEqual(clean(monotonicityRows(2, 2, 'decreasing')), clean(inc.map((r) => r.map((v) => -v))));
    // One pre-period: δ_{−1} ≤ 0 (the paper's restriction; HonestDiD's loop writes δ_{−1} − δ_1 there).
    assert.deepEqual(clean(monotonicityRows(1, 1, 'increasing')), [
      [1, 0],
      [0, -1],
    ]);
  });

  it('Δ^SDRM, 2 pre-periods, 1 post-period, M̄ = 1: the rows worked by hand', () => {
    // Full axis δ_{−2}, δ_{−1}, δ_0, δ_1; largest pre-period second difference v = (1, −2, 1, 0) (s = 0).
    // Rows Ã − v, −Ã − v with Ã = [(1,−2,1,0) pre, bound 1; (0,1,−2,1) post, bound M̄]: the first is 0 and
    // dropped; (0,1,−2,1) − v = (−1,3,−3,1), (−1,2,−1,0) − v = (−2,4,−2,0), (0,−1,2,−1) − v = (−1,1,1,−1);
    // then the δ_0 column goes.
    assert.deepEqual(clean(sdrmConstraints(2, 1, 1, 0, true)), [
      [-1, 3, 1],
      [-2, 4, 0],
      [-1, 1, -1],
    ]);
    // The negative polyhedron is v → −v: rows Ã + v, then −Ã + v, the latter 0 in the pre row; M̄ = 2
    // doubles v in the post row: (1,−2,1,0) + v = (2,−4,2,0), (0,1,−2,1) + 2v = (2,−3,0,1), …
    assert.deepEqual(clean(sdrmConstraints(2, 1, 2, 0, false)).slice(0, 2), [
      [2, -4, 0],
      [2, -3, 1],
    ]);
  });
});

describe('identified set and default bounds', () => {
  it('Δ^SD(M) ∩ {δ_1 ≥ 0} at β = 0, 2 pre, 1 post: δ_1 ∈ [0, M], so θ ∈ [−M, 0]', () => {
    const a = [...smoothnessConstraints(2, 1), ...signRows(2, 1, 'positive')];
    const d = [...smoothnessConstraints(2, 1).map(() => 0.3), 0];
    const id = polyhedralIdentifiedSet(a, d, [0, 0, 0], 2, [1]);
    assert.ok(Math.abs(id.lb + 0.3) < 1e-12 && Math.abs(id.ub) < 1e-12, JSON.stringify(id));
  });

  it('relative magnitudes: seq(0, 2, length.out = 10); smoothness with one pre-period: seq(0, sqrt(Σ_11), length.out = 10)', () => {
    const coef = { betahat: [0.1, 0.5], sigma: diag(2, 0.04), numPre: 1, numPost: 1, lVec: [1] };
    assert.deepEqual(defaultBounds('relative_magnitudes', coef), seqLength(0, 2, 10));
    assert.deepEqual(defaultBounds('smoothness_relative_magnitudes', coef), seqLength(0, 2, 10));
    assert.equal(defaultBounds('relative_magnitudes', coef)[9], 2);
    assert.ok(Math.abs(defaultBounds('relative_magnitudes', coef)[1] - 2 / 9) < 1e-15);
    assert.deepEqual(defaultBounds('smoothness', coef), seqLength(0, 0.2, 10));
  });

  it('DeltaSD_upperBound_Mpre: max over ±(second differences) of mean + z_0.95·sd, worked by hand', () => {
    // β_pre = (0.1, 0.3), Σ = 0.01·I: the one second difference through δ_0 = 0 is 0.1 − 2·0.3 = −0.5,
    // its sd sqrt(0.01·(1 + 4)) = 0.2236; the larger of ±(−0.5) + 1.6449·0.2236 is 0.5 + 0.3678.
    const coef = { betahat: [0.1, 0.3, 1], sigma: diag(3, 0.01), numPre: 2, numPost: 1, lVec: [1] };
    const z = 1.6448536269514722; // R: qnorm(0.95)
    assert.ok(Math.abs(smoothnessUpperBoundMpre(coef) - (0.5 + z * Math.sqrt(0.05))) < 1e-12);
  });
});

const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'sensitivity', ...args], { encoding: 'utf8' });
const dir = tempDir('sensitivity-shape');
const good = join(dir, 'good.json');
writeFileSync(good, JSON.stringify({ betahat: [0.05, -0.02, 0.01, 1.0, 1.2], sigma: diag(5, 0.01), num_pre: 3, num_post: 2 }));
const onePre = join(dir, 'one-pre.json');
writeFileSync(onePre, JSON.stringify({ betahat: [0.1, 0.5], sigma: diag(2, 0.01), num_pre: 1, num_post: 1 }));

describe('stagger sensitivity with shape restrictions and Δ^SDRM', () => {
  const refuse = (args: string[], pattern: RegExp) => {
    const r = run(args);
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  };

  it('refuses every combination a construction does not support, naming the valid ones', () => {
    refuse(
      ['--coefficients', good, '--bias-direction', 'positive', '--monotonicity-direction', 'increasing'],
      /--bias-direction and --monotonicity-direction: give one or the other, not both/,
    );
    refuse(['--coefficients', good, '--bias-direction', 'up'], /--bias-direction: expected one of positive, negative, found "up"/);
    refuse(
      ['--coefficients', good, '--monotonicity-direction', 'increasin'],
      /--monotonicity-direction: expected one of increasing, decreasing, found "increasin"; did you mean "increasing"\?/,
    );
    refuse(
      ['--coefficients', good, '--method', 'smoothness', '--m', '0.1', '--bias-direction', 'positive', '--ci', 'flci'],
      /--ci: smoothness with bias_direction positive implements c-f, conditional, c-lf, hybrid \(hybrid = c-f\); found "flci" \(the FLCI does not use sign or monotonicity restrictions/,
    );
    refuse(
      ['--coefficients', good, '--monotonicity-direction', 'decreasing', '--ci', 'c-f'],
      /--ci: relative_magnitudes with monotonicity_direction decreasing implements c-lf, conditional, hybrid \(hybrid = c-lf\); found "c-f"/,
    );
    refuse(
      ['--coefficients', good, '--method', 'smoothness_relative_magnitudes', '--ci', 'flci'],
      /--ci: smoothness_relative_magnitudes implements c-lf, conditional, hybrid \(hybrid = c-lf\); found "flci" \(HonestDiD offers the FLCI only for smoothness restrictions\)/,
    );
    refuse(
      ['--coefficients', good, '--method', 'smoothness_relative_magnitudes', '--m', '1'],
      /--m bounds smoothness; with --method smoothness_relative_magnitudes give --mbar/,
    );
    refuse(
      ['--coefficients', onePre, '--method', 'smoothness_relative_magnitudes', '--mbar', '1'],
      /--method smoothness_relative_magnitudes needs at least two pre-periods .* the event study has 1/,
    );
  });

  it("--json records the restriction at the top and on each set; the table names HonestDiD's Delta", () => {
    const r = run(['--coefficients', good, '--method', 'smoothness', '--m', '0.05', '--monotonicity-direction', 'increasing', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.restriction, { method: 'smoothness', delta: 'DeltaSDI', monotonicity_direction: 'increasing' });
    assert.equal(j.robust[0].ci, 'c-f', "HonestDiD's default with a shape restriction");
    assert.equal(j.robust[0].monotonicity_direction, 'increasing');
    assert.ok(j.robust[0].lb < 1 && 1 < j.robust[0].ub, JSON.stringify(j.robust[0]));
    const t = run(['--coefficients', good, '--method', 'smoothness_relative_magnitudes', '--mbar', '0.5', '--bias-direction', 'negative']);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /smoothness_relative_magnitudes, bias_direction negative: DeltaSDRMNB/);
    assert.match(t.stdout, /c-lf\s+0\.5/);
  });

  it('without --mbar: the ten bounds of seq(0, 2, length.out = 10)', () => {
    const r = run(['--coefficients', good, '--method', 'smoothness_relative_magnitudes', '--ci', 'conditional', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.robust.map((s: { mbar: number }) => s.mbar),
      seqLength(0, 2, 10),
    );
  });
});

describe('analysis.sensitivity with bias_direction / monotonicity_direction', () => {
  const FIXTURE = new URL('../../../test/engine/fixtures/sensitivity-violation.yaml', import.meta.url).pathname;
  const text = readFileSync(FIXTURE, 'utf8');
  const LINE = 'sensitivity: { type: relative_magnitudes, mbar: [1] }';
  const bad = (replacement: string) => () => parseScenario(text.replace(LINE, replacement), FIXTURE);

  it('refuses both directions, an FLCI with a shape and a ci the type lacks', () => {
    assert.throws(
      bad('sensitivity: { type: smoothness, m: [0.1], bias_direction: positive, monotonicity_direction: increasing }'),
      /give bias_direction or monotonicity_direction, not both/,
    );
    assert.throws(
      bad('sensitivity: { type: smoothness, m: [0.1], bias_direction: positive, ci: flci }'),
      /type smoothness with bias_direction implements c-f, conditional, c-lf, hybrid \(the FLCI does not use sign or monotonicity restrictions/,
    );
    assert.throws(
      bad('sensitivity: { type: smoothness_relative_magnitudes, mbar: [1], ci: c-f }'),
      /type smoothness_relative_magnitudes implements c-lf, conditional, hybrid/,
    );
    assert.throws(bad('sensitivity: { type: relative_magnitudes, mbar: [1], bias_direction: up }'), /bias_direction/);
    assert.throws(bad('sensitivity: { type: smoothness_relative_magnitudes, m: [1] }'), /m bounds the other restriction/);
  });

  it('the estimand id names the shape; a run scores Δ^SDRMPB on a 3-pre-period event study', async () => {
    assert.equal(robustEstimandId('smoothness', 0.01, { bias: 'positive' }), 'robust:smoothness:bias_direction=positive:m=0.01');
    assert.equal(robustEstimandId('smoothness_relative_magnitudes', 1), 'robust:smoothness_relative_magnitudes:mbar=1');
    const yaml = join(dir, 'sdrm.yaml');
    writeFileSync(
      yaml,
      text
        .replace(LINE, 'sensitivity: { type: smoothness_relative_magnitudes, mbar: [1], bias_direction: positive, ci: conditional }')
        .replace('event_window: [-2, 1]', 'event_window: [-4, 1]')
        .replace('count: 6', 'count: 8')
        .replace('period: 4,', 'period: 6,')
        .replace('period: 5,', 'period: 7,'),
    );
    const outDir = tempDir('sensitivity-shape-run');
    await runEngine({ ...scenarioSpec(yaml, {}), seed: '3', draws: 2, workers: 1, outDir });
    const draws: DrawRecord[][] = [];
    scanDrawsFile(join(outDir, 'draws'), (d) => draws.push(d.records));
    assert.equal(draws.length, 2);
    for (const recs of draws) {
      const r = recs.find((x) => x.estimand === 'robust:smoothness_relative_magnitudes:bias_direction=positive:mbar=1')!;
      const d0 = recs.find((x) => x.estimand === 'dynamic:0' && x.estimator === r.estimator)!;
      assert.equal(r.estimate, d0.estimate, r.reason ?? '');
      assert.ok(r.ciLow! <= r.estimate! && r.estimate! <= r.ciHigh!, JSON.stringify(r));
    }
  });
});
