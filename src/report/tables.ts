/**
 * The report's tables, from diagnosis.json rows: the design grid, the overall ATT (against the
 * sample and the population truth), subgroups, start groups, event times, not-identified reasons and
 * the MDE search. Every figure is shown as value ± Monte Carlo SE.
 */
import { parseEstimandId } from '../diagnosis/estimand-id.js';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import { num, pct, pm, setting } from './format.js';
import type { DiagnosisFile, DiagnosisFileRow, MdeFile } from './run-files.js';
import { ANALYTIC_COLUMN, ANALYTIC_SENTENCE, analyticCell, hasAnalytic } from './analytic-power.js';

export interface Table {
  id: string;
  title: string;
  caption: string;
  head: string[];
  rows: string[][];
  /** Leading columns that hold words (left-aligned); the rest are figures. */
  textCols?: number;
  /** Shown folded (details) because it is long. */
  folded?: boolean;
}

/** Rows of diagnosis.json by point, estimator, estimand, target and diagnosand. */
export class DiagnosisIndex {
  private readonly m = new Map<string, DiagnosisFileRow>();
  readonly estimands: string[];
  constructor(readonly file: DiagnosisFile) {
    const seen = new Set<string>();
    for (const r of file.rows) {
      this.m.set(DiagnosisIndex.key(r.point, r.estimator, r.estimand, r.target ?? '', r.diagnosand), r);
      seen.add(r.estimand);
    }
    this.estimands = [...seen];
  }
  private static key(p: number, e: string, est: string, t: string, d: string): string {
    return `${p}\0${e}\0${est}\0${t}\0${d}`;
  }
  get(point: number, estimator: string, estimand: string, diagnosand: string, target = ''): DiagnosisFileRow | undefined {
    return this.m.get(DiagnosisIndex.key(point, estimator, estimand, target, diagnosand));
  }
  /** value ± mc_se of one diagnosand, or — when the run has none. */
  pm(point: number, estimator: string, estimand: string, diagnosand: string, target = ''): string {
    const r = this.get(point, estimator, estimand, diagnosand, target);
    return r ? pm(r.value, r.mc_se) : '—';
  }
}

/** A design point's settings in words: "effect.size = 1,000, design.treatment_share = 0.6". */
export function pointLabel(p: DesignPointInfo | undefined): string {
  if (!p) return '';
  return Object.entries(p.settings)
    .map(([k, v]) => `${k} = ${setting(v)}`)
    .join(', ');
}

/** A short label: the setting values only, or "point i" when there are many axes. */
export function shortPointLabel(p: DesignPointInfo): string {
  const vals = Object.values(p.settings);
  if (vals.length === 0) return 'the design';
  if (vals.length <= 2) return vals.map(setting).join(' / ');
  return `point ${p.index}`;
}

const MAX_ROWS = 400;

function capped(rows: string[][]): { rows: string[][]; note: string } {
  if (rows.length <= MAX_ROWS) return { rows, note: '' };
  return {
    rows: rows.slice(0, MAX_ROWS),
    note: ` Only the first ${MAX_ROWS} of ${rows.length} rows are shown; diagnosis.csv has them all.`,
  };
}

export function gridTable(points: readonly DesignPointInfo[]): Table {
  const axes = [...new Set(points.flatMap((p) => Object.keys(p.settings)))];
  const rows = points.map((p) => [String(p.index), ...axes.map((a) => (a in p.settings ? setting(p.settings[a]) : '—'))]);
  return {
    id: 'grid',
    title: 'Design grid',
    caption:
      axes.length === 0
        ? 'The scenario has no list-valued settings: one design point.'
        : `${points.length} design points: every combination of the list-valued settings (${axes.join(', ')}). Every point sees the same simulated population (common random numbers).`,
    head: ['point', ...axes],
    rows: axes.length === 0 ? [['0']] : rows,
  };
}

