/**
 * The keys a zod schema allows at a path of the data, for "did you mean" on an unknown key. Walks
 * objects, unions (the options' keys together), pipes/preprocess, optional/default wrappers, lists
 * and records.
 */
import type { z } from 'zod';

/** The parts of a zod schema's definition the walks read (zod 4's `_zod.def`). */
export interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  values?: unknown[];
  /** z.enum's options. */
  entries?: Record<string, string | number>;
  /** z.tuple's positions. */
  items?: z.ZodType[];
  checks?: { _zod: { def: { check?: string; format?: string } } }[];
}

export const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a path leads to (several through a union). */
function at(schema: z.ZodType, path: readonly PropertyKey[], depth = 0): z.ZodType[] {
  if (depth > 50) return [];
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return at(d.innerType!, path, depth + 1);
    case 'pipe':
      return [...at(d.in!, path, depth + 1), ...at(d.out!, path, depth + 1)];
    case 'lazy':
      return at(d.getter!(), path, depth + 1);
    case 'union':
      return d.options!.flatMap((o) => at(o, path, depth + 1));
    case 'intersection':
      return [...at(d.left!, path, depth + 1), ...at(d.right!, path, depth + 1)];
  }
  if (path.length === 0) return [schema];
  const [k, ...rest] = path;
  if (d.type === 'object' && d.shape && typeof k === 'string' && k in d.shape) return at(d.shape[k], rest, depth + 1);
  if ((d.type === 'array' && d.element) || (d.type === 'record' && d.valueType)) return at((d.element ?? d.valueType)!, rest, depth + 1);
  return [];
}

/** The object keys the schema allows at `path` (empty when none is an object). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const s of at(schema, path)) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
  }
  return [...keys];
}
