/**
 * The report's charts as chart.js configurations, from result summaries only (diagnosis rows, the
 * draws summary, mde.json): power curves, bias and coverage with their Monte Carlo intervals, event
 * studies, sampling distributions and recruitment. Rendering is in render.ts.
 */
import {
  alpha,
  baseOptions,
  colour,
  dash,
  GREY,
  legendEntry,
  ON_TOP,
  PALETTE,
  spec,
  TRUTH,
  type Annotations,
  type ChartSpec,
  type Dataset,
} from './chart-style.js';
import type { Band, EventStudy, RecruitmentStats, SamplingDistribution } from './draws-summary.js';
import { num, pct, periodLabel, type PeriodInfo } from './format.js';

const Z = 1.959964;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export interface Series {
  label: string;
  values: (number | null)[];
  /** Monte Carlo SEs; intervals are ± 1.96 SE. */
  ses: (number | null)[];
}

export interface PowerLine {
  label: string;
  xs: number[];
  power: number[];
  ses: number[];
}

/** Power against a numeric axis: a line per estimator (or curve), its 95 % MC band, the target line, the MDE. */
export function powerCurveChart(o: {
  axis: string;
  xUnit: string;
  lines: PowerLine[];
  target: number;
  draws: number;
  /** MDE markers: where each curve reaches the target, with its 95 % MC interval. */
  mdes?: { value: number; interval: [number, number] | null; label: string }[];
  subtitle?: string;
}): ChartSpec {
  const datasets: Dataset[] = [];
  o.lines.forEach((l, i) => {
    const c = colour(i);
    const pts = (f: (k: number) => number) => l.xs.map((x, k) => ({ x, y: clamp01(f(k)) }));
    datasets.push({
      label: `${l.label}: 95 % MC band lo`,
      data: pts((k) => l.power[k] - Z * l.ses[k]),
      borderWidth: 0,
      pointRadius: 0,
      fill: false,
      hideInLegend: true,
    });
    datasets.push({
      label: `${l.label}: 95 % Monte Carlo band`,
      data: pts((k) => l.power[k] + Z * l.ses[k]),
      borderWidth: 0,
      pointRadius: 0,
      backgroundColor: alpha(c, 0.18),
      fill: '-1',
      hideInLegend: true,
    });
    datasets.push({
      label: l.label,
      data: pts((k) => l.power[k]),
      borderColor: c,
      backgroundColor: c,
      borderDash: dash(i),
      borderWidth: 2.5,
      pointRadius: 4,
      fill: false,
    });
  });
  datasets.push(legendEntry('95 % Monte Carlo band', GREY, { fill: alpha('#777777', 0.25) }));
  datasets.push(legendEntry(`target power ${pct(o.target)}`, TRUTH, { dash: [8, 5] }));
  const ann: Annotations = { hLines: [{ y: o.target, colour: TRUTH, dash: [8, 5] }], vLines: [], hErrorBars: [] };
  for (const m of o.mdes ?? []) {
    datasets.push({
      label: m.label,
      data: [{ x: m.value, y: o.target }],
      borderColor: '#000',
      backgroundColor: '#F0E442',
      pointRadius: 9,
      pointStyle: 'rectRot',
      borderWidth: 2,
      showLine: false,
    });
    ann.vLines!.push({ x: m.value, colour: '#555', dash: [2, 4] });
    if (m.interval) ann.hErrorBars!.push({ y: o.target, lo: m.interval[0], hi: m.interval[1], colour: '#000' });
  }
  const xs = o.lines.flatMap((l) => l.xs);
  return spec(
    'line',
    { datasets },
    baseOptions(
      {
        title: `Power against ${o.axis}`,
        subtitle: o.subtitle ?? `${o.draws} draws per value, common random numbers; band: ± 1.96 Monte Carlo SE`,
        x: `${o.axis}${o.xUnit ? ` (${o.xUnit})` : ''}`,
        y: 'power (share of draws rejecting 0)',
      },
      ann,
      {
        x: { type: 'linear', min: Math.min(...xs), max: Math.max(...xs) },
        y: { min: 0, max: 1, ticks: { stepSize: 0.1, font: { size: 13 } } },
      },
    ),
  );
}

const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded'];
/** Marker of series i: the style turns one further each cycle of colours, so no two series share colour and marker. */
export const pointStyle = (i: number): string => POINT_STYLES[(i + Math.floor(i / PALETTE.length)) % POINT_STYLES.length];

