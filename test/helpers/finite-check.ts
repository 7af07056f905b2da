/**
 * The reliability sweep's checker (issue 16): an output holds no NaN, no ±Infinity and no null without
 * a reason. For a JSON value: every number finite; a null at key k is explained when the object that
 * holds it has a non-empty `reason` (or `k_reason`), or when k is absent by design (`absentOk`: e.g.
 * `wald_pretest` of a family without a pre-test, `truth` of a pseudo-estimator). For a tidy CSV: no cell
 * reads NaN/Inf/Infinity/null/undefined, and an NA in a value column has a non-empty note.
 * Each returns the problems found (paths), so a test can say where.
 */
const BAD_TEXT = /^(-?(NaN|Inf|Infinity)|null|undefined)$/;

export const ABSENT_BY_DESIGN = ['wald_pretest', 'truth', 'popTruth', 'p', 'ciLow', 'ciHigh'];

export function jsonProblems(value: unknown, absentOk: readonly string[] = ABSENT_BY_DESIGN, at = '$'): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, key: string | null, holder: Record<string, unknown> | null): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push(`${path}: ${v}`);
    } else if (typeof v === 'string') {
      if (BAD_TEXT.test(v)) out.push(`${path}: the text "${v}"`);
    } else if (v === null) {
      const explained =
        holder !== null && key !== null && (absentOk.includes(key) || nonEmpty(holder.reason) || nonEmpty(holder[`${key}_reason`]));
      if (!explained && key !== 'reason' && !key?.endsWith('_reason')) out.push(`${path}: null without a reason`);
    } else if (Array.isArray(v)) {
      // A null inside an array at key k is explained by its holder's reason or k_reason (a covariance
      // matrix's null rows: vcov_reason); nested arrays keep the key.
      v.forEach((x, i) => walk(x, `${path}[${i}]`, key === null ? null : key, holder));
    } else if (typeof v === 'object' && v !== undefined && !ArrayBuffer.isView(v)) {
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`, k, o);
    }
  };
  walk(value, at, null, null);
  return out;
}

function nonEmpty(x: unknown): boolean {
  return typeof x === 'string' && x.length > 0;
}

/** Problems of a tidy CSV (first row the header); `valueColumns` may be NA only with a non-empty `note`. */
export function csvProblems(
  text: string,
  valueColumns: readonly string[] = ['estimate', 'std.error', 'conf.low', 'conf.high'],
  noteColumn = 'note',
): string[] {
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map(splitCsvLine);
  const [head, ...body] = rows;
  const out: string[] = [];
  const note = head.indexOf(noteColumn);
  body.forEach((r, i) => {
    r.forEach((cell, j) => {
      if (BAD_TEXT.test(cell)) out.push(`row ${i + 2}, ${head[j]}: ${cell}`);
      if (valueColumns.includes(head[j]) && (cell === 'NA' || cell === '') && !(note >= 0 && r[note]?.length > 0)) {
        out.push(`row ${i + 2}, ${head[j]}: NA without a note`);
      }
    });
  });
  return out;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Problems of engine draw records: finite numbers, and estimate/se null only with a reason. */
export function recordProblems(
  records: readonly { estimator: string; estimand: string; estimate: number | null; se: number | null; reason?: string | null }[],
): string[] {
  const out: string[] = [];
  for (const r of records) {
    const where = `${r.estimator} ${r.estimand}`;
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${where}: ${k} = ${v}`);
    if ((r.estimate === null || r.se === null) && !nonEmpty(r.reason)) out.push(`${where}: null without a reason`);
  }
  return out;
}
