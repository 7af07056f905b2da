/**
 * Long CSV (one row per unit × period) → balanced Panel, reshaped once on read.
 * Errors name the file, the row (as a line number of the file) and the column. Missing values
 * (empty or NA) drop their row, and units left unbalanced are dropped with a message, as R `did` does.
 */
import { InputFileError, formatCount, memoryTooLarge, readPanelFile } from '../scenario/size-limits.js';
import { decimalValue, fieldCountProblem, nearNumberProblem, quoteProblem, splitFields } from './csv-fields.js';
import { makePanel, type Panel } from './panel.js';
import { expandFactor, readTextColumn } from './text-covariates.js';

export class PanelCsvError extends Error {
  override name = 'PanelCsvError';
}

/** The CSV file itself cannot be read (missing, not a regular file, over the size cap). */
export class PanelFileError extends PanelCsvError {
  constructor(
    message: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(message);
  }
}

export interface PanelColumns {
  id: string;
  time: string;
  /** First treated period column; absent (a pre-programme history panel): every unit never treated. */
  group?: string;
  outcome: string;
  covariates?: string[];
  cluster?: string;
  /** Sampling-weight column (R did's weightsname): non-negative, constant within each unit. */
  weights?: string;
  /**
   * Cluster-period cells (units = clusters, outcome = cell means): the people measured in each cell (a
   * whole number ≥ 1) and their within-cell sum of squares (≥ 0), per row; individual-level models read them.
   */
  cellSize?: string;
  cellSS?: string;
  /**
   * Keep the panel's gaps (dcdh's `--unbalanced`, did_multiplegt_dyn's missing-data conventions): every
   * unit is kept, absent rows and empty values become NaN (Panel.observed marks the rows the file
   * holds), and the weight may vary over time (Panel.cellWeights; a missing weight is 0, as the package
   * sets it). Text covariates and cluster-period cells are refused in this mode.
   */
  gaps?: boolean;
}

export interface ReadResult {
  panel: Panel;
  messages: string[];
  /** The covariates the panel holds, in the order asked: a text covariate replaced by its dummies. */
  covariates: string[];
}

/** Split one CSV line into fields, honouring double quotes (RFC 4180, no embedded newlines); lenient: see csvFields. */
export function splitCsvLine(line: string): string[] {
  return splitFields(line).fields;
}

/**
 * The fields of one line of a CSV file, strictly: quotes closed on the line, and (with `width`) as
 * many fields as the header has.
 * @throws {PanelCsvError} naming the file and row
 */
export function csvFields(line: string, file: string, lineNo: number, width?: number): string[] {
  const split = splitFields(line);
  const q = quoteProblem(split);
  if (q) throw new PanelCsvError(`${file}, row ${lineNo}: ${q}`);
  if (width !== undefined && split.fields.length !== width)
    throw new PanelCsvError(`${file}, row ${lineNo}: ${fieldCountProblem(split.fields.length, width)}`);
  return split.fields;
}

/** The header's fields, checked: quotes closed, and each column the reader needs named once. */
export function csvHeader(line: string, file: string, needed: readonly (string | undefined)[]): string[] {
  const header = csvFields(line, file, 1).map((h) => h.trim());
  for (const n of new Set(needed)) {
    if (n !== undefined && header.indexOf(n) !== header.lastIndexOf(n))
      throw new PanelCsvError(
        `${file}, row 1: column "${n}" appears twice in the header (columns ${header.indexOf(n) + 1} and ${header.lastIndexOf(n) + 1}); rename one of them`,
      );
  }
  return header;
}

/**
 * A trimmed field as a number: a finite decimal, NaN for text; near-numbers (0x1F, 1,5, Inf) refused.
 * @throws {PanelCsvError} naming the file, row and column
 */
export function csvNumber(raw: string, file: string, lineNo: number, column: string): number {
  const bad = nearNumberProblem(raw);
  if (bad) throw new PanelCsvError(`${file}, row ${lineNo}, column "${column}": expected ${bad.expected}, found ${bad.found}`);
  return decimalValue(raw);
}

/** The bytes of a CSV panel: a regular file within the size cap (scenario/size-limits.ts). */
export function readCsvBytes(file: string): Buffer {
  try {
    return readPanelFile(file);
  } catch (e) {
    if (e instanceof InputFileError) throw new PanelFileError(`${file}: expected ${e.expected}, found ${e.found}`, e.expected, e.found);
    throw e;
  }
}

