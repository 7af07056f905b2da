/**
 * Is a setting of the scenario a whole number? Read from the schema itself (a `z.number().int()` at
 * that path), not from a list of names, so that a new integer key (design.clusters, design.waves,
 * population.size, effect.onset, …) is known to `stagger mde` the moment the schema has it. The walk
 * follows the data: at a union (the design block's types, an axis' one-or-list form) only the options
 * whose literal keys agree with the scenario's own values are taken.
 */
import type { z } from 'zod';
import { defOf } from './known-keys.js';
import { scenarioSchema } from './schema.js';

/** The schema with wrappers (optional, default, pipe's input, lazy) taken off. */
export function bare(s: z.ZodType, depth = 0): z.ZodType {
  const d = defOf(s);
  if (depth > 50) return s;
  if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type))
    return bare(d.innerType, depth + 1);
  if (d.type === 'pipe' && d.in) return bare(d.in, depth + 1);
  if (d.type === 'lazy' && d.getter) return bare(d.getter(), depth + 1);
  return s;
}

/** An object option agrees with the data when every literal key it has equals the data's value there. */
function agrees(option: z.ZodType, data: unknown): boolean {
  const d = defOf(bare(option));
  if (d.type !== 'object' || !d.shape) return true;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  for (const [k, s] of Object.entries(d.shape)) {
    const l = defOf(bare(s));
    if (l.type === 'literal' && l.values && !l.values.includes((data as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The leaf schemas a path leads to in `data`'s branch of the schema (an axis: its one-value and its list form). */
export function leaves(schema: z.ZodType, data: unknown, path: readonly string[], depth = 0): z.ZodType[] {
  if (depth > 80) return [];
  const s = bare(schema);
  const d = defOf(s);
  if (d.type === 'union' && d.options) {
    const fit = d.options.filter((o) => agrees(o, data));
    return (fit.length ? fit : d.options).flatMap((o) => leaves(o, data, path, depth + 1));
  }
  if (path.length === 0) return [s];
  const [k, ...rest] = path;
  const next = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[k] : undefined;
  if (d.type === 'object' && d.shape && k in d.shape) return leaves(d.shape[k], next, rest, depth + 1);
  if (d.type === 'array' && d.element) {
    // An axis' list form: the path goes on inside its element; a list of records: by index.
    return /^\d+$/.test(k) ? leaves(d.element, next, rest, depth + 1) : [];
  }
  // A fixed-length pair such as analysis.event_window: by position.
  if (d.type === 'tuple' && d.items && /^\d+$/.test(k) && Number(k) < d.items.length)
    return leaves(d.items[Number(k)], next, rest, depth + 1);
  if (d.type === 'record' && d.valueType) return leaves(d.valueType, next, rest, depth + 1);
  return [];
}

/** Every number a leaf may hold is whole (an axis: its one-value and its list form alike). */
function wholeLeaf(s: z.ZodType, depth = 0): boolean | null {
  if (depth > 20) return null;
  const b = bare(s);
  const d = defOf(b);
  if (d.type === 'number')
    return (d.checks ?? []).some((c) => c._zod.def.check === 'number_format' && /int/.test(String(c._zod.def.format)));
  if (d.type === 'array' && d.element) return wholeLeaf(d.element, depth + 1);
  if (d.type === 'union' && d.options) {
    const parts = d.options.map((o) => wholeLeaf(o, depth + 1)).filter((x): x is boolean => x !== null);
    return parts.length ? parts.every(Boolean) : null;
  }
  return null;
}

/**
 * True when the setting at `path` (dotted, in the file's own form: `design.clusters`,
 * `outcomes.0.effect.onset`) may only hold whole numbers by the scenario schema; false for any other
 * number, and for a path the schema does not reach.
 * @param data the scenario (parsed or as written): picks the branch of each union, e.g. the design type
 */
export function isWholeNumberSetting(data: unknown, path: string, schema: z.ZodType = scenarioSchema): boolean {
  const found = leaves(schema, data, path.split('.'))
    .map((l) => wholeLeaf(l))
    .filter((x): x is boolean => x !== null);
  return found.length > 0 && found.every(Boolean);
}
