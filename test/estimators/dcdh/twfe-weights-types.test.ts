/**
 * twowayfeweights' four types against their theorems (de Chaisemartin & D'Haultfœuille 2020, Theorem 1
 * and web appendix Theorems S1–S3; 2020b Corollary 1 for other treatments), as closed forms on
 * noiseless panels y_it = α_i + λ_t + γ·x_it + Δ_it·D_it (+ Δ'_it·D'_it):
 * - common trends (feTR, fdTR): the regression's β̂ = Σ w_it Δ_it over the treated cells;
 * - effects constant over time, Δ_it = δ_i (feS, fdS): β̂ = Σ w_it δ_i over the changes of treatment;
 * - with other treatments: β̂ = Σ w Δ + Σ w' Δ', Σ w = 1, Σ w' = 0;
 * each with time-varying regression weights and a time-varying control too. β̂'s SE without controls or
 * weights is the `twfe` regression's (estimators/twfe/within.ts, itself checked against fixest).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateTwfeWeights } from '../../../src/estimators/dcdh/twfe-weights-estimator.js';
import type { TwfeWeightCell } from '../../../src/estimators/dcdh/twfe-weights.js';
import type { TwfeType } from '../../../src/estimators/dcdh/twfe-weights-types.js';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { cohorts, noiseless } from './noiseless.js';

const n = 40,
  T = 7;
/** Doses 0/1/2 that switch on, off and back; a second treatment; a control; regression weights. */
function world(effect: (i: number, t: number) => number, other = 0): Panel {
  const D = new Float64Array(n * T),
    O = new Float64Array(n * T),
    x = new Float64Array(n * T),
    wt = new Float64Array(n * T),
    y = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      D[k] = i < 6 ? 0 : t < 1 + (i % 6) ? 0 : i % 7 === 0 && t === T - 2 ? 0 : i % 5 === 0 ? 2 : 1;
      O[k] = (i + 2 * t) % 3 === 0 ? 1 : 0;
      x[k] = Math.cos(i * 1.3 + t * 0.7);
      wt[k] = 1 + ((i * 3 + t) % 4) / 3;
      y[k] = Math.sin(3 * i) * 4 + Math.cos(1.3 * t) + 0.8 * x[k] + effect(i, t) * D[k] + other * (0.3 + 0.1 * Math.sin(i + t)) * O[k];
    }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => 2001 + t),
    ids: Array.from({ length: n }, (_, i) => String(i)),
    group: new Array(n).fill(0),
    y,
    treatment: D,
    covariates: { x, o: O, wt },
  });
}

const time = (c: TwfeWeightCell) => c.time - 2001;
const sumOver = (cells: TwfeWeightCell[], f: (i: number, t: number) => number) =>
  cells.reduce((s, c) => s + c.weight * f(Number(c.unit), time(c)), 0);

const heterogeneous = (i: number, t: number) => 0.5 + 0.3 * Math.sin(i + 2 * t);
const constant = (i: number) => 0.4 + 0.2 * Math.cos(i);

for (const [type, effect] of [
  ['feTR', heterogeneous],
  ['fdTR', heterogeneous],
  ['feS', constant],
  ['fdS', constant],
] as [TwfeType, (i: number, t: number) => number][]) {
  it(`${type}: β̂ = Σ w Δ exactly, Σ w = 1; with a control and time-varying weights too`, () => {
    const panel = world(effect);
    for (const opts of [{}, { covariates: ['x'] }, { covariates: ['x'], weights: 'wt' }]) {
      const what = `${type} ${JSON.stringify(opts)}`;
      const e = estimateTwfeWeights(panel, { twfeType: type, ...opts });
      const w = e.twfe_weights!;
      assert.ok(w, `${what}: ${e.twfe_weights_reason}`);
      if (!('covariates' in opts)) continue; // y has 0.8·x: the identity needs x controlled (next test)
      const s = sumOver(w.cells, effect);
      assert.ok(Math.abs(s - w.beta) < 1e-12, `${what}: Σ wΔ = ${s}, β̂ ${w.beta}`);
      assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12, `${what}: Σ w = ${w.positive.sum + w.negative.sum}`);
      assert.equal(w.cells.length, w.treated_cells);
      if (type === 'feS' || type === 'fdS') {
        // The cells are the changes of treatment.
        const D = panel.treatment!;
        for (const c of w.cells) {
          const k = time(c) * n + Number(c.unit);
          assert.notEqual(D[k], D[k - n], `${what}: cell ${c.unit}, ${c.time} is no change`);
        }
      }
    }
  });
}

it('without the control the identity fails (the test above can fail)', () => {
  const panel = world(heterogeneous);
  const w = estimateTwfeWeights(panel, { twfeType: 'fdTR' }).twfe_weights!;
  assert.ok(Math.abs(sumOver(w.cells, heterogeneous) - w.beta) > 1e-6, 'the omitted 0.8·Δx moves β̂ off Σ wΔ');
});

