/**
 * The estimands an external estimator answers (`analysis.estimators[].estimands`): canonical estimand
 * ids (estimands/estimand.ts: `simple`, `group_avg`, `dynamic_avg`, `dynamic_pre_avg`, `group:G`,
 * `dynamic:E`, `calendar:T`) or an aggregation's name alone, as analysis.estimands names them
 * (`group`: every group:G the draw has and group_avg; `dynamic`: every dynamic:E in the event window
 * and dynamic_avg; `calendar`: every calendar:T). Checked once at load, with the nearest valid name for a typo; each
 * draw's request lists them expanded to the concrete ids that draw's panel has.
 */
import { estimandString, parseEstimand, type EstimandType } from '../../estimands/estimand.js';
import type { Panel } from '../../panel/panel.js';
import { nearest } from '../../scenario/nearest-name.js';
import type { AggregationType } from '../types.js';

/** The forms an entry may take (for messages and the nearest-name hint). */
export const ESTIMAND_FORMS = [
  'simple',
  'group_avg',
  'dynamic_avg',
  'dynamic_pre_avg',
  'group',
  'dynamic',
  'calendar',
  'group:G',
  'dynamic:E',
  'calendar:T',
] as const;

const KEYED: readonly EstimandType[] = ['group', 'dynamic', 'calendar'];
const OVERALL: readonly EstimandType[] = ['simple', 'group_avg', 'dynamic_avg', 'dynamic_pre_avg'];

/** One entry, parsed: an overall figure, one detail row, or all rows of a detail aggregation (key absent). */
export interface EstimandEntry {
  type: EstimandType;
  key?: number;
}

/** What `expected` says in an error about an entry. */
export const ESTIMAND_EXPECTED = `an estimand id (${ESTIMAND_FORMS.join(', ')}; G, E, T whole numbers)`;

/** What is wrong with an entry: what was expected (and the nearest valid name); the caller says what it found. */
export interface EntryProblem {
  expected: string;
  nearest?: string;
}

/** An entry problem as one message: "expected …, found "x" (nearest: y)". */
export function entryMessage(p: EntryProblem, found: unknown): string {
  return `expected ${p.expected}, found ${JSON.stringify(found)}${p.nearest ? ` (nearest: ${p.nearest})` : ''}`;
}

/** Parse one entry: the entry, or what is wrong with it. */
export function parseEntry(text: unknown): EstimandEntry | EntryProblem {
  if (typeof text !== 'string' || text.trim() === '') return { expected: ESTIMAND_EXPECTED };
  if (text.includes('@'))
    return { expected: `${ESTIMAND_EXPECTED} without a subgroup (analysis.subgroups asks every estimator for its subgroups)` };
  let e: ReturnType<typeof parseEstimand>;
  try {
    e = parseEstimand(text);
  } catch {
    const [head, key] = text.split(':');
    const near = nearest(head, [...OVERALL, ...KEYED]);
    const shown = near && key !== undefined && KEYED.includes(near as EstimandType) ? `${near}:${key}` : near;
    return { expected: ESTIMAND_EXPECTED, ...(shown ? { nearest: shown } : {}) };
  }
  if (e.key !== undefined && !KEYED.includes(e.type)) return { expected: `${ESTIMAND_EXPECTED} (${e.type} has no key)`, nearest: e.type };
  if (e.key !== undefined && !Number.isInteger(e.key)) return { expected: `${ESTIMAND_EXPECTED} (the key a whole number)` };
  return e.key === undefined ? { type: e.type } : { type: e.type, key: e.key };
}

/** Whether a parse gave an entry. */
export function isEntry(e: EstimandEntry | EntryProblem): e is EstimandEntry {
  return 'type' in e;
}

/** The aggregation an entry belongs to (its overall figure's or its rows'). */
export function entryAggregation(e: EstimandEntry): AggregationType {
  if (e.type === 'simple') return 'simple';
  if (e.type === 'group' || e.type === 'group_avg') return 'group';
  if (e.type === 'calendar') return 'calendar';
  return 'dynamic';
}

/**
 * The concrete ids of one draw's request: each entry in the order given, an aggregation's name
 * expanded to the rows the panel can have — the start groups (group:G), the event times t − g within
 * the analysis' event window (dynamic:E), the periods some group is treated in (calendar:T). A row
 * the truth does not define is ignored; one the truth defines and the answer lacks is not identified.
 */
export function requestIds(entries: readonly EstimandEntry[], panel: Panel, window: readonly [number, number]): string[] {
  const groups = [...new Set(Array.from(panel.group).filter((g) => g > 0))].sort((a, b) => a - b);
  const periods = Array.from(panel.periods);
  const out: string[] = [];
  const add = (id: string) => {
    if (!out.includes(id)) out.push(id);
  };
  for (const e of entries) {
    if (e.key !== undefined || !KEYED.includes(e.type)) {
      add(estimandString(e));
      continue;
    }
    if (e.type === 'group') {
      for (const g of groups) add(estimandString({ type: 'group', key: g }));
      add('group_avg');
    }
    if (e.type === 'calendar') for (const t of periods) if (groups.some((g) => g <= t)) add(estimandString({ type: 'calendar', key: t }));
    if (e.type === 'dynamic') {
      const times = new Set<number>();
      for (const g of groups) for (const t of periods) if (t - g >= window[0] && t - g <= window[1]) times.add(t - g);
      for (const k of [...times].sort((a, b) => a - b)) add(estimandString({ type: 'dynamic', key: k }));
      add('dynamic_avg');
    }
  }
  return out;
}
