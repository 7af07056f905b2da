/**
 * Identities the estimator must satisfy whatever R says, and its not-identified answers:
 * reg = ipw = dr without covariates; invariance to the order of units; a 2×2 equals the difference of
 * mean changes; cells without overlap, with a singular regression or without comparison units
 * carry a reason and are left out of the aggregations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDid, estimateDidDetailed } from '../../../src/estimators/did/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { seeded } from '../../../src/random/stream.js';
import { loadReference } from '../../helpers/reference.js';

/** A small seeded panel: groups 3 and 4 and never treated, T = 5, one continuous covariate. */
function smallPanel(seed: number, n = 60): Panel {
  const rng = seeded(seed);
  const T = 5;
  const group = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    group[i] = [0, 3, 4][i % 3];
    x[i] = rng() * 2 - 1;
    for (let t = 0; t < T; t++) {
      const eff = group[i] > 0 && t + 1 >= group[i] ? 1 + 0.5 * x[i] : 0;
      y[t * n + i] = x[i] * t * 0.3 + eff + rng() - 0.5;
    }
  }
  return makePanel({ periods: [1, 2, 3, 4, 5], group, y, covariates: { x } });
}

function permuted(p: Panel, perm: number[]): Panel {
  const n = p.nUnits;
  const y = new Float64Array(p.y.length);
  for (let t = 0; t < p.nPeriods; t++) for (let j = 0; j < n; j++) y[t * n + j] = p.y[t * n + perm[j]];
  const cov: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(p.covariates)) cov[k] = Float64Array.from(perm.map((j) => v[j]));
  return makePanel({ periods: p.periods, ids: perm.map((j) => p.ids[j]), group: perm.map((j) => p.group[j]), y, covariates: cov });
}

describe('identities', () => {
  it('reg = ipw = dr without covariates (to 1e-12)', () => {
    const p = smallPanel(1);
    for (const control of ['never', 'notyet'] as const) {
      const [dr, ipw, reg] = (['dr', 'ipw', 'reg'] as const).map((method) => estimateDid(p, { method, control }));
      dr.att_gt.forEach((c, j) => {
        for (const other of [ipw, reg]) {
          assert.ok(Math.abs(c.att! - other.att_gt[j].att!) < 1e-12);
          assert.ok(Math.abs(c.se! - other.att_gt[j].se!) < 1e-12);
        }
      });
    }
  });

  it('a post-treatment 2×2 without covariates is the difference of mean changes', () => {
    const p = smallPanel(2);
    const est = estimateDid(p, { method: 'reg' });
    const cell = est.att_gt.find((c) => c.group === 3 && c.time === 4)!;
    const n = p.nUnits;
    const change = (g: number) => {
      let s = 0,
        m = 0;
      for (let i = 0; i < n; i++)
        if (p.group[i] === g) {
          s += p.y[3 * n + i] - p.y[1 * n + i];
          m++;
        }
      return s / m;
    };
    assert.ok(Math.abs(cell.att! - (change(3) - change(0))) < 1e-12);
  });

  it('estimates and SEs do not depend on the order of units', () => {
    const p = smallPanel(3);
    const rng = seeded('perm');
    const perm = Array.from({ length: p.nUnits }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (const method of ['dr', 'ipw', 'reg'] as const) {
      const a = estimateDid(p, { method, covariates: ['x'], control: 'notyet' });
      const b = estimateDid(permuted(p, perm), { method, covariates: ['x'], control: 'notyet' });
      a.att_gt.forEach((c, j) => {
        assert.ok(Math.abs(c.att! - b.att_gt[j].att!) < 1e-10);
        assert.ok(Math.abs(c.se! - b.att_gt[j].se!) < 1e-10);
      });
      assert.ok(Math.abs(a.aggregates.dynamic!.se! - b.aggregates.dynamic!.se!) < 1e-10);
    }
  });

  it('time-varying covariates: each 2×2 uses the covariate of its earlier period', () => {
    const p = smallPanel(5);
    const n = p.nUnits,
      T = p.nPeriods;
    const x = p.covariates.x;
    // x drifts unit by unit over time, so each period's values differ.
    const xt = new Float64Array(T * n);
    for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) xt[t * n + i] = x[i] + 0.4 * t * Math.sin(3 * i + t);
    const varying = makePanel({ periods: p.periods, group: p.group, y: p.y, covariates: { x: xt } });
    for (const control of ['never', 'notyet'] as const) {
      const est = estimateDid(varying, { covariates: ['x'], control });
      for (const c of est.att_gt) {
        // Varying base period: the earlier period of the 2×2 is g − 1 after treatment, t − 1 before.
        const earlier = (c.time >= c.group ? c.group - 1 : c.time - 1) - 1; // period label → index
        const fixed = makePanel({
          periods: p.periods,
          group: p.group,
          y: p.y,
          covariates: { x: xt.slice(earlier * n, (earlier + 1) * n) },
        });
        const ref = estimateDid(fixed, { covariates: ['x'], control }).att_gt.find((r) => r.group === c.group && r.time === c.time)!;
        assert.ok(Math.abs(c.att! - ref.att!) < 1e-12, `${control} g=${c.group} t=${c.time}: ${c.att} vs ${ref.att}`);
        assert.ok(Math.abs(c.se! - ref.se!) < 1e-12, `${control} g=${c.group} t=${c.time}: se`);
      }
    }
  });

  it('the simple aggregate is the group-share-weighted mean of post-treatment cells', () => {
    const p = smallPanel(4);
    const est = estimateDid(p, {});
    const post = est.att_gt.filter((c) => c.time >= c.group);
    // groups 3 and 4 have equal sizes here, so the weights are equal per cell
    const mean = post.reduce((s, c) => s + c.att!, 0) / post.length;
    assert.ok(Math.abs(est.aggregates.simple!.att! - mean) < 1e-12);
  });
});

