/**
 * Parity with R did 2.5.1 on mpdta (R did's own example panel, ../shared/reference/did/mpdta.*, not
 * copied into the project) × 48 option sets, as test/estimators/did/reference.test.ts checks the
 * synthetic panels: estimates to 1e-6, SEs to 1e-4.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parityFailures } from '../../../test/helpers/did-parity.js';

it('mpdta: all 48 option sets agree with R did 2.5.1 (estimates 1e-6, SEs 1e-4)', () => {
  assert.deepEqual(parityFailures('mpdta'), []);
});
