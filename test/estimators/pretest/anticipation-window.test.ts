/**
 * The Wald pre-test and anticipation δ. R did 2.5.1's full test (att_gt.R: `pre <- which(group > tt)`)
 * keeps the pre-period cells inside the anticipation window t ∈ [g − δ, g − 1]; ours equals it (its
 * W and p match R's on the 96 reference option sets with anticipation 1, reference.test.ts), so an
 * anticipation effect the design allows makes it reject. The engine's last-K test tests the K periods
 * before the window, g − δ − K ≤ t < g − δ, and does not. Panel: groups 5, 7, 9 and never-treated over
 * 10 periods, parallel trends, an anticipation effect of 3 in the two periods before each start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { estimateDidWithPretest } from '../../../src/estimators/pretest/did-wald.js';
import { pretestOutcome } from '../../../src/estimators/pretest/check.js';
import { synthPanel } from '../helpers.js';

const groups = Array.from({ length: 400 }, (_, i) => [0, 5, 7, 9][i % 4]);
const panel = synthPanel({ seed: 'anticipation-window', groups, T: 10 });
for (let t = 0; t < 10; t++)
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i],
      p = t + 1;
    if (g > 0 && p >= g - 2 && p < g) panel.y[t * groups.length + i] += 3;
  }
const opts = { control: 'never' as const, anticipation: 2, method: 'reg' as const };

test("full test (R did's rule): every cell with g > t, anticipation cells included, so it rejects", () => {
  const e = estimateDid(panel, { ...opts, pretest: true });
  const pre = e.att_gt.filter((c) => c.group > c.time && c.se !== null);
  // Pre cells run over t = 2 … g − 1 (varying base): 3 + 5 + 7 = 15, of which 2 per group in the window.
  assert.equal(pre.length, 15);
  assert.equal(e.wald_pretest!.df, 15);
  assert.ok(e.wald_pretest!.p! < 1e-6, `p = ${e.wald_pretest!.p}`);
});

test("engine's last-K test skips the anticipation window: K = 2 tests t ∈ [g − 4, g − 3] only", () => {
  const e = estimateDidWithPretest(panel, opts, 2);
  // g = 5: t = 2 (t = 1 has no cell); g = 7: t = 3, 4; g = 9: t = 5, 6.
  assert.equal(e.wald_pretest!.df, 5);
  assert.ok(e.wald_pretest!.p! > 0.01, `parallel trends hold before the window: p = ${e.wald_pretest!.p}`);
  // Without the shift (δ = 0 in the test) the window cells would enter and it would reject.
  const shifted = estimateDidWithPretest(panel, { ...opts, anticipation: 0 }, 2);
  assert.ok(shifted.wald_pretest!.p! < 1e-6);
});

test('individual pre-test: event times −δ−K … −δ−1', () => {
  const e = estimateDid(panel, { ...opts, aggregations: ['dynamic'] });
  const inWindow = pretestOutcome(e, { test: 'individual', alpha: 0.05, periods: 2 });
  const before = pretestOutcome(e, { test: 'individual', alpha: 0.05, periods: 2, anticipation: 2 });
  assert.equal(inWindow!.passed, false);
  assert.equal(before!.passed, true, `p = ${before!.p}`);
});
