// Bad history data gets the CSV errors `stagger estimate` gives: file, row (line of the file), column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrateData, type CalibrateArgs } from '../../src/cli/calibrate.js';

function withCsv(text: string, run: (file: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-calib-csv-'));
  try {
    const file = join(dir, 'history.csv');
    writeFileSync(file, text);
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const args = (file: string, more: Partial<CalibrateArgs> = {}): CalibrateArgs => ({
  data: file,
  id: 'id',
  time: 'period',
  outcome: 'y',
  season: 12,
  seed: '1',
  draws: 2,
  ...more,
});

test('a value that is not a number names the file, the row and the column', () => {
  withCsv('id,period,y\n1,1,3\n1,2,4\n2,1,abc\n2,2,5\n', (file) => {
    assert.throws(
      () => calibrateData(args(file)),
      (e: Error) => e.name === 'InputError' && e.message === `calibrate: ${file}, row 4, column "y": "abc" is not a number`,
    );
  });
});

test('a missing column lists the header; no start-group column is needed', () => {
  withCsv('id,period,earn\n1,1,3\n1,2,4\n', (file) => {
    assert.throws(
      () => calibrateData(args(file)),
      (e: Error) => e.message === `calibrate: ${file}: no column "y" (the outcome); the header has: id, period, earn`,
    );
  });
});

test('a unit twice in a period names both rows', () => {
  withCsv('id,period,y\n1,1,3\n1,1,4\n1,2,5\n', (file) => {
    assert.throws(() => calibrateData(args(file)), /row 3: unit 1 appears twice in period 1 \(also on row 2\)/);
  });
});

test('values that do not fit --type are an error naming the column', () => {
  withCsv('id,period,y\n1,1,0\n1,2,2\n1,3,1\n1,4,0\n2,1,1\n2,2,0\n2,3,1\n2,4,1\n', (file) => {
    assert.throws(() => calibrateData(args(file, { type: 'binary' })), /--type binary: column "y" must hold 0 or 1; found 2/);
  });
});

test('a history panel without a start-group column reads, quoted lines too; every unit is never treated', async () => {
  const { readPanelCsv } = await import('../../src/panel/csv.js');
  withCsv('id,period,y\n"a",1,1.5\n"a",2,2\nb,1,3\nb,2,"4"\n', (file) => {
    const { panel } = readPanelCsv(file, { id: 'id', time: 'period', outcome: 'y' });
    assert.deepEqual([...panel.group], [0, 0]);
    assert.deepEqual([...panel.y], [1.5, 3, 2, 4]);
  });
});