describe('reused memory', () => {
  it('estimateDid reuses its memory without one estimate leaking into another, or into a detailed result', () => {
    const a = smallPanel(11),
      b = smallPanel(12, 90);
    const opts = { covariates: ['x'], control: 'notyet' as const };
    const detailed = estimateDidDetailed(a, opts);
    const infBefore = detailed.cells.map((c) => (c.inf ? Float64Array.from(c.inf) : null));
    const first = estimateDid(a, opts);
    estimateDid(b, { ...opts, method: 'ipw' }); // a different panel and method in between
    assert.deepEqual(estimateDid(a, opts), first, 'the same estimate, bit for bit');
    assert.deepEqual(first, detailed.estimate);
    detailed.cells.forEach((c, j) => assert.deepEqual(c.inf ? Float64Array.from(c.inf) : null, infBefore[j], `cell ${j}'s ψ changed`));
  });
});

describe('not identified is an answer', () => {
  it('no overlap: a covariate that predicts treatment perfectly', () => {
    const p = smallPanel(5);
    // sep = 5 for group 3, 0 or 1 elsewhere: it separates group 3 from the never treated, not group 4.
    const sep = Float64Array.from(p.group, (g, i) => (g === 3 ? 5 : i % 2));
    const q = makePanel({ periods: p.periods, group: p.group, y: p.y, covariates: { x: p.covariates.x, sep } });
    const res = estimateDidDetailed(q, { covariates: ['x', 'sep'], method: 'dr' });
    const g3 = res.estimate.att_gt.filter((c) => c.group === 3);
    assert.ok(g3.length > 0 && g3.every((c) => c.att === null && /no overlap/.test(c.reason!)), JSON.stringify(g3[0]));
    const g4 = res.estimate.att_gt.filter((c) => c.group === 4);
    assert.ok(g4.every((c) => c.att !== null));
    // group 3 is left out of the aggregations (R did's na.rm), which still estimate group 4
    const groupDetail = res.estimate.aggregates.group!.detail!;
    assert.deepEqual(
      groupDetail.map((d) => d.key),
      [4],
    );
    assert.ok(res.estimate.aggregates.simple!.att !== null);
    assert.match(res.estimate.messages.join(' '), /not identified and are left out/);
  });

  it('singular outcome regression: collinear covariates', () => {
    const p = smallPanel(6);
    const x2 = Float64Array.from(p.covariates.x, (v) => 2 * v + 1);
    const q = makePanel({ periods: p.periods, group: p.group, y: p.y, covariates: { x: p.covariates.x, x2 } });
    const est = estimateDid(q, { covariates: ['x', 'x2'], method: 'reg' });
    assert.ok(est.att_gt.every((c) => c.att === null && /outcome regression is singular/.test(c.reason!)));
    assert.equal(est.aggregates.simple!.att, null);
    assert.match(est.aggregates.simple!.reason!, /no identified post-treatment/);
  });

  it('Wald pre-test with more pre-treatment cells than units: no statistic, and why', () => {
    // 15 units (groups 10, 11, never; 5 each, R did's minimum), 11 periods: 8 + 9 = 17 pre-treatment cells > 15 units.
    const rng = seeded(21);
    const n = 15,
      T = 11;
    const group = Float64Array.from({ length: n }, (_, i) => [0, 10, 11][i % 3]);
    const y = Float64Array.from({ length: n * T }, () => rng());
    const p = makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y });
    const est = estimateDid(p);
    assert.equal(est.att_gt.filter((c) => c.time < c.group && c.se !== null).length, 17);
    assert.equal(est.wald_pretest!.W, null);
    assert.match(est.wald_pretest!.reason!, /17 pre-treatment cells but only 15 units/);
    // With fewer cells than units the statistic is there.
    assert.ok(estimateDid(smallPanel(4), { pretest: true }).wald_pretest!.W! > 0);
  });

  it('no comparison units: not-yet-treated cells after the last group starts', () => {
    // Everyone is treated by period 4 and the last group (4) keeps no comparison from its start on.
    const n = 40,
      T = 5;
    const rng = seeded(7);
    const group = Float64Array.from({ length: n }, (_, i) => [3, 4][i % 2]);
    const y = Float64Array.from({ length: n * T }, () => rng());
    const est = estimateDid(makePanel({ periods: [1, 2, 3, 4, 5], group, y }), { control: 'notyet' });
    assert.match(est.messages[0], /No never-treated units/);
    assert.deepEqual([...new Set(est.att_gt.map((c) => c.group))], [3]);
  });

  it('bad options and hopeless panels stop with the fix', () => {
    const p = smallPanel(8);
    assert.throws(() => estimateDid(p, { covariates: ['nope'] }), /covariate "nope" is not in the panel/);
    assert.throws(() => estimateDid(p, { anticipation: -1 }), /anticipation must be a whole number/);
    const never = makePanel({ periods: p.periods, group: new Float64Array(p.nUnits), y: p.y });
    assert.throws(() => estimateDid(never), /no unit is ever treated/);
    const tiny = makePanel({ periods: p.periods, group: Float64Array.from(p.group, (g, i) => (g === 0 && i > 6 ? 3 : g)), y: p.y });
    assert.throws(() => estimateDid(tiny), /never-treated group has only 3 units/);
  });
});

