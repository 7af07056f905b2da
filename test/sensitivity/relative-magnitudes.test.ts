/**
 * Δ^RM(M̄) against its definition and its identified set (closed forms). HonestDiD's printed results
 * on the Medicaid example are in test-reference/sensitivity/relative-magnitudes.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../../src/random/stream.js';
import { rmConstraints, rmRobustSet } from '../../src/sensitivity/relative-magnitudes.js';

describe('rmConstraints', () => {
  it('Aδ ≤ 0 holds exactly when δ is in Δ^RM_{s,±}(M̄) as Rambachan & Roth define it (random δ)', () => {
    const numPre = 3;
    const numPost = 2;
    const rng = seeded(5);
    for (const mbar of [0, 0.5, 2]) {
      for (let s = -(numPre - 1); s <= 0; s++) {
        for (const positive of [true, false]) {
          const a = rmConstraints(numPre, numPost, mbar, s, positive);
          for (let trial = 0; trial < 300; trial++) {
            const delta = Array.from({ length: numPre + numPost }, () => rng() * 2 - 1);
            // δ with the reference period (δ_0 = 0) put back; first differences Δ_t = δ_t − δ_{t−1}.
            const full = [...delta.slice(0, numPre), 0, ...delta.slice(numPre)];
            const diffs = full.slice(1).map((v, i) => v - full[i]);
            const ds = (positive ? 1 : -1) * diffs[numPre - 1 + s];
            const inSet = diffs.every((dt, t) => Math.abs(dt) <= (t < numPre ? 1 : mbar) * ds + 1e-12);
            const byA = a.every((row) => row.reduce((acc, v, j) => acc + v * delta[j], 0) <= 1e-12);
            assert.equal(byA, inSet, `M̄ ${mbar}, s ${s}, ${positive ? '+' : '−'}, δ ${delta}`);
          }
        }
      }
    }
  });
});

describe('rmRobustSet', () => {
  // Nearly noiseless coefficients (sd 1e-4): the robust set is the identified set (their eq. 2.4 bound):
  // pre-period changes 0.1 − (−0.2) = 0.3 and 0 − 0.1 = −0.1, so |δ_1 − δ_0| ≤ 0.3·M̄ and
  // θ = τ_1 = β_1 − δ_1 ∈ [1 − 0.3·M̄, 1 + 0.3·M̄].
  const v = 1e-8;
  const sigma = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? v : 0)));
  const coef = { betahat: [-0.2, 0.1, 1.0, 1.5], sigma, numPre: 2, numPost: 2, lVec: [1, 0] };
  const grid = { lb: 0, ub: 2, points: 2001 };
  for (const ci of ['conditional', 'c-lf'] as const) {
    it(`${ci}: is the identified set [1 − 0.3·M̄, 1 + 0.3·M̄] when the noise vanishes`, () => {
      for (const mbar of [0, 1, 2]) {
        const r = rmRobustSet(seeded(1), coef, mbar, ci, 0.05, grid);
        assert.ok(Math.abs(r.lb! - (1 - 0.3 * mbar)) <= 0.0011, `M̄ ${mbar} lb ${r.lb}`);
        assert.ok(Math.abs(r.ub! - (1 + 0.3 * mbar)) <= 0.0011, `M̄ ${mbar} ub ${r.ub}`);
      }
    });
  }
  it('reports a set that reaches the end of the grid', () => {
    const r = rmRobustSet(seeded(1), coef, 1, 'conditional', 0.05, { lb: 0.9, ub: 1.1, points: 21 });
    assert.ok(r.reason?.includes('end of the θ grid'), r.reason);
  });
});

describe('eventStudyFromDynamic', () => {
  it("drops the reference row −1 and splits pre/post as HonestDiD's honest_did.AGGTEobj", async () => {
    const { eventStudyFromDynamic } = await import('../../src/sensitivity/from-dynamic.js');
    const keys = [-3, -2, -1, 0, 1];
    const detail = keys.map((key, i) => ({ key, att: key === -1 ? 0 : i / 10, se: key === -1 ? null : 0.1 }));
    const vcov = keys.map((a) => keys.map((b) => (a === -1 || b === -1 ? null : a === b ? 0.01 : 0.002)));
    const r = eventStudyFromDynamic({ att: null, se: null, detail, vcov }, { e: 1 });
    assert.ok('coef' in r);
    assert.deepEqual(r.coef.betahat, [0, 0.1, 0.3, 0.4]);
    assert.equal(r.coef.numPre, 2);
    assert.equal(r.coef.numPost, 2);
    assert.deepEqual(r.coef.lVec, [0, 1]);
    assert.equal(r.coef.sigma[0][0], 0.01);
    assert.equal(r.coef.sigma[0][3], 0.002);
    const gap = eventStudyFromDynamic({ att: null, se: null, detail: [detail[0], detail[2], detail[3]], vcov }, {});
    assert.ok('reason' in gap && gap.reason.includes('consecutive'));
    const none = eventStudyFromDynamic({ att: null, se: null, detail }, {});
    assert.ok('reason' in none && none.reason.includes('covariance'));
  });
});

describe('breakdownBisect', () => {
  it('finds the threshold of a monotone family to within tol, from the bracket the known bounds give', async () => {
    const { breakdownBisect } = await import('../../src/sensitivity/breakdown.js');
    const calls: number[] = [];
    const r = breakdownBisect(
      (b) => {
        calls.push(b);
        return b >= 1.2345;
      },
      {
        hi: 10,
        tol: 1e-3,
        known: [
          { bound: 1, includesZero: false },
          { bound: 2, includesZero: true },
        ],
      },
    );
    assert.ok(r.value! >= 1.2345 && r.value! - 1.2345 <= 1e-3, `value ${r.value}`);
    assert.ok(
      calls.every((b) => b > 1 && b < 2),
      `searched outside the known bracket: ${calls}`,
    );
    assert.equal(r.evaluations, calls.length);
    assert.equal(calls.length, 10); // log2(1 / 0.001) rounded up
    const never = breakdownBisect(() => false, { hi: 10, tol: 1e-3 });
    assert.equal(never.value, null);
    assert.match(never.reason!, /up to 10/);
    assert.equal(breakdownBisect(() => true, { hi: 10, tol: 1e-3 }).value, 0);
  });
});
