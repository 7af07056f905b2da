// One column in two roles (`--cluster hisp` with hisp also a covariate or a trends_nonparam cell): the
// reader's fast path once filled only the later slot, so the covariate came out all zeros. Every slot of
// the column must hold its values, on the fast path and on the quoted (slow) path alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePanelCsv } from '../../src/panel/csv.js';

const rows = ['a,1,2,1.5,1,3', 'a,2,2,2.5,1,3', 'b,1,0,0.5,0,4', 'b,2,0,1,0,4', 'c,1,0,0.25,1,5', 'c,2,0,0.75,1,5'];
const cols = { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' };

for (const [name, body] of [
  ['fast path', rows],
  ['quoted path', rows.map((r) => r.replace(/^(\w)/, '"$1"'))],
] as const) {
  test(`${name}: a covariate that is also the cluster keeps its values (hisp = 1, 0, 1 by unit)`, () => {
    const text = ['id,period,first_treat,y,hisp,x', ...body].join('\n');
    const both = parsePanelCsv(text, 'p.csv', { ...cols, covariates: ['hisp', 'x'], cluster: 'hisp' }).panel;
    const alone = parsePanelCsv(text, 'p.csv', { ...cols, covariates: ['hisp', 'x'] }).panel;
    assert.deepEqual([...both.covariates!.hisp], [...alone.covariates!.hisp]);
    assert.deepEqual([...both.covariates!.hisp], [1, 0, 1]);
    assert.deepEqual([...both.covariates!.x], [3, 4, 5]);
    // the clusters: units a and c share hisp = 1, b alone has 0
    const cl = [...both.cluster!];
    assert.equal(cl[0], cl[2]);
    assert.notEqual(cl[0], cl[1]);
  });
}
