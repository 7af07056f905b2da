/**
 * Names a scenario may not use as keys or names: the properties every JavaScript object inherits
 * (`toString`, `constructor`, `__proto__`, …) and `prototype`. A covariate, subgroup or estimator
 * named so would be looked up on the object's prototype instead of the user's map (`'toString' in {}`
 * is true), or, for `__proto__`, replace the map's prototype; they are refused where the file is read.
 */
import type { ScenarioProblem } from './errors.js';

/** Object.prototype's own property names, and `prototype`. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const RESERVED_EXPECTED =
  'a name that is not a built-in property of JavaScript objects (not constructor, toString, valueOf, hasOwnProperty, prototype, __proto__ or the like): rename it';

/** Whether a user-given name may be used as a key. */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name);
}

/** Every key of a parsed YAML document that is a reserved name, with its dotted path (iterative: no deep recursion). */
export function reservedKeyProblems(raw: unknown): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const stack: [unknown, string][] = [[raw, '']];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v); // aliases share objects: each is walked once
    const at = (k: string) => (path === '' ? k : `${path}.${k}`);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, at(String(i))]));
    else {
      for (const k of Object.getOwnPropertyNames(v)) {
        if (RESERVED_NAMES.has(k)) out.push({ path: at(k), expected: RESERVED_EXPECTED, found: `the key ${JSON.stringify(k)}` });
        else stack.push([(v as Record<string, unknown>)[k], at(k)]);
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
