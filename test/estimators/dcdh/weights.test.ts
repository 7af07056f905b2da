/**
 * dcdh with the panel's weights as did_multiplegt_dyn's N_{g,t} (its `weight` option): every mean of
 * the estimator is an N-weighted mean (DID_ℓ = Σ_g N_g S_g [ΔY_g − weighted control mean] / Σ_g N_g),
 * so an integer weight k gives the point estimates of k copies of the unit; the SE's degrees-of-freedom
 * factors count units, not weights (the package's dof_cohort counts), so there it differs from copies.
 * The parity with R DIDmultiplegtDYN (Weight, weight = "educ" on wagepan) is in
 * test-reference/estimators/dcdh/wagepan.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';

const T = 6;
const PATHS: [string, number][] = [
  ['000000', 1],
  ['000000', 3],
  ['000000', 2],
  ['001111', 2],
  ['001111', 1],
  ['000110', 4],
  ['111111', 2],
  ['111111', 1],
  ['110000', 3],
  ['111100', 1],
];

/** One unit per path with weight k, or (copies) k identical units of weight 1. */
function panelOf(copies: boolean): Panel {
  const units = copies
    ? PATHS.flatMap(([p, k], j) => Array<[string, number, number]>(k).fill([p, 1, j]))
    : PATHS.map(([p, k], j) => [p, k, j] as const);
  const n = units.length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  units.forEach(([p, , j], i) => {
    for (let t = 0; t < T; t++) {
      D[t * n + i] = Number(p[t]);
      y[t * n + i] = Math.sin(3 * j + 1) * 2 + Math.cos(0.9 * t) + 0.5 * D[t * n + i] + 0.3 * Math.sin(7.3 * j * (t + 1));
    }
  });
  const group = units.map(([p]) => (p.indexOf('1') < 0 ? 0 : p.indexOf('1') + 1));
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y,
    treatment: D,
    ...(copies ? {} : { weights: Float64Array.from(units, ([, k]) => k) }),
  });
}

it('weights: an integer weight k gives the point estimates of k copies; the SEs count units, not weights', () => {
  const w = estimateDcdh(panelOf(false), { effects: 3, placebo: 2 });
  const c = estimateDcdh(panelOf(true), { effects: 3, placebo: 2 });
  const rw = w.aggregates.dynamic!.detail!;
  const rc = c.aggregates.dynamic!.detail!;
  assert.equal(rw.length, rc.length);
  rw.forEach((r, k) => {
    assert.ok(r.att !== null && Math.abs(r.att - rc[k].att!) < 1e-12, `e = ${r.key}: ${r.att} vs ${rc[k].att}`);
  });
  assert.ok(Math.abs(w.aggregates.simple!.att! - c.aggregates.simple!.att!) < 1e-12, 'average total effect');
  assert.ok(
    rw.some((r, k) => Math.abs(r.se! - rc[k].se!) > 1e-6),
    'the SEs differ from copies',
  );
});

it('weights: a zero weight takes the unit out of the means (it is neither switcher nor control)', () => {
  const base = panelOf(false);
  const weights = Float64Array.from(base.weights!);
  weights[1] = 0; // a never-switcher: one control fewer
  weights[5] = 0; // the only 000110 switcher
  const zero = estimateDcdh({ ...base, weights }, { effects: 2, placebo: 0 });
  const keep = [0, 2, 3, 4, 6, 7, 8, 9];
  const n = base.nUnits;
  const sub = makePanel({
    periods: base.periods,
    group: keep.map((i) => base.group[i]),
    y: Float64Array.from({ length: keep.length * T }, (_, k) => base.y[Math.floor(k / keep.length) * n + keep[k % keep.length]]),
    treatment: Float64Array.from(
      { length: keep.length * T },
      (_, k) => base.treatment![Math.floor(k / keep.length) * n + keep[k % keep.length]],
    ),
    weights: Float64Array.from(keep, (i) => base.weights![i]),
  });
  const without = estimateDcdh(sub, { effects: 2, placebo: 0 });
  zero.aggregates.dynamic!.detail!.forEach((r, k) => {
    const o = without.aggregates.dynamic!.detail![k];
    assert.ok(Math.abs(r.att! - o.att!) < 1e-12 && Math.abs(r.se! - o.se!) < 1e-12, `e = ${r.key}`);
  });
});
