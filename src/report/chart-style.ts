/**
 * What every chart shares: the chart.js configuration shape we build (plain data, so a chart can be
 * built and tested without a canvas), colours, fonts, axis and title styles, and a small plugin that
 * draws what chart.js lacks: error bars, reference lines and bands, marked points.
 */

/** A chart.js configuration as plain data (chart.js validates it when it renders). */
export interface ChartSpec {
  type: 'line' | 'bar' | 'scatter';
  data: { labels?: (string | number)[]; datasets: Dataset[] };
  options: Record<string, unknown>;
  plugins?: unknown[];
  /** Canvas size: taller than the default when the legend needs more rows (legendRows). */
  size?: { width: number; height: number };
}

export type Dataset = Record<string, unknown> & { label: string; data: unknown[] };

/**
 * Okabe–Ito (Okabe & Ito 2008): distinguishable with colour-vision deficiencies and in greyscale
 * print. Its black is kept for the truth, so series cycle through the other seven, and each further
 * cycle of seven gets its own dash pattern (DASHES): 28 series before a style repeats.
 */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];
export const DASHES: number[][] = [[], [10, 4], [3, 3], [12, 4, 3, 4]];
export const TRUTH = '#000000';
export const GREY = '#777777';

export const colour = (i: number): string => PALETTE[i % PALETTE.length];
/** The dash pattern of series i: solid for the first seven, then one pattern per cycle of colours. */
export const dash = (i: number): number[] => DASHES[Math.floor(i / PALETTE.length) % DASHES.length];
/** Drawing order of the truth: chart.js draws the lowest `order` last, so the truth lies on top. */
export const ON_TOP = -10;

/** `#rrggbb` with an alpha, as rgba(). */
export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

export const WIDTH = 960;
export const HEIGHT = 480;

