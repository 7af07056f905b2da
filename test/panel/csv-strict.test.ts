/**
 * Strict CSV panels (issue 16): near-numbers (0x1F, 1,5, Inf), rows wider or narrower than the header,
 * unclosed quotes, duplicate header names and a dense id × period index too large for memory are
 * refused with the row, the column, what was expected and what was found; BOM, CRLF and NA keep
 * their documented handling. The same rules hold for the three readers (balanced, long, history).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePanelCsv, PanelCsvError } from '../../src/panel/csv.js';
import { parseLongCsv } from '../../src/panel/long.js';
import { parseHistoryCsv } from '../../src/panel/history-csv.js';
import { nearNumberProblem, splitFields } from '../../src/panel/csv-fields.js';

const cols = { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x'] };
const ok = 'id,period,first_treat,y,x\n1,1,2,0.5,1\n1,2,2,1.5,1\n2,1,0,0.25,3\n2,2,0,0.75,3\n';

/** The message each reader gives for the same text (balanced reader, long reader). */
function messages(text: string): string[] {
  const out: string[] = [];
  for (const read of [() => parsePanelCsv(text, 'p.csv', cols), () => parseLongCsv(text, 'p.csv', cols)]) {
    try {
      read();
      out.push('(accepted)');
    } catch (e) {
      assert.ok(e instanceof PanelCsvError, `expected PanelCsvError, got ${e}`);
      out.push((e as Error).message);
    }
  }
  return out;
}

function refusedByBoth(text: string, words: RegExp): void {
  for (const m of messages(text)) assert.match(m, words);
}

describe('numbers are decimal numbers with a point', () => {
  it('a hexadecimal number is refused (Number("0x1F") would read 31)', () => {
    refusedByBoth(
      ok.replace('1,2,2,1.5,1', '1,2,2,0x1F,1'),
      /^p\.csv, row 3, column "y": expected a decimal number, found "0x1F" \(a hexadecimal, octal or binary literal\)$/,
    );
  });
  it('a hexadecimal covariate is refused, not made a text factor', () => {
    refusedByBoth(ok.replace('2,2,0,0.75,3', '2,2,0,0.75,0x3'), /row 5, column "x": expected a decimal number, found "0x3"/);
  });
  it('a quoted decimal comma says the fix', () => {
    refusedByBoth(
      ok.replace('1,2,2,1.5,1', '1,2,2,"1,5",1'),
      /^p\.csv, row 3, column "y": expected a decimal number with a point, found "1,5" \(a decimal comma: write 1\.5, or export the CSV with "\." as the decimal separator\)$/,
    );
  });
  it('an unquoted decimal comma makes the row too wide, and the message says why it may be', () => {
    refusedByBoth(
      ok.replace('1,2,2,1.5,1', '1,2,2,1,5,1'),
      /^p\.csv, row 3: 6 fields, expected 5 \(as in the header\); an unquoted comma splits a field in two \(a decimal comma such as 1,5: write 1\.5; text with a comma: quote it\)$/,
    );
  });
  it('Inf, -Infinity and numbers beyond ±1.8e308 are refused in numeric columns', () => {
    refusedByBoth(
      ok.replace('1,2,2,1.5,1', '1,2,2,Inf,1'),
      /row 3, column "y": expected a finite decimal number \(leave the cell empty or NA to mark it missing\), found "Inf"/,
    );
    refusedByBoth(ok.replace('2,1,0,0.25,3', '2,1,0,0.25,-Infinity'), /row 4, column "x": expected a finite decimal number/);
    refusedByBoth(ok.replace('1,2,2,1.5,1', '1,2,2,1e999,1'), /row 3, column "y": expected a number within ±1\.8e308, found "1e999"/);
  });
  it('NA and NaN are missing values: their rows (and, in a balanced panel, their units) are dropped with a message', () => {
    const text = `${ok}3,1,0,NA,1\n3,2,0,1,1\n`;
    const { panel, messages: m } = parsePanelCsv(text, 'p.csv', cols);
    assert.equal(panel.nUnits, 2);
    assert.deepEqual(m, ['Dropped 1 units with missing values (1 rows with an empty or NA outcome or covariate).']);
    assert.equal(
      parseLongCsv(text.replace('NA', 'NaN'), 'p.csv', cols).messages[0],
      'Dropped 1 rows with missing values (an empty or NA outcome, covariate or cluster).',
    );
  });
  it('the classifier: decimals pass, text is text, near-numbers are named', () => {
    for (const v of ['1', '-2.5', '.5', '5.', '1e-7', '+3']) assert.equal(nearNumberProblem(v), null, v);
    assert.equal(nearNumberProblem('abc'), null);
    for (const v of ['0x1F', '0b101', '0o17', '1,5', 'inf', 'Infinity', '-inf', '1e400']) assert.notEqual(nearNumberProblem(v), null, v);
  });
});