/** Refuse the per-row arrays of a file of `lines` lines when they would not fit (a file of blank lines). */
export function checkRowsSize(file: string, lines: number, perRow: number): void {
  const why = memoryTooLarge(lines * perRow, `reading ${file} (${formatCount(lines)} lines)`);
  if (why) throw new PanelCsvError(why);
}

/**
 * Refuse the dense unit × period index (and the balanced panel after it) when it would not fit: a
 * small file can name 60,000 ids and 60,000 periods (3.6e9 cells).
 * @param perCell bytes a balanced cell takes (index, outcome, covariates)
 */
export function checkIndexSize(file: string, units: number, periods: number, rows: number, perCell: number): void {
  const why = memoryTooLarge(
    units * periods * perCell,
    `the unit × period index of ${file} (${formatCount(units)} units × ${formatCount(periods)} periods)`,
  );
  if (why) {
    throw new PanelCsvError(
      `${why}; the file has only ${formatCount(rows)} rows, and a balanced panel of these units and periods would have ${formatCount(units * periods)}: check the id and period columns`,
    );
  }
}

/** Texts read as a missing value (R `did` and the history reader alike). */
export const MISSING = new Set(['', 'NA', 'NaN', 'na', 'nan', 'null', 'NULL', '.']);

export function readPanelCsv(file: string, cols: PanelColumns): ReadResult {
  return parsePanelCsv(readCsvBytes(file), file, cols);
}

