/**
 * Estimand ids: one short string per estimand, as stored in the draws file and split into tidy columns.
 *
 * `simple` (overall ATT), `group_avg` and `dynamic_avg` (the overall figures of the group and event-time
 * aggregations), `dynamic_pre_avg` (the mean of the pre-period event times, when asked for), `group:7` (start group 7), `dynamic:-2` (event time −2), `calendar:17`
 * (period 17), each optionally restricted to a subgroup: `simple@women`. The order below (overall,
 * groups, event times, calendar; keys numerically; whole sample before subgroups) is the order of every
 * output file, so output never depends on the order estimands first appeared.
 */
export interface EstimandParts {
  type: string;
  key: string;
  subgroup: string;
}

export function estimandId(type: string, key?: number | string, subgroup?: string): string {
  return `${type}${key === undefined ? '' : `:${key}`}${subgroup ? `@${subgroup}` : ''}`;
}

export function parseEstimandId(id: string): EstimandParts {
  const at = id.indexOf('@');
  const head = at < 0 ? id : id.slice(0, at);
  const subgroup = at < 0 ? '' : id.slice(at + 1);
  const colon = head.indexOf(':');
  return colon < 0 ? { type: head, key: '', subgroup } : { type: head.slice(0, colon), key: head.slice(colon + 1), subgroup };
}

const TYPE_ORDER = ['simple', 'group_avg', 'dynamic_avg', 'dynamic_pre_avg', 'group', 'dynamic', 'calendar'];

function typeRank(t: string): number {
  const i = TYPE_ORDER.indexOf(t);
  return i < 0 ? TYPE_ORDER.length : i;
}

function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb || cmp(a, b);
  return cmp(a, b);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Canonical order of estimand ids (see the module comment). */
export function compareEstimandIds(a: string, b: string): number {
  const pa = parseEstimandId(a);
  const pb = parseEstimandId(b);
  if (pa.subgroup !== pb.subgroup) return pa.subgroup === '' ? -1 : pb.subgroup === '' ? 1 : cmp(pa.subgroup, pb.subgroup);
  return typeRank(pa.type) - typeRank(pb.type) || cmp(pa.type, pb.type) || compareKeys(pa.key, pb.key);
}
