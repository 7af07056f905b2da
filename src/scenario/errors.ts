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
  /** The input the problem is in when it is not the file itself, e.g. `--set a.b=v` (then no line). */
  input?: string;
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

/** One line per problem: `file:line: path: expected X, found Y`; a single problem is the whole message. */
export function formatProblems(file: string, problems: ScenarioProblem[]): string {
  // A problem of the whole file (path "") is said of the file itself: `file: expected X, found Y`.
  const line = (p: ScenarioProblem) =>
    `${p.input ?? `${file}${p.line ? `:${p.line}` : ''}`}: ${p.path ? `${p.path}: ` : ''}expected ${p.expected}, found ${p.found}`;
  if (problems.length === 1) return line(problems[0]);
  const head = `${file}: ${problems.length} problems in the scenario`;
  return [head, ...problems.map((p) => `  ${line(p)}`)].join('\n');
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
