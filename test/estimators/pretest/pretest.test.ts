/**
 * Pre-tests and what they hide (Roth 2022): the noncentral χ² tail against the closed form for one
 * degree of freedom (Φ(−√c − √λ) + 1 − Φ(√c − √λ)); the slope for 50 % and 80 % power against the
 * two-sided z-test's closed form (q = 1, both tests) and against a Monte Carlo of the Wald test (q = 3);
 * the engine's pass/fail rule on hand-made estimates; the Wald pre-test on the last K pre-periods equal
 * to R did's full test when K covers them all; the engine's pseudo-estimators on the bundled teaching
 * scenario (pass rate, conditional records); and the CLI's report.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSimulation } from '../../../src/engine/scenario-simulation.js';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { pretestOutcome } from '../../../src/estimators/pretest/check.js';
import { estimateDidWithPretest } from '../../../src/estimators/pretest/did-wald.js';
import { chisqQuantile, noncentralChisqUpper, pretestPower, slopeForPower } from '../../../src/estimators/pretest/power.js';
import type { Estimate } from '../../../src/estimators/types.js';
import { randomNormal, seeded } from '../../../src/random/index.js';
import { pnorm } from '../../../src/stats/normal.js';
import { tempDir } from '../../engine/helpers.js';
import { near, synthPanel } from '../helpers.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const twoSided = (shift: number) => pnorm(-1.959964 - shift) + 1 - pnorm(1.959964 - shift);

describe('pre-test power', () => {
  it('noncentral χ²₁ tail equals Φ(−√c − √λ) + 1 − Φ(√c − √λ)', () => {
    for (const [c, lam] of [
      [3.841459, 0.5],
      [3.841459, 7.84],
      [1, 20],
      [10, 3],
    ]) {
      near(
        noncentralChisqUpper(c, 1, lam),
        pnorm(-Math.sqrt(c) - Math.sqrt(lam)) + 1 - pnorm(Math.sqrt(c) - Math.sqrt(lam)),
        1e-8,
        `c=${c}, λ=${lam}`,
      ); // both routes good to ~1e-9
    }
    near(chisqQuantile(0.95, 3), 7.814728, 1e-5, 'χ²₃(0.95) (R: qchisq(0.95, 3))');
  });

  it('one coefficient (σ = 0.2): the slope with 50 % / 80 % power solves the two-sided z-test power, both tests', () => {
    const bisect = (target: number) => {
      let lo = 0,
        hi = 10;
      for (let k = 0; k < 100; k++) {
        const m = (lo + hi) / 2;
        if (twoSided(m) < target) lo = m;
        else hi = m;
      }
      return lo * 0.2;
    };
    const d = { sigma: Float64Array.of(0.04), v: Float64Array.of(1), alpha: 0.05 };
    for (const power of [0.5, 0.8]) {
      near(slopeForPower(seeded('p1'), { ...d, kind: 'wald' }, power), bisect(power), 1e-7, `Wald ${power}`);
      const ind = slopeForPower(seeded('p1'), { ...d, kind: 'individual' }, power);
      assert.ok(Math.abs(ind / bisect(power) - 1) < 0.02, `individual ${power}: ${ind} vs ${bisect(power)}`);
    }
  });

  it('three correlated coefficients: the Wald slope for 80 % power has 80 % power in a Monte Carlo (3 MC SEs)', () => {
    const sigma = Float64Array.of(0.04, 0.01, 0, 0.01, 0.05, 0.01, 0, 0.01, 0.03);
    const d = { sigma, v: Float64Array.of(1, 1, 1), alpha: 0.05, kind: 'wald' as const };
    const g = slopeForPower(seeded('p3'), d, 0.8);
    // Simulate β̂ = γv + L z and the Wald statistic β̂'Σ⁻¹β̂ against χ²₃(0.95) = 7.814728.
    const z = randomNormal(seeded('p3-mc'));
    const S = 4000;
    let reject = 0;
    const L = [
      [0.2, 0, 0],
      [0.05, 0, 0],
      [0, 0, 0],
    ];
    L[1][1] = Math.sqrt(0.05 - 0.05 * 0.05);
    L[2][1] = 0.01 / L[1][1];
    L[2][2] = Math.sqrt(0.03 - L[2][1] ** 2);
    const inv = invert3(sigma);
    for (let s = 0; s < S; s++) {
      const e = [z(), z(), z()];
      const b = [0, 1, 2].map((j) => g + L[j][0] * e[0] + L[j][1] * e[1] + L[j][2] * e[2]);
      let w = 0;
      for (let a = 0; a < 3; a++) for (let c = 0; c < 3; c++) w += b[a] * inv[a * 3 + c] * b[c];
      if (w > 7.814728) reject++;
    }
    const rate = reject / S,
      mcse = Math.sqrt((0.8 * 0.2) / S);
    assert.ok(Math.abs(rate - 0.8) <= 3 * mcse, `rejection rate ${rate} at slope ${g}`);
    near(pretestPower(d, g), 0.8, 1e-6, 'analytic power at the slope');
  });
});

function invert3(m: Float64Array): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return Float64Array.of(A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d).map(
    (x) => x / det,
  );
}

describe('pre-tests in the engine', () => {
  const est = (detail: [number, number, number][], p: number | null): Estimate => ({
    estimator: 'x',
    att_gt: [],
    messages: [],
    wald_pretest: p === null ? null : { W: 1, df: 2, p },
    aggregates: { dynamic: { att: 0, se: 1, detail: detail.map(([key, att, se]) => ({ key, att, se })) } },
  });

  it('wald passes when p > α; individual when no coefficient in −K … −1 is significant; null without a test', () => {
    assert.deepEqual(pretestOutcome(est([], 0.2), { test: 'wald', alpha: 0.05, periods: 3 }), { passed: true, p: 0.2 });
    assert.equal(pretestOutcome(est([], 0.01), { test: 'wald', alpha: 0.05, periods: 3 })!.passed, false);
    assert.equal(pretestOutcome(est([], null), { test: 'wald', alpha: 0.05, periods: 3 }), null);
    const ind = { test: 'individual' as const, alpha: 0.05, periods: 2 };
    assert.equal(
      pretestOutcome(
        est(
          [
            [-3, 5, 1],
            [-2, 1.9, 1],
            [-1, -1, 1],
          ],
          null,
        ),
        ind,
      )!.passed,
      true,
    ); // e = −3 is outside K = 2
    const r = pretestOutcome(
      est(
        [
          [-2, 2.1, 1],
          [-1, 0, 1],
        ],
        null,
      ),
      ind,
    )!;
    assert.equal(r.passed, false);
    near(r.p, 2 * (1 - pnorm(2.1)), 1e-12, 'smallest p');
    assert.equal(pretestOutcome(est([[0, 1, 1]], null), ind), null);
  });

  it("the Wald pre-test on the last K pre-periods is R did's full test when K covers them all, and smaller otherwise", () => {
    const p = synthPanel({
      seed: 'pt-wald',
      groups: [...Array(15).fill(4), ...Array(15).fill(6), ...Array(15).fill(0)],
      T: 7,
      effect: () => 1,
    });
    const full = estimateDid(p, { method: 'reg' }).wald_pretest!;
    const all = estimateDidWithPretest(p, { method: 'reg' }, 10).wald_pretest!;
    near(all.W, full.W!, 1e-12, 'W');
    assert.equal(all.df, full.df);
    assert.equal(estimateDidWithPretest(p, { method: 'reg' }, 1).wald_pretest!.df, 2); // ATT(4,3), ATT(6,5)
  });

  it('teach-pretest.yaml: every draw gives cs|pretest pass ∈ {0, 1} and cs|passed records, nulled when rejected', () => {
    const sim = createSimulation({ scenarioFile: join(ROOT, 'scenarios', 'teach-pretest.yaml') });
    assert.deepEqual(sim.estimators, ['cs', 'cs|pretest', 'cs|passed']);
    let passes = 0,
      bias = 0;
    const D = 30;
    for (let d = 0; d < D; d++) {
      const recs = sim.runDraw('11', 0, d);
      const pass = recs.find((r) => r.estimator === 'cs|pretest' && r.estimand === 'pass')!;
      const cond = recs.find((r) => r.estimator === 'cs|passed' && r.estimand === 'simple')!;
      const base = recs.find((r) => r.estimator === 'cs' && r.estimand === 'simple')!;
      if (pass.estimate === 1) {
        passes++;
        assert.equal(cond.estimate, base.estimate);
        bias += cond.estimate! - cond.truth!;
      } else {
        assert.equal(cond.estimate, null);
        assert.match(cond.reason!, /^pre-test rejected \(p = /);
      }
    }
    // The teaching point, on 30 seeded draws: the test mostly passes, and the passing draws are biased
    // upwards (`stagger run … --draws 200 --seed 1`: pass rate 0.83, bias | pass 0.21 with MC SE 0.01).
    assert.ok(passes >= 20, `passes ${passes} of ${D}`);
    assert.ok(bias / passes > 0.1, `mean error among passing draws ${bias / passes}`);
  });
});

describe('stagger estimate --pretest-power', () => {
  it('prints the slopes for 50 % and 80 % power and the bias table; JSON under pretest_power', () => {
    const dir = tempDir('pretest-power');
    const csv = join(dir, 'p.csv');
    const main = join(ROOT, 'dist', 'src', 'cli', 'main.js');
    execFileSync(process.execPath, [main, 'simulate', join(ROOT, 'scenarios', 'teach-pretest.yaml'), '--out', csv], { stdio: 'pipe' });
    const args = [
      'estimate',
      '--data',
      csv,
      '--method',
      'reg',
      '--control',
      'notyet',
      '--max-e',
      '2',
      '--pretest-power',
      '--pretest-periods',
      '3',
    ];
    const text = execFileSync(process.execPath, [main, ...args], { encoding: 'utf8' });
    assert.match(text, /a linear pre-trend of [0-9.]+ per period is detected half the time, [0-9.]+ with 80 % power/);
    const j = JSON.parse(execFileSync(process.execPath, [main, ...args, '--json'], { encoding: 'utf8' }));
    const r = j.pretest_power;
    assert.deepEqual(
      r.pre.map((x: { e: number }) => x.e),
      [-3, -2, -1],
    );
    assert.ok(r.slope80 > r.slope50 && r.slope50 > 0);
    near(r.bias.find((b: { e: number }) => b.e === 2).at80, 3 * r.slope80, 1e-12, 'bias at e = 2 is 3γ');
    assert.throws(
      () => execFileSync(process.execPath, [main, ...args, '--estimator', 'twfe'], { stdio: 'pipe' }),
      /--pretest-power works with --estimator did/,
    );
  });
});