/** The series that have at least one value. */
export function withValues<T extends { values: (number | null)[] }>(series: readonly T[]): T[] {
  return series.filter((s) => s.values.some((v) => v !== null && Number.isFinite(v)));
}

/**
 * Figures per category (design point or estimand) and estimator, each with its 95 % MC interval, and a
 * reference (0 for bias; the nominal level and its MC band for coverage).
 */
export function intervalChart(o: {
  title: string;
  subtitle: string;
  x: string;
  y: string;
  categories: string[];
  series: Series[];
  reference: { value: number; label: string; band?: [number, number]; bandLabel?: string };
  /** Hard limits of the axis, and of the intervals drawn (e.g. 0 and 1 for shares). */
  limits?: { min?: number; max?: number };
  bars?: boolean;
}): ChartSpec {
  const lim = (v: number) => Math.min(o.limits?.max ?? Infinity, Math.max(o.limits?.min ?? -Infinity, v));
  // A series without a single value (a pre-test or fit pseudo-estimator) has nothing to show or list.
  const series = withValues(o.series);
  // Points (not bars) side by side within their category, so that many estimators do not hide each
  // other: series i sits at k + (i − (n − 1)/2)·step on a linear axis labelled by the categories.
  const n = series.length;
  const step = n > 1 ? Math.min(0.7 / n, 0.18) : 0;
  const datasets: Dataset[] = series.map((s, i) => ({
    label: s.label,
    data: o.bars ? s.values : s.values.map((y, k) => ({ x: k + (i - (n - 1) / 2) * step, y })),
    borderColor: colour(i),
    // Past the seventh series a colour repeats: bars then are outlined (pale fill), markers change shape.
    backgroundColor: o.bars ? alpha(colour(i), i < PALETTE.length ? 0.75 : 0.25) : colour(i),
    borderWidth: o.bars ? (i < PALETTE.length ? 1 : 2.5) : 1,
    pointRadius: 6,
    pointStyle: pointStyle(i),
    ...(o.bars ? {} : { legendStyle: pointStyle(i) }),
    showLine: false,
    clip: false,
  }));
  const ann: Annotations = {
    errorBars: series.map((s, i) => ({
      dataset: i,
      lo: s.values.map((v, k) => (v === null || s.ses[k] === null ? null : lim(v - Z * s.ses[k]!))),
      hi: s.values.map((v, k) => (v === null || s.ses[k] === null ? null : lim(v + Z * s.ses[k]!))),
    })),
    hLines: [{ y: o.reference.value, colour: TRUTH, dash: [8, 5] }],
    hBands: o.reference.band ? [{ lo: o.reference.band[0], hi: o.reference.band[1], colour: 'rgba(0, 0, 0, 0.09)' }] : [],
  };
  datasets.push(legendEntry(o.reference.label, TRUTH, { dash: [8, 5] }));
  if (o.reference.band)
    datasets.push(legendEntry(o.reference.bandLabel ?? 'Monte Carlo band', 'rgba(0,0,0,0.2)', { fill: 'rgba(0, 0, 0, 0.12)' }));
  datasets.push(legendEntry('95 % Monte Carlo interval', '#444'));
  // Keep error bars and the reference in view.
  const ends = ann.errorBars!.flatMap((b) => [...b.lo, ...b.hi]).filter((v): v is number => v !== null && Number.isFinite(v));
  ends.push(o.reference.value, ...(o.reference.band ?? []));
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return spec(
    o.bars ? 'bar' : 'line',
    o.bars ? { labels: o.categories, datasets } : { datasets },
    baseOptions({ title: o.title, subtitle: o.subtitle, x: o.x, y: o.y }, ann, {
      x: o.bars
        ? { offset: true, ticks: { font: { size: 13 }, maxRotation: 30, autoSkip: false } }
        : {
            type: 'linear',
            min: -0.5,
            max: o.categories.length - 0.5,
            grid: { display: false },
            ticks: {
              font: { size: 13 },
              maxRotation: 30,
              autoSkip: false,
              callback: (v: number) => (Number.isInteger(v) ? (o.categories[v] ?? '') : ''),
            },
            afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
              scale.ticks = o.categories.map((_, k) => ({ value: k }));
            },
          },
      // Padding never takes the axis past a hard limit (a coverage axis below 0).
      y: {
        suggestedMin: lo - pad,
        suggestedMax: hi + pad,
        min: o.bars || (o.limits?.min !== undefined && lo - pad < o.limits.min) ? o.limits?.min : undefined,
        max: o.limits?.max,
      },
    }),
  );
}