export function parsePanelCsv(input: string | Uint8Array, file: string, cols: PanelColumns): ReadResult {
  const b = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const text = { slice: (s: number, e: number) => Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8') };
  const messages: string[] = [];
  const covNames = cols.covariates ?? [];
  let pos = 0;
  let headerEnd = b.indexOf(10);
  if (headerEnd < 0) headerEnd = b.length;
  const headerLine = text.slice(0, headerEnd).replace(/\r$/, '');
  pos = headerEnd + 1;
  if (headerLine.trim() === '') throw new PanelCsvError(`${file}: the file is empty (expected a header row)`);
  const header = csvHeader(headerLine.replace(/^\uFEFF/, ''), file, [
    cols.id,
    cols.time,
    cols.group,
    cols.outcome,
    ...covNames,
    cols.cluster,
    cols.weights,
    cols.cellSize,
    cols.cellSS,
  ]);
  const colIndex = (name: string, role: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new PanelCsvError(`${file}: no column "${name}" (the ${role}); the header has: ${header.join(', ')}`);
    return k;
  };
  const iId = colIndex(cols.id, 'unit id');
  const iTime = colIndex(cols.time, 'time period');
  const iGroup = cols.group === undefined ? -1 : colIndex(cols.group, 'first treated period'); // −1: slot stays 0
  const iY = colIndex(cols.outcome, 'outcome');
  const iCov = covNames.map((c) => colIndex(c, 'covariate'));
  // Clustering on the id column itself (each unit its own cluster) reads no second column: the id's
  // cell is the id, and the clusters are the units' codes.
  const clusterIsId = cols.cluster !== undefined && cols.cluster === cols.id;
  const iCl = cols.cluster && !clusterIsId ? colIndex(cols.cluster, 'cluster') : -1;
  const iW = cols.weights ? colIndex(cols.weights, 'sampling weight') : -1;
  const iN = cols.cellSize ? colIndex(cols.cellSize, 'cell size') : -1;
  const iSS = cols.cellSS ? colIndex(cols.cellSS, 'within-cell sum of squares') : -1;
  // Slots: time, group, outcome, covariates…, then the weight, the cluster, the cell size and SS when asked for.
  const numeric = [iTime, iGroup, iY, ...iCov, ...[iW, iCl, iN, iSS].filter((i) => i >= 0)];
  const names = [
    cols.time,
    cols.group ?? '(no start group)',
    cols.outcome,
    ...covNames,
    ...[cols.weights, clusterIsId ? undefined : cols.cluster, cols.cellSize, cols.cellSS].filter((c) => c !== undefined),
  ];
  const wSlot = iW >= 0 ? 3 + covNames.length : -1;
  const clSlot = iCl >= 0 ? 3 + covNames.length + (iW >= 0 ? 1 : 0) : -1;
  const nSlot = iN >= 0 ? 3 + covNames.length + (iW >= 0 ? 1 : 0) + (iCl >= 0 ? 1 : 0) : -1;
  const ssSlot = iSS >= 0 ? 3 + covNames.length + (iW >= 0 ? 1 : 0) + (iCl >= 0 ? 1 : 0) + (iN >= 0 ? 1 : 0) : -1;
  /** Covariate slots holding text: read again as text and expanded to dummies after the pass. */
  const textSlots = new Set<number>();
  const width = numeric.length;

  // One pass over the bytes into flat typed arrays: numbers parsed in place, no strings or objects
  // per row. A line with a quote, or a number off the exact fast path, takes the slow path.
  const maxCol = Math.max(iId, ...numeric);
  const role = new Int32Array(maxCol + 1).fill(-1); // −1 skip, −2 id, k ≥ 0 numeric slot
  role[iId] = -2;
  numeric.forEach((col, k) => {
    if (col >= 0) role[col] = k;
  });
  // A column asked for in two roles (a covariate that is also the cluster, say) is read once, into the
  // slot role[] names; every slot of that column copies it when the row is stored.
  const src = Int32Array.from(numeric, (col, k) => (col >= 0 ? role[col] : k));
  // Size the row arrays once from the number of lines (no doubling, no copies).
  let lines = 1;
  for (let at = b.indexOf(10, pos); at >= 0; at = b.indexOf(10, at + 1)) lines++;
  checkRowsSize(file, lines, 8 * width + 8);
  let vals = new Float64Array(lines * width);
  let rowLine = new Int32Array(lines);
  let rowUnit = new Int32Array(lines);
  const unitOf = new Map<string, number>();
  const unitIds: string[] = [];
  const periodSet = new Set<number>();
  const rowVals = new Float64Array(width);
  const prevStart = new Int32Array(width);
  const prevLen = new Int32Array(width).fill(-1);
  let nRows = 0;
  let lineNo = 1;
  let missingRows = 0;
  const missingUnits = new Set<number>();
  let lastIdS = 0,
    lastIdE = 0,
    lastUnit = -1;
  const L = b.length;
  // Numbers off the fast path (rare once repeated fields are reused) are read by Number().
  const latin1 = (s0: number, e0: number): string => Buffer.from(b.buffer, b.byteOffset + s0, e0 - s0).toString('latin1');
  let nextQuote = b.indexOf(34, pos); // the next '"' in the file: lines before it need no quote handling
  const numberOrError = (raw: string, c: number): number => {
    if (MISSING.has(raw)) {
      if (c <= 1)
        throw new PanelCsvError(
          `${file}, row ${lineNo}, column "${names[c]}": value is missing (the ${c === 0 ? 'time period' : 'start group'} must be given on every row)`,
        );
      return NaN;
    }
    const v = csvNumber(raw, file, lineNo, names[c]);
    if (Number.isNaN(v)) {
      if (c >= 3 && c < 3 + covNames.length) {
        textSlots.add(c);
        return 0;
      } // a factor: see below
      throw new PanelCsvError(`${file}, row ${lineNo}, column "${names[c]}": "${raw}" is not a number`);
    }
    return v;
  };
  const unitFor = (id: string): number => {
    if (id === '' || MISSING.has(id)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.id}": the unit id is missing`);
    let u = unitOf.get(id);
    if (u === undefined) {
      u = unitIds.length;
      unitOf.set(id, u);
      unitIds.push(id);
    }
    return u;
  };
  while (pos < L) {
    let lineEnd = b.indexOf(10, pos);
    if (lineEnd < 0) lineEnd = L;
    const next = lineEnd + 1;
    if (lineEnd > pos && b[lineEnd - 1] === 13) lineEnd--;
    lineNo++;
    if (lineEnd === pos) {
      pos = next;
      continue;
    }
    let unit = -1;
    if (nextQuote >= 0 && nextQuote < pos) nextQuote = b.indexOf(34, pos);
    if (nextQuote >= 0 && nextQuote < lineEnd) {
      const f = csvFields(text.slice(pos, lineEnd), file, lineNo, header.length);
      unit = unitFor(f[iId].trim());
      lastIdE = lastIdS; // the next row cannot match an id we did not keep in place
      for (let c = 0; c < width; c++) rowVals[c] = numeric[c] < 0 ? 0 : numberOrError(f[numeric[c]].trim(), c);
      prevLen.fill(-1);
    } else {
      let q = pos;
      for (let c = 0; c <= maxCol; c++) {
        let e = q;
        while (e < lineEnd && b[e] !== 44) e++; // a JS scan: short fields, no native call per field
        if (e === lineEnd && c < maxCol) {
          throw new PanelCsvError(`${file}, row ${lineNo}: ${fieldCountProblem(c + 1, header.length)}`);
        }
        if (c === maxCol) {
          // The fields after the last one read are only counted: a row must have the header's width.
          let fields = c + 1;
          for (let j = e; j < lineEnd; j++) if (b[j] === 44) fields++;
          if (fields !== header.length) throw new PanelCsvError(`${file}, row ${lineNo}: ${fieldCountProblem(fields, header.length)}`);
        }
        const r = role[c];
        if (r >= 0) {
          // A field with the same bytes as in the previous row (a time-invariant covariate, the start
          // group) keeps its value; anything else is parsed.
          const len = e - q;
          let same = len === prevLen[r];
          for (let j = 0, ps = prevStart[r]; same && j < len; j++) if (b[q + j] !== b[ps + j]) same = false;
          if (!same) {
            let v = parseNumber(b, q, e);
            if (Number.isNaN(v)) v = numberOrError(latin1(q, e).trim(), r);
            rowVals[r] = v;
            prevStart[r] = q;
            prevLen[r] = len;
          }
        } else if (r === -2) {
          // Rows of one unit are usually consecutive: compare the id bytes with the previous row's.
          let same = e - q === lastIdE - lastIdS && e > q;
          for (let j = 0; same && j < e - q; j++) if (b[q + j] !== b[lastIdS + j]) same = false;
          if (same) unit = lastUnit;
          else {
            unit = unitFor(text.slice(q, e).trim());
            lastIdS = q;
            lastIdE = e;
            lastUnit = unit;
          }
        }
        q = e + 1;
      }
    }
    if ((nRows + 1) * width > vals.length) {
      const bigger = new Float64Array(vals.length * 2);
      bigger.set(vals);
      vals = bigger;
    }
    if (nRows >= rowLine.length) {
      const bl = new Int32Array(rowLine.length * 2);
      bl.set(rowLine);
      rowLine = bl;
      const bu = new Int32Array(rowUnit.length * 2);
      bu.set(rowUnit);
      rowUnit = bu;
    }
    let missing = false;
    for (let c = 0; c < width; c++) {
      const v = rowVals[src[c]];
      if (Number.isNaN(v)) missing = true;
      vals[nRows * width + c] = v;
    }
    if (missing) {
      missingRows++;
      missingUnits.add(unit);
    }
    periodSet.add(rowVals[0]);
    rowLine[nRows] = lineNo;
    rowUnit[nRows] = unit;
    nRows++;
    pos = next;
  }
  if (nRows === 0) throw new PanelCsvError(`${file}: no data rows after the header`);
  const ids = unitIds;
  const rowId = (r: number): string => ids[rowUnit[r]];

  const periods = [...periodSet].sort((a, b) => a - b);
  const T = periods.length;
  if (T < 2) throw new PanelCsvError(`${file}: column "${cols.time}" has ${T} distinct period(s); at least two are needed`);
  const periodIdx = new Map(periods.map((p, t) => [p, t]));
  const N = unitIds.length;
  checkIndexSize(file, N, T, nRows, 4 + 8 * (1 + covNames.length + (iN >= 0 ? 1 : 0) + (iSS >= 0 ? 1 : 0)));
  const seenRow = new Int32Array(N * T).fill(-1);
  const unitGroup = new Float64Array(N).fill(NaN);
  const unitGroupRow = new Int32Array(N);
  const unitCluster = new Float64Array(N).fill(NaN);
  const unitWeight = new Float64Array(N).fill(NaN);
  for (let r = 0; r < nRows; r++) {
    const u = rowUnit[r];
    const t = periodIdx.get(vals[r * width])!;
    const prev = seenRow[u * T + t];
    if (prev >= 0) {
      throw new PanelCsvError(
        `${file}, row ${rowLine[r]}: unit ${rowId(r)} appears twice in period ${periods[t]} (also on row ${rowLine[prev]}); each (${cols.id}, ${cols.time}) must be unique`,
      );
    }
    seenRow[u * T + t] = r;
    const g = vals[r * width + 1];
    if (Number.isNaN(unitGroup[u])) {
      unitGroup[u] = g;
      unitGroupRow[u] = r;
    } else if (unitGroup[u] !== g) {
      throw new PanelCsvError(
        `${file}, row ${rowLine[r]}, column "${cols.group}": unit ${rowId(r)} has start group ${g} here but ${unitGroup[u]} on row ${rowLine[unitGroupRow[u]]}; a unit's start group must not change over time`,
      );
    }
    if (g < 0)
      throw new PanelCsvError(`${file}, row ${rowLine[r]}, column "${cols.group}": start group ${g} is negative (use 0 for never treated)`);
    if (wSlot >= 0) {
      const wt = vals[r * width + wSlot];
      if (wt < 0)
        throw new PanelCsvError(
          `${file}, row ${rowLine[r]}, column "${cols.weights}": sampling weight ${wt} is negative; weights must be non-negative`,
        );
      if (Number.isNaN(unitWeight[u])) unitWeight[u] = wt;
      else if (!cols.gaps && !Number.isNaN(wt) && unitWeight[u] !== wt) {
        throw new PanelCsvError(
          `${file}, row ${rowLine[r]}, column "${cols.weights}": unit ${rowId(r)} has weight ${wt} here but ${unitWeight[u]} in an earlier period; time-varying weights (R did's fix_weights) are not implemented: give each unit one weight`,
        );
      }
    }
    if (iCl >= 0) {
      const cl = vals[r * width + clSlot];
      if (Number.isNaN(unitCluster[u])) unitCluster[u] = cl;
      else if (!Number.isNaN(cl) && unitCluster[u] !== cl) {
        throw new PanelCsvError(
          `${file}, row ${rowLine[r]}, column "${cols.cluster}": unit ${rowId(r)} changes cluster over time; a cluster must be time-invariant`,
        );
      }
    }
  }

  if (cols.gaps && (iN >= 0 || iSS >= 0))
    throw new PanelCsvError(
      `${file}: cluster-period cells (cell sizes, within-cell sums of squares) take a balanced panel, not one read with its gaps`,
    );
  if (cols.gaps && textSlots.size > 0)
    throw new PanelCsvError(
      `${file}, column "${names[[...textSlots][0]]}": a text covariate is not read with the panel's gaps; code it as numbers`,
    );
  const keep = cols.gaps
    ? gapUnits(T, seenRow, missingRows, messages)
    : balancedUnits(file, T, seenRow, missingUnits, missingRows, messages);
  const n = keep.length;
  const observed = cols.gaps ? new Uint8Array(T * n) : undefined;
  const cellWeights = cols.gaps && wSlot >= 0 ? new Float64Array(T * n) : undefined;

  const y = new Float64Array(T * n);
  const covs = covNames.map(() => new Float64Array(T * n));
  const cellSize = nSlot >= 0 ? new Float64Array(T * n) : undefined;
  const cellSS = ssSlot >= 0 ? new Float64Array(T * n) : undefined;
  for (let j = 0; j < n; j++) {
    const u = keep[j];
    for (let t = 0; t < T; t++) {
      const r = seenRow[u * T + t];
      // (Gap mode: a row without its cluster is left out, as did_multiplegt_dyn drops it.)
      if (r < 0 || (observed && clSlot >= 0 && Number.isNaN(vals[r * width + clSlot]))) {
        // An absent row (gap mode only): nothing observed.
        y[t * n + j] = NaN;
        for (let c = 0; c < covNames.length; c++) covs[c][t * n + j] = NaN;
        continue;
      }
      if (observed) observed[t * n + j] = 1;
      if (cellWeights) cellWeights[t * n + j] = Number.isNaN(vals[r * width + wSlot]) ? 0 : vals[r * width + wSlot];
      y[t * n + j] = vals[r * width + 2];
      if (cellSize) cellSize[t * n + j] = cellValue(file, rowLine[r], cols.cellSize!, vals[r * width + nSlot], true);
      if (cellSS) cellSS[t * n + j] = cellValue(file, rowLine[r], cols.cellSS!, vals[r * width + ssSlot], false);
      for (let c = 0; c < covNames.length; c++) covs[c][t * n + j] = vals[r * width + 3 + c];
    }
  }
  // Covariates: unit-level when constant within every unit (the usual case), else time-varying.
  const covariates: Record<string, Float64Array> = {};
  const held: string[] = [];
  const asColumn = (name: string, v: Float64Array): void => {
    if (observed) {
      covariates[name] = gapColumn(v, observed, n, T);
      held.push(name);
      return;
    }
    let invariant = true;
    for (let j = 0; j < n && invariant; j++) {
      const v0 = v[j];
      for (let t = 1; t < T; t++)
        if (v[t * n + j] !== v0) {
          invariant = false;
          break;
        }
    }
    covariates[name] = invariant ? v.slice(0, n) : v;
    held.push(name);
  };
  covNames.forEach((name, c) => {
    if (textSlots.has(3 + c)) {
      // A text covariate: its dummies as R's model.matrix makes them for a factor.
      const raw = readTextColumn(b, iCov[c], splitCsvLine);
      const values: string[] = new Array(T * n);
      for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) values[t * n + j] = raw[rowLine[seenRow[keep[j] * T + t]]];
      let f: ReturnType<typeof expandFactor>;
      try {
        f = expandFactor(name, values);
      } catch (e) {
        throw new PanelCsvError(`${file}, column "${name}": ${(e as Error).message}`);
      }
      for (const [k, dn] of f.names.entries()) {
        if (header.includes(dn) || Object.hasOwn(covariates, dn))
          throw new PanelCsvError(
            `${file}, column "${name}": its dummy for level "${f.levels[k + 1]}" would be named "${dn}", which is already a column; rename one of them`,
          );
        asColumn(dn, f.columns[k]);
      }
      messages.push(
        `Covariate "${name}" is text: expanded to ${f.names.length} dummies (${f.names.join(', ')}; reference level "${f.levels[0]}"), as R's model.matrix does for a factor.`,
      );
      return;
    }
    const v = covs[c];
    let lo = Infinity,
      hi = -Infinity;
    for (let q = 0; q < v.length; q++) {
      if (v[q] < lo) lo = v[q];
      if (v[q] > hi) hi = v[q];
    }
    if (lo === hi)
      throw new PanelCsvError(
        `${file}, column "${name}": the covariate is constant (${lo}) in the sample, so it cannot enter the propensity score or the outcome regression; drop it`,
      );
    asColumn(name, v);
  });
  const panel = makePanel({
    periods,
    ids: keep.map((u) => unitIds[u]),
    group: keep.map((u) => unitGroup[u]),
    y,
    covariates,
    cluster:
      iCl >= 0 ? Float64Array.from(keep.map((u) => unitCluster[u])) : clusterIsId ? Float64Array.from(keep, (_, k) => k + 1) : undefined,
    // (Gap mode: weights constant within every unit stay unit-level; only varying ones are per cell.)
    ...gapWeights(wSlot >= 0 ? Float64Array.from(keep.map((u) => unitWeight[u])) : undefined, cellWeights, observed, n, T),
    cellSize,
    cellSS,
    observed,
  });
  return { panel, messages, covariates: held };
}

