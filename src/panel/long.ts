/**
 * Long data, one row per observation, kept as read: an unbalanced panel (a unit need not be seen in
 * every period) or repeated cross-sections (each row its own unit). R did reads these with
 * allow_unbalanced_panel = TRUE or panel = FALSE; the balanced Panel (panel.ts) cannot hold them.
 * Columns are typed arrays of length nRows.
 */
import { csvFields, csvHeader, csvNumber, MISSING, PanelCsvError, readCsvBytes, type PanelColumns } from './csv.js';
import { makePanel, type Panel } from './panel.js';

export interface LongPanel {
  readonly nRows: number;
  /** Distinct period labels, increasing. */
  readonly periods: Float64Array;
  /** Row → index into `periods`. */
  readonly period: Int32Array;
  /** Row → unit code (0 … nUnits − 1, in order of first appearance). */
  readonly unit: Int32Array;
  readonly nUnits: number;
  /** Unit code → id as read ("row N" for rows that are their own units). */
  readonly ids: readonly string[];
  /** First treated period per row (0 = never treated). */
  readonly group: Float64Array;
  readonly y: Float64Array;
  /** Covariates per row. */
  readonly covariates: Readonly<Record<string, Float64Array>>;
  /** Cluster codes per row (time-invariant within a unit). */
  readonly cluster?: Float64Array;
}

export interface LongReadResult {
  data: LongPanel;
  messages: string[];
}

/** The cells of a balanced panel as rows (unit by unit within each period), units kept as units. */
export function panelToLong(p: Panel): LongPanel {
  const N = p.nUnits,
    T = p.nPeriods,
    nRows = N * T;
  const period = new Int32Array(nRows),
    unit = new Int32Array(nRows);
  const group = new Float64Array(nRows);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const r = t * N + i;
      period[r] = t;
      unit[r] = i;
      group[r] = p.group[i];
    }
  }
  const perRow = (v: Float64Array) => {
    if (v.length === nRows) return v;
    const out = new Float64Array(nRows);
    for (let r = 0; r < nRows; r++) out[r] = v[unit[r]];
    return out;
  };
  const covariates: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(p.covariates)) covariates[k] = perRow(v);
  return {
    nRows,
    periods: p.periods,
    period,
    unit,
    nUnits: N,
    ids: p.ids,
    group,
    y: p.y,
    covariates,
    cluster: p.cluster ? perRow(p.cluster) : undefined,
  };
}

/**
 * Read a long CSV without balancing it. Rows with a missing outcome, covariate or cluster are
 * dropped with a message (R did: "dropped N rows … due to missing or non-finite data").
 * @param cols.id the unit id column; with `ownIds` a file without that column is read as repeated
 *   cross-sections, each row its own unit.
 * @throws {PanelCsvError} naming the file, row and column of what is wrong
 */
export function readLongCsv(file: string, cols: PanelColumns & { ownIds?: boolean }): LongReadResult {
  return parseLongCsv(readCsvBytes(file).toString('utf8'), file, cols);
}

