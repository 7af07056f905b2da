/**
 * The sign- and monotonicity-restricted sets and Δ^SDRM against R HonestDiD on Benzarti & Carloni's
 * event study (../shared/reference/peers/honestdid_BCdata_EventStudy.json: 4 pre-, 4 post-periods).
 *
 * Expected values: R HonestDiD as recorded by the Julia port (eohne/HonestDiD.jl, test/reference.jl,
 * "Auto-generated reference values from the R HonestDiD package (BCdata_EventStudy)", checked there by
 * test/validate_variants.jl): computeConditionalCS_Delta*(…, hybrid_flag = "ARP", gridPoints = 100) on
 * each function's default grid, l_vec = the first post-period unless stated; (lb, ub) = min and max of
 * the accepted grid points. The ARP (conditional) test is deterministic, so the bounds are grid points
 * and agree to rounding. M_UPPERBOUND is DeltaSD_upperBound_Mpre(betahat, sigma, 4), the top of
 * createSensitivityResults' default Mvec.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { seeded } from '../../src/random/stream.js';
import { defaultBounds, smoothnessUpperBoundMpre } from '../../src/sensitivity/default-bounds.js';
import { rmShapeSet } from '../../src/sensitivity/relative-magnitudes-shape.js';
import { sdConditionalSet } from '../../src/sensitivity/smoothness.js';
import { sdrmSet } from '../../src/sensitivity/smoothness-relative-magnitudes.js';
import { sdShapeSet } from '../../src/sensitivity/smoothness-shape.js';
import type { EventStudyCoefficients, RobustSet } from '../../src/sensitivity/types.js';
import { ROOT, sharedFile } from '../../test/helpers/reference.js';

const file = sharedFile('peers', 'honestdid_BCdata_EventStudy.json');
const raw = JSON.parse(readFileSync(file, 'utf8'));
const coef: EventStudyCoefficients = {
  betahat: raw.betahat,
  sigma: raw.sigma,
  numPre: raw.num_pre,
  numPost: raw.num_post,
  lVec: [1, 0, 0, 0],
};
const grid = { points: 100 };
const rng = () => seeded('shape-reference');

function near(s: RobustSet, lb: number, ub: number): void {
  assert.ok(s.lb !== null && s.ub !== null, s.reason);
  assert.ok(Math.abs(s.lb - lb) < 1e-6, `lb ${s.lb}, R ${lb}`);
  assert.ok(Math.abs(s.ub - ub) < 1e-6, `ub ${s.ub}, R ${ub}`);
}

describe('HonestDiD restriction sets on BCdata (R values recorded by HonestDiD.jl test/reference.jl)', () => {
  it('computeConditionalCS_DeltaSD(l_vec = rep(1/4, 4), M = 0.1): CCS_SD_AVG_ARP', () => {
    near(sdConditionalSet(rng(), { ...coef, lVec: [0.25, 0.25, 0.25, 0.25] }, 0.1, 'conditional', 0.05, grid), -0.1809607769, 0.8531008055);
  });
  it('DeltaSDB(M = 0.1, biasDirection = "positive"): CCS_SDB', () => {
    near(sdShapeSet(rng(), coef, 0.1, { bias: 'positive' }, 'conditional', 0.05, grid), 0.1191803207, 0.2232912874);
  });
  it('DeltaSDM(M = 0.1, monotonicityDirection = "increasing"): CCS_SDM', () => {
    near(sdShapeSet(rng(), coef, 0.1, { monotonicity: 'increasing' }, 'conditional', 0.05, grid), 0.1191803207, 0.2232912874);
  });
  it('DeltaRMB(Mbar = 1, biasDirection = "positive"): CCS_RMB', () => {
    near(rmShapeSet(rng(), coef, 1, { bias: 'positive' }, 'conditional', 0.05, grid), 0.07282522231, 0.33346286);
  });
  it('DeltaRMM(Mbar = 1, monotonicityDirection = "increasing"): CCS_RMM', () => {
    near(rmShapeSet(rng(), coef, 1, { monotonicity: 'increasing' }, 'conditional', 0.05, grid), 0.07282522231, 0.33346286);
  });
  it('DeltaSDRM(Mbar = 1): CCS_SDRM', () => {
    near(sdrmSet(rng(), coef, 1, 'conditional', 0.05, undefined, grid), 0.07282522231, 0.3794577373);
  });
  it('DeltaSDRMB(Mbar = 1, biasDirection = "negative"): CCS_SDRMB', () => {
    near(sdrmSet(rng(), coef, 1, 'conditional', 0.05, { bias: 'negative' }, grid), 0.06515940943, 0.3794577373);
  });
  it('DeltaSDRMM(Mbar = 1, monotonicityDirection = "decreasing"): CCS_SDRMM', () => {
    near(sdrmSet(rng(), coef, 1, 'conditional', 0.05, { monotonicity: 'decreasing' }, grid), 0.06515940943, 0.3794577373);
  });

  it("createSensitivityResults' default Mvec: seq(0, DeltaSD_upperBound_Mpre = M_UPPERBOUND, length.out = 10)", () => {
    const mub = smoothnessUpperBoundMpre(coef);
    assert.ok(Math.abs(mub - 0.202169869297069) < 1e-12, `${mub}`);
    const m = defaultBounds('smoothness', coef);
    assert.equal(m.length, 10);
    assert.equal(m[0], 0);
    assert.equal(m[9], mub);
    assert.ok(Math.abs(m[1] - mub / 9) < 1e-15);
  });

  it('stagger sensitivity --method smoothness_relative_magnitudes --mbar 1 --ci conditional records the restriction', () => {
    const cli = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
    const out = execFileSync(
      process.execPath,
      [
        cli,
        'sensitivity',
        '--coefficients',
        file,
        '--method',
        'smoothness_relative_magnitudes',
        '--mbar',
        '1',
        '--ci',
        'conditional',
        '--bias-direction',
        'negative',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    const j = JSON.parse(out);
    assert.deepEqual(j.restriction, { method: 'smoothness_relative_magnitudes', delta: 'DeltaSDRMNB', bias_direction: 'negative' });
    assert.equal(j.robust[0].bias_direction, 'negative');
    // R's 100-point set starts at its first accepted point, so the boundary lies within one of its steps
    // (40 sd / 99) below 0.06515940943; the 1000-point default grid finds it in that step.
    const step100 = (40 * Math.sqrt(coef.sigma[4][4])) / 99;
    assert.ok(j.robust[0].lb <= 0.06515940943 + 1e-9 && j.robust[0].lb > 0.06515940943 - step100, `${j.robust[0].lb}`);
    // The lower bound grows with M̄ here (0.062 at 1, 0.086 at 10), so no M̄ up to the search's 10 includes 0.
    assert.equal(j.breakdown, null);
    assert.match(j.breakdown_reason, /excludes 0 at every bound searched, up to 10/);
  });
});
