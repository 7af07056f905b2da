/**
 * twowayfeweights on the castle-doctrine panel (../shared/reference/external/castle.csv): β̂_fe is the
 * static TWFE coefficient printed in bacondecomp 0.1.3's README for the same data (0.0818, 4 decimals,
 * also the Goodman-Bacon sum in test-reference/estimators/bacon), and the weights add up to 1 over the
 * 20 × (treated years) cells. No printed twowayfeweights output on castle was found.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateTwfeWeights } from '../../../src/estimators/dcdh/twfe-weights-estimator.js';
import { castle } from '../../../test/estimators/helpers.js';

it('castle: β_fe = bacondecomp’s printed TWFE 0.0818; weights sum to 1; the cells are the treated state-years', () => {
  const panel = castle();
  const e = estimateTwfeWeights(panel);
  const w = e.twfe_weights!;
  assert.ok(Math.abs(w.beta - 0.0818) <= 5e-5, `β_fe ${w.beta}`);
  assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
  let treated = 0;
  for (let t = 0; t < panel.nPeriods; t++)
    for (let i = 0; i < panel.nUnits; i++) if (panel.group[i] > 0 && panel.periods[t] >= panel.group[i]) treated++;
  assert.equal(w.positive.count + w.negative.count, treated);
  assert.ok(w.sigma_fe! > 0);
});
