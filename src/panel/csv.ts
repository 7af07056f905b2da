/**
 * Long CSV (one row per unit × period) → balanced Panel, reshaped once on read.
 * Errors name the file, the row (as a line number of the file) and the column. Missing values
 * (empty or NA) drop their row, and units left unbalanced are dropped with a message, as R `did` does.
 */
import { readFileSync } from 'node:fs';
import { makePanel, type Panel } from './panel.js';

export class PanelCsvError extends Error {
  override name = 'PanelCsvError';
}

export interface PanelColumns {
  id: string;
  time: string;
  group: string;
  outcome: string;
  covariates?: string[];
  cluster?: string;
}

export interface ReadResult {
  panel: Panel;
  messages: string[];
}

/** Split one CSV line into fields, honouring double quotes (RFC 4180, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') { s += '"'; i += 2; continue; }
          i++;
          break;
        }
        s += line[i++];
      }
      out.push(s);
      i++; // the comma
    } else {
      const j = line.indexOf(',', i);
      if (j < 0) { out.push(line.slice(i)); break; }
      out.push(line.slice(i, j));
      i = j + 1;
      if (i === line.length) { out.push(''); break; }
    }
  }
  return out;
}

const MISSING = new Set(['', 'NA', 'NaN', 'na', 'nan', 'null', 'NULL', '.']);

export function readPanelCsv(file: string, cols: PanelColumns): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PanelCsvError(`${file}: cannot read the file (${(e as Error).message})`);
  }
  return parsePanelCsv(text, file, cols);
}

export function parsePanelCsv(text: string, file: string, cols: PanelColumns): ReadResult {
  const messages: string[] = [];
  const covNames = cols.covariates ?? [];
  let pos = 0;
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    let j = text.indexOf('\n', pos);
    if (j < 0) j = text.length;
    let line = text.slice(pos, j);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = j + 1;
    return line;
  };
  const headerLine = nextLine();
  if (headerLine === null || headerLine.trim() === '') throw new PanelCsvError(`${file}: the file is empty (expected a header row)`);
  const header = splitCsvLine(headerLine.replace(/^\uFEFF/, '')).map((h) => h.trim());
  const colIndex = (name: string, role: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new PanelCsvError(`${file}: no column "${name}" (the ${role}); the header has: ${header.join(', ')}`);
    return k;
  };
  const iId = colIndex(cols.id, 'unit id');
  const iTime = colIndex(cols.time, 'time period');
  const iGroup = colIndex(cols.group, 'first treated period');
  const iY = colIndex(cols.outcome, 'outcome');
  const iCov = covNames.map((c) => colIndex(c, 'covariate'));
  const iCl = cols.cluster ? colIndex(cols.cluster, 'cluster') : -1;
  const numeric = [iTime, iGroup, iY, ...iCov, ...(iCl >= 0 ? [iCl] : [])];
  const names = [cols.time, cols.group, cols.outcome, ...covNames, ...(cols.cluster ? [cols.cluster] : [])];
  const width = numeric.length;

  // Row-wise pass into flat arrays (no objects per row).
  const ids: string[] = [];
  let vals = new Float64Array(1 << 16);
  const rowLine: number[] = [];
  let nRows = 0;
  let lineNo = 1;
  let missingRows = 0;
  const missingUnits = new Set<string>();
  for (let line = nextLine(); line !== null; line = nextLine()) {
    lineNo++;
    if (line === '') continue;
    const f = splitCsvLine(line);
    if (f.length < header.length) {
      throw new PanelCsvError(`${file}, row ${lineNo}: ${f.length} fields, expected ${header.length} (as in the header)`);
    }
    if ((nRows + 1) * width > vals.length) {
      const bigger = new Float64Array(vals.length * 2);
      bigger.set(vals);
      vals = bigger;
    }
    const id = f[iId].trim();
    if (id === '' || MISSING.has(id)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.id}": the unit id is missing`);
    let missing = false;
    for (let c = 0; c < width; c++) {
      const raw = f[numeric[c]].trim();
      let v: number;
      if (MISSING.has(raw)) {
        if (c <= 1) throw new PanelCsvError(`${file}, row ${lineNo}, column "${names[c]}": value is missing (the ${c === 0 ? 'time period' : 'start group'} must be given on every row)`);
        v = NaN;
        missing = true;
      } else {
        v = Number(raw);
        if (!Number.isFinite(v)) {
          throw new PanelCsvError(`${file}, row ${lineNo}, column "${names[c]}": "${raw}" is not a number`);
        }
      }
      vals[nRows * width + c] = v;
    }
    if (missing) {
      missingRows++;
      missingUnits.add(id);
    }
    ids.push(id);
    rowLine.push(lineNo);
    nRows++;
  }
  if (nRows === 0) throw new PanelCsvError(`${file}: no data rows after the header`);

  // Units and periods.
  const unitOf = new Map<string, number>();
  const unitIds: string[] = [];
  const rowUnit = new Int32Array(nRows);
  const periodSet = new Set<number>();
  for (let r = 0; r < nRows; r++) {
    let u = unitOf.get(ids[r]);
    if (u === undefined) { u = unitIds.length; unitOf.set(ids[r], u); unitIds.push(ids[r]); }
    rowUnit[r] = u;
    periodSet.add(vals[r * width]);
  }
  const periods = [...periodSet].sort((a, b) => a - b);
  const T = periods.length;
  if (T < 2) throw new PanelCsvError(`${file}: column "${cols.time}" has ${T} distinct period(s); at least two are needed`);
  const periodIdx = new Map(periods.map((p, t) => [p, t]));
  const N = unitIds.length;
  const seenRow = new Int32Array(N * T).fill(-1);
  const unitGroup = new Float64Array(N).fill(NaN);
  const unitGroupRow = new Int32Array(N);
  const unitCluster = new Float64Array(N).fill(NaN);
  for (let r = 0; r < nRows; r++) {
    const u = rowUnit[r];
    const t = periodIdx.get(vals[r * width])!;
    const prev = seenRow[u * T + t];
    if (prev >= 0) {
      throw new PanelCsvError(`${file}, row ${rowLine[r]}: unit ${ids[r]} appears twice in period ${periods[t]} (also on row ${rowLine[prev]}); each (${cols.id}, ${cols.time}) must be unique`);
    }
    seenRow[u * T + t] = r;
    const g = vals[r * width + 1];
    if (Number.isNaN(unitGroup[u])) { unitGroup[u] = g; unitGroupRow[u] = r; }
    else if (unitGroup[u] !== g) {
      throw new PanelCsvError(`${file}, row ${rowLine[r]}, column "${cols.group}": unit ${ids[r]} has start group ${g} here but ${unitGroup[u]} on row ${rowLine[unitGroupRow[u]]}; a unit's start group must not change over time`);
    }
    if (g < 0) throw new PanelCsvError(`${file}, row ${rowLine[r]}, column "${cols.group}": start group ${g} is negative (use 0 for never treated)`);
    if (iCl >= 0) {
      const cl = vals[r * width + width - 1];
      if (Number.isNaN(unitCluster[u])) unitCluster[u] = cl;
      else if (!Number.isNaN(cl) && unitCluster[u] !== cl) {
        throw new PanelCsvError(`${file}, row ${rowLine[r]}, column "${cols.cluster}": unit ${ids[r]} changes cluster over time; a cluster must be time-invariant`);
      }
    }
  }

  // Balance: keep units observed, without missing values, in every period.
  const keep: number[] = [];
  let unbalanced = 0;
  for (let u = 0; u < N; u++) {
    let ok = !missingUnits.has(unitIds[u]);
    if (ok) for (let t = 0; t < T; t++) if (seenRow[u * T + t] < 0) { ok = false; unbalanced++; break; }
    if (ok) keep.push(u);
  }
  if (missingRows > 0) messages.push(`Dropped ${missingUnits.size} units with missing values (${missingRows} rows with an empty or NA outcome or covariate).`);
  if (unbalanced > 0) messages.push(`${unbalanced} units are missing in some periods. Converting to a balanced panel by dropping them.`);
  if (keep.length === 0) throw new PanelCsvError(`${file}: no unit is observed in all ${T} periods without missing values; the panel cannot be balanced`);
  const n = keep.length;

  const y = new Float64Array(T * n);
  const covs = covNames.map(() => new Float64Array(T * n));
  for (let j = 0; j < n; j++) {
    const u = keep[j];
    for (let t = 0; t < T; t++) {
      const r = seenRow[u * T + t];
      y[t * n + j] = vals[r * width + 2];
      for (let c = 0; c < covNames.length; c++) covs[c][t * n + j] = vals[r * width + 3 + c];
    }
  }
  // Covariates: unit-level when constant within every unit (the usual case), else time-varying.
  const covariates: Record<string, Float64Array> = {};
  covNames.forEach((name, c) => {
    const v = covs[c];
    let invariant = true;
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < n && invariant; j++) {
      const v0 = v[j];
      for (let t = 1; t < T; t++) if (v[t * n + j] !== v0) { invariant = false; break; }
    }
    for (let q = 0; q < v.length; q++) { if (v[q] < lo) lo = v[q]; if (v[q] > hi) hi = v[q]; }
    if (lo === hi) throw new PanelCsvError(`${file}, column "${name}": the covariate is constant (${lo}) in the sample, so it cannot enter the propensity score or the outcome regression; drop it`);
    covariates[name] = invariant ? v.slice(0, n) : v;
  });
  const panel = makePanel({
    periods,
    ids: keep.map((u) => unitIds[u]),
    group: keep.map((u) => unitGroup[u]),
    y,
    covariates,
    cluster: iCl >= 0 ? Float64Array.from(keep.map((u) => unitCluster[u])) : undefined,
  });
  return { panel, messages };
}