/** The true effect path against the mean estimate and the 5–95 % spread of estimates, by event time. */
export function eventStudyChart(o: { studies: EventStudy[]; unit: string; per: string; pointLabel: string; draws: number }): ChartSpec {
  const datasets: Dataset[] = [];
  // Only estimators with an estimate at some event time; one legend entry each (its mean line), the
  // bands named once: with seven estimators the legend is eight entries, not twenty-one.
  const studies = o.studies.filter((s) => s.estimate.some((b) => b !== null));
  const many = studies.length > 1;
  studies.forEach((s, i) => {
    const c = colour(i);
    const at = (f: (b: Band) => number) => s.events.map((e, k) => ({ x: e, y: s.estimate[k] ? f(s.estimate[k]!) : null }));
    datasets.push({
      label: `${s.estimator} 5 %`,
      data: at((b) => b.lo),
      borderWidth: 0,
      pointRadius: 0,
      fill: false,
      hideInLegend: true,
      spanGaps: true,
    });
    datasets.push({
      label: `${s.estimator}: 5–95 % of estimates`,
      data: at((b) => b.hi),
      borderWidth: 1,
      borderDash: [4, 3],
      pointRadius: 0,
      backgroundColor: alpha(c, many ? 0.1 : 0.2),
      borderColor: alpha(c, 0.5),
      fill: '-1',
      spanGaps: true,
      hideInLegend: many,
    });
    datasets.push({
      label: many ? s.estimator : `${s.estimator}: mean estimate`,
      data: at((b) => b.mid),
      borderColor: c,
      backgroundColor: c,
      borderDash: dash(i),
      borderWidth: 2.5,
      pointRadius: 2.5,
      fill: false,
      spanGaps: true,
    });
  });
  if (many) datasets.push(legendEntry('lines: mean estimate; shaded: 5–95 % of estimates', GREY, { fill: alpha(GREY, 0.25) }));
  const s0 = studies[0] ?? o.studies[0];
  if (s0) {
    datasets.push({
      label: 'true ATT (mean of the draws\u2019 sample ATT)',
      data: s0.events.map((e, k) => ({ x: e, y: s0.truth[k] })),
      borderColor: TRUTH,
      backgroundColor: TRUTH,
      borderWidth: 3.5,
      pointRadius: 0,
      fill: false,
      order: ON_TOP,
    });
    if (s0.population.some((v) => v !== null)) {
      datasets.push({
        label: 'population ATT',
        data: s0.events.map((e, k) => ({ x: e, y: s0.population[k] })),
        borderColor: GREY,
        backgroundColor: GREY,
        borderDash: [6, 4],
        borderWidth: 2,
        pointRadius: 0,
        fill: false,
        order: ON_TOP + 1,
      });
    }
  }
  datasets.push(legendEntry('start of treatment', '#999999', { dash: [3, 3] }));
  const events = (studies.length ? studies : o.studies).flatMap((s) => s.events);
  return spec(
    'line',
    { datasets },
    baseOptions(
      {
        title: `Event study: true effect path and the estimates${o.pointLabel ? ` (${o.pointLabel})` : ''}`,
        subtitle: `${o.draws} draws; pre-periods included, so anticipation and pre-trends show`,
        x: `event time (${o.per}s since start)`,
        y: `ATT (${o.unit})`,
      },
      { hLines: [{ y: 0, colour: '#999999' }], vLines: [{ x: -0.5, colour: '#999999', dash: [3, 3] }] },
      { x: { type: 'linear', min: Math.min(...events), max: Math.max(...events), ticks: { stepSize: 5, font: { size: 13 } } } },
    ),
  );
}

/** Histogram bin edges for values (Freedman–Diaconis width, 12–40 bins). */
export function binEdges(values: readonly number[]): number[] {
  const v = [...values].sort((a, b) => a - b);
  const lo = v[0];
  const hi = v[v.length - 1];
  if (v.length < 2 || hi === lo) return [lo - 0.5, lo + 0.5];
  const iqr = v[Math.floor(0.75 * (v.length - 1))] - v[Math.floor(0.25 * (v.length - 1))];
  const fd = iqr > 0 ? 2 * iqr * Math.cbrt(1 / v.length) : (hi - lo) / 12;
  const k = Math.min(40, Math.max(12, Math.ceil((hi - lo) / fd)));
  const w = (hi - lo) / k;
  return Array.from({ length: k + 1 }, (_, i) => lo + i * w);
}

