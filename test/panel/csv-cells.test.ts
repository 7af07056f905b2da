// Cluster-period cells in a long CSV: `stagger simulate` writes n and ss after the covariates when the
// panel has cell sizes; the reader takes them back when named, and refuses bad cells by row and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePanelCsv } from '../../src/cli/panel-csv.js';
import { checkCellFlags } from '../../src/cli/estimate.js';
import { parsePanelCsv, readPanelCsv } from '../../src/panel/csv.js';
import { makePanel } from '../../src/panel/panel.js';

const dir = mkdtempSync(join(tmpdir(), 'stagger-cells-'));
const panel = makePanel({
  periods: [1, 2, 3],
  group: [2, 0],
  y: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
  covariates: { urban: Float64Array.of(1, 0) },
  cluster: Float64Array.of(1, 2),
  cellSize: Float64Array.of(10, 12, 11, 12, 9, 12),
  cellSS: Float64Array.of(0.9, 2.1, 2.2, 2.6, 2.0, 2.7),
});

test('the cells round-trip: n and ss written last, read back periods × clusters as Panel.cellSize and cellSS', () => {
  const file = join(dir, 'cells.csv');
  writePanelCsv(file, panel);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'id,period,first_treat,y,urban,n,ss');
  assert.equal(lines[1], '1,1,2,0.1,1,10,0.9');
  const { panel: back } = readPanelCsv(file, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', cellSize: 'n', cellSS: 'ss' });
  assert.deepEqual([...back.cellSize!], [...panel.cellSize!]);
  assert.deepEqual([...back.cellSS!], [...panel.cellSS!]);
  assert.deepEqual([...back.y], [...panel.y]);
  // Without the flags the file reads as any panel of cell means.
  const plain = readPanelCsv(file, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' }).panel;
  assert.equal(plain.cellSize, undefined);
  // A panel without cells keeps the old columns.
  writePanelCsv(file, makePanel({ periods: [1, 2], group: [0], y: Float64Array.of(1, 2) }));
  assert.equal(readFileSync(file, 'utf8').split('\n')[0], 'id,period,first_treat,y');
});

test('bad cells are refused with the file, row and column', () => {
  const cols = { id: 'id', time: 'period', group: 'g', outcome: 'y', cellSize: 'n', cellSS: 'ss' };
  const csv = (n: string, ss: string) => `id,period,g,y,n,ss\n1,1,0,0.5,10,1\n1,2,0,0.5,${n},${ss}\n`;
  assert.throws(
    () => parsePanelCsv(csv('0', '1'), 'c.csv', cols),
    /c\.csv, row 3, column "n": expected the people in the cell, a whole number ≥ 1, found 0/,
  );
  assert.throws(
    () => parsePanelCsv(csv('2.5', '1'), 'c.csv', cols),
    /column "n": expected the people in the cell, a whole number ≥ 1, found 2\.5/,
  );
  assert.throws(() => parsePanelCsv(csv('3', '-1'), 'c.csv', cols), /c\.csv, row 3, column "ss": expected a sum of squares ≥ 0, found -1/);
  assert.throws(() => parsePanelCsv(csv('3', '1'), 'c.csv', { ...cols, cellSize: 'size' }), /c\.csv: no column "size" \(the cell size\)/);
});

test('--cell-size and --cell-ss: refused where no model reads them, --cell-ss needs --cell-size', () => {
  assert.throws(
    () => checkCellFlags({ estimator: 'did', 'cell-size': 'n' }),
    /--cell-size is read by --estimator hh only \(its individual-level model\); did analyses the cell means in --outcome, so leave --cell-size out/,
  );
  assert.throws(() => checkCellFlags({ estimator: 'hh' as 'did', 'cell-ss': 'ss' }), /--cell-ss needs --cell-size/);
  assert.doesNotThrow(() => checkCellFlags({ estimator: 'hh' as 'did', 'cell-size': 'n', 'cell-ss': 'ss' }));
  assert.doesNotThrow(() => checkCellFlags({ estimator: 'twfe' }));
});