it('other treatments (feTR): β̂ = Σ w Δ + Σ w′ Δ′, Σ w = 1, Σ w′ = 0 (2020b, Corollary 1); no sensitivity measures', () => {
  const panel = world(heterogeneous, 1);
  for (const opts of [{}, { weights: 'wt', covariates: ['x'] }]) {
    const e = estimateTwfeWeights(panel, { otherTreatments: ['o'], covariates: ['x'], ...opts });
    const w = e.twfe_weights!;
    const o = w.other_treatments![0];
    assert.equal(o.column, 'o');
    const effect2 = (i: number, t: number) => 0.3 + 0.1 * Math.sin(i + t);
    const s = sumOver(w.cells, heterogeneous) + sumOver(o.cells, effect2);
    assert.ok(Math.abs(s - w.beta) < 1e-12, `Σ wΔ + Σ w′Δ′ = ${s}, β̂ ${w.beta}`);
    assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
    assert.ok(Math.abs(o.positive.sum + o.negative.sum) < 1e-12, `Σ w′ = ${o.positive.sum + o.negative.sum}`);
    assert.equal(w.sigma_fe, null);
    assert.equal(w.sigma_fe_all, null);
    assert.match(w.sigma_fe_reason!, /not defined with other treatments/);
    assert.ok(e.messages.some((m) => /Other treatment o: /.test(m)));
  }
});

it('the SE of β̂ without controls or weights is the twfe regression’s CR1 (start groups, unit and column clusters)', () => {
  const panel = noiseless(cohorts({ 2: 7, 4: 5, 6: 9, 0: 4 }), 8, (g, e) => 1 + 0.8 * e - 0.1 * g);
  const y = Float64Array.from(panel.y, (v, k) => v + 0.3 * Math.sin(k * 1.7));
  const p = makePanel({
    periods: panel.periods,
    group: panel.group,
    y,
    cluster: Float64Array.from(panel.group, (_, i) => i % 6),
  });
  for (const cluster of ['unit', 'column'] as const) {
    const a = estimateTwfeWeights(p, { cluster }).aggregates.simple!;
    const b = estimateTwfe(p, { eventStudy: false, cluster }).aggregates.simple!;
    assert.ok(Math.abs(a.att! - b.att!) < 1e-12 && Math.abs(a.se! - b.se!) < 1e-12, `${cluster}: ${a.se} vs ${b.se}`);
  }
});

it('a control the unit effects absorb is left out and said so; bad input is refused with its reason', () => {
  const panel = world(heterogeneous);
  const unitLevel = makePanel({ ...panel, covariates: { ...panel.covariates, u: Float64Array.from({ length: n }, (_, i) => i % 3) } });
  const e = estimateTwfeWeights(unitLevel, { covariates: ['x', 'u'] });
  assert.deepEqual(e.twfe_weights!.controls, { kept: ['x'], absorbed: ['u'] });
  assert.ok(e.messages.some((m) => /absorbed by the unit effects.*: u/.test(m)));
  assert.throws(() => estimateTwfeWeights(panel, { twfeType: 'fdS', otherTreatments: ['o'] }), /other treatments work with type feTR only/);
  assert.throws(() => estimateTwfeWeights(panel, { weights: 'nope' }), /weight column "nope" is not in the panel \(it has: x, o, wt\)/);
  const neg = makePanel({
    ...panel,
    covariates: { ...panel.covariates, wt: Float64Array.from(panel.covariates.wt, (v, k) => (k === 5 ? -1 : v)) },
  });
  assert.throws(
    () => estimateTwfeWeights(neg, { weights: 'wt' }),
    /weight column "wt" is -1 for unit 5 in period 2001; weights must be ≥ 0/,
  );
  const twice = makePanel({ ...panel, covariates: { ...panel.covariates, x2: Float64Array.from(panel.covariates.x, (v) => 2 * v) } });
  assert.throws(() => estimateTwfeWeights(twice, { covariates: ['x', 'x2'] }), /controls x, x2 are collinear/);
});

it('an unbalanced panel (absent rows, a missing outcome): feTR, fdTR and fdS still give β̂ = Σ w Δ exactly; the rows are counted', () => {
  const full = world(heterogeneous);
  const NT = n * T;
  const observed = Uint8Array.from({ length: NT }, (_, k) => (k % 17 === 5 ? 0 : 1));
  const y = Float64Array.from(full.y, (v, k) => (observed[k] ? (k % 23 === 7 ? Number.NaN : v) : Number.NaN));
  const D = Float64Array.from(full.treatment!, (v, k) => (observed[k] ? v : Number.NaN));
  const panel = makePanel({ ...full, y, treatment: D, observed });
  for (const type of ['feTR', 'fdTR', 'fdS'] as TwfeType[]) {
    const effect = type === 'fdS' ? constant : heterogeneous;
    const p =
      type === 'fdS'
        ? makePanel({ ...panel, y: Float64Array.from(world(constant).y, (v, k) => (Number.isNaN(y[k]) ? v * Number.NaN : v)) })
        : panel;
    const w = estimateTwfeWeights(p, { twfeType: type, covariates: ['x'] }).twfe_weights!;
    const s = sumOver(w.cells, effect);
    assert.ok(Math.abs(s - w.beta) < 1e-12, `${type}: Σ wΔ = ${s}, β̂ ${w.beta}`);
    assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
    assert.ok(w.rows_left_out! > 0, 'the rows with a missing outcome are counted');
    assert.ok(
      w.cells.every((c) => observed[time(c) * n + Number(c.unit)] === 1),
      'no weight on an absent row',
    );
  }
});
