/**
 * A historical register panel (long CSV, one row per unit × period, no start group): the source a
 * resampled world draws whole units from (population.from_panel). Errors and messages are those of
 * `stagger estimate`'s reader (csv.ts): file, row (line number) and column; units with missing values
 * or missing periods are dropped with a message. Covariates must be unit-level (constant over a unit's
 * rows); a column with any value that is not a number is categorical, its levels the distinct texts
 * in sorted order (values are level indices).
 */
import {
  balancedUnits,
  checkIndexSize,
  checkRowsSize,
  csvFields,
  csvHeader,
  csvNumber,
  MISSING,
  PanelCsvError,
  readCsvBytes,
} from './csv.js';
import { decimalValue, fieldCountProblem } from './csv-fields.js';
import { makePanel, type Panel } from './panel.js';

export interface HistoryColumns {
  id: string;
  time: string;
  outcome: string;
  covariates: readonly string[];
}

export interface HistoryPanel {
  /** Balanced: y is periods × units; covariates unit-level (categorical as level indices). */
  panel: Panel;
  /** Levels of each categorical (text) covariate, sorted; absent for numeric ones. */
  levels: Record<string, string[]>;
  messages: string[];
}

/** A CSV error about one of the named columns (key: the from_panel key that names it). */
export class HistoryColumnError extends PanelCsvError {
  constructor(
    message: string,
    readonly key: 'id' | 'time' | 'outcome' | 'covariates',
    readonly column: string,
    readonly header: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Read a history panel.
 * @throws {PanelCsvError} naming the file (and row, column) of bad input
 */
export function readHistoryCsv(file: string, cols: HistoryColumns): HistoryPanel {
  return parseHistoryCsv(readCsvBytes(file).toString('utf8'), file, cols);
}

export function parseHistoryCsv(text: string, file: string, cols: HistoryColumns): HistoryPanel {
  let headerEnd = text.indexOf('\n');
  if (headerEnd < 0) headerEnd = text.length;
  const headerLine = text
    .slice(0, headerEnd)
    .replace(/\r$/, '')
    .replace(/^\uFEFF/, '');
  if (headerLine.trim() === '') throw new PanelCsvError(`${file}: the file is empty (expected a header row)`);
  const header = csvHeader(headerLine, file, [cols.id, cols.time, cols.outcome, ...cols.covariates]);
  const colIndex = (name: string, role: string, key: HistoryColumnError['key']): number => {
    const k = header.indexOf(name);
    if (k < 0)
      throw new HistoryColumnError(`${file}: no column "${name}" (the ${role}); the header has: ${header.join(', ')}`, key, name, header);
    return k;
  };
  const iId = colIndex(cols.id, 'unit id', 'id');
  const iTime = colIndex(cols.time, 'time period', 'time');
  const iY = colIndex(cols.outcome, 'outcome', 'outcome');
  const iCov = cols.covariates.map((c) => colIndex(c, 'covariate', 'covariates'));
  const maxCol = Math.max(iId, iTime, iY, ...iCov);
  const K = iCov.length;

  const unitOf = new Map<string, number>();
  const ids: string[] = [];
  /** Per unit and covariate: the first text read and its line. */
  const covText: string[][] = [];
  const covLine: number[][] = [];
  const missingUnits = new Set<number>();
  let missingRows = 0;
  let lineCount = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCount++;
  checkRowsSize(file, lineCount, 24);
  const rowUnit = new Int32Array(lineCount);
  const rowTime = new Float64Array(lineCount);
  const rowY = new Float64Array(lineCount);
  const rowLine = new Int32Array(lineCount);
  let nRows = 0;
  // One scan of the text: field bounds per line, no array of lines or fields; a field equal to the
  // unit's stored text (ids, unit-level covariates) is compared in place, without a copy.
  const fs = new Int32Array(maxCol + 1);
  const fe = new Int32Array(maxCol + 1);
  let quoted: string[] | null = null;
  const field = (c: number) => (quoted ? quoted[c] : text.slice(fs[c], fe[c])).trim();
  const same = (c: number, v: string) =>
    (quoted ? quoted[c].trim() === v : fe[c] - fs[c] === v.length && text.startsWith(v, fs[c])) || field(c) === v;
  const L = text.length;
  let pos = headerEnd + 1;
  let lineNo = 1;
  let nextQuote = text.indexOf('"', pos);
  let lastUnit = -1;
  while (pos < L) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = L;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    lineNo++;
    const from = pos;
    pos = end + 1;
    if (lineEnd === from) continue;
    if (nextQuote >= 0 && nextQuote < from) nextQuote = text.indexOf('"', from);
    quoted = null;
    if (nextQuote >= 0 && nextQuote < lineEnd) {
      quoted = csvFields(text.slice(from, lineEnd), file, lineNo, header.length);
    } else {
      let q = from;
      for (let c = 0; c <= maxCol; c++) {
        let e = text.indexOf(',', q);
        if (e < 0 || e > lineEnd) {
          if (c < maxCol) throw new PanelCsvError(`${file}, row ${lineNo}: ${fieldCountProblem(c + 1, header.length)}`);
          e = lineEnd;
        }
        if (c === maxCol) {
          // The fields after the last one read are only counted: a row must have the header's width.
          let fields = c + 1;
          for (let j = text.indexOf(',', e); j >= 0 && j < lineEnd; j = text.indexOf(',', j + 1)) fields++;
          if (fields !== header.length) throw new PanelCsvError(`${file}, row ${lineNo}: ${fieldCountProblem(fields, header.length)}`);
        }
        fs[c] = q;
        fe[c] = e;
        q = e + 1;
      }
    }
    let u: number;
    if (lastUnit >= 0 && same(iId, ids[lastUnit]))
      u = lastUnit; // a unit's rows are usually consecutive
    else {
      const id = field(iId);
      if (MISSING.has(id)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.id}": the unit id is missing`);
      let found = unitOf.get(id);
      if (found === undefined) {
        found = ids.length;
        unitOf.set(id, found);
        ids.push(id);
        covText.push([]);
        covLine.push([]);
      }
      u = found;
    }
    lastUnit = u;
    const tRaw = field(iTime);
    if (MISSING.has(tRaw))
      throw new PanelCsvError(
        `${file}, row ${lineNo}, column "${cols.time}": value is missing (the time period must be given on every row)`,
      );
    const t = csvNumber(tRaw, file, lineNo, cols.time);
    if (Number.isNaN(t)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.time}": "${tRaw}" is not a number`);
    const yRaw = field(iY);
    let y = NaN;
    if (!MISSING.has(yRaw)) {
      y = csvNumber(yRaw, file, lineNo, cols.outcome);
      if (Number.isNaN(y)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.outcome}": "${yRaw}" is not a number`);
    }
    let missing = Number.isNaN(y);
    const texts = covText[u];
    for (let c = 0; c < K; c++) {
      if (texts[c] !== undefined && same(iCov[c], texts[c])) continue;
      const v = field(iCov[c]);
      if (MISSING.has(v)) {
        missing = true;
        continue;
      }
      if (texts[c] === undefined) {
        csvNumber(v, file, lineNo, cols.covariates[c]); // a near-number (0x1F, 1,5, Inf) is refused, text is a level
        texts[c] = v;
        covLine[u][c] = lineNo;
      } else {
        throw new PanelCsvError(
          `${file}, row ${lineNo}, column "${cols.covariates[c]}": unit ${ids[u]} has ${v} here but ${texts[c]} on row ${covLine[u][c]}; from_panel covariates must be unit-level (constant over a unit's rows)`,
        );
      }
    }
    if (missing) {
      missingRows++;
      missingUnits.add(u);
    }
    rowUnit[nRows] = u;
    rowTime[nRows] = t;
    rowY[nRows] = y;
    rowLine[nRows] = lineNo;
    nRows++;
  }
  if (nRows === 0) throw new PanelCsvError(`${file}: no data rows after the header`);
  const periods = [...new Set(rowTime.subarray(0, nRows))].sort((a, b) => a - b);
  const T = periods.length;
  if (T < 2) throw new PanelCsvError(`${file}: column "${cols.time}" has ${T} distinct period(s); at least two are needed`);
  const periodIdx = new Map(periods.map((p, t) => [p, t]));
  const N = ids.length;
  checkIndexSize(file, N, T, nRows, 4 + 8);
  const seenRow = new Int32Array(N * T).fill(-1);
  for (let r = 0; r < nRows; r++) {
    const u = rowUnit[r];
    const t = periodIdx.get(rowTime[r])!;
    const prev = seenRow[u * T + t];
    if (prev >= 0) {
      throw new PanelCsvError(
        `${file}, row ${rowLine[r]}: unit ${ids[u]} appears twice in period ${periods[t]} (also on row ${rowLine[prev]}); each (${cols.id}, ${cols.time}) must be unique`,
      );
    }
    seenRow[u * T + t] = r;
  }

  const messages: string[] = [];
  const keep = balancedUnits(file, T, seenRow, missingUnits, missingRows, messages);
  const n = keep.length;
  const y = new Float64Array(T * n);
  for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) y[t * n + j] = rowY[seenRow[keep[j] * T + t]];

  const covariates: Record<string, Float64Array> = {};
  const levels: Record<string, string[]> = {};
  cols.covariates.forEach((name, c) => {
    const texts = keep.map((u) => covText[u][c]);
    const nums = texts.map(decimalValue);
    if (nums.every(Number.isFinite)) {
      covariates[name] = Float64Array.from(nums);
      return;
    }
    const lv = [...new Set(texts)].sort();
    const at = new Map(lv.map((s, k) => [s, k]));
    levels[name] = lv;
    covariates[name] = Float64Array.from(texts, (s) => at.get(s)!);
  });
  const panel = makePanel({ periods, ids: keep.map((u) => ids[u]), group: new Float64Array(n), y, covariates });
  return { panel, levels, messages };
}
