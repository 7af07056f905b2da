/**
 * The report's recruitment section for a clusters design (stepped-wedge trials): what the cluster
 * design wrote in each draw's RecruitmentSummary (design 'clusters'; groups = the waves, each a start
 * period and the clusters starting then, 0 = never; totals clusters, never, dropped,
 * people_per_period, person_periods), as a clusters-per-wave chart, a table and one sentence, in the
 * scenario's own words: population.unit names the clusters (clinic/clinics), the people inside them
 * are people, and the period is periods.unit.
 */
import type { ChartSpec } from './chart-style.js';
import { bandBarsChart } from './charts.js';
import type { Band, RecruitmentStats } from './draws-summary.js';
import { periodLabel, type PeriodInfo } from './format.js';
import type { UnitNoun } from './scenario-words.js';
import type { Table } from './tables.js';

/** The RecruitmentSummary.design of a clusters draw. */
export const CLUSTERS_DESIGN = 'clusters';

export interface RolloutWords {
  /** The clusters: population.unit (default cluster/clusters). */
  noun: UnitNoun;
  /** periods.unit, e.g. month. */
  per: string;
  periods: PeriodInfo | null;
}

/** A count as people read it: whole numbers whole (24, 230400), a median between two draws to 3 digits (0.5). */
const count = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3))));

/** A median and its 90 % range across draws, as a figure: "4" or "4 (3–5)". */
const range = (b: Band | undefined): string =>
  b === undefined ? '—' : b.lo === b.hi ? count(b.mid) : `${count(b.mid)} (${count(b.lo)}–${count(b.hi)})`;

const total = (r: RecruitmentStats, name: string): Band | undefined => r.totals.find((t) => t.name === name)?.band;

/** The waves (never-starting clusters apart): start period and clusters, median and 90 % band. */
function waves(r: RecruitmentStats): RecruitmentStats['groups'] {
  return r.groups.filter((g) => g.label !== 'never');
}

/**
 * One sentence on the rollout of the median draw: "24 clinics start in 6 waves, from month 4 to month 19;
 * 0 never start and 0 drop out; about 400 people per clinic and month (230,400 person-months)."
 */
export function rolloutSentence(r: RecruitmentStats, w: RolloutWords): string {
  const many = w.noun.many;
  const ws = waves(r);
  const clusters = total(r, 'clusters');
  const never = total(r, 'never');
  const dropped = total(r, 'dropped');
  const ppp = total(r, 'people_per_period');
  const pp = total(r, 'person_periods');
  const at = (p: number) => `${w.per} ${periodLabel(Math.round(p), w.periods)}`;
  const first = ws[0]?.start;
  const last = ws[ws.length - 1]?.start;
  const parts = [
    `${clusters ? range(clusters) : '?'} ${many} start in ${ws.length} wave${ws.length === 1 ? '' : 's'}${first && last ? `, from ${at(first.mid)} to ${at(last.mid)}` : ''}`,
  ];
  const gone: string[] = [];
  if (never) gone.push(`${range(never)} never start`);
  if (dropped) gone.push(`${range(dropped)} drop out`);
  if (gone.length) parts.push(gone.join(' and '));
  if (ppp && clusters && clusters.mid > 0) {
    // people_per_period counts the people of every cluster in one period: per cluster is its share.
    parts.push(
      `about ${count(Math.round(ppp.mid / clusters.mid))} people per ${w.noun.one} and ${w.per}${pp ? ` (${count(pp.mid)} person-${w.per}s in all)` : ''}`,
    );
  } else if (pp) parts.push(`${count(pp.mid)} person-${w.per}s in all`);
  return `${parts.join('; ')} (median draw${r.draws > 1 ? ', 90 % of draws in brackets' : ''}).`;
}

/** The rollout table: one row per wave, then never and dropped, then the people. */
export function rolloutTable(stats: { label: string; r: RecruitmentStats }[], w: RolloutWords): Table {
  const Many = w.noun.many.charAt(0).toUpperCase() + w.noun.many.slice(1);
  const several = stats.length > 1;
  const rows: string[][] = [];
  for (const { label, r } of stats) {
    const lead = several ? [label] : [];
    waves(r).forEach((g) =>
      rows.push([...lead, `wave ${g.label.replace(/\D+$/, '')}`, g.start ? `${w.per} ${range(g.start)}` : '—', range(g.size)]),
    );
    for (const [name, words] of [
      ['never', `never start (parallel arm)`],
      ['dropped', 'drop out'],
    ] as const) {
      const b = total(r, name);
      if (b) rows.push([...lead, words, '', range(b)]);
    }
    const c = total(r, 'clusters');
    if (c) rows.push([...lead, `${w.noun.many} in all`, '', range(c)]);
    const ppp = total(r, 'people_per_period');
    if (ppp) rows.push([...lead, `people per ${w.per}, all ${w.noun.many}`, '', range(ppp)]);
    const pp = total(r, 'person_periods');
    if (pp) rows.push([...lead, `person-${w.per}s`, '', range(pp)]);
  }
  return {
    id: 'cluster-rollout',
    title: `Rollout: ${w.noun.many} per wave`,
    caption: `${Many} starting in each wave (waves in order of start; the start ${w.per} and the count are the median draw, with the range holding 90 % of draws in brackets), those that never start or drop out, and the people measured. ${stats.length ? rolloutSentence(stats[0].r, w) : ''}`,
    head: [...(several ? ['design point'] : []), 'wave', 'starts in', w.noun.many],
    rows,
    textCols: (several ? 1 : 0) + 2,
  };
}

/** The clusters-per-wave chart: bars per wave (median clusters), whiskers 90 % of draws. */
export function rolloutChart(
  stats: { label: string; r: RecruitmentStats }[],
  w: RolloutWords,
): { id: string; section: 'recruitment'; title: string; caption: string; build: () => ChartSpec } {
  const Many = w.noun.many.charAt(0).toUpperCase() + w.noun.many.slice(1);
  const w0 = waves(stats[0].r);
  return {
    id: 'cluster-waves',
    section: 'recruitment',
    title: `${Many} per wave`,
    caption: `${Many} starting in each wave, labelled by the median start ${w.per}: median draw, whiskers the 90 % range across draws (the allocation to waves is random; the counts are the planned split). ${rolloutSentence(stats[0].r, w)}`,
    build: () =>
      bandBarsChart({
        title: `Rollout: ${w.noun.many} starting per wave`,
        subtitle: `${stats[0].r.draws} draws; bars: median, whiskers: 90 % of draws`,
        x: `wave (median start ${w.per})`,
        y: w.noun.many,
        categories: w0.map((g, k) => `${k + 1} (${g.start ? periodLabel(Math.round(g.start.mid), w.periods) : '?'})`),
        series: stats.map(({ label, r }) => ({
          label: stats.length > 1 ? label : 'median draw',
          bands: w0.map((_, k) => waves(r)[k]?.size ?? null),
        })),
      }),
  };
}