/** The sampling distribution of each estimator's overall estimate, with the truth marked. */
export function samplingChart(o: { dists: SamplingDistribution[]; unit: string; pointLabel: string }): ChartSpec {
  const dists = o.dists.filter((d) => d.estimates.length > 0);
  const all = dists.flatMap((d) => d.estimates);
  const edges = binEdges(all.length ? all : [0]);
  const k = edges.length - 1;
  const w = edges[1] - edges[0];
  const datasets: Dataset[] = [];
  dists.forEach((d, i) => {
    const counts = new Array<number>(k).fill(0);
    for (const x of d.estimates) counts[Math.min(k - 1, Math.max(0, Math.floor((x - edges[0]) / w)))] += 1;
    const n = d.estimates.length || 1;
    // Steps: each bin drawn flat from edge to edge, as a share of draws.
    const data = [
      { x: edges[0], y: 0 },
      ...counts.flatMap((c, b) => [
        { x: edges[b], y: (100 * c) / n },
        { x: edges[b + 1], y: (100 * c) / n },
      ]),
      { x: edges[k], y: 0 },
    ];
    const fillAlpha = dists.length > 3 ? 0.08 : 0.25;
    datasets.push({
      label: `${d.estimator} (${d.estimates.length} draws)`,
      data,
      borderColor: colour(i),
      backgroundColor: alpha(colour(i), fillAlpha),
      borderDash: dash(i),
      borderWidth: 2,
      pointRadius: 0,
      fill: 'origin',
      stepped: false,
      legendStyle: 'line',
    });
  });
  const d0 = dists[0] ?? o.dists[0];
  const vLines: NonNullable<Annotations['vLines']> = [];
  if (d0 && Number.isFinite(d0.truth)) {
    vLines.push({ x: d0.truth, colour: TRUTH, width: 3, top: true });
    datasets.push(legendEntry(`true ATT, mean of the draws\u2019 sample ATT (${num(d0.truth)})`, TRUTH));
  }
  if (d0 && d0.population !== null) {
    vLines.push({ x: d0.population, colour: GREY, dash: [6, 4], width: 2.5, top: true });
    datasets.push(legendEntry(`population ATT (${num(d0.population)})`, GREY, { dash: [6, 4] }));
  }
  // The axis spans the estimates and the truth lines, not 0: a histogram far from 0 would otherwise
  // fill half the chart or less. Zero is marked only when it falls inside that range anyway.
  const xs = [edges[0], edges[k], ...vLines.map((l) => l.x)];
  const range = histogramRange(xs);
  if (range.min <= 0 && range.max >= 0) vLines.push({ x: 0, colour: '#bbbbbb', dash: [2, 3] });
  return spec(
    'line',
    { datasets },
    baseOptions(
      {
        title: `Sampling distribution of the overall ATT estimate${o.pointLabel ? ` (${o.pointLabel})` : ''}`,
        subtitle: `histogram of the estimates across draws (bin width ${num(w)} ${o.unit})`,
        x: `estimated overall ATT (${o.unit})`,
        y: 'share of draws (%)',
      },
      { vLines },
      { x: { type: 'linear', min: range.min, max: range.max }, y: { min: 0 } },
    ),
  );
}

/** The x range of a histogram: its edges and marked lines, padded by 4 % of the span on each side. */
export function histogramRange(xs: readonly number[]): { min: number; max: number } {
  const f = xs.filter(Number.isFinite);
  const lo = Math.min(...f);
  const hi = Math.max(...f);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.04;
  return { min: lo - pad, max: hi + pad };
}

