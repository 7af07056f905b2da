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

/**
 * The panel of UNITS (`copies` times over, the copies' fixed effects apart); `gaps`: some rows absent and
 * some outcomes and treatments missing, by a fixed pattern (never in the first period).
 */
function panelOf(copies = 1, gaps = false): Panel {
  const units = Array.from({ length: copies }, () => UNITS).flat();
  const n = units.length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  const observed = new Uint8Array(n * T).fill(1);
  units.forEach(([d1, F, step], i) => {
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      D[k] = t >= F ? d1 + step : d1;
      y[k] = Math.sin(2 * i + 1) * 3 + Math.cos(1.1 * t) + Math.sin(0.8 * t * t) * d1 + TAU * D[k];
      const r = (7 * i + 3 * t) % 23;
      if (!gaps || t === 0) continue;
      if (r === 0 || r === 5) {
        observed[k] = 0;
        y[k] = Number.NaN;
        D[k] = Number.NaN;
      } else if (r === 11) y[k] = Number.NaN;
      else if (r === 17) D[k] = Number.NaN;
    }
  });
  return makePanel({
    periods: [1, 2, 3, 4, 5, 6],
    group: units.map(([, F]) => (F < T ? F + 1 : 0)),
    y,
    treatment: D,
    ...(gaps ? { observed } : {}),
  });
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

it('continuous on a panel with gaps (rows absent, outcomes and treatments missing): the normalised DID_1 and the average total effect are τ, placebos 0', () => {
  // After the package's missing-data conventions each DID_ℓ averages the switchers that keep both
  // outcomes, τ·|D_{F−1+ℓ} − D_{g,1}| each, and the average total effect divides by those same changes,
  // so it is τ whoever they are, as DID_1 / δ_1 is (δ_ℓ for ℓ > 1 skips a switcher's absent rows, as the
  // package's sum does); θ̂ still absorbs γ_t·D_{g,1} exactly.
  const p = panelOf(4, true);
  assert.ok(p.observed!.includes(0) && p.y.some(Number.isNaN), 'the panel has gaps');
  for (const normalized of [false, true]) {
    const e = estimateDcdh(p, { effects: 3, placebo: 1, continuous: 1, normalized });
    const rows = e.aggregates.dynamic!.detail!;
    assert.equal(rows.length, 4);
    for (const r of rows) {
      if (r.key < 0) near(r.att, 0, `placebo ${-r.key - 1}`);
      else if (normalized && r.key === 0) near(r.att, TAU, 'normalised DID_1');
      assert.ok(Number.isFinite(r.se!), `e = ${r.key}: an SE`);
    }
    near(e.aggregates.simple!.att, TAU, 'average total effect');
  }
  const messages = estimateDcdh(p, { effects: 3, continuous: 1 }).messages;
  assert.ok(
    messages.some((m) => /missing treatment\(s\) filled/.test(m)),
    'the conventions ran',
  );
  assert.ok(
    messages.some((m) => /continuous: \d+ switcher\(s\) have absent rows.*write those rows out/.test(m)),
    'the reading of absent rows, where the package as published differs, is said',
  );
  assert.ok(!estimateDcdh(panelOf(), { effects: 3, continuous: 1 }).messages.some((m) => /absent rows/.test(m)), 'not on a balanced panel');
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
