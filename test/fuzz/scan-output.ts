/**
 * BAD-OUTPUT detection: NaN or Infinity anywhere in a JSON or CSV output, or a null result number
 * without a reason beside it (the project's rule: not identified is null with its reason).
 */

/** Keys whose null means "no number here" and needs a reason in the same object or row. */
const RESULT_KEY =
  /^(att|se|estimate|value|mc_se|std_error|std\.error|conf_low|conf_high|conf\.low|conf\.high|lower|upper|p|p_value|pvalue|w|statistic|crit|crit_val|truth|bias|rmse|coverage|power|mde|y)$/i;
const REASON_KEY = /reason/i;

function hasReason(obj: Record<string, unknown>): boolean {
  return Object.entries(obj).some(
    ([k, v]) =>
      REASON_KEY.test(k) &&
      ((typeof v === 'string' && v.length > 0) || (Array.isArray(v) && v.length > 0) || (v !== null && typeof v === 'object')),
  );
}

/** Problems in a parsed JSON value, each "path: what". */
export function scanJson(value: unknown, where = '$', ignore?: RegExp): string[] {
  const out: string[] = [];
  const walk = (v: unknown, p: string, parentHasReason: boolean): void => {
    if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${p}: ${v}`);
    else if (typeof v === 'string' && /^(NaN|-?Infinity)$/.test(v)) out.push(`${p}: "${v}"`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`, parentHasReason));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const reason = parentHasReason || hasReason(o);
      for (const [k, x] of Object.entries(o)) {
        // a diagnosis row names its diagnosand: the signature then says which (type_s, power …)
        const label = typeof o.diagnosand === 'string' ? `{${o.diagnosand}}` : '';
        if (x === null && RESULT_KEY.test(k) && !reason && !ignore?.test(k)) out.push(`${p}${label}.${k}: null without a reason`);
        else walk(x, `${p}.${k}`, reason);
      }
    }
  };
  walk(value, where, false);
  return out;
}

/** JSON text as written (JSON.parse cannot see NaN; a raw NaN token makes it invalid). */
export function scanJsonText(text: string, where: string, ignore?: RegExp): string[] {
  try {
    return scanJson(JSON.parse(text), where, ignore);
  } catch {
    return /\bNaN\b|\bInfinity\b/.test(text) ? [`${where}: NaN/Infinity in JSON text`] : [`${where}: not valid JSON`];
  }
}

/** Problems in CSV text: NaN/Infinity cells, and empty/NA result cells in a row whose reason is empty. */
export function scanCsv(text: string, where: string): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length);
  if (!lines.length) return [];
  const head = lines[0].split(',');
  const reasonCols = head.map((h, j) => (REASON_KEY.test(h) ? j : -1)).filter((j) => j >= 0);
  const resultCols = head.map((h, j) => (RESULT_KEY.test(h) ? j : -1)).filter((j) => j >= 0);
  const out: string[] = [];
  for (let i = 1; i < lines.length && out.length < 5; i++) {
    const cells = lines[i].split(',');
    const bad = cells.findIndex((c) => /^"?(NaN|-?Inf|-?Infinity)"?$/.test(c));
    if (bad >= 0) {
      out.push(`${where}:${i + 1}: ${head[bad] ?? `column ${bad + 1}`} = ${cells[bad]}`);
      continue;
    }
    const reason = reasonCols.some((j) => (cells[j] ?? '').replace(/"/g, '').length > 0);
    const empty = resultCols.find((j) => /^(|NA|null)$/.test(cells[j] ?? ''));
    if (empty !== undefined && !reason && reasonCols.length) out.push(`${where}:${i + 1}: ${head[empty]} empty without a reason`);
  }
  return out;
}

/** A human-readable stdout/stderr: NaN printed as a result. */
export function scanText(text: string, where: string): string[] {
  const m = /^.*\bNaN\b.*$/m.exec(text);
  return m ? [`${where}: ${m[0].trim().slice(0, 120)}`] : [];
}