function estimatorRows(
  ix: DiagnosisIndex,
  points: readonly DesignPointInfo[],
  estimand: string,
  cols: [string, string][],
  showPoint: boolean,
  analytic = false,
): string[][] {
  const rows: string[][] = [];
  for (const p of points) {
    for (const e of ix.file.estimators) {
      if (!ix.get(p.index, e, estimand, 'not_identified') && !ix.get(p.index, e, estimand, 'power')) continue;
      const cells = cols.map(([d, t]) => ix.pm(p.index, e, estimand, d, t));
      // The analytic power sits beside the simulated power (the first column).
      if (analytic) cells.splice(1, 0, analyticCell(ix, p.index, e));
      rows.push([...(showPoint ? [String(p.index), shortPointLabel(p)] : []), e, ...cells]);
    }
  }
  return rows;
}

/** The main tables: overall ATT against the sample truth, then against the population truth. */
export function overallTables(ix: DiagnosisIndex, points: readonly DesignPointInfo[]): Table[] {
  const multi = points.length > 1;
  const lead = multi ? ['point', 'settings', 'estimator'] : ['estimator'];
  const S = ix.file.draws;
  const sample: [string, string][] = [
    ['power', ''],
    ['bias', 'sample'],
    ['rmse', 'sample'],
    ['coverage', 'sample'],
    ['mean_se', ''],
    ['sd_estimate', ''],
    ['se_sd_ratio', ''],
    ['type_s', 'sample'],
    ['exaggeration', 'sample'],
    ['not_identified', ''],
  ];
  const pop: [string, string][] = [
    ['mean_truth', 'sample'],
    ['mean_truth', 'population'],
    ['bias', 'population'],
    ['rmse', 'population'],
    ['coverage', 'population'],
  ];
  const analytic = hasAnalytic(ix);
  const a = capped(estimatorRows(ix, points, 'simple', sample, multi, analytic));
  const b = capped(estimatorRows(ix, points, 'simple', pop, multi));
  return [
    {
      id: 'overall',
      title: 'Overall ATT: power, bias, coverage',
      caption: `Each figure ± its Monte Carlo SE (${S} draws per design point). Bias, RMSE and coverage against each draw's own sample ATT; coverage of the ${pct(1 - ix.file.alpha)} interval; type S: share of significant estimates with the wrong sign; exaggeration: mean |estimate| ÷ mean |truth| among significant draws.${analytic ? ` ${ANALYTIC_SENTENCE}` : ''}${a.note}`,
      textCols: lead.length,
      head: [
        ...lead,
        'power',
        ...(analytic ? [ANALYTIC_COLUMN] : []),
        'bias',
        'RMSE',
        'coverage',
        'mean SE',
        'SD of estimates',
        'SE / SD',
        'type S',
        'exaggeration',
        'not identified',
      ],
      rows: a.rows,
    },
    {
      id: 'population',
      title: 'Overall ATT against the population ATT',
      caption: `The same estimates scored against the scenario's population ATT instead of each draw's sample ATT.${b.note}`,
      textCols: lead.length,
      head: [...lead, 'mean sample ATT', 'population ATT', 'bias', 'RMSE', 'coverage'],
      rows: b.rows,
    },
  ];
}

