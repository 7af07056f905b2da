/**
 * The Goodman-Bacon decomposition: weights sum to 1 and Σ weight × 2×2 estimate equals the TWFE
 * regression coefficient to 1e-10 on synthetic panels with and without never-treated and always-treated
 * units (castle.csv and its published numbers: test-reference/estimators/bacon/castle.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBacon } from '../../../src/estimators/bacon/index.js';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { denseOls, near, synthPanel } from '../helpers.js';
import { checkIdentity, decompose } from './identity.js';

describe('Goodman-Bacon decomposition', () => {
  it('synthetic panels: never-treated present, absent, and always-treated units', () => {
    const grow = (g: number, e: number) => 2 + 0.7 * e - 0.1 * g;
    checkIdentity(synthPanel({ seed: 'bacon-1', groups: [0, 0, 0, 3, 3, 4, 4, 4, 6, 6, 0, 5], T: 7, effect: grow }), 'with never');
    checkIdentity(synthPanel({ seed: 'bacon-2', groups: [3, 3, 4, 4, 4, 6, 6, 5, 2], T: 7, effect: grow }), 'no never');
    const d = checkIdentity(synthPanel({ seed: 'bacon-3', groups: [1, 1, 0, 0, 3, 3, 5, 5, 5], T: 6, effect: grow }), 'always treated');
    assert.ok(d.terms.some((t) => t.type === 'later vs always treated' && t.control === 1));
  });

  it('the decomposition also equals dense OLS with unit and period dummies (independent of the within code)', () => {
    const groups = [0, 0, 3, 3, 4, 4, 4, 6, 0, 5];
    const p = synthPanel({ seed: 'bacon-dense', groups, T: 7, effect: (_g, e) => e * e });
    const ols = denseOls(
      p,
      [(i, t) => (groups[i] > 0 && t + 1 >= groups[i] ? 1 : 0)],
      groups.map((_, i) => i),
    );
    near(decompose(p).twfe, ols.beta[0], 1e-10, 'Σ w·β vs dense OLS');
  });

  it('with a constant effect and no noise every 2×2 recovers the effect', () => {
    const p = synthPanel({ seed: 'bacon-const', groups: [0, 0, 3, 4, 5, 5], T: 6, effect: () => 1.25 });
    // remove the noise: rebuild y from unit and period effects only
    const clean = {
      ...p,
      y: Float64Array.from(p.y, (_, m) => {
        const t = Math.floor(m / 6),
          i = m % 6,
          g = [0, 0, 3, 4, 5, 5][i];
        return i * 0.5 + t * 0.3 + (g > 0 && t + 1 >= g ? 1.25 : 0);
      }),
    };
    for (const t of decompose(clean).terms) near(t.estimate, 1.25, 1e-12, `${t.type} ${t.treated}/${t.control}`);
  });

  it('as an estimator: the TWFE estimate with its CR1 SE, a message on the later-vs-earlier weight, and att null when nothing changes', () => {
    const p = synthPanel({ seed: 'bacon-est', groups: [0, 0, 3, 3, 4, 5, 5, 0], T: 6, effect: (_g, e) => e });
    const b = estimateBacon(p),
      t = estimateTwfe(p, { eventStudy: false });
    near(b.aggregates.simple!.att, t.aggregates.simple!.att!, 1e-10, 'att');
    near(b.aggregates.simple!.se, t.aggregates.simple!.se!, 1e-12, 'se');
    assert.ok(b.messages.some((m) => /already-treated units as controls/.test(m)));
    const none = estimateBacon(synthPanel({ seed: 'bacon-none', groups: [0, 0, 1, 1], T: 4 }));
    assert.equal(none.aggregates.simple!.att, null);
    assert.match(none.aggregates.simple!.reason!, /no unit changes treatment status/);
    assert.equal(none.bacon, null);
  });
});
