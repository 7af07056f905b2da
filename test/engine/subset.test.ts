// subsetPanel (subgroup estimates): the masked units with every column, cell sizes and time-varying covariates included.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { subsetPanel } from '../../src/engine/subset.js';
import { makePanel } from '../../src/panel/panel.js';

it('subsetPanel keeps the cells’ sizes and sums of squares, and cuts a time-varying covariate by period', () => {
  const n = 3,
    T = 2;
  const p = makePanel({
    periods: [1, 2],
    group: [0, 2, 2],
    y: Float64Array.of(1, 2, 3, 4, 5, 6),
    covariates: { tv: Float64Array.of(10, 20, 30, 40, 50, 60), u: Float64Array.of(7, 8, 9) },
    cellSize: Float64Array.of(5, 6, 7, 8, 9, 10),
    cellSS: Float64Array.of(0.5, 0.6, 0.7, 0.8, 0.9, 1),
  });
  const s = subsetPanel(p, Uint8Array.of(1, 0, 1));
  assert.equal(s.nUnits, 2);
  assert.equal(s.nPeriods, T);
  assert.deepEqual([...s.y], [1, 3, 4, 6]);
  assert.deepEqual([...s.cellSize!], [5, 7, 8, 10]);
  assert.deepEqual([...s.cellSS!], [0.5, 0.7, 0.8, 1]);
  assert.deepEqual([...s.covariates.tv], [10, 30, 40, 60]);
  assert.deepEqual([...s.covariates.u], [7, 9]);
  assert.equal(n, p.nUnits);
});
