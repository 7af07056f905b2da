/**
 * The external protocol's binary frame (src/estimators/external/panel-binary.ts) against the CSV it
 * stands in for (cli/panel-csv.ts): the same columns in the same order, and in every row and column
 * the same number the CSV holds, read back as an independent reader would (little-endian doubles,
 * column k's row r at byte 8·(k·nrow + r)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePanel } from '../../../src/panel/panel.js';
import { writePanelCsv } from '../../../src/cli/panel-csv.js';
import { writePanelBinary } from '../../../src/estimators/external/panel-binary.js';
import { tempDir } from '../../engine/helpers.js';

function readFrame(file: string, nrow: number, ncol: number): number[][] {
  const buf = readFileSync(file);
  assert.equal(buf.length, 8 * nrow * ncol, 'the file holds nrow × ncol doubles and nothing else');
  return Array.from({ length: ncol }, (_, k) => Array.from({ length: nrow }, (_, r) => buf.readDoubleLE(8 * (k * nrow + r))));
}

test('the binary frame holds the CSV: the same columns, and every value the CSV holds (NaN too)', () => {
  // 3 units × 4 periods, a covariate, cell sizes and sums of squares (a clusters panel), odd numbers.
  const y = Float64Array.from({ length: 12 }, (_, c) => (c === 5 ? Number.NaN : Math.sqrt(c + 2) * (c % 2 ? -1 : 1) * 1e3 + 1 / 3));
  const p = makePanel({
    periods: [2001, 2002, 2003, 2004],
    ids: ['7', '12', '3'],
    group: [2003, 0, 2004],
    y,
    covariates: { woman: Float64Array.from([1, 0, 1]), age: Float64Array.from([31.5, 47.25, 0.1]) },
    cellSize: Float64Array.from({ length: 12 }, (_, c) => 100 + c),
    cellSS: Float64Array.from({ length: 12 }, (_, c) => c * 0.7),
  });
  const dir = tempDir('frame');
  writePanelCsv(join(dir, 'p.csv'), p);
  const shape = writePanelBinary(join(dir, 'p.f64'), p);
  assert.ok(typeof shape !== 'string', String(shape));
  const lines = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  assert.deepEqual(shape.columns, head);
  assert.deepEqual(head, ['id', 'period', 'first_treat', 'y', 'woman', 'age', 'n', 'ss']);
  assert.equal(shape.nrow, lines.length - 1);
  const cols = readFrame(join(dir, 'p.f64'), shape.nrow, head.length);
  for (let r = 0; r < shape.nrow; r++) {
    const csv = lines[r + 1].split(',').map(Number);
    for (let k = 0; k < head.length; k++) assert.ok(Object.is(cols[k][r], csv[k]), `row ${r + 1} ${head[k]}: ${cols[k][r]} vs ${csv[k]}`);
  }
  // Spot checks the CSV comparison alone would not catch if both writers shared a mistake.
  assert.deepEqual(cols[0], [7, 7, 7, 7, 12, 12, 12, 12, 3, 3, 3, 3], 'ids repeat over each unit’s periods');
  assert.equal(cols[3][4 + 1], y[1 * 3 + 1], 'y of unit 2, period 2 is y[t·N + i]');
  assert.ok(Number.isNaN(cols[3][2 * 4 + 1]), 'a missing outcome is NaN (unit 3, period 2 = y[5])');
});

test('ids the frame cannot hold as numbers are refused with the unit and the id, never renumbered', () => {
  const base = { periods: [1, 2], group: [2, 0], y: Float64Array.from([1, 2, 3, 4]) };
  const dir = tempDir('frame-ids');
  for (const [ids, bad] of [
    [['1', 'A12'], 'unit 2\'s id "A12"'],
    [['007', '7'], 'unit 1\'s id "007"'],
    [['', '2'], 'unit 1\'s id ""'],
  ] as const) {
    const r = writePanelBinary(join(dir, 'x.f64'), makePanel({ ...base, ids: [...ids] }));
    assert.equal(typeof r, 'string');
    assert.match(r as string, new RegExp(bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(r as string, /use the csv format/);
  }
  assert.notEqual(typeof writePanelBinary(join(dir, 'y.f64'), makePanel({ ...base, ids: ['-3', '1.5'] })), 'string');
});
