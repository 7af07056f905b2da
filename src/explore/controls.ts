/**
 * The explorer's controls model: a scenario's YAML text → the sliders, selects and estimator switches
 * the page shows (every number and grid axis written in the file, grouped as the report groups them),
 * and the controls' values → the `--set` settings, and the scenario text, that give the scenario those
 * values. No file system: the page runs it in the browser.
 */
import { parse } from 'yaml';
import { applySettingsToText } from '../engine/settings.js';
import { wordsOf, GROUP_TITLES, quantityOf, type ControlGroup } from './control-words.js';
import { boundsOf, narrowEnd, roughRange } from './control-range.js';
import { optionsOf, writtenLeaves } from './control-leaves.js';
import { scenarioWords } from '../report/scenario-words.js';
import { validWith } from './control-check.js';
import { nearest } from '../scenario/nearest-name.js';

export type { ControlGroup } from './control-words.js';

export interface SliderControl {
  kind: 'slider';
  path: string;
  label: string;
  group: ControlGroup;
  value: number;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  units: string;
  /** a grid axis: its values as written */
  axis?: number[];
}
export interface SelectControl {
  kind: 'select';
  path: string;
  label: string;
  group: ControlGroup;
  value: string;
  options: string[];
  /** a grid axis of words */
  axis?: string[];
}
export type Control = SliderControl | SelectControl;
export interface EstimatorSwitch {
  name: string;
  type: string;
  on: true;
}
export interface Controls {
  groups: { group: ControlGroup; title: string; controls: Control[] }[];
  estimators: EstimatorSwitch[];
  seed: string;
  draws: number;
}

const ORDER: ControlGroup[] = ['periods', 'population', 'outcome', 'effect', 'design', 'measurement', 'analysis'];
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The last text read and its data: the page asks for the settings of the same text at every change of a control. */
let last: { text: string; raw: Obj } | undefined;

/** The scenario text as data (not to be changed: it may be the memo's). @throws {Error} naming `label` when the text is not a YAML mapping */
function rawOf(text: string, label: string): Obj {
  if (last?.text === text) return last.raw;
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new Error(`${label}: expected a YAML scenario, found a YAML error: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(raw))
    throw new Error(`${label}: expected a mapping of scenario keys (name, periods, population, …), found ${JSON.stringify(raw)}`);
  last = { text, raw };
  return raw;
}

/**
 * The controls of a scenario: a slider for every number written in it (one per grid axis, set to its
 * first value), a select for every word the schema takes from a list, the estimators as switches.
 * A slider's range keeps to the schema's bounds and to what the scenario accepts as a whole with the
 * other settings as written; a number with nothing to vary (a categorical covariate's shares, which
 * must sum to 1) gets none.
 * @param label names the text in errors (its file name)
 */
export function controlsOf(text: string, label: string): Controls {
  const raw = rawOf(text, label);
  const words = scenarioWords(text);
  const periods = isObj(raw.periods) ? raw.periods : {};
  const per = String(periods.unit ?? 'month');
  const span = {
    first: typeof periods.first === 'number' ? periods.first : 1,
    count: typeof periods.count === 'number' ? periods.count : 2,
  };
  const ctx = { words, raw, per };
  // Narrow ranges only when the scenario as written passes the checks (a from_panel scenario needs its panel for them).
  const check = validWith(raw);
  const narrow = check.base;
  const byGroup = new Map<ControlGroup, Control[]>();
  for (const leaf of writtenLeaves(raw)) {
    const { group, label: name, units } = wordsOf(leaf.path, ctx);
    let control: Control;
    if (leaf.kind === 'word') {
      const values = leaf.values as string[];
      // The options the scenario accepts with the rest as written (the value itself always).
      const options = optionsOf(leaf.leaf).filter((o) => values.includes(o) || !narrow || check.valid(leaf.path, o));
      if (options.length < 2) continue;
      control = { kind: 'select', path: leaf.path, label: name, group, value: values[0], options };
      if (leaf.axis) control.axis = values;
    } else {
      const values = leaf.values as number[];
      const b = boundsOf(leaf.leaf);
      // A baseline share of exactly 0 or 1 leaves the latent level nowhere to be (±∞): the cluster world refuses it.
      if (/^(outcome|outcomes\.\d+)\.p$/.test(leaf.path)) {
        b.minOpen = true;
        b.maxOpen = true;
      }
      const key = leaf.path.replace(/^outcomes\.\d+\.(effect\.)?/, '').replace(/^(outcome|effect)\./, '');
      const r = roughRange(values, quantityOf(leaf.path), b, span, leaf.path === 'periods.count' ? 'periods.count' : key);
      const v = values[0];
      const ok = (x: number) => check.valid(leaf.path, x);
      const min = narrow ? narrowEnd(v, r.min, r, b.integer, ok) : r.min;
      const max = narrow ? narrowEnd(v, r.max, r, b.integer, ok) : r.max;
      if (min === max) continue;
      control = { kind: 'slider', path: leaf.path, label: name, group, value: v, min, max, step: r.step, integer: b.integer, units };
      if (leaf.axis) control.axis = values;
    }
    byGroup.set(group, [...(byGroup.get(group) ?? []), control]);
  }
  const analysis = isObj(raw.analysis) ? raw.analysis : {};
  const estimators: EstimatorSwitch[] = Array.isArray(analysis.estimators)
    ? analysis.estimators.filter(isObj).map((e) => ({ name: String(e.name), type: String(e.type ?? 'did'), on: true as const }))
    : [{ name: 'cs_dr', type: 'did', on: true }];
  return {
    groups: ORDER.filter((g) => byGroup.has(g)).map((g) => ({ group: g, title: GROUP_TITLES[g], controls: byGroup.get(g)! })),
    estimators,
    seed: String(raw.seed ?? 1),
    draws: typeof raw.draws === 'number' ? raw.draws : 1000,
  };
}

/**
 * A control's value as YAML text: a number to 15 significant digits (a slider's min + k × step without
 * its binary noise, 0.30000000000000004 → 0.3; a value typed or written in the file keeps its digits),
 * a word quoted.
 */
function yamlOf(path: string, v: number | string): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path}: expected a finite number, found ${v}`);
    return String(Number(v.toPrecision(15)));
  }
  return JSON.stringify(v);
}

