/**
 * `stagger report`: a finished run's report, rebuilt from its files alone (no re-simulation): the
 * charts as PNG files under `charts/` and one self-contained `report.html` (charts inlined). A chart
 * that cannot be drawn is replaced by a note saying why; the report is still written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import { parseEstimandId } from '../diagnosis/estimand-id.js';
import { writeAtomic } from '../engine/outputs.js';
import { estimatorTypes, fewClusterNotes } from '../diagnosis/few-clusters.js';
import type { ChartSpec } from './chart-style.js';
import {
  accrualChart,
  bandBarsChart,
  eventStudyChart,
  intervalChart,
  powerCurveChart,
  samplingChart,
  type PowerLine,
  type Series,
} from './charts.js';
import { pickPoints, summarizeDraws, type DrawsSummary, type RecruitmentStats } from './draws-summary.js';
import { num, pct, periodLabel } from './format.js';
import { reportHtml } from './html.js';
import { firstLine, loadRenderer, type Renderer } from './render.js';
import { readRunFiles, type MdeFile, type RunFiles } from './run-files.js';
import { makeDir, OutputError, writeFailure, writeFailureCode, writing } from '../engine/store-errors.js';

const REPORT_HINT = (dir: string): string =>
  `the run's results are complete; make room (or fix the permissions) and write the report with: stagger report ${dir}`;
import { scenarioWords, type ScenarioWords } from './scenario-words.js';
import { CLUSTERS_DESIGN, rolloutChart, rolloutSentence, rolloutTable, type RolloutWords } from './cluster-rollout.js';
import { failuresTable } from './failures-table.js';
import { familywiseTables } from './familywise-table.js';
import {
  DiagnosisIndex,
  detailTables,
  gridTable,
  mdeTable,
  overallTables,
  pointLabel,
  reasonsTable,
  shortPointLabel,
  type Table,
} from './tables.js';
import { ANALYTIC_SENTENCE } from './analytic-power.js';

export const REPORT_FILE = 'report.html';
export const CHART_DIR = 'charts';
/** Design points shown in detail (event study, sampling distribution, recruitment). */
const DETAIL_POINTS = 4;

export interface ChartOut {
  id: string;
  section: 'power' | 'accuracy' | 'event' | 'sampling' | 'recruitment';
  title: string;
  caption: string;
  png: Buffer | null;
  /** Why the chart is not there. */
  error: string | null;
}

export interface ReportModel {
  title: string;
  dir: string;
  words: ScenarioWords | null;
  scenarioNote: string;
  headline: string[];
  grid: Table;
  tables: Table[];
  charts: ChartOut[];
  /** Why no chart could be drawn at all (missing packages), or null. */
  chartsNote: string | null;
  provenance: [string, string][];
  detailNote: string;
}

export interface ReportResult {
  path: string;
  charts: number;
  /** One line per chart that could not be drawn (or why none could). */
  problems: string[];
}

interface PlannedChart {
  id: string;
  section: ChartOut['section'];
  title: string;
  caption: string;
  build: () => ChartSpec;
}

/** Axes of the grid whose values are numbers and that take at least two values. */
function numericAxes(points: readonly DesignPointInfo[]): string[] {
  const axes = [...new Set(points.flatMap((p) => Object.keys(p.settings)))];
  return axes.filter((a) => points.every((p) => typeof p.settings[a] === 'number') && new Set(points.map((p) => p.settings[a])).size > 1);
}

/**
 * Power of the overall ATT along `axis`, one line per estimator and combination of the other axes
 * (`diagnosand` analytic_power: the exact Hussey & Hughes lines, labelled with `suffix`).
 */
