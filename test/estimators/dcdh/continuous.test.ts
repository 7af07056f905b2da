/**
 * dcdh's continuous option on a noiseless panel whose baseline treatment takes a value per unit:
 * y_it = α_i + λ_t + γ_t·D_{i,1} + τ·D_it. Every stratum of one baseline would hold one unit, so without
 * the option every unit is left out; with continuous = 1 all units are compared, and the controls
 * 1{t ≥ j}·D_{g,1} span γ_t·D_{g,1}, so θ̂ absorbs it exactly in the not-yet-switched cells and
 * DID_ℓ = τ·δ_ℓ (δ_ℓ the switchers' mean S_g·(D_{F−1+ℓ} − D_{g,1}) in the original treatment), the
 * average total effect = τ, placebos 0 (did_multiplegt_main.R's continuous block). The parity with the
 * package's R source and its recorded Continuous run on wagepan is in test-reference/estimators/dcdh/.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { cohorts, noiseless } from './noiseless.js';

const TAU = 0.6,
  T = 6;
// Per unit: baseline, first change (0-based; 6 = never) and the change.
const UNITS: [number, number, number][] = Array.from({ length: 18 }, (_, i) => [
  0.4 + 0.37 * i,
  [2, 3, 4, 6, 6, 3][i % 6],
  i % 4 === 1 ? -0.5 : 1,
]);

function panelOf(): Panel {
  const n = UNITS.length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  UNITS.forEach(([d1, F, step], i) => {
    for (let t = 0; t < T; t++) {
      D[t * n + i] = t >= F ? d1 + step : d1;
      y[t * n + i] = Math.sin(2 * i + 1) * 3 + Math.cos(1.1 * t) + Math.sin(0.8 * t * t) * d1 + TAU * D[t * n + i];
    }
  });
  return makePanel({ periods: [1, 2, 3, 4, 5, 6], group: UNITS.map(([, F]) => (F < T ? F + 1 : 0)), y, treatment: D });
}

const near = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

it('continuous = 1: DID_ℓ = τ·δ_ℓ in the original treatment despite baseline-specific period effects', () => {
  const p = panelOf();
  const e = estimateDcdh(p, { effects: 3, placebo: 1, continuous: 1 });
  const rows = e.aggregates.dynamic!.detail!;
  for (let l = 1; l <= 3; l++) {
    let n = 0,
      s = 0;
    for (const [, F, step] of UNITS) {
      if (F >= T || F - 1 + l > T - 1) continue; // never-switchers keep every switcher's controls to the end
      n++;
      s += Math.abs(step);
    }
    near(rows.find((r) => r.key === l - 1)!.att, (TAU * s) / n, `DID_${l}`);
  }
  near(rows.find((r) => r.key === -2)!.att, 0, 'placebo 1');
  near(e.aggregates.simple!.att, TAU, 'average total effect');
  const without = estimateDcdh(p, { effects: 3, placebo: 1 });
  assert.equal(without.aggregates.simple!.att, null, 'every stratum holds one unit without the option');
});

it('continuous with trends_lin is refused (the package builds its controls in levels after differencing)', () => {
  assert.throws(() => estimateDcdh(panelOf(), { continuous: 1, trendsLin: true }), /continuous cannot be combined with trends_lin/);
});

it('continuous without never-treated units: the last cohort (switching after T_max) is no control in the later periods', () => {
  // Cohorts 3, 4 and 6 of 6 periods, no never-treated: T_max = 5 (the last period with an unswitched
  // unit), so the package drops period 6 before binarising (did_multiplegt_main.R, controls_time) and
  // cohort 6 is compared only up to period 5. With one baseline (0) the polynomial controls vanish, so
  // continuous = 1 gives exactly the plain estimator, whose average total effect is τ = 1 here.
  const p = noiseless(cohorts({ 3: 4, 4: 3, 6: 5 }), 6, () => 1);
  const plain = estimateDcdh(p, {});
  const cont = estimateDcdh(p, { continuous: 1 });
  near(plain.aggregates.simple!.att, 1, 'plain average total effect');
  near(cont.aggregates.simple!.att, plain.aggregates.simple!.att!, 'continuous average total effect');
  assert.deepEqual(
    cont.aggregates.dynamic!.detail!.map((r) => r.key),
    plain.aggregates.dynamic!.detail!.map((r) => r.key),
    'the same effects and placebos (none past T_max)',
  );
});
