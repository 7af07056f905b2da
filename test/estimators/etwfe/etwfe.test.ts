/**
 * etwfe without covariates against closed forms: with not-yet-treated controls and no covariates the
 * cohort × period regression is saturated in the treated cells, so τ̂_gt are the imputation estimates
 * (Wooldridge 2021, Section 6.3 / BJS 2024, Section 4.4) and emfx's averages are BJS's averages over the
 * same observations; a constant effect without noise is recovered exactly; with no never-treated
 * cohort the last cohort is the comparison (etwfe's gref = max(g)); options it does not implement are
 * refused by the registry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { estimateEtwfe } from '../../../src/estimators/etwfe/index.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { near, synthPanel } from '../helpers.js';

const panel = synthPanel({
  seed: 'etwfe',
  groups: [0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 6, 6, 6, 0, 3],
  T: 7,
  effect: (g, e) => 1 + 0.4 * e - 0.1 * g,
});

describe('etwfe', () => {
  it('no covariates: simple and event-time estimates equal the imputation estimates', () => {
    const a = estimateEtwfe(panel),
      b = estimateBjs(panel);
    near(a.aggregates.simple!.att, b.aggregates.simple!.att!, 1e-10, 'simple');
    for (const d of a.aggregates.dynamic!.detail!) {
      const x = b.aggregates.dynamic!.detail!.find((r) => r.key === d.key)!;
      near(d.att, x.att!, 1e-10, `e=${d.key}`);
      assert.ok(d.se !== null && d.se > 0);
    }
    assert.deepEqual(
      a.aggregates.group!.detail!.map((d) => d.key),
      [3, 4, 6],
    );
  });

  it('no never-treated units: the last cohort is the comparison and its periods are dropped', () => {
    const p = synthPanel({ seed: 'etwfe2', groups: [3, 3, 3, 4, 4, 4, 6, 6, 6], T: 7 });
    const out = estimateEtwfe(p);
    assert.match(out.messages.join(' '), /last cohort \(g=6\) is the comparison/);
    assert.ok(out.att_gt.every((c) => c.time < 6 && c.group !== 6));
  });

  it('the event-study covariance: diag = the rows’ SE², symmetric, and the mean over the rows w′Vw = the overall dynamic SE²', () => {
    // Identities of the delta method (one CR1 covariance of the cell coefficients behind every row):
    // diag to 1e-12 (the same sum Σ_g S_g² · ssc), the overall to 1e-10 (its gradient is the rows’ mean).
    for (const [what, opts] of [
      ['all event times', {}],
      ['window 0..2', { maxE: 2 }],
      ['cluster column', { cluster: 'column' as const }],
    ] as const) {
      const p = synthPanel({
        seed: 'etwfe-vcov',
        groups: [0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 6, 6, 6, 0, 3, 4],
        T: 7,
        effect: (g, e) => 1 + 0.4 * e - 0.1 * g,
        clusters: 8,
      });
      const dyn = estimateEtwfe(p, opts).aggregates.dynamic!;
      const d = dyn.detail!;
      const V = dyn.vcov!;
      assert.equal(V.length, d.length, what);
      if ('maxE' in opts)
        assert.deepEqual(
          d.map((r) => r.key),
          [0, 1, 2],
        );
      let wvw = 0;
      d.forEach((r, a) => {
        assert.ok(Math.abs(V[a][a]! - r.se! ** 2) <= 1e-12 * r.se! ** 2, `${what} e=${r.key}: ${V[a][a]} vs ${r.se! ** 2}`);
        d.forEach((_, b) => {
          assert.equal(V[a][b], V[b][a]);
          wvw += V[a][b]! / d.length ** 2;
        });
      });
      assert.ok(Math.abs(wvw - dyn.se! ** 2) <= 1e-10 * dyn.se! ** 2, `${what}: w′Vw ${wvw} vs ${dyn.se! ** 2}`);
      // The rows share the comparison cells: the covariance is not diagonal.
      assert.ok(
        V.some((row, a) => row.some((v, b) => a !== b && Math.abs(v!) > 1e-6)),
        what,
      );
    }
  });

  it('refuses an option it does not implement', () => {
    assert.throws(() => buildEstimator('etwfe', { anticipation: 1 }), /etwfe does not take anticipation/);
    assert.throws(() => buildEstimator('did2s', { covariates: ['x'] }), /did2s does not take covariates/);
  });
});
