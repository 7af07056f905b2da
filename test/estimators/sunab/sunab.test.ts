/**
 * Sun & Abraham IW event study: the closed-form δ̂_{e,ℓ} equal the saturated interaction regression
 * solved by dense least squares with unit and period dummies (SA eq. 14), and every estimate and
 * influence-function SE equals R did's Callaway & Sant'Anna with never-treated controls, universal base
 * period and no covariates (a different implementation; the identity is SA 2021 §4 / CS 2021 §4.1),
 * with and without never-treated units.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { estimateSunab } from '../../../src/estimators/sunab/index.js';
import type { Estimate } from '../../../src/estimators/types.js';
import type { Panel } from '../../../src/panel/panel.js';
import { denseOls, near, synthPanel } from '../helpers.js';

const rep = (g: number, k: number) => Array<number>(k).fill(g);
const grow = (g: number, e: number) => 1 + 0.4 * e * (g % 3);

function sameAsDid(p: Panel, sa: Estimate, what: string): void {
  const cs = estimateDid(p, { method: 'reg', control: 'never', basePeriod: 'universal', pretest: false });
  const cells = new Map(cs.att_gt.map((c) => [`${c.group},${c.time}`, c]));
  for (const c of sa.att_gt) {
    const r = cells.get(`${c.group},${c.time}`)!;
    near(c.att, r.att!, 1e-10, `${what} δ(${c.group},${c.time})`);
    near(c.se, r.se!, 1e-10, `${what} se(${c.group},${c.time})`);
  }
  for (const type of ['simple', 'group', 'dynamic'] as const) {
    const a = sa.aggregates[type]!,
      b = cs.aggregates[type]!;
    near(a.att, b.att!, 1e-10, `${what} ${type}`);
    near(a.se, b.se!, 1e-10, `${what} ${type} se`);
    const ref = new Map((b.detail ?? []).map((d) => [d.key, d]));
    for (const d of a.detail ?? []) {
      if (d.se === null) continue;
      near(d.att, ref.get(d.key)!.att!, 1e-10, `${what} ${type}[${d.key}]`);
      near(d.se, ref.get(d.key)!.se!, 1e-10, `${what} ${type}[${d.key}] se`);
    }
  }
}

describe('Sun & Abraham interaction-weighted estimator', () => {
  it('δ̂_{e,ℓ} equal the saturated regression solved by dense least squares (1e-9)', () => {
    const groups = [0, 0, 0, 0, 3, 3, 4, 4, 4, 6, 6, 0];
    const T = 6;
    const p = synthPanel({ seed: 'sa-dense', groups, T, effect: grow });
    const sa = estimateSunab(p);
    const x = sa.att_gt.map((c) => (i: number, t: number) => (groups[i] === c.group && t + 1 === c.time ? 1 : 0));
    const ols = denseOls(
      p,
      x,
      groups.map((_, i) => i),
    );
    sa.att_gt.forEach((c, j) => near(c.att, ols.beta[j], 1e-9, `δ(${c.group},${c.time})`));
    assert.equal(sa.att_gt.length, 3 * (T - 1));
  });

  it('equals CS (never-treated, universal base, reg) in every estimate and SE: cells, simple, group, dynamic', () => {
    const groups = [...rep(0, 12), ...rep(3, 8), ...rep(4, 9), ...rep(6, 7)];
    sameAsDid(
      synthPanel({ seed: 'sa-cs', groups, T: 7, effect: grow }),
      estimateSunab(synthPanel({ seed: 'sa-cs', groups, T: 7, effect: grow })),
      'with never',
    );
  });

  it('without never-treated units the last cohort is the control and its periods are dropped, as in CS', () => {
    const groups = [...rep(3, 8), ...rep(4, 9), ...rep(6, 10)];
    const p = synthPanel({ seed: 'sa-nonever', groups, T: 7, effect: grow });
    const sa = estimateSunab(p);
    assert.ok(sa.messages.some((m) => /last-treated cohort \(g=6\) is the control/.test(m)));
    assert.ok(sa.att_gt.every((c) => c.time < 6));
    sameAsDid(p, sa, 'no never');
  });

  it('reports the window, the reference row, and cluster sums; no NaN when nothing is identified', () => {
    const groups = [...rep(0, 10), ...rep(3, 10), ...rep(5, 10)];
    const p = synthPanel({ seed: 'sa-win', groups, T: 7, effect: grow, clusters: 5 });
    const dyn = estimateSunab(p, { minE: -2, maxE: 1 }).aggregates.dynamic!;
    assert.deepEqual(
      dyn.detail!.map((d) => d.key),
      [-2, -1, 0, 1],
    );
    assert.equal(dyn.detail![1].att, 0);
    const byCluster = estimateSunab(p, { cluster: 'column' }).aggregates.simple!;
    const byUnit = estimateSunab(p).aggregates.simple!;
    near(byCluster.att, byUnit.att!, 1e-12, 'att does not depend on clustering');
    assert.notEqual(byCluster.se, byUnit.se);
    const none = estimateSunab(synthPanel({ seed: 'sa-none', groups: [1, 1, 0, 0], T: 3 }));
    assert.equal(none.aggregates.simple!.att, null);
    assert.match(none.aggregates.simple!.reason!, /no cohort is treated/);
    assert.ok(!JSON.stringify(none).includes('NaN'));
  });
});