/** Planned against realised cumulative accrual: median and 90 % band over draws, per design point. */
export function accrualChart(o: {
  stats: { label: string; r: RecruitmentStats }[];
  planned: { period: number; value: number }[] | null;
  target: { period: number; value: number }[] | null;
  periods: PeriodInfo | null;
  per: string;
  /** What the design enrols, plural (the scenario's population.unit.many, e.g. municipalities). */
  who: string;
}): ChartSpec {
  const datasets: Dataset[] = [];
  o.stats.forEach(({ label, r }, i) => {
    const c = colour(i);
    const name = o.stats.length > 1 ? `${label}: ` : '';
    const at = (f: (b: Band) => number) => r.periods.map((p, k) => ({ x: p, y: f(r.enrolled[k]) }));
    datasets.push({ label: `${name}5 %`, data: at((b) => b.lo), borderWidth: 0, pointRadius: 0, fill: false, hideInLegend: true });
    datasets.push({
      label: `${name}realised, 90 % of draws`,
      data: at((b) => b.hi),
      borderWidth: 0,
      pointRadius: 0,
      backgroundColor: alpha(c, 0.2),
      borderColor: alpha(c, 0.2),
      fill: '-1',
    });
    datasets.push({
      label: `${name}realised, median`,
      data: at((b) => b.mid),
      borderColor: c,
      backgroundColor: c,
      borderWidth: 2.5,
      pointRadius: 0,
      fill: false,
    });
  });
  if (o.planned)
    datasets.push({
      label: 'planned (referral plan × consent, no shortfall)',
      data: o.planned.map((p) => ({ x: p.period, y: p.value })),
      borderColor: TRUTH,
      backgroundColor: TRUTH,
      borderDash: [8, 5],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
    });
  if (o.target)
    datasets.push({
      label: 'target',
      data: o.target.map((p) => ({ x: p.period, y: p.value })),
      borderColor: '#D55E00',
      backgroundColor: '#D55E00',
      borderDash: [2, 4],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
      stepped: 'before',
    });
  const r0 = o.stats[0].r;
  const who = o.who;
  return spec(
    'line',
    { datasets },
    baseOptions(
      {
        title: o.planned ? 'Recruitment: planned against realised accrual' : 'Recruitment: realised accrual',
        subtitle: `${who} enrolled and analysed, cumulative; ${r0.draws} draws`,
        x: o.periods?.calendarStart ? `calendar ${o.per}` : `${o.per} (period)`,
        y: `${who} enrolled (cumulative)`,
      },
      {},
      {
        x: {
          type: 'linear',
          min: r0.periods[0],
          max: r0.periods[r0.periods.length - 1],
          ticks: { font: { size: 13 }, callback: (v: number) => periodLabel(v, o.periods) },
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            scale.ticks = calendarTicks(r0.periods, o.periods).map((value) => ({ value }));
          },
        },
        y: { min: 0 },
      },
    ),
  );
}

/** Tick positions along periods: quarters (Jan, Apr, Jul, Oct) for months, about 8 ticks otherwise. */
export function calendarTicks(periods: readonly number[], info: PeriodInfo | null): number[] {
  if (info?.calendarStart && info.unit === 'month') {
    const q = periods.filter((p) => /-(01|04|07|10)$/.test(periodLabel(p, info)));
    if (q.length >= 2 && q.length <= 14) return q;
    const jan = periods.filter((p) => periodLabel(p, info).endsWith('-01'));
    if (jan.length >= 2) return jan;
  }
  const step = Math.max(1, Math.ceil(periods.length / 8));
  return periods.filter((_, i) => i % step === 0);
}

/** Medians with their 90 % band across draws, as bars per category and design point. */
export function bandBarsChart(o: {
  title: string;
  subtitle: string;
  x: string;
  y: string;
  categories: string[];
  series: { label: string; bands: (Band | null)[] }[];
}): ChartSpec {
  const datasets: Dataset[] = o.series.map((s, i) => ({
    label: s.label,
    data: s.bands.map((b) => b?.mid ?? null),
    borderColor: colour(i),
    backgroundColor: alpha(colour(i), 0.7),
    borderWidth: 1,
  }));
  datasets.push(legendEntry('90 % of draws', '#444'));
  const ann: Annotations = {
    errorBars: o.series.map((s, i) => ({ dataset: i, lo: s.bands.map((b) => b?.lo ?? null), hi: s.bands.map((b) => b?.hi ?? null) })),
  };
  const top = Math.max(0, ...o.series.flatMap((s) => s.bands.map((b) => b?.hi ?? 0)));
  return spec(
    'bar',
    { labels: o.categories, datasets },
    baseOptions({ title: o.title, subtitle: o.subtitle, x: o.x, y: o.y }, ann, { y: { min: 0, suggestedMax: top * 1.05 } }),
  );
}
