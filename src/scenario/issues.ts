/**
 * Turn zod issues into scenario problems a user can act on (expected X, found Y at a.b.c).
 * Union issues from list-valued settings (grid axes) are unwrapped to the branch the user meant.
 */
import type { z } from 'zod';
import { describeFound, dotted, type ScenarioProblem } from './errors.js';
import { knownKeysAt } from './known-keys.js';
import { editDistance, nearest } from './nearest-name.js';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

const typeWords: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  array: 'a list',
  object: 'a mapping (key: value)',
  boolean: 'true or false',
  tuple: 'a list',
  record: 'a mapping (key: value)',
};

function bound(issue: Issue & { code: 'too_small' | 'too_big' }, dir: 'min' | 'max'): string {
  const limit = Number(dir === 'min' ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  const op = dir === 'min' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
  if (issue.origin === 'array')
    return dir === 'min' ? `a list of at least ${limit} item${limit === 1 ? '' : 's'}` : `a list of at most ${limit} items`;
  if (issue.origin === 'string') return `a string of ${dir === 'min' ? 'at least' : 'at most'} ${limit} characters`;
  return `a number ${op} ${limit}`;
}

function expectedOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeWords[issue.expected] ?? issue.expected;
    case 'too_small':
      return bound(issue, 'min');
    case 'too_big':
      return bound(issue, 'max');
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/** The known name a misspelt one most likely meant, when it is close enough to say so. */
function meant(name: string, known: readonly string[]): string | undefined {
  const near = nearest(name, known);
  return near !== undefined && editDistance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.ceil(name.length * 0.4))
    ? near
    : undefined;
}

/** What was found; a misspelt choice (control: notyat) names the choice it most likely meant, as a misspelt key does. */
function foundText(found: unknown, choices: readonly unknown[]): string {
  const names = choices.filter((v): v is string => typeof v === 'string');
  const near = typeof found === 'string' && names.length > 0 ? meant(found, names) : undefined;
  return `${describeFound(found)}${near ? `; did you mean "${near}"?` : ''}`;
}

/** Flatten one zod issue (recursing into unions) into problems with full paths. */
export function problemsFromIssue(
  issue: Issue,
  root: unknown,
  prefix: readonly PropertyKey[] = [],
  schema?: z.ZodType,
  schemaDepth = prefix.length,
): ScenarioProblem[] {
  const path = [...prefix, ...issue.path];
  const found = valueAt(root, path);
  if (issue.code === 'invalid_union') {
    const u = issue as Issue & { errors: Issue[][]; options?: unknown[]; discriminator?: string };
    if (u.errors.length === 0 && u.options) {
      return [
        { path: dotted(path), expected: `one of ${u.options.map((o) => JSON.stringify(o)).join(', ')}`, found: describeFound(found) },
      ];
    }
    // Grid-axis unions are [scalar, list of scalars]: a list means the user wrote an axis.
    const branch = Array.isArray(found) && u.errors.length === 2 ? u.errors[1] : u.errors[0];
    const nested = branch.flatMap((i) => problemsFromIssue(i, root, path, schema, schemaDepth));
    const tooGeneric = nested.length === 1 && nested[0].path === dotted(path) && u.errors.length > 1;
    if (tooGeneric && !Array.isArray(found)) {
      // A branch that is itself a union (a grid axis among the options) says what its own branches expect.
      const alts = u.errors.map((b) =>
        b.length === 1 && b[0].path.length === 0
          ? b[0].code === 'invalid_union'
            ? (problemsFromIssue(b[0], root, path, schema, schemaDepth)[0]?.expected ?? null)
            : expectedOf(b[0])
          : null,
      );
      if (alts.every((a) => a !== null)) {
        const uniq = [...new Set(alts)];
        const choices = u.errors.flatMap((b) => (b.length === 1 && b[0].code === 'invalid_value' ? b[0].values : []));
        return [{ path: dotted(path), expected: uniq.join(' or '), found: foundText(found, choices) }];
      }
    }
    return nested;
  }
  if (issue.code === 'invalid_key') {
    // A record key (a covariate's, a subgroup's name) that is not a valid name: say what a name is.
    const inner = (issue as Issue & { issues?: Issue[] }).issues ?? [];
    const expected = inner.length > 0 ? [...new Set(inner.map(expectedOf))].join('; ') : 'a valid name';
    return [{ path: dotted(path), expected, found: `the key ${JSON.stringify(String(issue.path[issue.path.length - 1] ?? ''))}` }];
  }
  if (issue.code === 'unrecognized_keys') {
    const known = schema ? knownKeysAt(schema, path.slice(schemaDepth)) : [];
    return issue.keys.map((k) => {
      const near = meant(k, known);
      const where = path.length ? `of ${dotted(path)}` : 'at the top level';
      return {
        path: dotted([...path, k]),
        expected: known.length
          ? `a known key ${where} (${near ? '' : `known: ${known.join(', ')}; `}see scenarios/README.md)`
          : 'no such key (a known key; see scenarios/README.md)',
        found: `unknown key ${JSON.stringify(k)}${near ? `; did you mean "${near}"?` : ''}`,
      };
    });
  }
  return [{ path: dotted(path), expected: expectedOf(issue), found: foundText(found, issue.code === 'invalid_value' ? issue.values : []) }];
}