/** Per-estimand tables for the detailed points: subgroups, start groups, event times. */
export function detailTables(ix: DiagnosisIndex, points: readonly DesignPointInfo[]): Table[] {
  const out: Table[] = [];
  const multi = points.length > 1;
  const lead = multi ? ['point', 'estimator', 'estimand'] : ['estimator', 'estimand'];
  const byType = (pred: (id: ReturnType<typeof parseEstimandId>) => boolean) => ix.estimands.filter((e) => pred(parseEstimandId(e)));
  const build = (estimands: string[], cols: [string, string][], label: (e: string) => string): string[][] => {
    const rows: string[][] = [];
    for (const p of points) {
      for (const e of ix.file.estimators) {
        for (const est of estimands) {
          if (!ix.get(p.index, e, est, 'not_identified')) continue;
          rows.push([...(multi ? [String(p.index)] : []), e, label(est), ...cols.map(([d, t]) => ix.pm(p.index, e, est, d, t))]);
        }
      }
    }
    return rows;
  };
  const cols: [string, string][] = [
    ['mean_truth', 'sample'],
    ['mean_estimate', ''],
    ['power', ''],
    ['bias', 'sample'],
    ['coverage', 'sample'],
    ['not_identified', ''],
  ];
  const head = [...lead, 'true ATT (mean)', 'mean estimate', 'power', 'bias', 'coverage', 'not identified'];
  const subgroups = byType((id) => id.type === 'simple' && id.subgroup !== '');
  if (subgroups.length) {
    const r = capped(build(subgroups, [...cols, ['exaggeration', 'sample']], (e) => parseEstimandId(e).subgroup));
    out.push({
      id: 'subgroups',
      title: 'Subgroups: overall ATT',
      caption: `The overall ATT estimated within each subgroup. Small subgroups lose power, and significant estimates then exaggerate the effect.${r.note}`,
      head: [...head, 'exaggeration'],
      rows: r.rows,
      textCols: lead.length,
    });
  }
  const groups = byType((id) => id.type === 'group' && id.subgroup === '');
  if (groups.length) {
    const r = capped(build(groups, cols, (e) => `start group ${parseEstimandId(e).key}`));
    out.push({
      id: 'groups',
      title: 'Start groups',
      caption: `ATT per start group (labelled by the first treated period of the group in each draw).${r.note}`,
      head,
      rows: r.rows,
      textCols: lead.length,
      folded: r.rows.length > 30,
    });
  }
  const events = byType((id) => id.type === 'dynamic' && id.subgroup === '');
  if (events.length) {
    const r = capped(build(events, cols, (e) => `event ${parseEstimandId(e).key}`));
    out.push({
      id: 'events',
      title: 'Event times',
      caption: `ATT by event time (periods since start). Before start the true effect is 0 unless the scenario has anticipation: there "power" is the rate of false pre-trend signals.${r.note}`,
      head,
      rows: r.rows,
      textCols: lead.length,
      folded: true,
    });
  }
  return out;
}

/** Why estimates were not identified, counted over draws. */
export function reasonsTable(ix: DiagnosisIndex): Table | null {
  const rows: string[][] = [];
  for (const r of ix.file.rows) {
    if (r.diagnosand !== 'not_identified' || !r.reasons?.length) continue;
    for (const x of r.reasons) rows.push([String(r.point), r.estimator, r.estimand, x.reason, String(x.count)]);
  }
  if (!rows.length) return null;
  const c = capped(rows);
  return {
    id: 'reasons',
    title: 'Estimates not identified',
    caption: `Draws where an estimand could not be estimated, with the estimator's reason.${c.note}`,
    head: ['point', 'estimator', 'estimand', 'reason', 'draws'],
    rows: c.rows,
    textCols: 4,
    folded: rows.length > 20,
  };
}

export function mdeTable(mde: MdeFile): Table {
  const others = Object.keys(mde.curves[0]?.group.fixed ?? {});
  const rows: string[][] = [];
  for (const { group, result } of mde.curves) {
    const fixed = others.map((k) => String(group.fixed[k]));
    for (const c of result.curve) rows.push([...fixed, setting(c.value), pm(c.power, c.mcSe), '']);
    const answer =
      result.value === null
        ? `not reached: the curve is ${result.status}`
        : `${num(result.value, 4)}${result.mcSe !== null ? ` ± ${num(result.mcSe, 2)}` : ''}${result.interval ? ` (95 % MC interval ${num(result.interval[0], 4)} to ${num(result.interval[1], 4)})` : ''}`;
    if (result.whole) {
      const w = result.whole;
      rows.push([
        ...fixed,
        `${pct(result.target)} power at`,
        '',
        `${w.value}: the ${w.direction === 1 ? 'smallest' : 'largest'} whole number with power ≥ ${pct(result.target)}${w.bracketed ? ' (simulated, with the number before it below target)' : ' (interpolated)'}`,
      ]);
      rows.push([...fixed, 'interpolated crossing', '', answer]);
    } else rows.push([...fixed, `${pct(result.target)} power at`, '', answer]);
  }
  return {
    id: 'mde',
    title: `Design search: ${mde.axis} for ${pct(mde.curves[0]?.result.target ?? 0.8)} power`,
    caption: `Power of ${mde.estimator} on ${mde.estimand} along ${mde.axis} (${mde.draws} draws per value, common random numbers; a draw not identified counts as not rejecting). The crossing is interpolated on the probit scale; its Monte Carlo SE and interval come from a bootstrap over draws.`,
    head: [...others, mde.axis, 'power', 'answer'],
    rows,
    textCols: others.length,
  };
}