/**
 * A cell's size (a whole number ≥ 1: a cell mean of nobody has no value) or within-cell sum of squares (≥ 0).
 * @throws {PanelCsvError} naming the file, row and column
 */
function cellValue(file: string, line: number, column: string, v: number, size: boolean): number {
  const ok = size ? Number.isInteger(v) && v >= 1 : v >= 0;
  if (!ok)
    throw new PanelCsvError(
      `${file}, row ${line}, column "${column}": expected ${size ? 'the people in the cell, a whole number ≥ 1' : 'a sum of squares ≥ 0'}, found ${v}`,
    );
  return v;
}

/**
 * A covariate of a panel read with its gaps: unit-level when every row the file holds has a value and
 * the values are constant within each unit, else periods × units with NaN where missing or absent.
 */
function gapColumn(v: Float64Array, observed: Uint8Array, n: number, T: number): Float64Array {
  const unit = new Float64Array(n).fill(NaN);
  for (let j = 0; j < n; j++)
    for (let t = 0; t < T; t++) {
      if (!observed[t * n + j]) continue;
      const x = v[t * n + j];
      if (Number.isNaN(x) || (!Number.isNaN(unit[j]) && unit[j] !== x)) return v;
      unit[j] = x;
    }
  return unit;
}

/** The weights of a panel: unit-level, or (gap mode, when they vary within a unit) per cell. */
function gapWeights(
  unit: Float64Array | undefined,
  cells: Float64Array | undefined,
  observed: Uint8Array | undefined,
  n: number,
  T: number,
): { weights?: Float64Array; cellWeights?: Float64Array } {
  if (!unit) return {};
  if (!cells || !observed) return { weights: unit };
  const byUnit = gapColumn(
    Float64Array.from(cells, (w, k) => (observed[k] ? w : NaN)),
    observed,
    n,
    T,
  );
  return byUnit.length === n ? { weights: byUnit } : { cellWeights: cells };
}

