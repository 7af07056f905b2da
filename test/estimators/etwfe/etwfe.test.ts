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

  it('refuses an option it does not implement', () => {
    assert.throws(() => buildEstimator('etwfe', { anticipation: 1 }), /etwfe does not take anticipation/);
    assert.throws(() => buildEstimator('did2s', { covariates: ['x'] }), /did2s does not take covariates/);
  });
});
