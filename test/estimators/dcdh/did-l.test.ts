/**
 * dcdh on noiseless panels (noiseless.ts): DID_ℓ is then exactly the cohort-size-weighted average of
 * τ(g, ℓ − 1) over the cohorts observed ℓ − 1 periods after their start while a comparison unit is
 * still untreated (de Chaisemartin & D'Haultfœuille 2024, eq. 4 with every DID_{g,ℓ} = τ(g, ℓ − 1) under
 * exact parallel trends), every placebo is 0, and the rest are the refusals and not-identified rows.
 * The parity with published R output is in test-reference/estimators/dcdh/mpdta.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { cohorts, noiseless } from './noiseless.js';

const tau = (g: number, e: number) => 1 + 0.5 * e + 0.3 * g;

it('noiseless: DID_ℓ = Σ n_g τ(g, ℓ−1) / Σ n_g over the cohorts that have it; placebos 0; average = Σ N_ℓ DID_ℓ / Σ N_ℓ', () => {
  // T = 8, cohorts 3 (10 units), 5 (6), 6 (4), never (20).
  const groups = cohorts({ 3: 10, 5: 6, 6: 4, 0: 20 });
  const e = estimateDcdh(noiseless(groups, 8, tau), {});
  const rows = e.aggregates.dynamic!.detail!;
  const sizes: [number, number][] = [
    [3, 10],
    [5, 6],
    [6, 4],
  ];
  let num = 0,
    den = 0;
  for (let l = 1; l <= 6; l++) {
    const have = sizes.filter(([g]) => g - 1 + l <= 8);
    const n = have.reduce((s, [, k]) => s + k, 0);
    const want = have.reduce((s, [g, k]) => s + k * tau(g, l - 1), 0) / n;
    const r = rows.find((d) => d.key === l - 1)!;
    assert.ok(Math.abs(r.att! - want) < 1e-10, `DID_${l}: ${r.att} vs ${want}`);
    num += n * want;
    den += n;
  }
  for (const r of rows.filter((d) => d.key < -1)) assert.ok(Math.abs(r.att!) < 1e-10, `placebo at ${r.key}: ${r.att}`);
  assert.deepEqual(
    rows.map((d) => d.key),
    [-4, -3, -2, 0, 1, 2, 3, 4, 5], // placebo ℓ needs F − 1 − ℓ ≥ 1 and its effect ℓ: at most 3 (cohorts 5, 6)
  );
  assert.ok(Math.abs(e.aggregates.simple!.att! - num / den) < 1e-10);
  assert.equal(e.aggregates.dynamic!.vcov!.length, rows.length);
});

it('no never treated: the last cohort is a control only, effects stop at T_g = its start − 1', () => {
  const groups = cohorts({ 3: 5, 5: 5, 7: 5 });
  const e = estimateDcdh(noiseless(groups, 8, tau), { effects: 5, placebo: 0 });
  const rows = e.aggregates.dynamic!.detail!;
  // T_g = 6: cohort 3 has ℓ ≤ 4, cohort 5 ℓ ≤ 2; ℓ = 5 has no switcher with a control.
  assert.ok(Math.abs(rows[0].att! - (tau(3, 0) + tau(5, 0)) / 2) < 1e-10);
  assert.ok(Math.abs(rows[3].att! - tau(3, 3)) < 1e-10);
  assert.equal(rows[4].att, null);
  assert.equal(rows[4].se, null);
  assert.match(rows[4].reason!, /no switcher is observed 4 period/);
});

it('clustering by a column that gives every unit its own cluster leaves every SE unchanged; coarser clusters change them', () => {
  const groups = cohorts({ 3: 10, 5: 6, 6: 4, 0: 20 });
  const base = noiseless(groups, 8, tau);
  // Add noise so the SEs are not 0.
  const y = Float64Array.from(base.y, (v, k) => v + Math.sin(7.3 * k) * 0.5);
  const own = { ...base, y, cluster: Float64Array.from(groups, (_, i) => 100 + i) };
  const coarse = { ...base, y, cluster: Float64Array.from(groups, (_, i) => i % 7) };
  const a = estimateDcdh({ ...base, y }, {}).aggregates.dynamic!.detail!;
  const b = estimateDcdh(own, { cluster: 'column' }).aggregates.dynamic!.detail!;
  const c = estimateDcdh(coarse, { cluster: 'column' }).aggregates.dynamic!.detail!;
  a.forEach((r, j) => {
    assert.ok(r.se! > 0 && Math.abs(r.se! - b[j].se!) < 1e-14, `own clusters, row ${r.key}`);
    assert.equal(r.att, c[j].att);
  });
  assert.ok(
    a.some((r, j) => Math.abs(r.se! - c[j].se!) > 1e-6),
    'coarser clusters move some SE',
  );
});

it('the family schema refuses options dcdh does not implement and bad values', () => {
  assert.throws(() => buildEstimator('dcdh', { weighting: 'wing' }), /dcdh does not take weighting/);
  assert.throws(() => buildEstimator('dcdh', { effects: 0 }), /dcdh: effects: expected a whole number ≥ 1/);
  assert.throws(() => buildEstimator('dcdh', { method: 'dr' }), /dcdh does not take method/);
});