describe('bootstrap', () => {
  it('multiplier-bootstrap SEs agree with the analytic SEs at large B, and are seeded', () => {
    const { panel } = loadReference('sim_a');
    const analytic = estimateDid(panel, { control: 'notyet' });
    const boot = estimateDid(panel, { control: 'notyet', bootstrap: 4000, seed: 11 });
    // IQR-based SE from B = 4000 draws: relative MC error ≈ 1.2/√B·… ≈ 3 %; allow 10 %.
    boot.att_gt.forEach((c, j) =>
      assert.ok(Math.abs(c.se! / analytic.att_gt[j].se! - 1) < 0.1, `cell ${j}: ${c.se} vs ${analytic.att_gt[j].se}`),
    );
    assert.ok(Math.abs(boot.aggregates.simple!.se! / analytic.aggregates.simple!.se! - 1) < 0.1);
    // the uniform band is wider than the pointwise interval, and below the Bonferroni bound
    const crit = boot.aggregates.dynamic!.crit!;
    assert.ok(crit > 1.96 && crit < 3.2, `crit ${crit}`);
    const again = estimateDid(panel, { control: 'notyet', bootstrap: 4000, seed: 11 });
    assert.deepEqual(again, boot);
  });

  it('clusters of one unit each give exactly the unclustered bootstrap; real clusters change it', () => {
    const { panel } = loadReference('sim_a', { cluster: true });
    assert.ok(panel.cluster);
    const plain = makePanel({ periods: panel.periods, ids: panel.ids, group: panel.group, y: panel.y, covariates: panel.covariates });
    const unit = estimateDid(plain, { bootstrap: 1500, seed: 3 });
    // cluster codes in the estimator's own unit order (sorted by group, then input order)
    const order = Array.from({ length: plain.nUnits }, (_, i) => i).sort(
      (a, b) => (plain.group[a] || Infinity) - (plain.group[b] || Infinity) || a - b,
    );
    const own = new Float64Array(plain.nUnits);
    order.forEach((u, j) => {
      own[u] = j;
    });
    const singletons = makePanel({
      periods: panel.periods,
      ids: panel.ids,
      group: panel.group,
      y: panel.y,
      covariates: panel.covariates,
      cluster: own,
    });
    // With clusters R did reports no Wald statistic under the bootstrap (att_gt's wald_invalid), even
    // when every cluster is one unit; everything else is the unclustered bootstrap exactly.
    const { wald_pretest: wSingle, ...single } = estimateDid(singletons, { bootstrap: 1500, seed: 3 });
    const { wald_pretest: _w, ...rest } = unit;
    assert.deepEqual(single, rest);
    assert.equal(wSingle!.W, null);
    assert.match(wSingle!.reason!, /not reported when clustering beyond the unit level with the bootstrap/);
    const clustered = estimateDid(panel, { bootstrap: 1500, seed: 3 });
    assert.notDeepEqual(clustered.aggregates.simple, unit.aggregates.simple);
    assert.ok(clustered.aggregates.simple!.se! > 0);
  });
});