/** Gap mode: every unit with a row, and a message on what is missing (the estimator's conventions deal with it). */
function gapUnits(T: number, seenRow: Int32Array, missingRows: number, messages: string[]): number[] {
  const N = seenRow.length / T;
  let absent = 0,
    short = 0;
  for (let u = 0; u < N; u++) {
    let k = 0;
    for (let t = 0; t < T; t++) if (seenRow[u * T + t] < 0) k++;
    absent += k;
    if (k > 0) short++;
  }
  if (absent > 0 || missingRows > 0)
    messages.push(
      `Kept the panel's gaps: ${short} of ${N} units miss some of the ${T} periods (${absent} rows absent), and ${missingRows} rows have an empty or NA value.`,
    );
  return Array.from({ length: N }, (_, u) => u);
}

/**
 * Balance (as R `did` does): the units observed, without missing values, in every period; the others
 * dropped with a message each kind. seenRow[u·T + t] is unit u's row in period t (−1: none).
 * @throws {PanelCsvError} when no unit is left
 */
export function balancedUnits(
  file: string,
  T: number,
  seenRow: Int32Array,
  missingUnits: ReadonlySet<number>,
  missingRows: number,
  messages: string[],
): number[] {
  const N = seenRow.length / T;
  const keep: number[] = [];
  let unbalanced = 0;
  for (let u = 0; u < N; u++) {
    let ok = !missingUnits.has(u);
    if (ok)
      for (let t = 0; t < T; t++)
        if (seenRow[u * T + t] < 0) {
          ok = false;
          unbalanced++;
          break;
        }
    if (ok) keep.push(u);
  }
  if (missingRows > 0)
    messages.push(`Dropped ${missingUnits.size} units with missing values (${missingRows} rows with an empty or NA outcome or covariate).`);
  if (unbalanced > 0) messages.push(`${unbalanced} units are missing in some periods. Converting to a balanced panel by dropping them.`);
  if (keep.length === 0)
    throw new PanelCsvError(`${file}: no unit is observed in all ${T} periods without missing values; the panel cannot be balanced`);
  return keep;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * Decimal number in text[s, e) on the exact fast path (Clinger 1990): at most 15 significant digits
 * and a power of ten ≤ 22 make m / 10^k one correctly rounded operation, equal to Number(). Anything
 * else (more digits, missing values, text) returns NaN and the caller falls back to Number().
 */
function parseNumber(text: Uint8Array, s: number, e: number): number {
  while (s < e && text[s] === 32) s++;
  while (e > s && text[e - 1] === 32) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  const c0 = text[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let seenDigit = false;
  let seenDot = false;
  for (; i < e; i++) {
    const c = text[i];
    if (c >= 48 && c <= 57) {
      seenDigit = true;
      if (m === 0 && c === 48) {
        if (seenDot) frac++;
        continue;
      }
      if (++digits > 15) return NaN;
      m = m * 10 + (c - 48);
      if (seenDot) frac++;
    } else if (c === 46 && !seenDot) seenDot = true;
    else break;
  }
  if (!seenDigit) return NaN;
  let exp = -frac;
  if (i < e) {
    const c = text[i];
    if (c !== 101 && c !== 69) return NaN;
    i++;
    let eneg = false;
    if (text[i] === 45) {
      eneg = true;
      i++;
    } else if (text[i] === 43) i++;
    let x = 0;
    let any = false;
    for (; i < e; i++) {
      const c2 = text[i];
      if (c2 < 48 || c2 > 57) return NaN;
      x = x * 10 + (c2 - 48);
      any = true;
      if (x > 400) return NaN;
    }
    if (!any) return NaN;
    exp += eneg ? -x : x;
  }
  let v: number;
  if (m === 0) v = 0;
  else if (exp >= 0 && exp <= 22) v = m * POW10[exp];
  else if (exp < 0 && exp >= -22) v = m / POW10[-exp];
  else return NaN;
  if (exp > 0 && !(v <= 9007199254740991 && digits + exp <= 15)) return NaN; // m·10^k exact only while it fits 53 bits
  return neg ? -v : v;
}