export function gridPowerLines(
  ix: DiagnosisIndex,
  points: readonly DesignPointInfo[],
  axis: string,
  estimators: readonly string[],
  diagnosand = 'power',
  suffix = '',
): PowerLine[] {
  const groups = new Map<string, DesignPointInfo[]>();
  for (const p of points) {
    const rest = Object.entries(p.settings).filter(([k]) => k !== axis);
    const key = rest.map(([k, v]) => `${k} = ${v}`).join(', ');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const lines: PowerLine[] = [];
  for (const e of estimators) {
    for (const [key, ps] of groups) {
      const sorted = [...ps].sort((a, b) => Number(a.settings[axis]) - Number(b.settings[axis]));
      const rows = sorted.map((p) => ix.get(p.index, e, 'simple', diagnosand));
      if (rows.some((r) => !r || r.value === null)) continue;
      lines.push({
        label: `${e}${suffix}${key ? ` (${key})` : ''}`,
        xs: sorted.map((p) => Number(p.settings[axis])),
        power: rows.map((r) => r!.value!),
        ses: rows.map((r) => r!.mc_se ?? 0),
      });
    }
  }
  return lines.slice(0, 8);
}

function powerCharts(run: RunFiles, ix: DiagnosisIndex, unit: string): PlannedChart[] {
  const points = run.diagnosis.points;
  const alpha = run.diagnosis.alpha;
  const mde = run.mde;
  const axis = mde?.axis ?? numericAxes(points)[0];
  if (axis) {
    const lines: PowerLine[] = [];
    const mdes: { value: number; interval: [number, number] | null; label: string }[] = [];
    if (mde) {
      for (const { group, result } of mde.curves) {
        const fixed = Object.entries(group.fixed)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ');
        const label = `${mde.estimator}, ${mde.estimand === 'simple' ? 'overall ATT' : estimandLabel(mde.estimand)}${fixed ? ` (${fixed})` : ''}`;
        lines.push({
          label,
          xs: result.curve.map((c) => c.value),
          power: result.curve.map((c) => c.power),
          ses: result.curve.map((c) => c.mcSe),
        });
        if (result.value !== null) {
          const iv = result.interval ? `, 95 % MC interval ${num(result.interval[0])}–${num(result.interval[1])}` : '';
          mdes.push({
            value: result.value,
            interval: result.interval,
            label: result.whole
              ? `${result.whole.value}, the ${result.whole.direction === 1 ? 'smallest' : 'largest'} whole number reaching the target${fixed ? ` (${fixed})` : ''} (crossing ${num(result.value)}${iv})`
              : `MDE${fixed ? ` (${fixed})` : ''}: ${num(result.value)}${iv}`,
          });
        }
      }
    }
    lines.push(
      ...gridPowerLines(
        ix,
        points,
        axis,
        run.diagnosis.estimators.filter((e) => e !== mde?.estimator),
      ),
    );
    const analytic = gridPowerLines(ix, points, axis, run.diagnosis.estimators, 'analytic_power', ', analytic HH').slice(0, 4);
    lines.push(...analytic);
    const isEffect = /(^|\.)effect\.size$/.test(axis) || axis === 'effect.size';
    const notReached = mde?.curves.filter((c) => c.result.value === null).map((c) => c.result.status) ?? [];
    return [
      {
        id: 'power-curve',
        section: 'power',
        title: `Power against ${axis}`,
        caption:
          `Share of draws rejecting a zero effect at α = ${alpha}, one line per estimator: of the overall ATT${mde && mde.estimand !== 'simple' ? `, except the design search's line, which is of ${estimandPhrase(mde.estimand)}` : ''}; the band is ± 1.96 Monte Carlo SE; the dashed line is the target power.` +
          (mdes.length
            ? ' The diamond marks where the curve reaches the target (the minimum detectable value), with its 95 % Monte Carlo interval.'
            : '') +
          (notReached.length ? ` The target is not reached: the curve is ${notReached[0]}; widen --values.` : '') +
          (analytic.length
            ? ` Lines marked "analytic HH" are the Hussey & Hughes power of the planned design (exact, no band). ${ANALYTIC_SENTENCE}`
            : ''),
        build: () =>
          powerCurveChart({
            axis,
            xUnit: isEffect ? unit : '',
            lines,
            target: mde?.curves[0]?.result.target ?? 0.8,
            draws: mde?.draws ?? run.diagnosis.draws,
            mdes,
          }),
      },
    ];
  }
  // No numeric axis: power per estimand (overall, subgroups, start groups) or per design point.
  const multi = points.length > 1;
  const estimands = multi ? ['simple'] : ix.estimands.filter((e) => parseEstimandId(e).type === 'simple');
  const cats = multi ? points.map(shortPointLabel) : estimands.map(estimandLabel);
  const series: Series[] = run.diagnosis.estimators.map((e) => {
    const rows = multi
      ? points.map((p) => ix.get(p.index, e, 'simple', 'power'))
      : estimands.map((est) => ix.get(points[0].index, e, est, 'power'));
    return { label: e, values: rows.map((r) => r?.value ?? null), ses: rows.map((r) => r?.mc_se ?? null) };
  });
  // Beside each hh estimator's simulated power, its analytic power (exact: no whisker).
  for (const e of run.diagnosis.estimators) {
    const rows = multi
      ? points.map((p) => ix.get(p.index, e, 'simple', 'analytic_power'))
      : estimands.map((est) => ix.get(points[0].index, e, est, 'analytic_power'));
    if (rows.some((r) => r && r.value !== null))
      series.push({
        label: `${e}, analytic HH`,
        values: rows.map((r) => r?.value ?? null),
        ses: rows.map((r) => (r && r.value !== null ? 0 : null)),
      });
  }
  const analyticNote = series.some((s) => s.label.endsWith(', analytic HH')) ? ` ${ANALYTIC_SENTENCE}` : '';
  return [
    {
      id: 'power',
      section: 'power',
      title: multi ? 'Power per design point' : 'Power per estimand',
      caption: `Share of draws rejecting zero at α = ${alpha}, with 95 % Monte Carlo intervals; the dashed line is 80 % power. The grid has no numeric axis to draw a power curve along (run stagger mde --over a numeric setting for one).${analyticNote}`,
      build: () =>
        intervalChart({
          title: multi ? 'Power per design point (overall ATT)' : 'Power per estimand',
          subtitle: `${run.diagnosis.draws} draws; whiskers: 95 % Monte Carlo interval`,
          x: multi ? 'design point' : 'estimand',
          y: 'power (share of draws rejecting 0)',
          categories: cats,
          series,
          reference: { value: 0.8, label: '80 % power' },
          limits: { min: 0, max: 1 },
          bars: true,
        }),
    },
  ];
}

function estimandLabel(e: string): string {
  const id = parseEstimandId(e);
  const base =
    id.type === 'simple'
      ? 'overall'
      : id.type === 'group'
        ? `group ${id.key}`
        : id.type === 'dynamic'
          ? `event ${id.key}`
          : `${id.type} ${id.key}`;
  return id.subgroup ? (id.type === 'simple' ? id.subgroup : `${base}, ${id.subgroup}`) : base;
}

function accuracyCharts(run: RunFiles, ix: DiagnosisIndex, unit: string): PlannedChart[] {
  const points = run.diagnosis.points;
  const multi = points.length > 1;
  const S = run.diagnosis.draws;
  const a = run.diagnosis.alpha;
  const shown = multi
    ? points.filter((p) =>
        pickPoints(
          points.map((q) => q.index),
          24,
        ).includes(p.index),
      )
    : points;
  const estimands = multi ? ['simple'] : ix.estimands.filter((e) => parseEstimandId(e).type === 'simple');
  const cats = multi ? shown.map(shortPointLabel) : estimands.map(estimandLabel);
  const series = (d: string): Series[] =>
    run.diagnosis.estimators.map((e) => {
      const rows = multi
        ? shown.map((p) => ix.get(p.index, e, 'simple', d, 'sample'))
        : estimands.map((est) => ix.get(points[0].index, e, est, d, 'sample'));
      return { label: e, values: rows.map((r) => r?.value ?? null), ses: rows.map((r) => r?.mc_se ?? null) };
    });
  const nominal = 1 - a;
  const band = 1.959964 * Math.sqrt((nominal * (1 - nominal)) / S);
  const x = multi ? `design point (${Object.keys(points[0].settings).join(' / ')})` : 'estimand (overall ATT, whole sample and subgroups)';
  return [
    {
      id: 'bias',
      section: 'accuracy',
      title: 'Bias',
      caption: `Mean of (estimate − the draw's sample ATT), ${unit}, per estimator${multi ? ' and design point' : ' and estimand'}, with 95 % Monte Carlo intervals. An interval that excludes 0 is bias the simulation can detect.`,
      build: () =>
        intervalChart({
          title: 'Bias of the overall ATT estimate',
          subtitle: `${S} draws; whiskers: 95 % Monte Carlo interval`,
          x,
          y: `bias (${unit})`,
          categories: cats,
          series: series('bias'),
          reference: { value: 0, label: 'no bias' },
        }),
    },
    {
      id: 'coverage',
      section: 'accuracy',
      title: 'Coverage',
      caption: `Share of draws whose ${pct(nominal)} interval covers the draw's sample ATT, with 95 % Monte Carlo intervals. The grey band is where a correctly sized interval lands with ${S} draws (nominal ± 1.96 √(p(1−p)/S)).`,
      build: () =>
        intervalChart({
          title: `Coverage of the ${pct(nominal)} interval`,
          subtitle: `${S} draws; whiskers: 95 % Monte Carlo interval`,
          x,
          y: 'coverage (share of draws)',
          categories: cats,
          series: series('coverage'),
          reference: {
            value: nominal,
            label: `nominal ${pct(nominal)}`,
            band: [nominal - band, Math.min(1, nominal + band)],
            bandLabel: `nominal ± Monte Carlo band (${S} draws)`,
          },
          limits: { min: 0, max: 1 },
        }),
    },
  ];
}

function plannedAccrual(
  words: ScenarioWords | null,
  scenario: Record<string, unknown> | null,
  periods: number[],
): { planned: { period: number; value: number }[] | null; target: { period: number; value: number }[] | null } {
  const d = scenario?.design as Record<string, unknown> | undefined;
  const r = d?.recruitment as Record<string, unknown> | undefined;
  if (!words || d?.type !== 'waitlist' || !r) return { planned: null, target: null };
  const n = (k: string, dflt?: number) => (typeof r[k] === 'number' ? (r[k] as number) : dflt);
  const from = n('from');
  const to = n('to');
  const referrals = n('referrals');
  const consent = n('consent');
  const exclusion = n('exclusion', 0)!;
  const target = r.target === null ? undefined : n('target');
  const cut = r.target_cut as { at?: unknown; to?: unknown } | undefined;
  let planned: { period: number; value: number }[] | null = null;
  if (from !== undefined && to !== undefined && referrals !== undefined && consent !== undefined) {
    let c = 0;
    planned = [{ period: from - 1, value: 0 }];
    for (let p = from; p <= Math.max(to, periods[periods.length - 1] ?? to); p++) {
      if (p <= to) c += referrals * consent * (1 - exclusion);
      planned.push({ period: p, value: target !== undefined ? Math.min(c, target) : c });
    }
  }
  let tgt: { period: number; value: number }[] | null = null;
  if (target !== undefined && periods.length) {
    tgt = periods.map((p) => ({
      period: p,
      value: cut && typeof cut.at === 'number' && typeof cut.to === 'number' && p >= cut.at ? cut.to : target,
    }));
  }
  return { planned, target: tgt };
}

function recruitmentCharts(
  run: RunFiles,
  sum: DrawsSummary,
  words: ScenarioWords | null,
  scenario: Record<string, unknown> | null,
): PlannedChart[] {
  if (!sum.recruitment.length) return [];
  if (sum.recruitment[0].design === CLUSTERS_DESIGN) return [rolloutChart(rolloutStats(run, sum), rolloutWordsOf(words))];
  const points = new Map(run.diagnosis.points.map((p) => [p.index, p]));
  // Points whose recruitment differs from the first shown; the rest would draw the same lines again.
  const same = (a: RecruitmentStats, b: RecruitmentStats) =>
    JSON.stringify(a.enrolled) === JSON.stringify(b.enrolled) && JSON.stringify(a.groups) === JSON.stringify(b.groups);
  const distinct = sum.recruitment.filter((r, i) => i === 0 || !same(r, sum.recruitment[0]));
  const stats = distinct.map((r) => ({ label: shortPointLabel(points.get(r.point)!), r }));
  const per = words?.periods?.unit ?? 'month';
  const { planned, target } = plannedAccrual(words, scenario, stats[0].r.periods);
  const identical = distinct.length === 1 && sum.recruitment.length > 1 ? ' Recruitment is the same at every design point shown.' : '';
  const stops = stats[0].r.stops.map((s) => `${s.reason} in ${pct(s.share)} of draws`).join(', ');
  const noun = words?.unitNoun ?? { one: 'person', many: 'people' };
  const who = noun.many;
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  const out: PlannedChart[] = [];
  // Accrual over time needs at least two periods of intake (a single start period has no curve).
  if (stats[0].r.periods.length > 1) {
    out.push({
      id: 'accrual',
      section: 'recruitment',
      title: 'Accrual',
      caption: `${Who} enrolled and analysed, cumulative by ${per}: the median draw and the band holding 90 % of draws${planned ? ', against the plan (planned referrals × consent × (1 − exclusion), no shortfall, up to the target)' : ''}.${stops ? ` Recruitment stopped: ${stops}.` : ''}${identical}`,
      build: () => accrualChart({ stats, planned, target, periods: words?.periods ?? null, per, who }),
    });
  }
  const names = stats[0].r.totals.map((t) => t.name);
  // The engine names the whole population's stage `units`; the scenario's own noun reads better.
  const stage = (n: string) => (n === 'units' ? who : n.replace(/_/g, ' '));
  out.push({
    id: 'flows',
    section: 'recruitment',
    title: 'Consent and exclusions',
    caption: `Totals over the recruitment (${names.map(stage).join(', ')}): median draw, whiskers the 90 % range across draws.`,
    build: () =>
      bandBarsChart({
        title: `Recruitment: ${who} at each stage`,
        subtitle: `${stats[0].r.draws} draws; bars: median, whiskers: 90 % of draws`,
        x: 'stage',
        y: who,
        categories: names.map(stage),
        series: stats.map(({ label, r }) => ({
          label: stats.length > 1 ? label : 'median draw',
          bands: names.map((n) => r.totals.find((t) => t.name === n)?.band ?? null),
        })),
      }),
  });
  const g0 = stats[0].r.groups;
  if (g0.length) {
    out.push({
      id: 'groups',
      section: 'recruitment',
      title: 'Start-group sizes',
      caption: `${Who} per start group, in order of start (group labels are the median first treated period across draws): median, whiskers the 90 % range across draws.`,
      build: () =>
        bandBarsChart({
          title: 'Start-group sizes',
          subtitle: `${stats[0].r.draws} draws; bars: median, whiskers: 90 % of draws`,
          x: 'start group (median first treated period)',
          y: who,
          categories: g0.map((g) => (g.start ? `${g.label} (${periodLabel(Math.round(g.start.mid), words?.periods ?? null)})` : g.label)),
          series: stats.map(({ label, r }) => ({
            label: stats.length > 1 ? label : 'median draw',
            bands: g0.map((_, k) => r.groups[k]?.size ?? null),
          })),
        }),
    });
  }
  return out;
}

/** A clusters design's recruitment per design point shown, labelled by the point (report/cluster-rollout.ts). */
function rolloutStats(run: RunFiles, sum: DrawsSummary): { label: string; r: RecruitmentStats }[] {
  const points = new Map(run.diagnosis.points.map((p) => [p.index, p]));
  return sum.recruitment.map((r) => ({ label: shortPointLabel(points.get(r.point)!), r }));
}

function rolloutWordsOf(words: ScenarioWords | null): RolloutWords {
  const noun = words?.unitNoun;
  // A clusters design's population.unit names the clusters; without one they are clusters, not people.
  return {
    noun: noun && noun.many !== 'people' ? noun : { one: 'cluster', many: 'clusters' },
    per: words?.periods?.unit ?? 'month',
    periods: words?.periods ?? null,
  };
}

function drawCharts(run: RunFiles, sum: DrawsSummary, unit: string, per: string): PlannedChart[] {
  const points = new Map(run.diagnosis.points.map((p) => [p.index, p]));
  const out: PlannedChart[] = [];
  for (const p of sum.points) {
    const label = run.diagnosis.points.length > 1 ? pointLabel(points.get(p)) : '';
    const studies = sum.eventStudies.filter((s) => s.point === p);
    if (studies.length) {
      out.push({
        id: `event-${p}`,
        section: 'event',
        title: `Event study${label ? `: ${label}` : ''}`,
        caption: `Mean estimate per event time and the band holding 90 % of the draws' estimates (5 %–95 %), against the true ATT path (mean over draws of each draw's sample ATT) and the population ATT. Periods before 0 show anticipation and pre-trends.`,
        build: () => eventStudyChart({ studies, unit, per, pointLabel: label, draws: sum.draws }),
      });
    }
    const dists = sum.sampling.filter((s) => s.point === p && s.estimates.length > 0);
    if (dists.length) {
      out.push({
        id: `sampling-${p}`,
        section: 'sampling',
        title: `Sampling distribution${label ? `: ${label}` : ''}`,
        caption: `Histogram of each estimator's overall ATT estimate across draws; the solid line is the true ATT (mean of the draws' sample ATT), the dashed line the population ATT.${dists.some((d) => d.notIdentified) ? ' Draws not identified are left out.' : ''}`,
        build: () => samplingChart({ dists, unit, pointLabel: label }),
      });
    }
  }
  return out;
}

export interface ReportOptions {
  /** Draws charts (default: chart.js through chartjs-node-canvas, or why it cannot). */
  renderer?: Renderer | { error: string };
}

/** Everything the HTML shows, charts rendered (or their failure noted). */
export async function buildReport(dir: string, opts: ReportOptions = {}): Promise<ReportModel> {
  const run = readRunFiles(dir);
  let words: ScenarioWords | null = null;
  let scenario: Record<string, unknown> | null = null;
  let scenarioNote = run.scenarioNote;
  if (run.scenarioText !== null) {
    try {
      words = scenarioWords(run.scenarioText);
      const { parse } = await import('yaml');
      scenario = parse(run.scenarioText) as Record<string, unknown>;
    } catch (err) {
      scenarioNote = `the scenario could not be read (${firstLine(err)})`;
    }
  }
  if (run.mde && words) {
    const values = [...new Set(run.diagnosis.points.map((p) => p.settings[run.mde!.axis]))].filter((v) => v !== undefined);
    scenarioNote += `; stagger mde scanned ${run.mde.axis} over ${values.join(', ')} in place of the file's value`;
  }
  const unit = words?.effectUnit ?? 'outcome units';
  const per = words?.periods?.unit ?? 'period';
  const points = run.diagnosis.points;
  const detail = pickPoints(
    points.map((p) => p.index),
    DETAIL_POINTS,
  );
  // Several outcomes: the charts, tables and headline of each outcome in turn, titled by it (the
  // family-wise table across them after); one outcome: the report as it always was.
  const views = outcomeRuns(run);
  const several = views.length > 1;
  const planned: PlannedChart[] = [];
  const tables: Table[] = [];
  const headline: string[] = [];
  views.forEach((v, k) => {
    const ix = new DiagnosisIndex(v.run.diagnosis);
    const sum = summarizeDraws(run.drawsPath, run.meta, detail, undefined, several ? v.name : undefined);
    const u = (several && words?.outcomeUnits[v.name]) || unit;
    const own = [...powerCharts(v.run, ix, u), ...accuracyCharts(v.run, ix, u), ...drawCharts(v.run, sum, u, per)];
    planned.push(...(several ? own.map((c) => ({ ...c, id: `${v.name}-${c.id}`, title: `${v.name}: ${c.title}` })) : own));
    if (k === 0) planned.push(...recruitmentCharts(run, sum, words, scenario));
    const rollout = k === 0 && sum.recruitment[0]?.design === CLUSTERS_DESIGN ? rolloutStats(run, sum) : null;
    const ts = [
      ...overallTables(ix, points),
      ...detailTables(
        ix,
        points.filter((p) => detail.includes(p.index)),
      ),
    ];
    if (rollout) ts.push(rolloutTable(rollout, rolloutWordsOf(words)));
    const fits = failuresTable(ix);
    if (fits) ts.push(fits);
    const reasons = reasonsTable(ix);
    if (reasons) ts.push(reasons);
    tables.push(...(several ? ts.map((t) => ({ ...t, id: `${v.name}-${t.id}`, title: `${v.name}: ${t.title}` })) : ts));
    headline.push(...headlineLines(v.run, ix, u).map((l) => (several ? `${v.name} — ${l}` : l)));
    if (rollout)
      headline.push(
        `Rollout${rollout.length > 1 ? ` at ${rollout[0].label}` : ''}: ${rolloutSentence(rollout[0].r, rolloutWordsOf(words))}`,
      );
  });
  if (several) tables.push(...familywiseTables(run.diagnosis));
  // The few-cluster warning (diagnosis/few-clusters.ts): coverage below its band with few clusters.
  const few = fewClusterNotes(
    run.diagnosis.rows.map((r) => ({ ...r, mcSe: r.mc_se })),
    points,
    {
      alpha: run.diagnosis.alpha,
      scenario,
      types: estimatorTypes(scenario),
    },
  );
  headline.push(...few.map((n) => `Warning: ${n.message}.`));

  const renderer = opts.renderer ?? (await loadRenderer());
  const chartsNote = 'error' in renderer ? renderer.error : null;
  const charts: ChartOut[] = [];
  for (const c of planned) {
    const out: ChartOut = { id: c.id, section: c.section, title: c.title, caption: c.caption, png: null, error: chartsNote };
    if (!('error' in renderer)) {
      try {
        const s = c.build();
        out.png = await renderer.render(s, s.size?.width, s.size?.height);
      } catch (err) {
        out.error = `the chart could not be drawn: ${firstLine(err)}`;
      }
    }
    charts.push(out);
  }

  if (run.mde) tables.unshift(mdeTable(run.mde));

  const rec = run.record;
  if (run.mde) headline.push(...mdeLines(run.mde));
  const detailNote =
    detail.length < points.length
      ? `Event studies, sampling distributions and recruitment are shown for ${detail.length} of the ${points.length} design points (${detail.join(', ')}).`
      : '';
  return {
    title: words?.title ?? `Run in ${dir}`,
    dir,
    words,
    scenarioNote,
    headline,
    grid: gridTable(points),
    tables,
    charts,
    chartsNote,
    detailNote,
    provenance: [
      ['seed', rec.seed],
      [
        'draws per design point',
        String(rec.draws) +
          (rec.shard
            ? ` (this directory: draws ${rec.draw_range[0]}–${rec.draw_range[1] - 1}, shard ${rec.shard.index}/${rec.shard.count})`
            : ''),
      ],
      ['design points', String(rec.design_points)],
      ['estimators', rec.estimators.join(', ')],
      ['α', String(rec.alpha)],
      ['scenario', rec.scenario.path ?? '—'],
      ...(rec.scenario.set?.length
        ? [
            ['--set', rec.scenario.set.join(', ')] as [string, string],
            ['scenario file sha256', rec.scenario.file_sha256 ?? '—'] as [string, string],
          ]
        : []),
      ['scenario sha256', rec.scenario.sha256],
      ...Object.entries(rec.versions).map(([k, v]): [string, string] => [`version: ${k}`, v]),
      ['run started', rec.timings.started],
      ['run finished', rec.timings.finished ?? '—'],
      [
        'run time',
        rec.timings.seconds !== null
          ? `${num(rec.timings.seconds)} s (${num(rec.timings.draws_per_second ?? NaN)} draws/s, ${rec.workers} workers)`
          : '—',
      ],
      ...(rec.merged_from ? [['merged from', rec.merged_from.join(', ')] as [string, string]] : []),
      ['report written', new Date().toISOString()],
    ],
  };
}

/** Each outcome's slice of the run (its diagnosis rows); one slice, the run itself, for one outcome. */
function outcomeRuns(run: RunFiles): { name: string; run: RunFiles }[] {
  const names = run.diagnosis.outcomes ?? [];
  if (names.length < 2) return [{ name: names[0] ?? '', run }];
  // An MDE search is of one outcome (`stagger mde --outcome`, default the first): its curve in that slice.
  const mdeOf = run.mde?.outcome ?? names[0];
  return names.map((name) => ({
    name,
    run: {
      ...run,
      mde: name === mdeOf ? run.mde : null,
      diagnosis: { ...run.diagnosis, rows: run.diagnosis.rows.filter((r) => r.outcome === name) },
    },
  }));
}

/** An estimand for a sentence: "the overall ATT (estimand simple)", "event 2 (estimand dynamic:2)". */
export function estimandPhrase(e: string): string {
  const l = estimandLabel(e);
  return `${l === 'overall' ? 'the overall ATT' : l} (estimand ${e})`;
}

/** "estimator cs", "estimator cs|passed (the draws passing the pre-test)". */
function estimatorPhrase(e: string): string {
  return `estimator ${e}${e.endsWith('|passed') ? ' (the draws passing the pre-test)' : ''}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Estimators with a power figure for the overall ATT somewhere: not the pre-test and fit pseudo-estimators. */
function headlineEstimators(run: RunFiles, ix: DiagnosisIndex): string[] {
  return run.diagnosis.estimators.filter((e) => run.diagnosis.points.some((p) => ix.get(p.index, e, 'simple', 'power') !== undefined));
}

/**
 * The headline lines of one outcome: per estimator, its power, bias and coverage of the overall ATT
 * (each ± its MC SE), naming the estimand and the estimator, so that an MDE line of another estimand
 * below it cannot be read as the same figure.
 */
function headlineLines(run: RunFiles, ix: DiagnosisIndex, unit: string): string[] {
  const points = run.diagnosis.points;
  const level = pct(1 - run.diagnosis.alpha);
  const figures = (p: number, e: string) =>
    `power ${ix.pm(p, e, 'simple', 'power')}, bias ${ix.pm(p, e, 'simple', 'bias', 'sample')} ${unit}, coverage of the ${level} interval ${ix.pm(p, e, 'simple', 'coverage', 'sample')}`;
  const ests = headlineEstimators(run, ix);
  if (points.length === 1) {
    const p = points[0].index;
    return ests.map(
      (e) =>
        `${capital(estimandPhrase('simple'))}, ${estimatorPhrase(e)}: ${figures(p, e)} (mean true ATT ${num(ix.get(p, e, 'simple', 'mean_truth', 'sample')?.value)} ${unit}).`,
    );
  }
  const shown = points.filter((p) =>
    pickPoints(
      points.map((q) => q.index),
      6,
    ).includes(p.index),
  );
  return ests.map(
    (e) =>
      `${capital(estimandPhrase('simple'))}, ${estimatorPhrase(e)}: ${shown.map((p) => `at ${pointLabel(p)}: ${figures(p.index, e)}`).join('; ')}${shown.length < points.length ? '; …' : ''}.`,
  );
}

/** The MDE lines: the axis value reaching the target power, naming the estimand and estimator searched. */
export function mdeLines(mde: MdeFile): string[] {
  return mde.curves.map(({ group, result }) => {
    const fixed = Object.entries(group.fixed)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    const what = `${estimandPhrase(mde.estimand)}, estimator ${mde.estimator}`;
    return result.value === null
      ? `Minimum detectable ${mde.axis} for ${pct(result.target)} power of ${what}${fixed ? ` (${fixed})` : ''}: not reached, the curve is ${result.status}.`
      : result.whole
        ? `For ${pct(result.target)} power of ${what}${fixed ? ` (${fixed})` : ''}: ${mde.axis} = ${result.whole.value}, the ${result.whole.direction === 1 ? 'smallest' : 'largest'} whole number with power ≥ ${pct(result.target)}${result.whole.bracketed ? '' : ' (interpolated, not simulated itself)'}; interpolated crossing ${num(result.value, 4)}${result.mcSe !== null ? ` ± ${num(result.mcSe, 2)}` : ''}${result.interval ? ` (95 % MC interval ${num(result.interval[0], 4)}–${num(result.interval[1], 4)})` : ''}.`
        : `Minimum detectable ${mde.axis} for ${pct(result.target)} power of ${what}${fixed ? ` (${fixed})` : ''}: ${num(result.value)}${result.mcSe !== null ? ` ± ${num(result.mcSe, 2)}` : ''}${result.interval ? ` (95 % MC interval ${num(result.interval[0])}–${num(result.interval[1])})` : ''}.`;
  });
}

/** Build and write `report.html` and `charts/*.png` in a finished run's directory. */
export async function writeReport(dir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const model = await buildReport(dir, opts);
  const chartDir = join(dir, CHART_DIR);
  makeDir(chartDir, REPORT_HINT(dir));
  for (const c of model.charts)
    if (c.png) writing(join(chartDir, `${c.id}.png`), REPORT_HINT(dir), () => writeFileSync(join(chartDir, `${c.id}.png`), c.png!));
  const path = join(dir, REPORT_FILE);
  writeAtomic(path, reportHtml(model), REPORT_HINT(dir));
  const problems = model.chartsNote ? [model.chartsNote] : model.charts.filter((c) => c.error).map((c) => `${c.title}: ${c.error}`);
  return { path, charts: model.charts.filter((c) => c.png).length, problems };
}

/**
 * The report at the end of `stagger run`, `mde` and `merge`: never throws, so a report that cannot be
 * written never fails the run; returns the lines to print.
 */
export async function reportAfterRun(dir: string): Promise<string[]> {
  try {
    const r = await writeReport(dir);
    return [`${r.path}: report with ${r.charts} chart${r.charts === 1 ? '' : 's'}`, ...r.problems.map((p) => `  charts: ${p}`)];
  } catch (err) {
    // A failed write (full disk, read-only output) fails the command: never an exit 0 without its report.
    const failed = writeFailureCode(err) ?? (err instanceof OutputError ? 'write' : null);
    if (failed) throw writeFailure((err as { path?: string }).path ?? join(dir, REPORT_FILE), err, REPORT_HINT(dir));
    return [`stagger: the report was not written (${firstLine(err)}); the run's results are complete. Try: stagger report ${dir}`];
  }
}
