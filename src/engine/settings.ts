/**
 * `--set PATH=VALUE`: change settings of a scenario file for one run without editing it, validated
 * like the file itself (the value is YAML: a number, a word, a list `[66, 72, 78]` that makes an axis,
 * or `null`, which removes the key so its default applies). The planner's "referrals a third lower"
 * is `--set design.recruitment.referrals=36.7`.
 */
import { dirname } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { loadScenario, parseScenario, ScenarioError, type Scenario } from '../generate.js';
import { readScenarioText } from '../scenario/load.js';
import { canonicalOutcomePath, outcomeFormOf } from '../scenario/outcome-paths.js';

export interface Setting {
  path: string;
  value: string;
}

/** Split `PATH=VALUE` (the value may contain `=`). */
export function parseSetting(s: string): Setting {
  const at = s.indexOf('=');
  const path = at < 0 ? '' : s.slice(0, at).trim();
  if (at < 0 || !/^[A-Za-z_][\w-]*(\.[\w-]+)*$/.test(path)) {
    throw new Error(`--set ${s}: expected PATH=VALUE with a dotted path, e.g. --set design.recruitment.referrals=36.7`);
  }
  return { path, value: s.slice(at + 1).trim() };
}

/**
 * The scenario file with the settings applied, then parsed and validated as a whole.
 * @throws {ScenarioError} naming the file (with "--set …"), the path, what was expected and found
 */
export function scenarioWithSettings(file: string, settings: readonly Setting[]): Scenario {
  if (settings.length === 0) return loadScenario(file);
  const label = `${file} (with ${settings.map((s) => `--set ${s.path}=${s.value}`).join(' ')})`;
  return parseScenario(settingsApplied(file, settings), label, dirname(file));
}

/**
 * The scenario file's YAML text with the settings applied (comments kept): what a run with --set
 * simulated, kept beside its results (report/resolved-scenario.ts).
 * @throws {ScenarioError} when a setting names no outcome or no existing section, or the file itself is refused
 */
export function settingsApplied(file: string, settings: readonly Setting[]): string {
  const text = readScenarioText(file);
  const doc = parseDocument(text);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    parseScenario(text, file); // the file's own problem (an alias bomb), said as parseScenario says it
    throw err;
  }
  for (const { path: given, value } of settings) {
    // outcome.* / effect.* mean the first outcome, outcomes.NAME.* any outcome, in either form.
    let path: string;
    try {
      path = canonicalOutcomePath(given, outcomeFormOf(js as never));
    } catch (err) {
      throw new ScenarioError(file, [{ path: given, expected: `an outcome of the scenario (--set ${given}=${value})`, found: (err as Error).message }]);
    }
    const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1)) : doc.contents;
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      throw new ScenarioError(file, [{ path, expected: `an existing section ${keys.slice(0, -1).join('.')} to set a key in (--set ${path}=${value})`, found: 'none' }]);
    }
    const v: unknown = parse(value);
    if (v === null) doc.deleteIn(keys);
    else doc.setIn(keys, v);
  }
  return doc.toString();
}
