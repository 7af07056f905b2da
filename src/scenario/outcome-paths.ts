/**
 * Dotted paths into a scenario's outcomes, for `--set PATH=VALUE` and `--over PATH`, whichever form the
 * file uses: `outcome.X` and `effect.X` always mean the first outcome; `outcomes.N.…` (by index) and
 * `outcomes.NAME.…` (by name) any outcome. A path is rewritten to the form the file wrote, so the
 * setting lands on the key the grid expands (and names the axis as the file would).
 */

/** How the file states its outcomes: `outcome:` + `effect:` (single) or an `outcomes:` list. */
export interface OutcomeForm {
  list: boolean;
  /** The outcomes' names in order (single form: the one outcome's name). */
  names: readonly string[];
}

/**
 * The path in the file's own form.
 * @throws {Error} naming the outcomes when the path names an outcome the scenario does not have
 */
export function canonicalOutcomePath(path: string, form: OutcomeForm): string {
  const keys = path.split('.');
  const head = keys[0];
  if (head !== 'outcome' && head !== 'effect' && head !== 'outcomes') return path;
  if (head === 'outcomes') {
    if (keys.length < 2) return path;
    const sel = keys[1];
    const k = /^\d+$/.test(sel) ? Number(sel) : form.names.indexOf(sel);
    if (k < 0 || k >= form.names.length) {
      throw new Error(
        `${path}: the scenario has no outcome ${JSON.stringify(sel)} (outcomes: ${form.names.map((n, i) => `${i} ${n}`).join(', ')})`,
      );
    }
    const rest = keys.slice(2);
    if (form.list) return ['outcomes', String(k), ...rest].join('.');
    // Single form: outcome 0 is `outcome` with its `effect` beside it.
    return rest[0] === 'effect' ? ['effect', ...rest.slice(1)].join('.') : ['outcome', ...rest].join('.');
  }
  if (!form.list) return path;
  return head === 'outcome' ? ['outcomes', '0', ...keys.slice(1)].join('.') : ['outcomes', '0', 'effect', ...keys.slice(1)].join('.');
}

/** The form of a parsed file (YAML as plain data). */
export function outcomeFormOf(raw: unknown): OutcomeForm {
  const o = (raw ?? {}) as { outcome?: { name?: unknown }; outcomes?: { name?: unknown }[] };
  if (Array.isArray(o.outcomes))
    return { list: true, names: o.outcomes.map((x, i) => (typeof x?.name === 'string' ? x.name : i === 0 ? 'y' : `#${i}`)) };
  return { list: false, names: [typeof o.outcome?.name === 'string' ? o.outcome.name : 'y'] };
}

/**
 * The name a grid axis inside the outcomes goes by (the design points' settings, diagnosis.csv's
 * columns), the same whichever form the file uses: the first outcome's settings are `outcome.X` and
 * `effect.X`, a further outcome's `outcomes.NAME.X`. Other paths are unchanged.
 */
export function outcomeAxisName(path: string, names: readonly string[]): string {
  const keys = path.split('.');
  if (keys[0] !== 'outcomes' || keys.length < 3) return path;
  const k = /^\d+$/.test(keys[1]) ? Number(keys[1]) : names.indexOf(keys[1]);
  if (k < 0 || k >= names.length) return path;
  const rest = keys.slice(2);
  if (k > 0) return ['outcomes', names[k], ...rest].join('.');
  return rest[0] === 'effect' ? ['effect', ...rest.slice(1)].join('.') : ['outcome', ...rest].join('.');
}

/** The grid's name for a user's path (`--over outcomes.0.effect.size` is the axis `effect.size`). */
export function gridAxisName(path: string, names: readonly string[]): string {
  try {
    return outcomeAxisName(canonicalOutcomePath(path, { list: true, names }), names);
  } catch {
    return path;
  }
}
