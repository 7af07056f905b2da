/**
 * Scenario errors: every problem of a file at once, each with the file, the dotted path inside it,
 * what was expected and what was found (and the line, when the YAML has one for it).
 */

export interface ScenarioProblem {
  /** Dotted path inside the file, e.g. "recruitment.shortfalls.0.from_month"; "" for the whole file. */
  path: string;
  expected: string;
  found: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ScenarioError';
  }
}

/** One line per problem: `file:line: path: expected X, found Y`. */
export function formatProblems(file: string, problems: ScenarioProblem[]): string {
  const head = `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the scenario`;
  const lines = problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path || '(top level)'}: expected ${p.expected}, found ${p.found}`);
  return [head, ...lines].join('\n');
}

/** A found value as users wrote it, short. */
export function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** "a.b.0.c" from a zod/JS path. */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