describe('rows have the header’s width and their quotes close', () => {
  it('a row with more fields than the header is refused with its row number', () => {
    refusedByBoth(ok.replace('2,1,0,0.25,3', '2,1,0,0.25,3,9'), /^p\.csv, row 4: 6 fields, expected 5 \(as in the header\)/);
  });
  it('a row with fewer fields than the header is refused even when the missing one is not read', () => {
    const c = { ...cols, covariates: [] };
    assert.throws(
      () => parsePanelCsv(ok.replace('2,1,0,0.25,3', '2,1,0,0.25'), 'p.csv', c),
      /^PanelCsvError: p\.csv, row 4: 4 fields, expected 5 \(as in the header\)$/,
    );
  });
  it('an unterminated quote is refused on the row where it opened', () => {
    refusedByBoth(ok.replace('1,2,2,1.5,1', '1,2,2,"1.5,1'), /^p\.csv, row 3: the quote \("\) opening field 4 is not closed on this line/);
  });
  it('a quoted field spanning two lines is refused on its first line', () => {
    refusedByBoth(
      ok.replace('2,1,0,0.25,3', '"2\n",1,0,0.25,3'),
      /^p\.csv, row 4: the quote \("\) opening field 1 is not closed on this line/,
    );
  });
  it('text after a closing quote is refused', () => {
    refusedByBoth(ok.replace('2,1,0,0.25,3', '"2"x,1,0,0.25,3'), /^p\.csv, row 4: text follows the closing quote of field 1/);
  });
  it('quoted fields, doubled quotes, a BOM and CRLF line ends are read', () => {
    const text = `\uFEFF${ok.replace('2,1,0,0.25,3', '"2",1,0,"0.25",3')}`.replace(/\n/g, '\r\n');
    const { panel } = parsePanelCsv(text, 'p.csv', cols);
    assert.deepEqual(Array.from(panel.y), [0.5, 0.25, 1.5, 0.75]);
    assert.deepEqual(splitFields('"a ""b""",c').fields, ['a "b"', 'c']);
    assert.deepEqual(splitFields('"a",').fields, ['a', '']);
  });
  it('a column the reader needs, named twice in the header, is refused', () => {
    refusedByBoth(
      ok.replace('id,period,first_treat,y,x', 'id,period,first_treat,y,y').replace(/,(\d)\n/g, ',$1\n'),
      /^p\.csv, row 1: column "y" appears twice in the header \(columns 4 and 5\); rename one of them$/,
    );
  });
  it('empty file, header only, duplicate id × period: the existing messages', () => {
    refusedByBoth('', /^p\.csv: the file is empty \(expected a header row\)$/);
    assert.throws(
      () => parsePanelCsv('id,period,first_treat,y,x\n', 'p.csv', cols),
      /^PanelCsvError: p\.csv: no data rows after the header$/,
    );
    assert.throws(
      () => parsePanelCsv(`${ok}1,1,2,0.5,1\n`, 'p.csv', cols),
      /p\.csv, row 6: unit 1 appears twice in period 1 \(also on row 2\)/,
    );
  });
});

describe('the history reader (population.from_panel) follows the same rules', () => {
  const hc = { id: 'id', time: 'period', outcome: 'y', covariates: ['x'] };
  const h = 'id,period,y,x\na,1,0.5,1\na,2,1.5,1\nb,1,0.25,3\nb,2,0.75,3\n';
  const read = (t: string) => () => parseHistoryCsv(t, 'h.csv', hc);
  it('hexadecimal, decimal commas, wide rows and open quotes are refused', () => {
    assert.throws(
      read(h.replace('a,2,1.5,1', 'a,2,0x1F,1')),
      /^PanelCsvError: h\.csv, row 3, column "y": expected a decimal number, found "0x1F"/,
    );
    assert.throws(read(h.replace('b,1,0.25,3', 'b,1,0.25,0x3')), /h\.csv, row 4, column "x": expected a decimal number, found "0x3"/);
    assert.throws(read(h.replace('a,2,1.5,1', 'a,2,1,5,1')), /h\.csv, row 3: 5 fields, expected 4 \(as in the header\); an unquoted comma/);
    assert.throws(read(h.replace('a,2,1.5,1', 'a,2,"1.5,1')), /h\.csv, row 3: the quote \("\) opening field 3 is not closed/);
  });
  it('a text covariate is still a categorical one', () => {
    const { levels } = parseHistoryCsv(h.replace(/,1\n/g, ',north\n').replace(/,3\n/g, ',south\n'), 'h.csv', hc);
    assert.deepEqual(levels.x, ['north', 'south']);
  });
});

describe('the dense id × period index is sized before it is allocated', () => {
  // A stated budget, so the test says the same on any machine (size-limits.ts: STAGGER_MAX_MEMORY).
  process.env.STAGGER_MAX_MEMORY = '8GB';
  // 60,000 ids on 60,000 periods, one row each (the diagonal): 3.6e9 cells of index alone.
  const n = 60_000;
  const rows: string[] = ['id,period,first_treat,y,x'];
  for (let i = 0; i < n; i++) rows.push(`${i},${i},0,1,${i % 2}`);
  const text = `${rows.join('\n')}\n`;
  it('a tiny CSV naming 60,000 ids × 60,000 periods is refused with what it would need, fast', () => {
    const t0 = performance.now();
    for (const m of messages(text).slice(0, 1)) {
      assert.match(
        m,
        /^the unit × period index of p\.csv \(60,000 units × 60,000 periods\): would need about 72 GB of memory, more than the 8 GB allowed \(STAGGER_MAX_MEMORY\); the file has only 60,000 rows, and a balanced panel of these units and periods would have 3,600,000,000: check the id and period columns$/,
      );
    }
    assert.throws(
      () =>
        parseHistoryCsv(text.replace('id,period,first_treat,y,x', 'id,period,g,y,x'), 'h.csv', {
          id: 'id',
          time: 'period',
          outcome: 'y',
          covariates: [],
        }),
      /the unit × period index of h\.csv \(60,000 units × 60,000 periods\): would need about 43 GB/,
    );
    // Filling a 14 GB index would take minutes (or be killed); 20 s allows for a loaded test machine.
    assert.ok(performance.now() - t0 < 20_000, 'refused before any large allocation');
  });
  it('the per-row arrays are sized from the line count first (a file of blank lines)', () => {
    const before = process.env.STAGGER_MAX_MEMORY;
    process.env.STAGGER_MAX_MEMORY = '100MB';
    try {
      // 5,000,001 lines × (8 bytes × 3 numeric slots + 8) = 160 MB.
      assert.throws(
        () =>
          parsePanelCsv(`id,period,first_treat,y\n${'\n'.repeat(5e6)}`, 'blank.csv', {
            id: 'id',
            time: 'period',
            group: 'first_treat',
            outcome: 'y',
          }),
        /^PanelCsvError: reading blank\.csv \(5,000,001 lines\): would need about 160 MB of memory, more than the 100 MB allowed \(STAGGER_MAX_MEMORY\)$/,
      );
    } finally {
      process.env.STAGGER_MAX_MEMORY = before;
    }
  });
});