export function parseLongCsv(text: string, file: string, cols: PanelColumns & { ownIds?: boolean }): LongReadResult {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const headerLine = (lines[0] ?? '').replace(/\r$/, '');
  if (headerLine.trim() === '') throw new PanelCsvError(`${file}: the file is empty (expected a header row)`);
  const header = csvHeader(headerLine, file, [
    cols.id,
    cols.time,
    cols.group ?? 'first_treat',
    cols.outcome,
    ...(cols.covariates ?? []),
    cols.cluster,
  ]);
  const colIndex = (name: string, role: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new PanelCsvError(`${file}: no column "${name}" (the ${role}); the header has: ${header.join(', ')}`);
    return k;
  };
  const ownIds = cols.ownIds === true && !header.includes(cols.id);
  const iId = ownIds ? -1 : colIndex(cols.id, 'unit id');
  const iTime = colIndex(cols.time, 'time period');
  const iGroup = colIndex(cols.group ?? 'first_treat', 'first treated period');
  const iY = colIndex(cols.outcome, 'outcome');
  const covNames = cols.covariates ?? [];
  const iCov = covNames.map((c) => colIndex(c, 'covariate'));
  const iCl = cols.cluster ? colIndex(cols.cluster, 'cluster') : -1;

  const time: number[] = [],
    grp: number[] = [],
    y: number[] = [],
    unitOfRow: number[] = [];
  const cov: number[][] = covNames.map(() => []);
  const cl: number[] = [];
  const unitOf = new Map<string, number>();
  const ids: string[] = [];
  const firstLine: number[] = [];
  let dropped = 0;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l].replace(/\r$/, '');
    if (line === '') continue;
    const lineNo = l + 1;
    const f = csvFields(line, file, lineNo, header.length);
    const num = (k: number, name: string, required: boolean): number => {
      const raw = f[k].trim();
      if (MISSING.has(raw)) {
        if (required) throw new PanelCsvError(`${file}, row ${lineNo}, column "${name}": value is missing (it must be given on every row)`);
        return NaN;
      }
      const v = csvNumber(raw, file, lineNo, name);
      if (Number.isNaN(v)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${name}": "${raw}" is not a number`);
      return v;
    };
    const t = num(iTime, cols.time, true);
    const g = num(iGroup, cols.group ?? 'first_treat', true);
    if (g < 0)
      throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.group}": start group ${g} is negative (use 0 for never treated)`);
    const yv = num(iY, cols.outcome, false);
    const xs = iCov.map((k, c) => num(k, covNames[c], false));
    const c = iCl >= 0 ? num(iCl, cols.cluster!, false) : 0;
    if (Number.isNaN(yv) || xs.some(Number.isNaN) || Number.isNaN(c)) {
      dropped++;
      continue;
    }
    let id: string;
    if (ownIds) id = `row ${lineNo}`;
    else {
      id = f[iId].trim();
      if (MISSING.has(id)) throw new PanelCsvError(`${file}, row ${lineNo}, column "${cols.id}": the unit id is missing`);
    }
    let u = unitOf.get(id);
    if (u === undefined) {
      u = ids.length;
      unitOf.set(id, u);
      ids.push(id);
      firstLine.push(lineNo);
    }
    time.push(t);
    grp.push(g);
    y.push(yv);
    unitOfRow.push(u);
    cl.push(c);
    xs.forEach((v, k) => cov[k].push(v));
  }
  const nRows = time.length;
  if (nRows === 0)
    throw new PanelCsvError(`${file}: no data rows with an outcome${covNames.length ? ' and covariates' : ''} after the header`);
  const periods = Float64Array.from([...new Set(time)].sort((a, b) => a - b));
  if (periods.length < 2)
    throw new PanelCsvError(`${file}: column "${cols.time}" has ${periods.length} distinct period(s); at least two are needed`);
  const periodIdx = new Map(Array.from(periods, (p, t) => [p, t]));
  const period = Int32Array.from(time, (t) => periodIdx.get(t)!);
  const unit = Int32Array.from(unitOfRow);
  if (!ownIds) {
    // R did (validate_args): the start group and the cluster stay fixed within a unit, and a unit is
    // seen at most once a period.
    const g0 = new Float64Array(ids.length).fill(NaN),
      c0 = new Float64Array(ids.length).fill(NaN);
    const seen = new Map<number, number>();
    for (let r = 0; r < nRows; r++) {
      const u = unit[r];
      if (Number.isNaN(g0[u])) g0[u] = grp[r];
      else if (g0[u] !== grp[r])
        throw new PanelCsvError(
          `${file}, column "${cols.group}": unit ${ids[u]} has start group ${grp[r]} on one row but ${g0[u]} on another (first seen on row ${firstLine[u]}); a unit's start group must not change over time`,
        );
      if (iCl >= 0) {
        if (Number.isNaN(c0[u])) c0[u] = cl[r];
        else if (c0[u] !== cl[r])
          throw new PanelCsvError(
            `${file}, column "${cols.cluster}": unit ${ids[u]} changes cluster over time; a cluster must be time-invariant`,
          );
      }
      const key = u * periods.length + period[r];
      if (seen.has(key))
        throw new PanelCsvError(
          `${file}, column "${cols.time}": unit ${ids[u]} appears twice in period ${periods[period[r]]}; each (${cols.id}, ${cols.time}) must be unique`,
        );
      seen.set(key, r);
    }
  }
  const covariates: Record<string, Float64Array> = {};
  covNames.forEach((name, k) => {
    const v = Float64Array.from(cov[k]);
    let lo = Infinity,
      hi = -Infinity;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo === hi)
      throw new PanelCsvError(
        `${file}, column "${name}": the covariate is constant (${lo}) in the sample, so it cannot enter the propensity score or the outcome regression; drop it`,
      );
    covariates[name] = v;
  });
  const messages = dropped > 0 ? [`Dropped ${dropped} rows with missing values (an empty or NA outcome, covariate or cluster).`] : [];
  return {
    data: {
      nRows,
      periods,
      period,
      unit,
      nUnits: ids.length,
      ids,
      group: Float64Array.from(grp),
      y: Float64Array.from(y),
      covariates,
      cluster: iCl >= 0 ? Float64Array.from(cl) : undefined,
    },
    messages,
  };
}

/**
 * A balanced Panel from some rows of long data that hold every chosen period once for each of their
 * units (checked: a programming error otherwise). Covariates constant within every unit stay
 * unit-level, as the CSV reader keeps them.
 */
export function rowsToPanel(d: LongPanel, rows: readonly number[], periodIdx: readonly number[]): Panel {
  const T = periodIdx.length;
  const slot = new Int32Array(d.periods.length).fill(-1);
  periodIdx.forEach((t, j) => {
    slot[t] = j;
  });
  const code = new Map<number, number>();
  const units: number[] = [];
  for (const r of rows)
    if (!code.has(d.unit[r])) {
      code.set(d.unit[r], units.length);
      units.push(d.unit[r]);
    }
  const n = units.length;
  if (rows.length !== n * T) throw new Error(`rowsToPanel: ${rows.length} rows are not ${n} units × ${T} periods`);
  const y = new Float64Array(T * n);
  const group = new Float64Array(n);
  const covs = Object.keys(d.covariates).map(() => new Float64Array(T * n));
  const cluster = d.cluster ? new Float64Array(n) : undefined;
  const names = Object.keys(d.covariates);
  for (const r of rows) {
    const j = code.get(d.unit[r])!,
      t = slot[d.period[r]];
    if (t < 0) throw new Error('rowsToPanel: a row outside the chosen periods');
    y[t * n + j] = d.y[r];
    group[j] = d.group[r];
    names.forEach((k, c) => {
      covs[c][t * n + j] = d.covariates[k][r];
    });
    if (cluster) cluster[j] = d.cluster![r];
  }
  const covariates: Record<string, Float64Array> = {};
  names.forEach((k, c) => {
    const v = covs[c];
    let invariant = true;
    for (let j = 0; j < n && invariant; j++)
      for (let t = 1; t < T; t++)
        if (v[t * n + j] !== v[j]) {
          invariant = false;
          break;
        }
    covariates[k] = invariant ? v.slice(0, n) : v;
  });
  return makePanel({ periods: periodIdx.map((t) => d.periods[t]), ids: units.map((u) => d.ids[u]), group, y, covariates, cluster });
}
