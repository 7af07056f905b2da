/**
 * Checks made before a command starts work, so what a run will need (its input files, output
 * places, the --over path, the estimator and estimand an MDE reads) fails in the first second with
 * the input's name and the nearest valid one, not after the simulation.
 */
import { bundledKey, resolveScenarioFile } from '../scenario/resolve-scenario.js';
import { accessSync, constants, existsSync, readdirSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseEstimandId } from '../diagnosis/estimand-id.js';
import { Axis } from '../scenario/axis.js';
import { canonicalOutcomePath } from '../scenario/outcome-paths.js';
import type { Scenario } from '../scenario/schema.js';
import { isWholeNumberSetting } from '../scenario/whole-number-paths.js';
import { closeName, didYouMean, InputError } from './errors.js';

/** The nearest file of the same kind beside a missing one: `; did you mean "scenarios/r1-isf-waitlist.yaml"?`. */
function nearestFile(file: string): string {
  const dir = dirname(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  const ext = extname(file).toLowerCase();
  const same = names.filter((n) => extname(n).toLowerCase() === ext);
  const near = closeName(basename(file), same.length ? same : names);
  return near === undefined ? '' : `; did you mean "${dir === '.' ? near : join(dir, near)}"?`;
}

/**
 * A file the command reads: it exists, is a file, and can be read.
 * @param label how the message names it: "--data panel.csv", "scenario r1.yaml"
 * @throws {InputError}
 */
export function readableFile(label: string, file: string, what = 'a file'): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${label}: no such file (expected ${what})${nearestFile(file)}`);
    throw new InputError(`${label}: cannot read it (${code ?? (err as Error).message})`);
  }
  if (st.isDirectory()) throw new InputError(`${label}: is a directory, expected ${what}`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new InputError(`${label}: permission denied (expected ${what} this user can read)`);
  }
}

/** The nearest existing ancestor of a path (to test where a new file or directory would go). */
function existingAncestor(p: string): string {
  let d = resolve(p);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/**
 * A file the command writes: not a directory, in a directory that exists and is writable.
 * @throws {InputError}
 */
export function writableFile(label: string, file: string): void {
  if (existsSync(file)) {
    const st = statSync(file);
    if (st.isDirectory())
      throw new InputError(`${label}: is a directory, expected a file name to write, e.g. ${join(file, `out${extname(file) || '.csv'}`)}`);
    try {
      accessSync(file, constants.W_OK);
    } catch {
      throw new InputError(`${label}: permission denied (the file exists and this user cannot write it)`);
    }
    return;
  }
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) throw new InputError(`${label}: the directory ${dirname(file)} does not exist; create it first`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${label}: ${dirname(file)} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(`${label}: permission denied (this user cannot write in ${dirname(file)})`);
  }
}

/**
 * A directory the command writes into (created when missing): not a file, and writable where it
 * is or would be created.
 * @throws {InputError}
 */
export function writableDir(label: string, dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${label}: is a file, expected a directory for the outputs`);
  const at = existingAncestor(dir);
  if (!statSync(at).isDirectory()) throw new InputError(`${label}: ${at} is a file, so the directory cannot be created`);
  try {
    accessSync(at, constants.W_OK);
  } catch {
    throw new InputError(`${label}: permission denied (this user cannot write in ${at})`);
  }
}

