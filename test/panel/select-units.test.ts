// selectUnits: a panel of some units, every periods × units array and unit-level column cut to them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makePanel } from '../../src/panel/panel.js';
import { selectUnits } from '../../src/panel/select-units.js';

it('selectUnits keeps the chosen units in the order given, with their rows, columns and weights', () => {
  const n = 4,
    T = 3;
  const y = Float64Array.from({ length: n * T }, (_, k) => 10 * Math.floor(k / n) + (k % n)); // y[t, i] = 10t + i
  const p = makePanel({
    periods: [1, 2, 3],
    ids: ['a', 'b', 'c', 'd'],
    group: [0, 2, 3, 0],
    y,
    covariates: { u: Float64Array.of(5, 6, 7, 8), tv: Float64Array.from(y, (v) => -v) },
    cluster: Float64Array.of(1, 1, 2, 2),
    treatment: Float64Array.from(y, (v) => v % 2),
  });
  const s = selectUnits(p, [3, 1, 1], Float64Array.of(1, 2, 3));
  assert.deepEqual(s.ids, ['d', 'b', 'b']);
  assert.deepEqual([...s.group], [0, 2, 2]);
  assert.deepEqual([...s.y], [3, 1, 1, 13, 11, 11, 23, 21, 21]);
  assert.deepEqual([...s.covariates.u], [8, 6, 6]);
  assert.deepEqual([...s.covariates.tv], [-3, -1, -1, -13, -11, -11, -23, -21, -21]);
  assert.deepEqual([...s.cluster!], [2, 1, 1]);
  assert.deepEqual([...s.weights!], [1, 2, 3]);
  assert.deepEqual([...s.treatment!], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
});
