/**
 * DRDID's NSW sample (../shared/reference/peers/drdid_nsw_cps5000.csv, from DRDID's repository; 5,000
 * CPS comparison units and the experimental treated, 1975 → 1978, seven covariates with re74 in
 * dollars): dr and ipw against DRDID run in R (test-reference/fixtures/drdid_nsw.json, written by
 * make-drdid-nsw.R: drdid_panel, std_ipw_did_panel, reg_did_panel and R did's att_gt).
 * The propensity logit used to stop after 8 simplified-Newton steps on this sample (converged = false,
 * unread), leaving dr and ipw 2.6e-7 relative away from DRDID; finished to glm's criterion they agree to
 * ~1e-11. The test holds them to 1e-9 relative (the issue asks for 1e-6), so the old stop would fail it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { ROOT, sharedFile } from '../../../test/helpers/reference.js';

const COVS = ['age', 'educ', 'black', 'married', 'nodegree', 'hisp', 're74'];
const ref = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'drdid_nsw.json'), 'utf8')) as {
  versions: Record<string, string>;
  entries: Record<string, { att: number; se: number }> & { glm_pscore: { iterations: number; converged: boolean } };
};

it("NSW (DRDID's sample): dr, ipw and reg equal DRDID's panel estimators and R did's att_gt (1e-9 relative)", () => {
  assert.equal(ref.versions.did, '2.5.1');
  assert.equal(ref.entries.glm_pscore.converged, true);
  const { panel } = readPanelCsv(sharedFile('peers', 'drdid_nsw_cps5000.csv'), {
    id: 'id',
    time: 'year',
    group: 'first_treat',
    outcome: 're',
    covariates: COVS,
  });
  const rel = (a: number | null, b: number) => Math.abs((a ?? NaN) - b) / Math.abs(b);
  for (const [method, drdid] of [
    ['dr', 'drdid_panel'],
    ['ipw', 'std_ipw_did_panel'],
    ['reg', 'reg_did_panel'],
  ] as const) {
    const out = estimateDid(panel, { method, covariates: COVS });
    const cell = out.att_gt[0];
    assert.equal(out.att_gt.length, 1);
    assert.deepEqual(out.messages, [], `${method}: no message (the propensity fit converged)`);
    assert.equal(cell.converged, undefined);
    const d = ref.entries[drdid],
      a = ref.entries[`att_gt_${method}`];
    assert.ok(rel(cell.att, d.att) < 1e-9, `${method}: ${cell.att} vs DRDID ${d.att}`);
    assert.ok(rel(cell.att, a.att) < 1e-9, `${method}: ${cell.att} vs att_gt ${a.att}`);
    // Our SE is att_gt's √(mean ψ²/n); DRDID's sd(ψ)·√(n−1)/n equals it where ψ has mean 0.
    assert.ok(rel(cell.se, a.se) < 1e-8, `${method} SE: ${cell.se} vs att_gt ${a.se}`);
    assert.ok(rel(cell.se, d.se) < 1e-6, `${method} SE: ${cell.se} vs DRDID ${d.se}`);
  }
});
