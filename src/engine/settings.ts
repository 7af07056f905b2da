/**
 * `--set PATH=VALUE`: change settings of a scenario file for one run without editing it, validated
 * like the file itself (the value is YAML: a number, a word, a list `[66, 72, 78]` that makes an axis,
 * or `null`, which removes the key so its default applies). The planner's "referrals a third lower"
 * is `--set design.recruitment.referrals=36.7`.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parse, parseDocument } from 'yaml';
import { loadScenario, parseScenario, ScenarioError, type Scenario } from '../generate.js';
import type { ScenarioProblem } from '../scenario/errors.js';
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
  const { text, canonical } = applySettings(file, settings);
  try {
    return parseScenario(text, file, dirname(file));
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    throw new ScenarioError(
      file,
      err.problems.map((p) => attribute(p, file, settings, canonical)),
    );
  }
}

/**
 * The scenario file's YAML text with the settings applied (comments kept): what a run with --set
 * simulated, kept beside its results (report/resolved-scenario.ts).
 * @throws {ScenarioError} when a setting names no outcome or no existing section, or the file itself is refused
 */
export function settingsApplied(file: string, settings: readonly Setting[]): string {
  return applySettings(file, settings).text;
}

function applySettings(file: string, settings: readonly Setting[]): { text: string; canonical: Setting[] } {
  return applySettingsToText(readScenarioText(file), file, settings);
}

/**
 * Scenario text with the settings applied (comments and layout kept), as `--set` applies them; no file
 * system, so the explorer's page writes its "download scenario" YAML with it. `file` names the text in errors.
 * @throws {ScenarioError} when a setting names no outcome or no existing section, or the text itself is refused
 */
export function applySettingsToText(original: string, file: string, settings: readonly Setting[]): { text: string; canonical: Setting[] } {
  const doc = parseDocument(original);
  try {
    doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    parseScenario(original, file); // the file's own problem (an alias bomb), said as parseScenario says it
    throw err;
  }
  const canonical: Setting[] = [];
  for (const { path: given, value } of settings) {
    // outcome.* / effect.* mean the first outcome, outcomes.NAME.* any outcome, in either form.
    let path: string;
    try {
      path = canonicalOutcomePath(given, outcomeFormOf(doc.toJS({ maxAliasCount: 100 })));
    } catch (err) {
      throw new ScenarioError(file, [
        { input: `--set ${given}=${value}`, path: given, expected: 'an outcome of the scenario', found: (err as Error).message },
      ]);
    }
    canonical.push({ path, value });
    const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1)) : doc.contents;
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      throw new ScenarioError(file, [
        {
          input: `--set ${given}=${value}`,
          path,
          expected: `an existing section ${keys.slice(0, -1).join('.')} to set a key in`,
          found: 'none',
        },
      ]);
    }
    const v: unknown = parse(value);
    if (v === null) doc.deleteIn(keys);
    else doc.setIn(keys, v);
  }
  return { text: doc.toString(), canonical };
}

/**
 * A problem of the changed scenario, said where it is: in a --set value (`--set a.b=v: a.b: …`, no
 * line: the value is not in the file) or in the file (the line of the original file, not of the
 * re-serialised text the settings were applied to).
 */
function attribute(p: ScenarioProblem, file: string, settings: readonly Setting[], canonical: readonly Setting[]): ScenarioProblem {
  const hit = (x: Setting) => p.path === x.path || p.path.startsWith(`${x.path}.`) || x.path.startsWith(`${p.path}.`);
  const s = settings.find((x, i) => hit(x) || hit(canonical[i]));
  if (s) return { path: p.path, expected: p.expected, found: p.found, input: `--set ${s.path}=${s.value}` };
  return { ...p, line: originalLine(file, p.path) };
}

function originalLine(file: string, path: string): number | undefined {
  try {
    const lc = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
    const parts = path === '' ? [] : path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
    }
  } catch {
    // No line rather than a wrong one.
  }
  return undefined;
}
