/**
 * The external protocol's binary frame (`panel_format: binary`): the draw's long panel as the CSV
 * holds it (cli/panel-csv.ts: the same columns, rows unit by unit and period by period, the same
 * numbers), but as little-endian IEEE 754 doubles, column after column: column k's value in row r is
 * at byte 8·(k·nrow + r). The request carries `nrow` and `columns`, so the file has no header and
 * reads in one call (R `readBin(f, "double", nrow * ncol, size = 8, endian = "little")`, Python
 * `array("d").frombytes`, NumPy `fromfile(f, "<f8")`). Why: writing and parsing the CSV is most of
 * what the protocol costs on a large panel (README, "Bring your own estimator", Speed).
 */
import { writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { cellColumns, panelColumnNames } from '../../cli/panel-csv.js';
import type { Panel } from '../../panel/panel.js';

export interface BinaryFrame {
  nrow: number;
  columns: string[];
}

/**
 * The unit ids as numbers, or the first id that is not one written as a number ("A12", "007": the
 * frame could not hold it, or two ids would become one).
 */
function numericIds(ids: readonly string[]): Float64Array | { unit: number; id: string } {
  const out = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = Number(ids[i]);
    if (ids[i] === '' || !Number.isFinite(v) || String(v) !== ids[i]) return { unit: i + 1, id: ids[i] };
    out[i] = v;
  }
  return out;
}

/** Write the panel's frame to `file`; the shape the request states, or why the panel cannot be framed. */
export function writePanelBinary(file: string, p: Panel): BinaryFrame | string {
  const ids = numericIds(p.ids);
  if (!(ids instanceof Float64Array))
    return `panel_format binary carries numbers only, and unit ${ids.unit}'s id ${JSON.stringify(ids.id)} is not a number as written; use the csv format (ids as read) or number the units`;
  const columns = panelColumnNames(p);
  const { nUnits, nPeriods } = p;
  const nrow = nUnits * nPeriods;
  const out = new Float64Array(nrow * columns.length);
  let at = 0;
  // Unit-level columns repeat over the unit's periods; period-level ones are periods × units (y[t·N + i]).
  const unitColumn = (v: ArrayLike<number>) => {
    for (let i = 0; i < nUnits; i++) out.fill(v[i], at + i * nPeriods, at + (i + 1) * nPeriods);
    at += nrow;
  };
  const cellColumn = (v: ArrayLike<number>) => {
    for (let i = 0; i < nUnits; i++) for (let t = 0; t < nPeriods; t++) out[at++] = v[t * nUnits + i];
  };
  unitColumn(ids);
  for (let i = 0; i < nUnits; i++) out.set(p.periods, at + i * nPeriods);
  at += nrow;
  unitColumn(p.group);
  cellColumn(p.y);
  for (const c of Object.values(p.covariates)) unitColumn(c);
  for (const c of cellColumns(p).values) cellColumn(c);
  const bytes = Buffer.from(out.buffer);
  // The frame is little-endian whatever the machine: a big-endian one swaps each double's bytes.
  if (endianness() === 'BE') bytes.swap64();
  writeFileSync(file, bytes);
  return { nrow, columns };
}
