/**
 * twowayfeweights (types feTR and fdTR) against its authors' published numbers on their own data: the expected
 * values of TwoWayFEWeights' test R/inst/tinytest/test_wagepan.R (chaisemartinPackages/twowayfeweights,
 * `twowayfeweights(wagepan, "lwage", "nr", "year", "union", type = "feTR", summary_measures = TRUE,
 * test_random_weights = "educ")`), on wagepan_twfeweights rebuilt by our wagepan-twfeweights.ts from
 * r-cran-plm's Males. Counts exact; the rest to the digits the test prints (lwage is the export's
 * single-precision value, as in the .dta, which moves β̂ by ~1e-9).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { estimateTwfeWeights } from '../../../src/estimators/dcdh/twfe-weights-estimator.js';
import type { TwfeType } from '../../../src/estimators/dcdh/twfe-weights-types.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { close, referenceCsvs } from './package-fixture.js';
import { smoothUnionBlips } from './wagepan-twfeweights.js';

const files = referenceCsvs('stagger-twfew-');

/** twowayfeweights of `type` on wagepan_twfeweights (union on lwage) with the educ random-weights test, as test_wagepan.R runs it. */
function wagepanWeights(type: TwfeType) {
  const csv = join(files.lwage, '..', `wagepan-twfeweights-${type}.csv`);
  smoothUnionBlips(files.lwage, csv);
  const read = readPanelCsv(csv, { id: 'nr', time: 'year', outcome: 'lwage', covariates: ['union', 'educ'] });
  return estimateTwfeWeights(withTreatmentColumn(read.panel, 'union', csv), { twfeType: type, randomWeights: ['educ'] });
}

it('wagepan_twfeweights, feTR: weights, both sensitivity measures and the educ random-weights test = test_wagepan.R', () => {
  const e = wagepanWeights('feTR');
  const w = e.twfe_weights!;
  assert.equal(w.positive.count, 820, 'nr_plus');
  assert.equal(w.negative.count, 147, 'nr_minus');
  assert.equal(w.positive.count + w.negative.count, 967, 'nr_weights');
  assert.equal(w.treated_cells, 1016, 'tot_cells');
  close(w.positive.sum, 1.010529, 5e-7, 'sum_plus');
  close(w.negative.sum, -0.01052899, 5e-9, 'sum_minus');
  close(w.beta, 0.10662746641838491, 2e-9, 'beta');
  close(e.aggregates.simple!.att, w.beta, 1e-12, 'the estimate is β̂_fe');
  close(w.sigma_fe, 0.0968691, 5e-8, 'sensibility');
  close(w.sigma_fe_all, 3.175859, 5e-7, 'sensibility2');
  const rw = w.random_weights![0];
  assert.equal(rw.column, 'educ');
  close(rw.coef, -0.13445527172928173, 1e-12, 'RW_educ Coef');
  close(rw.se, 0.07136021078287243, 1e-12, 'RW_educ SE');
  close(rw.t, -1.88417705405031, 1e-10, 'RW_educ t-stat');
  close(rw.correlation, -0.11825873818614765, 1e-12, 'RW_educ Correlation');
});

it('wagepan_twfeweights, fdTR: the first-difference regression’s weights, both measures and the educ test = test_wagepan.R', () => {
  // The package takes diff_lwage, diff_union and D0 = union; we difference lwage and union ourselves.
  const e = wagepanWeights('fdTR');
  const w = e.twfe_weights!;
  assert.equal(w.type, 'fdTR');
  assert.equal(w.positive.count, 611, 'nr_plus');
  assert.equal(w.negative.count, 405, 'nr_minus');
  assert.equal(w.positive.count + w.negative.count, 1016, 'nr_weights');
  assert.equal(w.treated_cells, 1016, 'tot_cells');
  close(w.positive.sum, 1.047636, 5e-7, 'sum_plus');
  close(w.negative.sum, -0.04763605, 5e-9, 'sum_minus');
  // What involves only the treatment (the weights, the random-weights row) matches to ~1e-13; β̂_fd and the
  // two measures (|β̂|/·) differ by 3.5e-7 relative: the .dta's diff_lwage, a Stata float of its own
  // differencing, is not rebuilt bit for bit from the export (f32 at either step leaves β̂ at 0.06009595).
  close(w.beta, 0.06009597, 3e-8, 'beta');
  close(e.aggregates.simple!.att, w.beta, 1e-15, 'the estimate is β̂_fd');
  close(w.sigma_fe, 0.03209515, 2e-8, 'sensibility');
  close(w.sigma_fe_all, 0.5799135, 3e-7, 'sensibility2');
  const rw = w.random_weights![0];
  close(rw.coef, -0.06649016786275475, 1e-12, 'RW_educ Coef');
  close(rw.se, 0.028938371061793897, 1e-12, 'RW_educ SE');
  close(rw.t, -2.297647221427017, 1e-10, 'RW_educ t-stat');
  close(rw.correlation, -0.09947980072899107, 1e-12, 'RW_educ Correlation');
});
