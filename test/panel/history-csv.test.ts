/** The history-panel reader (population.from_panel): shapes, text levels, and bad input named as `stagger estimate` names it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHistoryCsv } from '../../src/panel/history-csv.js';
import { PanelCsvError } from '../../src/panel/csv.js';

const cols = { id: 'id', time: 't', outcome: 'y', covariates: ['x', 'r'] };
const ok = `id,t,y,x,r
a,2,1.5,1,b
a,1,0.5,1,b
c,1,0.25,0,a
c,2,0.75,0,a
`;

const throwsWith = (text: string, words: RegExp) =>
  assert.throws(
    () => parseHistoryCsv(text, 'h.csv', cols),
    (e: unknown) => e instanceof PanelCsvError && words.test((e as Error).message),
  );

describe('parseHistoryCsv', () => {
  it('reshapes long rows into periods × units, text covariates as sorted level indices', () => {
    const { panel, levels, messages } = parseHistoryCsv(ok, 'h.csv', cols);
    assert.deepEqual(Array.from(panel.periods), [1, 2]);
    assert.deepEqual(Array.from(panel.y), [0.5, 0.25, 1.5, 0.75]);
    assert.deepEqual(Array.from(panel.covariates.x), [1, 0]);
    assert.deepEqual(levels, { r: ['a', 'b'] });
    assert.deepEqual(Array.from(panel.covariates.r), [1, 0]);
    assert.deepEqual(messages, []);
  });

  it('drops units with missing values or periods, saying so as estimate does', () => {
    const { panel, messages } = parseHistoryCsv(`${ok}d,1,NA,1,a\nd,2,1,1,a\ne,1,1,1,a\n`, 'h.csv', cols);
    assert.deepEqual(panel.ids, ['a', 'c']);
    assert.deepEqual(messages, [
      'Dropped 1 units with missing values (1 rows with an empty or NA outcome or covariate).',
      '1 units are missing in some periods. Converting to a balanced panel by dropping them.',
    ]);
  });

  it('names the file, row and column of bad input', () => {
    throwsWith('id,t,y,x\n', /h\.csv: no column "r" \(the covariate\); the header has: id, t, y, x/);
    throwsWith(ok.replace('a,1,0.5', 'a,1,abc'), /h\.csv, row 3, column "y": "abc" is not a number/);
    throwsWith(ok.replace('c,2,0.75,0,a', 'c,1,0.75,0,a'), /h\.csv, row 5: unit c appears twice in period 1 \(also on row 4\)/);
    throwsWith(
      ok.replace('a,1,0.5,1,b', 'a,1,0.5,0,b'),
      /h\.csv, row 3, column "x": unit a has 0 here but 1 on row 2; from_panel covariates must be unit-level/,
    );
    throwsWith('id,t,y,x,r\na,1,1,1,a\n', /at least two are needed/);
  });
});
