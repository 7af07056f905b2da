/**
 * Tidy rows of an Estimate, with the columns of R did's tidy(): type, term, group, event, time,
 * estimate, std.error, conf.low, conf.high (pointwise at 1 − α, or the uniform band when bootstrapped;
 * a row's own interval when its estimator gives one: RowInference.ci, e.g. twfe's t or wild-bootstrap interval).
 */
import { qnorm } from '../stats/normal.js';
import type { Estimate } from '../estimators/types.js';

export interface TidyRow {
  type: string;
  term: string;
  group: number | string | null;
  event: number | null;
  time: number | null;
  estimate: number | null;
  'std.error': number | null;
  'conf.low': number | null;
  'conf.high': number | null;
  note: string;
}

export function tidyRows(est: Estimate, alpha = 0.05): TidyRow[] {
  const z = qnorm(1 - alpha / 2);
  const ci = (att: number | null, se: number | null, crit = z): [number | null, number | null] =>
    att === null || se === null ? [null, null] : [att - crit * se, att + crit * se];
  const rows: TidyRow[] = [];
  const cellCrit = est.att_gt_crit ?? z;
  for (const c of est.att_gt) {
    const [lo, hi] = ci(c.att, c.se, cellCrit);
    rows.push({
      type: 'att_gt',
      term: `ATT(${c.group},${c.time})`,
      group: c.group,
      event: null,
      time: c.time,
      estimate: c.att,
      'std.error': c.se,
      'conf.low': lo,
      'conf.high': hi,
      note: c.reason ?? '',
    });
  }
  const s = est.aggregates.simple;
  if (s) {
    // An interval of the estimator's own (t(G − 1), a bootstrap band: RowInference) over the normal one.
    const [lo, hi] = s.ci ?? ci(s.att, s.se);
    rows.push({
      type: 'simple',
      term: 'ATT(simple average)',
      group: null,
      event: null,
      time: null,
      estimate: s.att,
      'std.error': s.se,
      'conf.low': lo,
      'conf.high': hi,
      note: s.reason ?? '',
    });
  }
  for (const type of ['group', 'dynamic', 'calendar'] as const) {
    const a = est.aggregates[type];
    if (!a) continue;
    const [lo, hi] = a.ci ?? ci(a.att, a.se);
    rows.push({
      type,
      term: 'ATT(Average)',
      group: type === 'group' ? 'Average' : null,
      event: null,
      time: null,
      estimate: a.att,
      'std.error': a.se,
      'conf.low': lo,
      'conf.high': hi,
      note: a.reason ?? '',
    });
    for (const d of a.detail ?? []) {
      const [l, h] = d.ci ?? ci(d.att, d.se, a.crit ?? z);
      rows.push({
        type,
        term: `ATT(${d.key})`,
        group: type === 'group' ? d.key : null,
        event: type === 'dynamic' ? d.key : null,
        time: type === 'calendar' ? d.key : null,
        estimate: d.att,
        'std.error': d.se,
        'conf.low': l,
        'conf.high': h,
        note: d.reason ?? '',
      });
    }
  }
  return rows;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return 'NA';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NA';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tidyCsv(rows: TidyRow[]): string {
  const cols: (keyof TidyRow)[] = ['type', 'term', 'group', 'event', 'time', 'estimate', 'std.error', 'conf.low', 'conf.high', 'note'];
  return `${[cols.join(','), ...rows.map((r) => cols.map((c) => csvField(r[c])).join(','))].join('\n')}\n`;
}
