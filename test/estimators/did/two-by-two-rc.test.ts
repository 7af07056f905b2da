/**
 * DRDID's repeated-cross-section 2×2 estimators (two-by-two-rc.ts) checked without R: an influence
 * function is the derivative of the estimate with respect to one row's weight, ψ_i = n ∂ATT/∂w_i at
 * w = 1 (the weights are normalised to mean 1, so the estimate is a functional of the weighted
 * empirical distribution). Central differences with step 1e-5 agree with ψ to ~1e-7; the bound 1e-5
 * leaves room for the logit's convergence tolerance.
 *
 * One known exception, kept for parity with R did: DRDID's drdid_rc adds the estimation effect of the
 * comparison group's base-period outcome regression with the sign of the period-t one
 * (inf.treat.or = post + pre, inf.cont.or = post + pre, where the derivative has post − pre). The
 * term is asy.pre · (M1.pre − M3.pre), whose weights vanish as the propensity score balances x, so it
 * is asymptotically negligible; it touches only the comparison rows of the base period, which the dr
 * check therefore leaves out (and checks to differ, so that a silent "fix" is noticed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { twoByTwoRc, type RcCell } from '../../../src/estimators/did/two-by-two-rc.js';
import { seeded } from '../../../src/random/stream.js';

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** A 2×2 of 240 rows: treatment depends on x, the outcome on x, the period and treatment. */
function cell(): RcCell {
  const rng = seeded('rc-cell');
  const n = 240;
  const x = new Float64Array(n),
    y = new Float64Array(n),
    d = new Uint8Array(n),
    post = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = normal(rng);
    d[i] = rng() < 1 / (1 + Math.exp(-0.6 * x[i])) ? 1 : 0;
    post[i] = i % 2;
    y[i] = 1 + x[i] + 0.5 * post[i] * x[i] + d[i] * (0.3 + post[i]) + normal(rng);
  }
  return { cols: [new Float64Array(n).fill(1), x], y, d, post };
}

describe("repeated-cross-section 2×2: ψ is the derivative of the estimate in each row's weight", () => {
  const c = cell();
  const n = c.y.length;
  for (const method of ['dr', 'ipw', 'reg'] as const) {
    it(method, () => {
      const base = twoByTwoRc(method, c);
      assert.ok(base.failure === undefined);
      let mean = 0;
      for (const v of base.psi) mean += v / n;
      assert.ok(Math.abs(mean) < 1e-10, `mean ψ ${mean}`);
      const h = 1e-5;
      let skipped = 0;
      for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 50, 121, 239]) {
        const att = (e: number) => {
          const w = new Float64Array(n).fill(1);
          w[i] += e;
          const r = twoByTwoRc(method, { ...c, w });
          assert.ok(r.failure === undefined);
          return r.att;
        };
        const numeric = (n * (att(h) - att(-h))) / (2 * h);
        if (method === 'dr' && c.d[i] === 0 && c.post[i] === 0) {
          skipped++;
          assert.ok(Math.abs(numeric - base.psi[i]) > 1e-3, `row ${i}: DRDID's sign of the base-period term is expected here`);
          continue;
        }
        assert.ok(
          Math.abs(numeric - base.psi[i]) < 1e-5 * Math.max(1, Math.abs(numeric)),
          `row ${i}: numeric ${numeric}, ψ ${base.psi[i]}`,
        );
      }
      if (method === 'dr') assert.ok(skipped > 0 && skipped < 11);
    });
  }
});
