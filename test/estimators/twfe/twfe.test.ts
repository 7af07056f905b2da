/**
 * TWFE, static and event study: coefficients and CR1 SEs against a brute-force dense OLS with unit and
 * period dummies (an independent computation), the 2×2
 * identity TWFE = CS, invariance to the order of units, and the non-identified and bad-input paths.
 * The published castle-doctrine estimate: test-reference/estimators/twfe/castle.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { estimateTwfe, twfeOptions } from '../../../src/estimators/twfe/index.js';
import { makePanel } from '../../../src/panel/panel.js';
import { cr1Scale, denseOls, near, synthPanel } from '../helpers.js';

const groups = [0, 0, 0, 0, 3, 3, 3, 4, 4, 5, 5, 5, 0, 4];
const grow = (g: number, e: number) => 1 + 0.5 * e + 0.2 * g;

describe('static TWFE', () => {
  it('equals dense OLS with unit and period dummies: coefficient (1e-10) and CR1 SE by unit (1e-10)', () => {
    const p = synthPanel({ seed: 'twfe-static', groups, T: 6, effect: grow });
    const d = (i: number, t: number) => (groups[i] > 0 && t + 1 >= groups[i] ? 1 : 0);
    const ref = denseOls(
      p,
      [d],
      Array.from(groups, (_, i) => i),
    );
    const out = estimateTwfe(p, { eventStudy: false });
    near(out.aggregates.simple!.att, ref.beta[0], 1e-10, 'beta');
    near(out.aggregates.simple!.se, Math.sqrt(ref.sandwich[0] * cr1Scale(14, 84, 1, 6)), 1e-10, 'CR1 SE');
  });

  it('clusters by the cluster column when asked (dense OLS with 4 clusters)', () => {
    const p = synthPanel({ seed: 'twfe-cluster', groups, T: 6, effect: grow, clusters: 4 });
    const d = (i: number, t: number) => (groups[i] > 0 && t + 1 >= groups[i] ? 1 : 0);
    const ref = denseOls(p, [d], p.cluster!);
    const out = estimateTwfe(p, { eventStudy: false, cluster: 'column' });
    near(out.aggregates.simple!.se, Math.sqrt(ref.sandwich[0] * cr1Scale(4, 84, 1, 6)), 1e-10, 'CR1 SE, 4 clusters');
  });

  it("equals Callaway & Sant'Anna in a 2×2 design (one cohort, never-treated, two periods)", () => {
    const g2 = [...Array(8).fill(0), ...Array(8).fill(2)];
    const p = synthPanel({ seed: 'twfe-2x2', groups: g2, T: 2, effect: () => 1.5 });
    const cs = estimateDid(p, { method: 'reg' });
    near(estimateTwfe(p).aggregates.simple!.att, cs.aggregates.simple!.att!, 1e-12, 'TWFE vs CS');
  });

  it('does not depend on the order of the units', () => {
    const p = synthPanel({ seed: 'twfe-perm', groups, T: 6, effect: grow, clusters: 3 });
    const perm = groups.map((_, i) => (i * 5) % groups.length);
    const y = new Float64Array(p.y.length);
    for (let t = 0; t < 6; t++)
      perm.forEach((src, i) => {
        y[t * groups.length + i] = p.y[t * groups.length + src];
      });
    const q = makePanel({
      periods: p.periods,
      group: perm.map((s) => groups[s]),
      y,
      cluster: Float64Array.from(perm, (s) => p.cluster![s]),
    });
    const a = estimateTwfe(p, { minE: -3, maxE: 2 }),
      b = estimateTwfe(q, { minE: -3, maxE: 2 });
    near(b.aggregates.simple!.att, a.aggregates.simple!.att!, 1e-12, 'att');
    near(b.aggregates.simple!.se, a.aggregates.simple!.se!, 1e-12, 'se');
    a.aggregates.dynamic!.detail!.forEach((r, j) => near(b.aggregates.dynamic!.detail![j].att, r.att!, 1e-10, `e=${r.key}`));
  });
});

describe('event-study TWFE', () => {
  it('binned end points and reference −1 equal dense OLS with the same dummies (coefficients and CR1 SEs, 1e-9)', () => {
    const p = synthPanel({ seed: 'twfe-es', groups, T: 6, effect: grow });
    const o = { minE: -2, maxE: 1, reference: -1 };
    const keys = [-2, 0, 1];
    const bin = (e: number) => Math.min(1, Math.max(-2, e));
    const x = keys.map((k) => (i: number, t: number) => (groups[i] > 0 && bin(t + 1 - groups[i]) === k ? 1 : 0));
    const ref = denseOls(
      p,
      x,
      Array.from(groups, (_, i) => i),
    );
    const dyn = estimateTwfe(p, o).aggregates.dynamic!;
    const scale = cr1Scale(14, 84, 3, 6);
    keys.forEach((k, j) => {
      const row = dyn.detail!.find((r) => r.key === k)!;
      near(row.att, ref.beta[j], 1e-9, `beta e=${k}`);
      near(row.se, Math.sqrt(ref.sandwich[j * 3 + j] * scale), 1e-9, `se e=${k}`);
    });
    const r = dyn.detail!.find((d) => d.key === -1)!;
    assert.equal(r.att, 0);
    assert.match(r.reason!, /reference period/);
    // overall = mean of e = 0 and e = 1; its SE from the covariance matrix
    near(dyn.att, (ref.beta[1] + ref.beta[2]) / 2, 1e-9, 'post mean');
    const v = ((ref.sandwich[4] + ref.sandwich[8] + 2 * ref.sandwich[5]) / 4) * scale;
    near(dyn.se, Math.sqrt(v), 1e-9, 'post mean SE');
  });

  it('a chosen reference period (−2) and the Wald pre-test of the remaining pre-period coefficient', () => {
    const p = synthPanel({ seed: 'twfe-ref', groups, T: 6, effect: grow });
    const out = estimateTwfe(p, { minE: -3, maxE: 1, reference: -2 });
    const dyn = out.aggregates.dynamic!;
    assert.deepEqual(
      dyn.detail!.map((d) => d.key),
      [-3, -2, -1, 0, 1],
    );
    assert.equal(dyn.detail!.find((d) => d.key === -2)!.att, 0);
    const pre = dyn.detail!.filter((d) => d.key < 0 && d.key !== -2);
    assert.equal(out.wald_pretest!.df, 2);
    assert.ok(out.wald_pretest!.W! >= 0 && out.wald_pretest!.p! > 0 && out.wald_pretest!.p! <= 1);
    assert.ok(pre.every((d) => d.se! > 0));
  });

  it('without never-treated units and without binning, the fully dynamic model is not identified: att null and a reason, never NaN', () => {
    const g = [3, 3, 4, 4, 5, 5, 3, 4];
    const p = synthPanel({ seed: 'twfe-nonever', groups: g, T: 6, effect: grow });
    const dyn = estimateTwfe(p).aggregates.dynamic!;
    assert.equal(dyn.att, null);
    assert.match(dyn.reason!, /collinear.*bin the end points/);
    assert.ok(dyn.detail!.every((d) => d.att === null));
    // binning the end points identifies it
    assert.notEqual(estimateTwfe(p, { minE: -2, maxE: 2 }).aggregates.dynamic!.att, null);
  });

  it('leaves always-treated units out of the event study with a message', () => {
    const g = [...groups, 1, 1];
    const p = synthPanel({ seed: 'twfe-always', groups: g, T: 6, effect: grow });
    const out = estimateTwfe(p, { minE: -3, maxE: 2 });
    assert.ok(out.messages.some((m) => /2 always-treated unit\(s\) \(start 1\)/.test(m)));
    assert.notEqual(out.aggregates.dynamic!.att, null);
  });

  it('rejects a reference period outside the window and says which', () => {
    assert.throws(() => twfeOptions({ minE: -3, maxE: 2, reference: -5 }), /reference event time -5 must lie in the window \[-3, 2\]/);
  });

  it('a panel with no treated unit gives att null with a reason', () => {
    const p = synthPanel({ seed: 'twfe-none', groups: [0, 0, 0], T: 3 });
    const s = estimateTwfe(p).aggregates.simple!;
    assert.equal(s.att, null);
    assert.match(s.reason!, /no unit is ever treated/);
  });
});
