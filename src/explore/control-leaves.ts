/**
 * The settings a scenario file writes that the explorer can vary: every number (and every word the
 * schema takes from a fixed list) as written, with its path in `--set`'s form and its leaf schema,
 * found by walking the file's data, not the defaults. A list is one setting when the schema takes an
 * axis there (a grid axis); any other list is walked position by position (`effect.by_group.2`,
 * `analysis.event_window.0`).
 */
import type { z } from 'zod';
import { defOf } from '../scenario/known-keys.js';
import { scenarioSchema } from '../scenario/schema.js';
import { leaves } from '../scenario/whole-number-paths.js';

export interface WrittenLeaf {
  path: string;
  kind: 'number' | 'word';
  /** The value as written, or an axis' values in order. */
  values: (number | string)[];
  axis: boolean;
  /** The number or enum schema at the path. */
  leaf: z.ZodType;
}

/** Top-level keys that are not settings of the world, or are Controls.seed and Controls.draws. */
const NOT_SETTINGS = new Set(['name', 'title', 'description', 'seed', 'draws']);

/**
 * Written numbers that get no control, and why (the README's "The controls, in detail" says the same):
 * the first period's label and the period's name change no figure; subgroup conditions and a quota's
 * value pick who is counted, they are not amounts; estimators are switched on and off whole; the
 * estimands, subgroups and group_avg_exclude lists choose what is reported.
 */
export const EXCLUDED: readonly [RegExp, string][] = [
  [/^periods\.(first|unit|calendar_start)$/, 'the label of the first period and the name of the period change no figure'],
  [/^population\.subgroups(\.|$)/, 'a subgroup condition picks who is in the subgroup'],
  [/^population\.from_panel(\.|$)/, 'the panel file and its columns'],
  [/^design\.quotas\.\d+\.value$/, 'the covariate value a quota counts'],
  [/covariates\.[^.]+\.p\.\d+$/, "a categorical covariate's shares must sum to 1: one alone cannot move"],
  [/^analysis\.estimators(\.|$)/, 'estimators are switched on and off whole (Controls.estimators)'],
  [/^analysis\.(estimands|subgroups|group_avg_exclude)(\.|$)/, 'what is reported, not how it is simulated'],
];

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const typeOf = (s: z.ZodType) => defOf(s).type;

/** The written leaves of a scenario's data (as parsed from YAML), in file order. */
export function writtenLeaves(raw: Record<string, unknown>, schema: z.ZodType = scenarioSchema): WrittenLeaf[] {
  const out: WrittenLeaf[] = [];
  const walk = (v: unknown, keys: string[]) => {
    const path = keys.join('.');
    if (EXCLUDED.some(([re]) => re.test(path))) return;
    if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...keys, k]);
      return;
    }
    const found = leaves(schema, raw, keys);
    const num = found.find((s) => typeOf(s) === 'number');
    const word = found.find((s) => typeOf(s) === 'enum');
    if (Array.isArray(v)) {
      const list = found.some((s) => typeOf(s) === 'array');
      if (list && v.length > 0 && num && v.every((x) => typeof x === 'number'))
        out.push({ path, kind: 'number', values: v as number[], axis: true, leaf: num });
      else if (list && v.length > 0 && word && v.every((x) => typeof x === 'string'))
        out.push({ path, kind: 'word', values: v as string[], axis: true, leaf: word });
      else v.forEach((x, i) => walk(x, [...keys, String(i)]));
      return;
    }
    if (typeof v === 'number' && num) out.push({ path, kind: 'number', values: [v], axis: false, leaf: num });
    else if (typeof v === 'string' && word) out.push({ path, kind: 'word', values: [v], axis: false, leaf: word });
  };
  for (const [k, v] of Object.entries(raw)) if (!NOT_SETTINGS.has(k)) walk(v, [k]);
  return out;
}

/** The options of an enum schema. */
export function optionsOf(leaf: z.ZodType): string[] {
  return Object.values(defOf(leaf).entries ?? {}).map(String);
}
