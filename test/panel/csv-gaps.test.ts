/**
 * The long-CSV reader's gap mode (dcdh, did_multiplegt_dyn's missing-data conventions): every unit kept,
 * absent rows and empty values NaN with Panel.observed marking the rows the file holds, weights that vary
 * over time per cell (a missing one 0), and what it refuses.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePanelCsv } from '../../src/panel/csv.js';
import { withTreatmentColumn } from '../../src/panel/treatment-column.js';

const cols = { id: 'id', time: 't', outcome: 'y', covariates: ['d', 'x', 'c'], weights: 'w', gaps: true };
const text = `id,t,y,d,x,c,w
1,1,1.5,0,0.1,7,2
1,2,NA,0,0.2,7,2
1,3,2.5,1,0.3,7,2
2,1,0.5,0,1,8,1
2,3,0.75,NA,3,8,3
3,1,4,0,5,9,
3,2,5,1,6,9,1
3,3,6,1,7,9,1
`;

it('keeps every unit, with NaN for absent rows and empty values and the rows present marked', () => {
  const { panel, messages } = parsePanelCsv(text, 'gaps.csv', cols);
  assert.equal(panel.nUnits, 3);
  const NA = Number.NaN;
  assert.deepEqual(Array.from(panel.y), [1.5, 0.5, 4, NA, NA, 5, 2.5, 0.75, 6]);
  assert.deepEqual(Array.from(panel.observed!), [1, 1, 1, 1, 0, 1, 1, 1, 1]);
  // A column constant within units on the rows present stays unit-level; one that varies, or has a gap, does not.
  assert.deepEqual(Array.from(panel.covariates.c), [7, 8, 9]);
  assert.equal(panel.covariates.x.length, 9);
  assert.ok(Number.isNaN(panel.covariates.x[4]), 'absent row: no covariate');
  // Weights varying within unit 2 (and unit 3's missing one, 0): per cell, none on absent rows.
  assert.equal(panel.weights, undefined);
  assert.deepEqual(Array.from(panel.cellWeights!), [2, 1, 0, 2, 0, 1, 2, 3, 1]);
  assert.match(messages.join('\n'), /1 of 3 units miss some of the 3 periods \(1 rows absent\), and 3 rows have an empty or NA value/);
  // The treatment column keeps its gaps; each unit's first treated period skips them.
  const p = withTreatmentColumn(panel, 'd', 'gaps.csv');
  assert.deepEqual(Array.from(p.treatment!), [0, 0, 0, 0, NA, 1, 1, NA, 1]);
  assert.deepEqual(Array.from(p.group), [3, 0, 2]);
  assert.deepEqual(Array.from(p.observed!), Array.from(panel.observed!));
});

it('weights constant within every unit stay unit-level', () => {
  const { panel } = parsePanelCsv(
    text.replace('2,3,0.75,NA,3,8,3', '2,3,0.75,NA,3,8,1').replace('3,1,4,0,5,9,\n', '3,1,4,0,5,9,1\n'),
    'gaps.csv',
    cols,
  );
  assert.deepEqual(Array.from(panel.weights!), [2, 1, 1]);
  assert.equal(panel.cellWeights, undefined);
});

it('refuses text covariates and cluster-period cells in gap mode, naming the column', () => {
  assert.throws(
    () => parsePanelCsv(text.replace('0.1,7', 'low,7'), 'gaps.csv', cols),
    /gaps\.csv, column "x": a text covariate is not read with the panel's gaps/,
  );
  assert.throws(
    () => parsePanelCsv(text, 'gaps.csv', { ...cols, cellSize: 'w' }),
    /gaps\.csv: cluster-period cells .* take a balanced panel/,
  );
});
