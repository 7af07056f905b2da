/**
 * dcdh's controls (did_multiplegt_dyn's `controls`) on a noiseless panel: y_it = α_i + λ_t + β·X_it +
 * τ·D_it with X time-varying and drifting differently for switchers and controls. In the
 * not-yet-switched cells ΔY = Δλ + β·ΔX exactly, so θ̂_d = β for each baseline d, and every long
 * difference net of θ̂_d·ΔX is that of α_i + λ_t + τ·D_it: DID_ℓ = τ·δ_ℓ and placebos 0 as without X
 * (de Chaisemartin & D'Haultfœuille 2024, Section 5), while the plain DID_ℓ carries β times X's DiD.
 * The parity with the package's own R source (controls, with weights, clusters, trends_lin, …) is in
 * test-reference/estimators/dcdh/wagepan.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { controlColumns } from '../../../src/estimators/dcdh/controls.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';

const TAU = 0.7,
  BETA = -1.3,
  T = 6;
const PATHS: [string, number][] = [
  ['000000', 5],
  ['001111', 3],
  ['000111', 4],
  ['001100', 2],
  ['111111', 5],
  ['111000', 3],
];

function panelOf(): Panel {
  const rows = PATHS.flatMap(([p, k]) => Array<string>(k).fill(p));
  const n = rows.length;
  const D = new Float64Array(n * T);
  const X = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  rows.forEach((p, i) => {
    const slope = p.includes('1') && p[0] === '0' ? 0.8 : -0.3; // switchers in drift up
    for (let t = 0; t < T; t++) {
      D[t * n + i] = Number(p[t]);
      X[t * n + i] = slope * t + Math.sin(1.7 * i + 0.9 * t * t);
      y[t * n + i] = Math.sin(2 * i + 1) * 3 + Math.cos(1.1 * t) + BETA * X[t * n + i] + TAU * D[t * n + i];
    }
  });
  const group = rows.map((p) => (p.indexOf('1') < 0 ? 0 : p.indexOf('1') + 1));
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y,
    treatment: D,
    covariates: { x: X, fixed: Float64Array.from(rows, (_, i) => i % 3) },
  });
}

it('controls: θ̂ = β on the not-yet-switched cells, so DID_ℓ and the placebos are those without X', () => {
  const p = panelOf();
  const { covariates: _c, ...noX } = p;
  const y0 = Float64Array.from(p.y, (v, k) => v - BETA * p.covariates.x[k]);
  const target = estimateDcdh({ ...noX, covariates: {}, y: y0 } as Panel, { effects: 3, placebo: 2 });
  const withX = estimateDcdh(p, { effects: 3, placebo: 2, covariates: ['x'] });
  const plain = estimateDcdh(p, { effects: 3, placebo: 2 });
  const rows = withX.aggregates.dynamic!.detail!;
  target.aggregates.dynamic!.detail!.forEach((r, k) => {
    assert.ok(Math.abs(rows[k].att! - r.att!) < 1e-10, `e = ${r.key}: ${rows[k].att} vs ${r.att}`);
  });
  assert.ok(Math.abs(withX.aggregates.simple!.att! - TAU) < 1e-10, 'average total effect = τ');
  const gap = Math.max(...plain.aggregates.dynamic!.detail!.map((r, k) => Math.abs(r.att! - rows[k].att!)));
  assert.ok(gap > 0.1, `without the control the drift in X biases DID_ℓ (${gap})`);
});

it('controls: a missing or unit-level column is refused, naming it', () => {
  const p = panelOf();
  assert.throws(() => estimateDcdh(p, { covariates: ['nope'] }), /dcdh: control "nope" is not in the panel \(it has: x, fixed\)/);
  assert.throws(() => estimateDcdh(p, { covariates: ['fixed'] }), /dcdh: control "fixed" is constant within each unit/);
  assert.equal(controlColumns(p, ['x'])[0], p.covariates.x);
});
