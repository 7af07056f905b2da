/** The long-CSV reader: shapes, exact numbers, and every bad input with its message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePanelCsv, PanelCsvError, splitCsvLine } from '../../src/panel/csv.js';

const cols = { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x'] };
const ok = `id,period,first_treat,y,x
1,1,2,0.5,1
1,2,2,1.5,1
2,1,0,0.25,3
2,2,0,0.75,3
`;

function throwsWith(text: string, words: RegExp, c = cols): void {
  assert.throws(
    () => parsePanelCsv(text, 'bad.csv', c),
    (e: unknown) => {
      assert.ok(e instanceof PanelCsvError, `expected PanelCsvError, got ${e}`);
      assert.match((e as Error).message, words);
      return true;
    },
  );
}

describe('parsePanelCsv', () => {
  it('reshapes long rows into periods × units', () => {
    const { panel, messages } = parsePanelCsv(ok, 'ok.csv', cols);
    assert.equal(panel.nUnits, 2);
    assert.deepEqual(Array.from(panel.periods), [1, 2]);
    assert.deepEqual(Array.from(panel.y), [0.5, 0.25, 1.5, 0.75]);
    assert.deepEqual(Array.from(panel.group), [2, 0]);
    assert.deepEqual(Array.from(panel.covariates.x), [1, 3]);
    assert.deepEqual(messages, []);
  });

  it('reads numbers exactly as Number() does, on and off the fast path', () => {
    const values = [
      '8.46146904264388',
      '-0.00971031235909951',
      '1e-7',
      '2.5E+3',
      '0.1',
      '123456789012345678',
      '-0.8034558743529395',
      '3.000000000000001',
      '1.7976931348623157e308',
      ' 42 ',
      '+7',
      '.5',
      '5.',
    ];
    const text = ['id,period,first_treat,y,x', ...values.flatMap((v, i) => [`${i},1,0,${v},${i % 2}`, `${i},2,0,${v},${i % 2}`])].join(
      '\n',
    );
    const { panel } = parsePanelCsv(text, 'n.csv', cols);
    values.forEach((v, i) => assert.equal(panel.y[i], Number(v), v));
  });

  it('handles quoted fields and CRLF line ends', () => {
    const text = '"id","period","first_treat","y","x"\r\n"a,1",1,2,1,0\r\n"a,1",2,2,2,0\r\n"b",1,0,3,1\r\n"b",2,0,4,1\r\n';
    const { panel } = parsePanelCsv(text, 'q.csv', cols);
    assert.deepEqual(panel.ids, ['a,1', 'b']);
    assert.deepEqual(Array.from(panel.y), [1, 3, 2, 4]);
    assert.deepEqual(splitCsvLine('"x ""y""",2,'), ['x "y"', '2', '']);
  });

  it('drops units with missing values or missing periods, saying so', () => {
    const text = `${ok}3,1,0,NA,1\n3,2,0,1,1\n4,1,2,1,0\n`;
    const { panel, messages } = parsePanelCsv(text, 'm.csv', cols);
    assert.equal(panel.nUnits, 2);
    assert.match(messages.join(' '), /Dropped 1 units with missing values/);
    assert.match(messages.join(' '), /1 units are missing in some periods/);
  });

  it('names the file, row and column of bad input', () => {
    throwsWith('', /bad\.csv: the file is empty/);
    throwsWith('id,period,first_treat,y\n1,1,0,1\n', /no column "x" \(the covariate\); the header has: id, period, first_treat, y/);
    throwsWith(ok.replace('1,2,2,1.5,1', '1,2,2,abc,1'), /bad\.csv, row 3, column "y": "abc" is not a number/);
    throwsWith(ok.replace('2,2,0,0.75,3', '2,1,0,0.75,3'), /row 5: unit 2 appears twice in period 1 \(also on row 4\)/);
    throwsWith(ok.replace('1,2,2,1.5,1', '1,2,3,1.5,1'), /row 3, column "first_treat": unit 1 has start group 3 here but 2 on row 2/);
    throwsWith(ok.replace('1,2,2,1.5,1', '1,2,2'), /row 3: 3 fields, expected 5/);
    throwsWith(ok.replace('1,2,2,1.5,1', '1,,2,1.5,1'), /row 3, column "period": value is missing/);
    throwsWith('id,period,first_treat,y,x\n1,1,2,0.5,1\n2,1,0,0.25,3\n', /has 1 distinct period\(s\); at least two are needed/);
    throwsWith(ok.replace(/,1\n/g, ',7\n').replace(/,3\n/g, ',7\n'), /column "x": the covariate is constant \(7\)/);
    throwsWith(ok.replace('2,1,0,0.25,3', '2,1,-1,0.25,3').replace('2,2,0,0.75,3', '2,2,-1,0.75,3'), /start group -1 is negative/);
    throwsWith('id,period,first_treat,y,x\n1,1,0,NA,1\n1,2,0,1,1\n', /no unit is observed in all 2 periods/);
  });
});