function getIn(raw: unknown, path: string): unknown {
  let v = raw;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Obj)[k] : undefined;
  return v;
}

/**
 * The --set settings (src/engine/settings.ts Setting: {path, value: YAML text}) that give the scenario these values.
 * A value equal to the one written gives no setting; a grid axis always collapses to its one value
 * (the explorer simulates one design point). Estimators switched off are removed from analysis.estimators.
 * @throws {Error} when an estimator named is not the scenario's, or every estimator is switched off
 */
export function settingsFor(
  text: string,
  values: Record<string, number | string>,
  estimatorsOff: readonly string[],
): { path: string; value: string }[] {
  const raw = rawOf(text, 'the scenario');
  const out: { path: string; value: string }[] = [];
  for (const [path, v] of Object.entries(values)) {
    const written = getIn(raw, path);
    if (Array.isArray(written) || written !== v) out.push({ path, value: yamlOf(path, v) });
  }
  if (estimatorsOff.length === 0) return out;
  const analysis = isObj(raw.analysis) ? raw.analysis : {};
  const names = Array.isArray(analysis.estimators) ? analysis.estimators.map((e) => String(isObj(e) ? e.name : e)) : ['cs_dr'];
  for (const n of estimatorsOff)
    if (!names.includes(n)) {
      const near = nearest(n, names);
      throw new Error(
        `estimator ${JSON.stringify(n)}: expected one of the scenario's estimators (${names.join(', ')})${near ? `; did you mean ${near}?` : ''}`,
      );
    }
  if (names.every((n) => estimatorsOff.includes(n)))
    throw new Error(`estimators: at least one must stay on (all of ${names.join(', ')} are off)`);
  // Removed from the last so that the positions of the others stay put.
  for (let i = names.length - 1; i >= 0; i--)
    if (estimatorsOff.includes(names[i])) out.push({ path: `analysis.estimators.${i}`, value: 'null' });
  return out;
}

/** The seed as YAML: a whole number stays a number (the same random streams either way), anything else a quoted word. */
function seedYaml(seed: string): string {
  return /^(0|-?[1-9]\d*)$/.test(seed) && Number.isSafeInteger(Number(seed)) ? seed : JSON.stringify(seed);
}

/** The scenario text with those values, ready for parseScenario / `stagger run`: applySettingsToText(text, label, settingsFor(...)).text plus seed and draws set at the top level. */
export function scenarioTextFor(
  text: string,
  label: string,
  values: Record<string, number | string>,
  estimatorsOff: readonly string[],
  seed: string,
  draws: number,
): string {
  const settings = [
    ...settingsFor(text, values, estimatorsOff),
    { path: 'seed', value: seedYaml(seed) },
    { path: 'draws', value: yamlOf('draws', draws) },
  ];
  return applySettingsToText(text, label, settings).text;
}
