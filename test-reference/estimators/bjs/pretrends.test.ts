/**
 * BJS's pre-trend test (Test 1; didimputation's `pretrends`) on didimputation's df_het
 * (../shared/reference/peers/didimputation_df_het.csv).
 *
 * Coefficients: the didimputation README (kylebutts/didimputation README.md, "Event Study":
 * did_imputation(df_het, "dep_var", "g", "year", "unit", horizon = TRUE, pretrends = -5:-1)) prints
 *   -5 -0.06412085 0.07634962 | -4 -0.01201577 0.07634962 | -3 -0.01387197 0.07634962 |
 *   -2  0.05103140 0.07634962 | -1  0.02022464 0.07634962.
 * Its SEs, all five equal, are the homoskedastic ones (σ̂²[(D̃'D̃)⁻¹]_kk, σ̂² = RSS/(n − K − units −
 * periods + 1)), not the clustered ones its code asks fixest for: se = 'iid' reproduces them.
 * Clustered SEs and the joint Wald test against base R + sandwich (R 4.2.2, sandwich 3.0-2) on the same
 * regression with unit and year dummies:
 *   u <- d[d$treat == 0, ]; lead k = 1{g > 0, year − g = −k}
 *   fit <- lm(dep_var ~ lead5 + lead4 + lead3 + lead2 + lead1 + factor(unit) + factor(year), data = u)
 *   V <- vcovCL(fit, cluster = ~unit, type = "HC0", cadjust = TRUE) * (n − 1) / (n − K), K = 5 + 30 (fixest's
 *     small-sample factor with the unit effects nested in the clusters)
 * → se 0.0766579602 0.0752748871 0.0765334302 0.0770280539 0.0758474864; W = 1.5058013529.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { bjsPretrend } from '../../../src/estimators/bjs/pretrend.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { sharedFile } from '../../../test/helpers/reference.js';

const within = (v: number | null | undefined, ref: number, half: number, what: string) =>
  assert.ok(v !== null && v !== undefined && Math.abs(v - ref) <= half, `${what}: ${v} vs ${ref}`);

describe("BJS Test 1 on didimputation's df_het", () => {
  const { panel } = readPanelCsv(sharedFile('peers', 'didimputation_df_het.csv'), {
    id: 'unit',
    time: 'year',
    group: 'g',
    outcome: 'dep_var',
  });
  it('lead coefficients and (iid) SEs as the README prints them, to 8 digits', () => {
    const r = bjsPretrend(panel, 5, 'unit', 0, 'iid');
    const ref: [number, number][] = [
      [-5, -0.06412085],
      [-4, -0.01201577],
      [-3, -0.01387197],
      [-2, 0.0510314],
      [-1, 0.02022464],
    ];
    ref.forEach(([key, coef], j) => {
      assert.equal(r.rows[j].key, key);
      within(r.rows[j].coef, coef, 5e-9, `coef ${key}`);
      within(r.rows[j].se, 0.07634962, 5e-9, `iid se ${key}`);
    });
  });
  it('clustered SEs and the joint Wald test as R sandwich computes them; the bjs family reports them', () => {
    const out = estimateBjs(panel, { pretrends: 5 });
    const se = [0.0766579602, 0.0752748871, 0.0765334302, 0.0770280539, 0.0758474864];
    se.forEach((v, j) => within(out.pretrends![j].se, v, 5e-11, `clustered se ${out.pretrends![j].key}`));
    within(out.wald_pretest!.W, 1.5058013529, 5e-11, 'W');
    assert.equal(out.wald_pretest!.df, 5);
    // The imputation estimates are untouched by the test.
    within(out.aggregates.simple!.att, 2.26, 0.005, 'simple');
  });
});
