/**
 * Parity with R did 2.5.1 on the synthetic panels sim_a–sim_c × 48 option sets (144 in all):
 * every ATT(g,t) and SE, the Wald pre-test, the four aggregates and all their detail rows.
 * Estimates to 1e-6 and SEs to 1e-4, relative (test/fixtures/did/, written by R did 2.5.1 through
 * test/fixtures/did/make-reference.R, which records the versions in each JSON). mpdta, from R did's
 * own repository, is checked the same way by test-reference/estimators/did/mpdta.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parityFailures } from '../../helpers/did-parity.js';
import { loadReference, REF_PANELS } from '../../helpers/reference.js';

describe('parity with R did 2.5.1', () => {
  for (const name of REF_PANELS) {
    it(`${name}: all 48 option sets agree (estimates 1e-6, SEs 1e-4)`, () => {
      assert.deepEqual(parityFailures(name), []);
    });
  }
  it('the references record the R, did, DRDID and BMisc versions that wrote them', () => {
    for (const name of REF_PANELS) {
      const { versions } = loadReference(name);
      assert.equal(versions?.did, '2.5.1', name);
      for (const pkg of ['R', 'DRDID', 'BMisc']) assert.match(versions?.[pkg] ?? '', /^\d+\.\d+/, `${name}: ${pkg}`);
    }
  });
});