/** Every numeric setting's dotted path in a parsed scenario (a list of numbers counts: an axis). */
export function numericPaths(s: unknown, prefix = ''): string[] {
  if (s instanceof Axis) return s.values.every((v) => typeof v === 'number') ? [prefix] : [];
  if (typeof s === 'number') return [prefix];
  if (s === null || typeof s !== 'object') return [];
  return Object.keys(s).flatMap((k) => numericPaths((s as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
}

/**
 * `--over PATH` names a numeric setting of the scenario (after --set): the engine's own rule
 * (engine/scenario-simulation.ts setPath), checked before any draw.
 * @throws {InputError} with the nearest numeric path
 */
export function checkOverPath(scenario: Scenario, path: string): void {
  const form = { list: Object.keys(scenario).includes('outcomes'), names: scenario.outcomes.map((o) => o.name) };
  const candidates = numericPaths(scenario);
  let at: string;
  try {
    at = canonicalOutcomePath(path, form);
  } catch (err) {
    throw new InputError(`--over ${(err as Error).message}`);
  }
  let v: unknown = scenario;
  for (const k of at.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v === 'number' || (v instanceof Axis && v.values.every((x) => typeof x === 'number'))) return;
  const found = v === undefined ? 'no such setting' : `${v instanceof Axis ? 'a list' : JSON.stringify(v)}, not a number`;
  throw new InputError(
    `--over ${path}: expected the dotted path of a numeric setting of the scenario, found ${found}${didYouMean(path, candidates)}`,
  );
}

/**
 * Does `--over PATH` take whole numbers only (the schema's z.number().int() at that path: clusters,
 * waves, people, months)? Then `--values` must be whole numbers: a planner cannot run 13.5 clinics.
 * @throws {InputError} naming the fractional values and the nearest whole ones
 */
export function checkOverValues(scenario: Scenario, path: string, values: readonly number[] | undefined): boolean {
  const form = { list: Object.keys(scenario).includes('outcomes'), names: scenario.outcomes.map((o) => o.name) };
  let at: string;
  try {
    at = canonicalOutcomePath(path, form);
  } catch {
    return false;
  }
  const whole = isWholeNumberSetting(scenario, at);
  const bad = (values ?? []).filter((v) => !Number.isInteger(v));
  if (whole && bad.length) {
    const near = [...new Set(bad.flatMap((v) => [Math.floor(v), Math.ceil(v)]))].join(', ');
    throw new InputError(
      `--values ${bad.join(',')}: ${path} takes whole numbers only (the scenario schema: a whole number), found ${bad.length === 1 ? 'a fraction' : 'fractions'}; use whole values such as ${near}`,
    );
  }
  return whole;
}

const DETAIL = ['group', 'dynamic', 'calendar'];
/** The analysis.estimands entry that reports each estimand type. */
const REPORTED_BY: Record<string, string> = {
  simple: 'simple',
  group_avg: 'group',
  group: 'group',
  dynamic_avg: 'dynamic',
  dynamic: 'dynamic',
  dynamic_pre_avg: 'dynamic',
  calendar: 'calendar',
};

/**
 * The estimator, estimand and outcome an MDE search reads exist in the scenario's analysis block.
 * Which start groups or event times exist depends on the draws, so `group:99` is only checked for form.
 * @throws {InputError} naming the option, the valid values and the nearest
 */
export function checkMdeQuery(scenario: Scenario, q: { estimator?: string; estimand: string; outcome?: string }): void {
  const a = scenario.analysis;
  const names = a.estimators.map((e) => e.name);
  if (q.estimator !== undefined && !names.includes(q.estimator)) {
    throw new InputError(
      `--estimator: expected one of the scenario's estimators (${names.join(', ')}), found "${q.estimator}"${didYouMean(q.estimator, names)}`,
    );
  }
  const outcomes = scenario.outcomes.map((o) => o.name);
  if (q.outcome !== undefined && !outcomes.includes(q.outcome)) {
    throw new InputError(
      `--outcome: expected one of the scenario's outcomes (${outcomes.join(', ')}), found "${q.outcome}"${didYouMean(q.outcome, outcomes)}`,
    );
  }
  const reported = [
    'simple',
    'group_avg',
    'dynamic_avg',
    ...(a.dynamic_pre_avg_window ? ['dynamic_pre_avg'] : []),
    'group:G',
    'dynamic:E',
    'calendar:T',
  ].filter((id) => (a.estimands as readonly string[]).includes(REPORTED_BY[id.split(':')[0]]));
  const p = parseEstimandId(q.estimand);
  const wellFormed =
    p.type in REPORTED_BY &&
    (DETAIL.includes(p.type) ? /^-?\d+$/.test(p.key) : p.key === '') &&
    (p.type !== 'dynamic_pre_avg' || a.dynamic_pre_avg_window);
  const ids = reported.map((id) => id.split(':')[0]);
  if (!wellFormed || !(a.estimands as readonly string[]).includes(REPORTED_BY[p.type])) {
    throw new InputError(
      `--estimand: expected an estimand the scenario reports (${reported.join(', ')}; @SUBGROUP for a subgroup), found "${q.estimand}"` +
        didYouMean(
          p.type,
          ids.filter((t) => !DETAIL.includes(t)),
        ),
    );
  }
  if (p.subgroup && !a.subgroups.includes(p.subgroup)) {
    throw new InputError(
      `--estimand ${q.estimand}: expected a subgroup of analysis.subgroups (${a.subgroups.join(', ') || 'none'}), found "${p.subgroup}"${didYouMean(p.subgroup, a.subgroups)}`,
    );
  }
}

/**
 * The --out directory of a finished run (stagger diagnose, draws, report, merge): it exists and is a
 * directory (or, where `file` allows it, the draws file itself). What is inside is the store's to check.
 * @throws {InputError} with the nearest sibling name when it is missing
 */
export function runDir(dir: string, file = false): void {
  if (!existsSync(dir))
    throw new InputError(`${dir}: no such directory (expected the --out directory of stagger run, mde or merge)${nearestFile(dir)}`);
  if (!file && !statSync(dir).isDirectory())
    throw new InputError(`${dir}: is a file, expected the --out directory of stagger run, mde or merge`);
}

/**
 * The scenario file a command reads: a path that exists, else a bundled scenario's name
 * (src/scenario/resolve-scenario.ts). A missing path that is no bundled name is said as any missing
 * file is, with the nearest file beside it.
 * @throws {InputError | ScenarioError}
 */
export function scenarioFile(given: string, label = `scenario ${given}`): string {
  if (!existsSync(given) && bundledKey(given) === undefined) readableFile(label, given, 'a scenario file (YAML)');
  const file = resolveScenarioFile(given);
  readableFile(label, file, 'a scenario file (YAML)');
  return file;
}
