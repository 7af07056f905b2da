/**
 * YAML → validated Scenario. Scenario files are data: parsed as plain YAML (no custom tags, no code).
 * Every problem is collected and thrown at once as a ScenarioError.
 */
import { dirname } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { checkScenario } from './check.js';
import { checkFromPanel, prepareFromPanel } from './from-panel.js';
import { ScenarioError, type ScenarioProblem } from './errors.js';
import { problemsFromIssue } from './issues.js';
import { reservedKeyProblems } from './reserved-keys.js';
import { InputFileError, readScenarioFile } from './size-limits.js';
import { scenarioSchema, type Scenario } from './schema.js';

/** The 1-based line of a dotted path in the YAML document, or of its nearest existing parent. */
function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: string): number | undefined {
  const parts = path === '' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = parts.length; n >= 0; n--) {
    const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The YAML 1.2 core tags a scenario may write explicitly (`!!str 007`); any other tag is refused. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** Aliases a document may expand (a YAML "billion laughs" needs thousands); the parser refuses more. */
const MAX_ALIASES = 100;

/** Explicit tags other than the plain core ones (`!!js/function`, `!!binary`, `!!set`, `!custom`): scenario files are data. */
function tagProblems(doc: ReturnType<typeof parseDocument>, lc: LineCounter): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  visit(doc, (_key, node, ancestors) => {
    const tag = node !== null && typeof node === 'object' ? (node as { tag?: string }).tag : undefined;
    if (!tag || PLAIN_TAGS.has(tag)) return;
    const parts: string[] = [];
    ancestors.forEach((a, i) => {
      const next = ancestors[i + 1] ?? node;
      if (isPair(a)) parts.push(String(isScalar(a.key) ? a.key.value : a.key));
      else if (isSeq(a)) parts.push(String(a.items.indexOf(next as never)));
      else if (isMap(a) && !isPair(next)) parts.push('?');
    });
    const range = (node as { range?: [number, number, number] }).range;
    const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
    out.push({
      path: parts.join('.'),
      expected: 'plain YAML data (numbers, text, lists, mappings) without tags',
      found: `the tag ${shown}`,
      line: range ? lc.linePos(range[0]).line : undefined,
    });
  });
  return out;
}

/**
 * Parse and validate scenario text.
 * @param dir the folder files named in the scenario are relative to (population.from_panel.file)
 * @throws {ScenarioError} listing every problem: file, dotted path, expected, found, line
 */
export function parseScenario(text: string, file: string, dir = dirname(file)): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, customTags: [] });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((e) => ({ path: '', expected: 'valid YAML', found: e.message.split('\n')[0], line: e.linePos?.[0].line })),
    );
  }
  const tags = tagProblems(doc, lc);
  if (tags.length > 0) throw new ScenarioError(file, tags);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // The parser's own guard against alias bombs (a ReferenceError): the user's input, said as such.
    if (!(err instanceof ReferenceError)) throw err;
    throw new ScenarioError(file, [
      {
        path: '',
        expected: `YAML whose aliases (*name) expand to a modest document (at most ${MAX_ALIASES} alias expansions per node)`,
        found: 'aliases that expand without bound (a "billion laughs" document)',
      },
    ]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError(file, [
      { path: '', expected: 'a mapping of scenario keys (name, periods, population, …)', found: JSON.stringify(raw) },
    ]);
  }
  const reserved = reservedKeyProblems(raw);
  if (reserved.length > 0) {
    for (const p of reserved) p.line = lineOf(doc, lc, p.path);
    throw new ScenarioError(
      file,
      reserved.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
  }
  const panel = prepareFromPanel(raw as Record<string, unknown>, dir); // a world resampled from a real panel
  const parsed = scenarioSchema.safeParse(panel.raw);
  let problems: ScenarioProblem[] = panel.problems;
  if (!parsed.success) problems = [...problems, ...parsed.error.issues.flatMap((i) => problemsFromIssue(i, panel.raw, [], scenarioSchema))];
  // Cross-field checks need the panel's covariates: skipped while from_panel itself has problems.
  else if (problems.length === 0)
    problems = [...checkScenario(parsed.data), ...(panel.world ? checkFromPanel(parsed.data, panel.world) : [])];
  if (problems.length > 0) {
    for (const p of problems) p.line = lineOf(doc, lc, p.path);
    throw new ScenarioError(file, problems);
  }
  return (parsed as { data: Scenario }).data;
}

/**
 * Read, parse and validate a scenario file.
 * @throws {ScenarioError} listing every problem, or when the file cannot be read
 */
export function loadScenario(file: string): Scenario {
  return parseScenario(readScenarioText(file), file);
}

/**
 * A scenario file's text: a regular file of at most SCENARIO_MAX_BYTES (size-limits.ts), never a
 * directory, FIFO or device, which could hang or fill memory.
 * @throws {ScenarioError} saying what the file is instead
 */
export function readScenarioText(file: string): string {
  return readScenarioBytes(file).toString('utf8');
}

/** A scenario file's bytes, as readScenarioText reads them. @throws {ScenarioError} */
export function readScenarioBytes(file: string): Buffer {
  try {
    return readScenarioFile(file);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    throw new ScenarioError(file, [{ path: '', expected: err.expected, found: err.found }]);
  }
}
