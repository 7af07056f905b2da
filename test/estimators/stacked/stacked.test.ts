/**
 * Stacked DiD on noiseless panels (test/estimators/dcdh/noiseless.ts). Every sub-experiment's own
 * event-study DiD at k is then exactly τ(a, k) (0 before adoption), so the stacked coefficients are
 * closed forms: with Wing, Freedman & Hollingsworth's (2024) weights, Σ_a (N^D_a / N^D) τ(a, k) (their
 * trimmed aggregate ATT, eq. 5); unweighted (Cengiz et al. 2019), the variance-weighted
 * Σ_a c_a τ(a, k) / Σ_a c_a with c_a = N^D_a N^C_a / (N^D_a + N^C_a) (each sub-experiment's treated-
 * share variance times its size, the weight OLS with sub-experiment fixed effects gives a balanced
 * block). Published-data parity (castle, R lm + sandwich) is in test-reference/estimators/stacked/.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateStacked } from '../../../src/estimators/stacked/index.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { cohorts, noiseless } from '../dcdh/noiseless.js';

const tau = (a: number, k: number) => 2 + 0.4 * k + 0.5 * a;

it('noiseless: wing = treated-share-weighted τ(a, k), cengiz = variance-weighted τ(a, k); static = the same over k ≥ 0', () => {
  // T = 10, κ = (2, 2): cohorts 3 (4 units), 4 (8), 6 (2) stack; 9 does not fit; never 10 units.
  // Clean controls: cohort 3 → never + 6 + 9 (13 units); 4 → never + 9 (11, 6 adopts within 4 + 2); 6 → never + 9 (11).
  const groups = cohorts({ 3: 4, 4: 8, 6: 2, 9: 1, 0: 10 });
  const panel = noiseless(groups, 10, tau);
  const subs: [number, number, number][] = [
    [3, 4, 13],
    [4, 8, 11],
    [6, 2, 11],
  ];
  const wing = estimateStacked(panel, { kappaPre: 2, kappaPost: 2, weighting: 'wing' });
  const cengiz = estimateStacked(panel, { kappaPre: 2, kappaPost: 2, weighting: 'cengiz' });
  const ND = subs.reduce((s, [, d]) => s + d, 0);
  const c = subs.map(([, d, n]) => (d * n) / (d + n));
  const C = c.reduce((s, x) => s + x, 0);
  const at = (k: number, w: number[], W: number) => subs.reduce((s, [a], j) => s + (w[j] / W) * (k < 0 ? 0 : tau(a, k)), 0);
  const dw = wing.aggregates.dynamic!.detail!;
  const dc = cengiz.aggregates.dynamic!.detail!;
  assert.deepEqual(
    dw.map((d) => d.key),
    [-2, 0, 1, 2],
  );
  for (const [j, k] of [-2, 0, 1, 2].entries()) {
    const ww = at(
      k,
      subs.map(([, d]) => d),
      ND,
    );
    assert.ok(Math.abs(dw[j].att! - ww) < 1e-10, `wing k=${k}: ${dw[j].att} vs ${ww}`);
    assert.ok(Math.abs(dc[j].att! - at(k, c, C)) < 1e-10, `cengiz k=${k}: ${dc[j].att} vs ${at(k, c, C)}`);
  }
  const post = (w: number[], W: number) => [0, 1, 2].reduce((s, k) => s + at(k, w, W), 0) / 3;
  // Static: post mean − pre mean (pre effects 0) per sub-experiment, the same weights.
  assert.ok(
    Math.abs(
      wing.aggregates.simple!.att! -
        post(
          subs.map(([, d]) => d),
          ND,
        ),
    ) < 1e-10,
  );
  assert.ok(Math.abs(cengiz.aggregates.simple!.att! - post(c, C)) < 1e-10);
  assert.ok(wing.messages.some((m) => m.includes('cohort 9')));
});

it('no cohort with a full window and a clean control: null with a reason; refusals name the family', () => {
  const e = estimateStacked(noiseless(cohorts({ 3: 3, 5: 3 }), 6, tau), { kappaPre: 2, kappaPost: 2 });
  assert.equal(e.aggregates.simple!.att, null);
  assert.match(e.aggregates.simple!.reason!, /no adoption cohort has a full event window/);
  assert.throws(() => buildEstimator('stacked', { kappaPre: 0 }), /stacked: kappaPre: expected a whole number ≥ 1/);
  assert.throws(() => buildEstimator('stacked', { effects: 2 }), /stacked does not take effects/);
  assert.throws(() => buildEstimator('stacked', { weighting: 'equal' as 'wing' }), /stacked: weighting/);
});
