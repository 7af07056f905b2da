/**
 * YAML → validated Scenario. Scenario files are data: parsed as plain YAML (no custom tags, no code).
 * Every problem is collected and thrown at once as a ScenarioError.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { checkScenario } from './check.js';
import { checkFromPanel, prepareFromPanel } from './from-panel.js';
import { ScenarioError, type ScenarioProblem } from './errors.js';
import { problemsFromIssue } from './issues.js';
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
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError(file, [{ path: '', expected: 'a mapping of scenario keys (name, periods, population, …)', found: JSON.stringify(raw) }]);
  }
  const panel = prepareFromPanel(raw as Record<string, unknown>, dir); // a world resampled from a real panel
  const parsed = scenarioSchema.safeParse(panel.raw);
  let problems: ScenarioProblem[] = panel.problems;
  if (!parsed.success) problems = [...problems, ...parsed.error.issues.flatMap((i) => problemsFromIssue(i, panel.raw, [], scenarioSchema))];
  // Cross-field checks need the panel's covariates: skipped while from_panel itself has problems.
  else if (problems.length === 0) problems = [...checkScenario(parsed.data), ...(panel.world ? checkFromPanel(parsed.data, panel.world) : [])];
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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(file, [{ path: '', expected: 'a readable scenario file', found: (err as Error).message }]);
  }
  return parseScenario(text, file);
}
