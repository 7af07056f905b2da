/**
 * dcdh with a discrete treatment against DIDmultiplegtDYN's own R source on a synthetic panel
 * (discrete-panel.ts: 240 units × 9 periods, treatment 0 … 3 from baselines 0, 1, 2, switchers in and
 * out of one baseline, paths that move on after the first change, and some that cross their baseline
 * (Design Restriction 2)). No author has published numbers on a discrete-treatment panel that is
 * available here (the package's Favara–Imbs and Gentzkow data are not in ../shared/reference), so the
 * reference is the package itself: test-reference/fixtures/dcdh-discrete-package.json, its _source
 * saying how it was run, on the CSV this generator writes (rebuilt here at test time). Tolerance 1e-10.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { discreteCsv } from './discrete-panel.js';
import { checkPackageModel, packageModels } from './package-fixture.js';

let dir = '';
let csv = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagger-dcdh-discrete-'));
  csv = join(dir, 'discrete.csv');
  discreteCsv(csv);
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('discrete treatment: every model and its joint tests = the package’s own R source on the same panel (1e-10)', () => {
  const models = packageModels('dcdh-discrete-package.json');
  assert.ok(Object.keys(models).length >= 14, 'the fixture lists its 14 models');
  for (const [name, m] of Object.entries(models)) checkPackageModel(csv, { id: 'id', time: 't', outcome: 'y', treatment: 'd' }, name, m);
});
