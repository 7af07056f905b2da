/**
 * Text covariates, expanded as R's model.matrix expands a factor in did's xformla: one 0/1 column per
 * level but the first, the levels in sorted order (R sorts in its collation; here by code point, which
 * is R's C-locale order and the same as any locale's for ASCII text of one case), the first the
 * reference. Columns are named as R names them: the covariate's name followed by the level.
 */

/** The raw text of one CSV column, by line number of the file (the header is line 1). */
export function readTextColumn(b: Uint8Array, col: number, split: (line: string) => string[]): string[] {
  const text = Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  const out: string[] = [];
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(pos, end).replace(/\r$/, '');
    if (lineNo > 1 && line !== '') out[lineNo] = (split(line)[col] ?? '').trim();
    pos = end + 1;
  }
  return out;
}

export interface Dummies {
  /** Levels in sorted order; levels[0] is the reference (no column). */
  levels: string[];
  /** name + level for levels[1..]. */
  names: string[];
  /** One column per non-reference level, as many values as `codes`. */
  columns: Float64Array[];
}

/**
 * Dummy columns of a factor given the level of every value.
 * @throws {Error} with a one-line reason when the factor has a single level (no contrast to estimate).
 */
export function expandFactor(name: string, values: readonly string[]): Dummies {
  const levels = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (levels.length < 2) {
    throw new Error(`the text covariate has a single value ("${levels[0] ?? ''}"), so as a factor it has no contrast; drop it`);
  }
  const code = new Map(levels.map((l, k) => [l, k]));
  const columns = levels.slice(1).map(() => new Float64Array(values.length));
  values.forEach((v, i) => {
    const k = code.get(v)!;
    if (k > 0) columns[k - 1][i] = 1;
  });
  return { levels, names: levels.slice(1).map((l) => `${name}${l}`), columns };
}