const FONT = { family: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' };

export interface Annotations {
  /** Vertical error bars on a dataset's points: lo[i]..hi[i] at point i. */
  errorBars?: { dataset: number; lo: (number | null)[]; hi: (number | null)[] }[];
  /** Horizontal error bars: at (y), from lo to hi on the x scale. */
  hErrorBars?: { y: number; lo: number; hi: number; colour: string }[];
  /** Horizontal lines across the plot (y on the value scale). */
  hLines?: { y: number; colour: string; dash?: number[] }[];
  /** Horizontal bands across the plot. */
  hBands?: { lo: number; hi: number; colour: string }[];
  /** Vertical lines (x on a linear x scale); `top`: drawn over the datasets (the truth), else under. */
  vLines?: { x: number; colour: string; dash?: number[]; width?: number; top?: boolean }[];
}

function vLine(chart: ChartLike, l: NonNullable<Annotations['vLines']>[number]): void {
  const a = chart.chartArea;
  const x = chart.scales.x.getPixelForValue(l.x);
  if (x >= a.left && x <= a.right) line(chart.ctx, x, a.top, x, a.bottom, l.colour, l.dash, l.width ?? 1.5);
}

/** The chart.js plugin that draws Annotations (options.plugins.annotations). */
export const annotationsPlugin = {
  id: 'annotations',
  beforeDatasetsDraw(chart: ChartLike, _args: unknown, o: Annotations): void {
    const { ctx, chartArea: a } = chart;
    const y = chart.scales.y;
    ctx.save();
    for (const b of o.hBands ?? []) {
      const top = y.getPixelForValue(b.hi);
      const bottom = y.getPixelForValue(b.lo);
      ctx.fillStyle = b.colour;
      ctx.fillRect(a.left, Math.max(a.top, top), a.right - a.left, Math.min(a.bottom, bottom) - Math.max(a.top, top));
    }
    for (const l of o.hLines ?? []) line(ctx, a.left, y.getPixelForValue(l.y), a.right, y.getPixelForValue(l.y), l.colour, l.dash, 1.5);
    for (const l of o.vLines ?? []) if (!l.top) vLine(chart, l);
    ctx.restore();
  },
  afterDatasetsDraw(chart: ChartLike, _args: unknown, o: Annotations): void {
    const { ctx } = chart;
    ctx.save();
    for (const l of o.vLines ?? []) if (l.top) vLine(chart, l);
    for (const b of o.errorBars ?? []) {
      const meta = chart.getDatasetMeta(b.dataset);
      const ys = chart.scales[meta.yAxisID ?? 'y'];
      const colour = String(chart.data.datasets[b.dataset].borderColor ?? '#000');
      meta.data.forEach((el, i) => {
        const lo = b.lo[i];
        const hi = b.hi[i];
        if (lo === null || hi === null || lo === undefined || hi === undefined) return;
        const y0 = ys.getPixelForValue(lo);
        const y1 = ys.getPixelForValue(hi);
        line(ctx, el.x, y0, el.x, y1, colour, undefined, 2);
        line(ctx, el.x - 5, y0, el.x + 5, y0, colour, undefined, 2);
        line(ctx, el.x - 5, y1, el.x + 5, y1, colour, undefined, 2);
      });
    }
    for (const b of o.hErrorBars ?? []) {
      const yy = chart.scales.y.getPixelForValue(b.y);
      const x0 = chart.scales.x.getPixelForValue(b.lo);
      const x1 = chart.scales.x.getPixelForValue(b.hi);
      line(ctx, x0, yy, x1, yy, b.colour, undefined, 2.5);
      line(ctx, x0, yy - 6, x0, yy + 6, b.colour, undefined, 2.5);
      line(ctx, x1, yy - 6, x1, yy + 6, b.colour, undefined, 2.5);
    }
    ctx.restore();
  },
};

interface Ctx2d {
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  setLineDash(d: number[]): void;
  strokeStyle: unknown;
  fillStyle: unknown;
  lineWidth: number;
}

interface ScaleLike {
  getPixelForValue(v: number): number;
}

/** The few members of a chart.js Chart the plugin uses. */
export interface ChartLike {
  ctx: Ctx2d;
  chartArea: { left: number; right: number; top: number; bottom: number };
  scales: Record<string, ScaleLike>;
  data: { datasets: { borderColor?: unknown }[] };
  getDatasetMeta(i: number): { yAxisID?: string; data: { x: number; y: number }[] };
}

function line(ctx: Ctx2d, x0: number, y0: number, x1: number, y1: number, colour: string, dash: number[] | undefined, width: number): void {
  ctx.beginPath();
  ctx.setLineDash(dash ?? []);
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/**
 * A legend-only dataset: shows a reference line (or, with `fill`, a band) in the legend without
 * plotting data. Typed `line` so that it takes no bar slot in a bar chart.
 */
export function legendEntry(label: string, colour: string, opts: { dash?: number[]; fill?: string } = {}): Dataset {
  return {
    type: 'line',
    label,
    data: [],
    borderColor: colour,
    backgroundColor: opts.fill ?? colour,
    borderDash: opts.dash ?? [],
    borderWidth: opts.fill ? 0 : 2.5,
    pointRadius: 0,
    legendStyle: opts.fill ? 'rect' : 'line',
  };
}

interface LegendItem {
  datasetIndex: number;
  pointStyle?: unknown;
}
interface LegendDataset {
  borderDash?: number[];
  borderColor?: unknown;
  backgroundColor?: unknown;
  borderWidth?: number;
  hideInLegend?: boolean;
  legendStyle?: string;
  fill?: unknown;
  showLine?: boolean;
  pointStyle?: string;
  type?: string;
}
interface ChartForLegend {
  config: { type: string };
  data: { datasets: LegendDataset[] };
  constructor: { defaults: { plugins: { legend: { labels: { generateLabels(chart: unknown): LegendItem[] } } } } };
}

/**
 * Legend symbols that look like what they stand for: a line (dashed when the line is) for lines, a
 * box for bands and bars, the marker for markers. A dataset may say `legendStyle`.
 */
function legendLabels(chart: ChartForLegend): LegendItem[] {
  const items = chart.constructor.defaults.plugins.legend.labels.generateLabels(chart);
  return items
    .filter((it) => !chart.data.datasets[it.datasetIndex]?.hideInLegend)
    .map((it) => {
      const ds = chart.data.datasets[it.datasetIndex];
      const isBar = (ds.type ?? chart.config.type) === 'bar';
      const style = ds.legendStyle ?? (isBar || ds.showLine === false || (ds.fill !== undefined && ds.fill !== false) ? 'rect' : 'line');
      return style === 'line'
        ? {
            ...it,
            pointStyle: 'line',
            lineDash: ds.borderDash ?? [],
            strokeStyle: ds.borderColor,
            lineWidth: Math.max(2, ds.borderWidth ?? 2),
          }
        : style === 'rect'
          ? { ...it, pointStyle: style, fillStyle: ds.backgroundColor, lineWidth: 0 }
          : // A marker (star and cross are stroked only): drawn with its outline.
            { ...it, pointStyle: style, fillStyle: ds.backgroundColor, strokeStyle: ds.borderColor, lineWidth: 2 };
    });
}

export interface AxisText {
  title: string;
  x: string;
  y: string;
  subtitle?: string;
}

/** Options every chart shares: title, subtitle, legend, axis titles, fonts; merged with `extra`. */
export function baseOptions(
  t: AxisText,
  annotations: Annotations,
  scales: { x?: Record<string, unknown>; y?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const axisTitle = (text: string) => ({ display: true, text, font: { ...FONT, size: 15 }, color: '#222' });
  const ticks = { font: { ...FONT, size: 13 }, color: '#333' };
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
    plugins: {
      title: {
        display: true,
        text: t.title,
        font: { ...FONT, size: 19, weight: 'bold' },
        color: '#111',
        padding: { top: 6, bottom: t.subtitle ? 2 : 10 },
      },
      subtitle: t.subtitle
        ? { display: true, text: t.subtitle, font: { ...FONT, size: 13 }, color: '#555', padding: { bottom: 8 } }
        : { display: false },
      legend: {
        display: true,
        position: 'bottom',
        labels: {
          font: { ...FONT, size: 13 },
          color: '#222',
          usePointStyle: true,
          pointStyleWidth: 34,
          boxHeight: 9,
          padding: 14,
          generateLabels: legendLabels,
        },
      },
      tooltip: { enabled: false },
      annotations,
    },
    scales: {
      x: { title: axisTitle(t.x), ticks, grid: { color: '#e4e4e4' }, ...scales.x },
      y: { title: axisTitle(t.y), ticks, grid: { color: '#e4e4e4' }, ...scales.y },
    },
  };
}

/** The labels a chart's legend shows (legendLabels drops `hideInLegend`). */
export function legendTexts(c: Pick<ChartSpec, 'data'>): string[] {
  return c.data.datasets.filter((d) => !d.hideInLegend).map((d) => d.label);
}

const LEGEND_FONT = 13;
const LEGEND_ROW = 27; // font 13 + padding 14, as chart.js lays the rows out
/** The canvas width the legend may fill: the chart's width less the layout padding. */
const LEGEND_WIDTH = WIDTH - 40;

/**
 * Rows the bottom legend needs, laid out as chart.js does (items left to right, a new row when the
 * next does not fit): each item is its symbol (pointStyleWidth 34), a gap and its text, estimated at
 * 0.6 em a character of DejaVu Sans at 13 px, plus the item padding.
 */
export function legendRows(labels: readonly string[]): number {
  let rows = labels.length ? 1 : 0;
  let used = 0;
  for (const l of labels) {
    const w = 34 + 6 + l.length * 0.6 * LEGEND_FONT + 14;
    if (used > 0 && used + w > LEGEND_WIDTH) {
      rows += 1;
      used = 0;
    }
    used += w;
  }
  return rows;
}

/** The default canvas leaves room for two legend rows; each further row makes the chart taller, never the plot smaller. */
export function chartSize(labels: readonly string[]): { width: number; height: number } {
  return { width: WIDTH, height: HEIGHT + Math.max(0, legendRows(labels) - 2) * LEGEND_ROW };
}

export function spec(type: ChartSpec['type'], data: ChartSpec['data'], options: Record<string, unknown>): ChartSpec {
  return { type, data, options, plugins: [annotationsPlugin], size: chartSize(legendTexts({ data })) };
}
