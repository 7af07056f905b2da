/**
 * The inquiry as a first-class object (DeclareDesign's view): an estimand is a structured id, and its
 * one canonical string form is what the draws file, diagnosis.csv and the command line carry
 * (diagnosis/estimand-id.ts: `simple`, `group_avg`, `dynamic:-2`, `simple@women`). Nothing else in
 * the program builds or splits these strings: it asks this module.
 */
import { estimandId, parseEstimandId } from '../diagnosis/estimand-id.js';
import type { AggregationType } from '../estimators/types.js';

/** The kinds of estimand: an aggregation's detail row (group, dynamic, calendar) or an overall figure. */
export type EstimandType = 'simple' | 'group_avg' | 'dynamic_avg' | 'dynamic_pre_avg' | 'group' | 'dynamic' | 'calendar';

export interface Estimand {
  type: EstimandType;
  /** The start group, event time or calendar period of a detail row. */
  key?: number;
  /** A subgroup of population.subgroups the estimand is restricted to. */
  subgroup?: string;
  /** The outcome it is about (a name of the scenario's outcomes); absent: the only one. Not in the string form: records carry it apart. */
  outcome?: string;
  /** The event times an average runs over (dynamic_avg, dynamic_pre_avg), when the analysis narrows it. */
  window?: readonly [number, number];
  /** The start groups (labels) left out of group_avg. */
  exclude?: readonly number[];
}

/** The aggregation an estimand belongs to (R did's aggte type). */
export function aggregationOf(type: EstimandType): AggregationType {
  if (type === 'simple') return 'simple';
  if (type === 'group_avg' || type === 'group') return 'group';
  if (type === 'calendar') return 'calendar';
  return 'dynamic';
}

/** The canonical string form (subgroup after `@`; window and exclusions are the analysis', not the id's). */
export function estimandString(e: Estimand): string {
  return estimandId(e.type, e.key, e.subgroup);
}

const TYPES: readonly EstimandType[] = ['simple', 'group_avg', 'dynamic_avg', 'dynamic_pre_avg', 'group', 'dynamic', 'calendar'];

/** The structured id of a canonical string. @throws on a string that is no estimand id. */
export function parseEstimand(id: string): Estimand {
  const p = parseEstimandId(id);
  if (!(TYPES as readonly string[]).includes(p.type)) throw new Error(`"${id}" is not an estimand id (types: ${TYPES.join(', ')})`);
  const key = p.key === '' ? undefined : Number(p.key);
  if (key !== undefined && !Number.isFinite(key)) throw new Error(`"${id}": the key "${p.key}" is not a number`);
  return { type: p.type as EstimandType, ...(key !== undefined ? { key } : {}), ...(p.subgroup ? { subgroup: p.subgroup } : {}) };
}
