/**
 * dcdh's predict_het on a noiseless panel whose effects are linear in a unit-level covariate:
 * y_it = α_i + λ_t + (a + b·x_i)·D_it with D absorbing. Each switcher's S_g(Y_{F−1+ℓ} − Y_{F−1}) is
 * a + b·x_g plus λ_{F−1+ℓ} − λ_{F−1}, which the cells F_g × D_{g,1} × S_g absorb, so the regression's
 * coefficient on x is b exactly with zero residuals (HC1 SE 0) at every ℓ (did_multiplegt_main.R's
 * predict_het). The parity with the package's own R source (HC1 SEs, t intervals, F test) is in
 * test-reference/estimators/dcdh/predict-het.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';

const A = 0.3,
  B = -0.8,
  T = 6;

function panelOf(): Panel {
  const starts = [0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5];
  const n = starts.length;
  const x = Float64Array.from(starts, (_, i) => Math.cos(1.9 * i));
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      D[t * n + i] = starts[i] > 0 && t + 1 >= starts[i] ? 1 : 0;
      y[t * n + i] = Math.sin(2 * i + 1) * 3 + Math.cos(1.1 * t) + (A + B * x[i]) * D[t * n + i];
    }
  return makePanel({ periods: [1, 2, 3, 4, 5, 6], group: starts, y, treatment: D, covariates: { x, tv: new Float64Array(n * T) } });
}

it('predict_het: the coefficient on x is b at every effect, with zero residuals', () => {
  const e = estimateDcdh(panelOf(), { effects: 2, placebo: 1, predictHet: ['x'] });
  const rows = e.heterogeneity!;
  assert.deepEqual(
    rows.map((r) => r.effect),
    [1, 2, -1],
  );
  for (const r of rows.filter((x) => x.effect > 0)) {
    assert.ok(Math.abs(r.estimate! - B) < 1e-10, `ℓ = ${r.effect}: ${r.estimate}`);
    assert.ok(r.se! < 1e-9, `SE ${r.se}`);
  }
  // The placebo: no effect before the switch, so the coefficient is 0.
  assert.ok(Math.abs(rows[2].estimate!) < 1e-10);
});

it('predict_het: refused with normalized, a time-varying column, or an effect not estimated', () => {
  const p = panelOf();
  assert.throws(() => estimateDcdh(p, { predictHet: ['x'], normalized: true }), /predict_het cannot be combined with normalized/);
  assert.throws(() => estimateDcdh(p, { predictHet: ['tv'] }), /predict_het column "tv" varies over time/);
  assert.throws(
    () => estimateDcdh(p, { effects: 2, predictHet: ['x'], predictHetEffects: [3] }),
    /predict_het effects 3: each must be a whole number from 1 to the 2 effect/,
  );
  assert.throws(() => estimateDcdh(p, { predictHetEffects: [1] }), /predict_het effects need the predict_het covariates/);
});
