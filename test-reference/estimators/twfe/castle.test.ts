/** TWFE on the castle-doctrine panel (../shared/reference/external/castle.csv): the published estimate. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { castle, near } from '../../../test/estimators/helpers.js';

it('castle doctrine: 0.0818, the two-way FE estimate published with the Bacon decomposition (Goodman-Bacon 2021; bacondecomp README)', () => {
  const out = estimateTwfe(castle(), { eventStudy: false });
  near(out.aggregates.simple!.att, 0.0818, 5e-5 / 0.0818, 'castle TWFE');
  assert.ok(out.aggregates.simple!.se! > 0.01 && out.aggregates.simple!.se! < 0.1);
});
