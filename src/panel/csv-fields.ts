/**
 * Strict CSV fields (RFC 4180, one record per line): numbers are decimal numbers with a point, as R's
 * read.csv reads them; what JavaScript's Number() would also take (hexadecimal 0x1F, Infinity) or
 * what is a decimal comma (1,5) is refused with the fix, never read as something else. Quotes must
 * close on the line they open and be followed by a comma or the line's end.
 */

/** A decimal number: digits with an optional point and exponent (R's read.csv with dec = "."). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Why a trimmed, non-missing field is not a usable number although it looks like one, or null when it
 * is a finite decimal number or plain text (a text covariate's level). The phrase completes
 * "expected …, found …".
 */
export function nearNumberProblem(raw: string): { expected: string; found: string } | null {
  if (DECIMAL.test(raw)) {
    return Number.isFinite(Number(raw)) ? null : { expected: 'a number within ±1.8e308', found: `"${raw}"` };
  }
  if (/^[+-]?\d+,\d+$/.test(raw)) {
    return {
      expected: 'a decimal number with a point',
      found: `"${raw}" (a decimal comma: write ${raw.replace(',', '.')}, or export the CSV with "." as the decimal separator)`,
    };
  }
  if (/^[+-]?0[xob][0-9a-f]+$/i.test(raw))
    return { expected: 'a decimal number', found: `"${raw}" (a hexadecimal, octal or binary literal)` };
  if (/^[+-]?(?:inf|infinity)$/i.test(raw))
    return { expected: 'a finite decimal number (leave the cell empty or NA to mark it missing)', found: `"${raw}"` };
  return null;
}

/** A field's number: finite decimal, else NaN (text); near-numbers are reported by nearNumberProblem first. */
export function decimalValue(raw: string): number {
  return DECIMAL.test(raw) ? Number(raw) : NaN;
}

/** Fields of one line; `unclosed` is the 1-based field whose quote does not close, `stray` one with text after its closing quote. */
export interface SplitLine {
  fields: string[];
  unclosed?: number;
  stray?: number;
}

/** Split one CSV line into fields, honouring double quotes ("" inside a quoted field is one quote). */
export function splitFields(line: string): SplitLine {
  if (line.indexOf('"') < 0) return { fields: line.split(',') };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      let closed = false;
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            s += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        s += line[i++];
      }
      fields.push(s);
      if (!closed) return { fields, unclosed: fields.length };
      if (i < line.length && line[i] !== ',') return { fields, stray: fields.length };
      if (i >= line.length) return { fields };
      i++; // the comma
    } else {
      const j = line.indexOf(',', i);
      if (j < 0) {
        fields.push(line.slice(i));
        return { fields };
      }
      fields.push(line.slice(i, j));
      i = j + 1;
    }
  }
}

/** What is wrong with a line's quotes, or null. */
export function quoteProblem(s: SplitLine): string | null {
  if (s.unclosed)
    return `the quote (") opening field ${s.unclosed} is not closed on this line (a quoted field cannot span lines; a quote inside one is written "")`;
  if (s.stray) return `text follows the closing quote of field ${s.stray} (expected a comma or the end of the line after it)`;
  return null;
}

/** The "expected H fields" message of a row with another count, with the likely cause when it has more. */
export function fieldCountProblem(found: number, header: number): string {
  const more =
    found > header ? '; an unquoted comma splits a field in two (a decimal comma such as 1,5: write 1.5; text with a comma: quote it)' : '';
  return `${found} fields, expected ${header} (as in the header)${more}`;
}
