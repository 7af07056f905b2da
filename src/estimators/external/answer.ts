/**
 * One answer line of the external-estimator protocol, checked and turned into the Estimate every
 * built-in estimator returns (types.ts), so the engine's records (engine/records.ts, through the tidy
 * rows of estimands/tidy-rows.ts) treat it exactly as theirs: `simple` → aggregates.simple,
 * `group_avg` / `group:G` → aggregates.group (overall / detail), `dynamic_avg` / `dynamic:E` /
 * `dynamic_pre_avg` → aggregates.dynamic (overall / detail / pre), `calendar:T` → aggregates.calendar.
 * A p-value or an interval the process gives is the row's own inference (`external`); without them
 * the Wald test and interval follow from estimate and se as for every estimator.
 *
 * With the request's `options` (options.ts), the answer's `honoured` says which it applied; a narrowed
 * figure whose option it does not list is not identified with that reason.
 *
 * Anything that breaks the protocol (not JSON, another draw's number, a row that is not numbers) is
 * returned as a message: the engine makes the whole draw not identified with it as the reason.
 */
import { estimandString, parseEstimand } from '../../estimands/estimand.js';
import type { AverageOptions } from '../../estimands/averages.js';
import type { AggregateEstimate, AggregationType, DetailEstimate, Estimate, RowInference } from '../types.js';
import { applyHonoured, type RequestOptions } from './options.js';

const ROW_KEYS = ['estimand', 'estimate', 'se', 'p', 'ci_low', 'ci_high', 'reason'];

type Figure = { att: number | null; se: number | null; reason?: string } & RowInference;

const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const shown = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** One row as a figure, or what is wrong with it. */
function figureOf(row: unknown, at: string): { id: string; fig: Figure } | string {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return `${at}: expected an object, found ${shown(row)}`;
  const r = row as Record<string, unknown>;
  const extra = Object.keys(r).find((k) => !ROW_KEYS.includes(k));
  if (extra !== undefined) return `${at}: unknown key "${extra}" (a row has: ${ROW_KEYS.join(', ')})`;
  if (typeof r.estimand !== 'string') return `${at}.estimand: expected an estimand id, found ${shown(r.estimand)}`;
  let id: string;
  try {
    const e = parseEstimand(r.estimand);
    if (e.subgroup) throw new Error('subgroup');
    id = estimandString(e);
  } catch {
    return `${at}.estimand: expected an estimand id such as simple or dynamic:0, found ${shown(r.estimand)}`;
  }
  for (const k of ['estimate', 'se', 'p', 'ci_low', 'ci_high'] as const)
    if (r[k] !== undefined && r[k] !== null && !num(r[k])) return `${at}.${k}: expected a number or null, found ${shown(r[k])}`;
  if (r.reason !== undefined && r.reason !== null && typeof r.reason !== 'string')
    return `${at}.reason: expected a string, found ${shown(r.reason)}`;
  if (r.estimate === undefined) return `${at}.estimate: expected a number or null, found nothing`;
  if (r.se === undefined) return `${at}.se: expected a number or null, found nothing`;
  if (num(r.se) && (r.se as number) < 0) return `${at}.se: expected a number ≥ 0, found ${shown(r.se)}`;
  if (num(r.p) && ((r.p as number) < 0 || (r.p as number) > 1)) return `${at}.p: expected a number in [0, 1], found ${shown(r.p)}`;
  const lo = num(r.ci_low);
  if (lo !== num(r.ci_high)) return `${at}: ci_low and ci_high go together (found ${shown(r.ci_low)} and ${shown(r.ci_high)})`;
  const att = num(r.estimate) ? (r.estimate as number) : null;
  const fig: Figure = { att, se: num(r.se) ? (r.se as number) : null };
  const reason = typeof r.reason === 'string' && r.reason !== '' ? r.reason : undefined;
  if (att === null || fig.se === null)
    fig.reason =
      reason ?? (att === null ? 'the external estimator gave no estimate and no reason' : 'the external estimator gave no standard error');
  if (att !== null) {
    if (num(r.p)) fig.p = r.p as number;
    if (lo) fig.ci = [r.ci_low as number, r.ci_high as number];
    if (fig.p !== undefined || fig.ci) fig.inference = 'external';
  }
  return { id, fig };
}

/** The aggregation and place of a canonical id. */
function slot(id: string): { type: AggregationType; part: 'overall' | 'pre' | 'detail'; key?: number } {
  const e = parseEstimand(id);
  if (e.type === 'simple') return { type: 'simple', part: 'overall' };
  if (e.type === 'group_avg') return { type: 'group', part: 'overall' };
  if (e.type === 'dynamic_avg') return { type: 'dynamic', part: 'overall' };
  if (e.type === 'dynamic_pre_avg') return { type: 'dynamic', part: 'pre' };
  return { type: e.type === 'group' ? 'group' : e.type === 'calendar' ? 'calendar' : 'dynamic', part: 'detail', key: e.key };
}

/**
 * The Estimate of an answer line to the request for draw `draw`.
 * @returns the estimate, or the message that makes the draw not identified.
 */
export function parseAnswer(
  line: string,
  draw: number,
  name: string,
  sent: RequestOptions = {},
  averages?: AverageOptions,
): Estimate | string {
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return `answer is not JSON: ${shown(line.length > 80 ? `${line.slice(0, 77)}...` : line)}`;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return `answer: expected a JSON object {"draw", "rows"}, found ${shown(body)}`;
  const b = body as Record<string, unknown>;
  if (b.draw !== draw) return `answer: expected "draw": ${draw} (the request's), found ${shown(b.draw)}`;
  if (!Array.isArray(b.rows)) return `answer.rows: expected a list of rows, found ${shown(b.rows)}`;
  const est: Estimate = { estimator: name, att_gt: [], wald_pretest: null, aggregates: {}, messages: [] };
  const seen = new Set<string>();
  const detail: Partial<Record<AggregationType, DetailEstimate[]>> = {};
  for (const [i, row] of b.rows.entries()) {
    const f = figureOf(row, `answer.rows[${i}]`);
    if (typeof f === 'string') return f;
    if (seen.has(f.id)) return `answer.rows[${i}]: a second row for ${f.id}`;
    seen.add(f.id);
    const s = slot(f.id);
    // An aggregation the answer has rows of but no overall figure for: its overall figure is missing.
    const agg: AggregateEstimate = (est.aggregates[s.type] ??= {
      att: null,
      se: null,
      reason: `the external estimator's answer has no ${s.type === 'group' ? 'group_avg' : s.type === 'dynamic' ? 'dynamic_avg' : s.type} row`,
    });
    if (s.part === 'overall') Object.assign(agg, { reason: undefined }, f.fig);
    else if (s.part === 'pre') agg.pre = f.fig;
    else (detail[s.type] ??= []).push({ key: s.key!, ...f.fig });
  }
  for (const [type, rows] of Object.entries(detail) as [AggregationType, DetailEstimate[]][]) {
    est.aggregates[type]!.detail = rows.sort((a, c) => a.key - c.key);
  }
  for (const a of Object.values(est.aggregates)) if (a.reason === undefined) delete a.reason;
  const bad = applyHonoured(est, b.honoured, sent, averages);
  return bad ?? est;
}
