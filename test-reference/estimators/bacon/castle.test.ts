/**
 * The Goodman-Bacon decomposition of the castle-doctrine panel (../shared/reference/external/castle.csv):
 * the identity, and the numbers by type published with the data (bacondecomp 0.1.3 README, reproducing
 * Goodman-Bacon 2021's example).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { castle, near } from '../../../test/estimators/helpers.js';
import { checkIdentity } from '../../../test/estimators/bacon/identity.js';

it('castle doctrine: sums to the TWFE estimate (1e-10) and matches the published weights and averages by type', () => {
  const d = checkIdentity(castle(), 'castle');
  // bacondecomp README (castle, l_homicide ~ post): type, weight, avg_est, printed to 5 decimals.
  const published = [
    { type: 'earlier vs later', weight: 0.05976, estimate: -0.00554 },
    { type: 'later vs earlier', weight: 0.0319, estimate: 0.07032 },
    { type: 'treated vs never', weight: 0.90834, estimate: 0.08796 },
  ];
  for (const p of published) {
    const ours = d.byType.find((b) => b.type === p.type)!;
    assert.ok(Math.abs(ours.weight - p.weight) <= 5e-6, `${p.type} weight ${ours.weight} vs ${p.weight}`);
    assert.ok(Math.abs(ours.estimate - p.estimate) <= 5e-6, `${p.type} estimate ${ours.estimate} vs ${p.estimate}`);
  }
  near(d.twfe, 0.0818, 5e-5 / 0.0818, 'castle TWFE');
  // 5 timing groups against never: 5 + 2 × C(5, 2) = 25 comparisons
  assert.equal(d.terms.length, 25);
});
