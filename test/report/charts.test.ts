/**
 * Chart builders on small fixture results: each chart has a title, axis titles and a legend, and
 * renders to a PNG of the report size (skipped, with the reason, when the canvas packages are missing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChartSpec } from '../../src/report/chart-style.js';
import {
  accrualChart,
  bandBarsChart,
  binEdges,
  calendarTicks,
  eventStudyChart,
  intervalChart,
  powerCurveChart,
  samplingChart,
} from '../../src/report/charts.js';
import type { EventStudy, RecruitmentStats, SamplingDistribution } from '../../src/report/draws-summary.js';
import { isPng, loadRenderer, pngSize } from '../../src/report/render.js';

const band = (mid: number, w: number) => ({ lo: mid - w, mid, hi: mid + w });
const periods = { first: 1, unit: 'month', calendarStart: '2015-01' };

const events = Array.from({ length: 21 }, (_, i) => i - 10);
const truePath = events.map((e) => (e < 3 ? 0 : Math.min(1000, 250 * (e - 2))));
const study = (estimator: string, shift: number): EventStudy => ({
  point: 0,
  estimator,
  events,
  truth: truePath,
  population: truePath.map((t) => t * 1.05),
  estimate: truePath.map((t) => band(t + shift, 400)),
});
const sampling = (estimator: string, centre: number): SamplingDistribution => ({
  point: 0,
  estimator,
  estimates: Array.from({ length: 200 }, (_, i) => centre + 300 * Math.sin(i * 12.9898) * 2).sort((a, b) => a - b),
  truth: 600,
  population: 640,
  notIdentified: 0,
});
const recruitment: RecruitmentStats = {
  point: 0,
  design: 'waitlist',
  draws: 50,
  periods: Array.from({ length: 23 }, (_, i) => 56 + i),
  enrolled: Array.from({ length: 23 }, (_, i) => band(24 * (i + 1), 3 + i)),
  referred: Array.from({ length: 23 }, (_, i) => band(37 * (i + 1), 5 + i)),
  totals: [
    { name: 'referred', band: band(860, 30) },
    { name: 'consented', band: band(560, 25) },
    { name: 'excluded', band: band(19, 5) },
    { name: 'analysed', band: band(541, 25) },
  ],
  groups: Array.from({ length: 9 }, (_, k) => ({ label: `${k + 1}th`, size: band(60, 8), start: band(57 + 2 * k, 1) })),
  stops: [{ reason: 'window closed', share: 1 }],
};

const charts: Record<string, ChartSpec> = {
  power: powerCurveChart({
    axis: 'effect.size',
    xUnit: 'kr/month',
    lines: [
      { label: 'cs_dr', xs: [0, 500, 1000, 1500], power: [0.05, 0.3, 0.72, 0.95], ses: [0.01, 0.02, 0.02, 0.01] },
      { label: 'twfe', xs: [0, 500, 1000, 1500], power: [0.06, 0.25, 0.6, 0.9], ses: [0.01, 0.02, 0.02, 0.01] },
    ],
    target: 0.8,
    draws: 500,
    mdes: [{ value: 1150, interval: [1080, 1230], label: 'MDE 1,150' }],
  }),
  coverage: intervalChart({
    title: 'Coverage',
    subtitle: 's',
    x: 'design point',
    y: 'coverage (share of draws)',
    categories: ['a', 'b', 'c'],
    series: [{ label: 'cs_dr', values: [0.95, 0.93, 0.99], ses: [0.01, 0.01, 0.01] }],
    reference: { value: 0.95, label: 'nominal 95 %', band: [0.93, 0.97] },
    limits: { min: 0, max: 1 },
  }),
  event: eventStudyChart({ studies: [study('cs_dr', 0), study('twfe', 150)], unit: 'kr/month', per: 'month', pointLabel: '', draws: 50 }),
  sampling: samplingChart({ dists: [sampling('cs_dr', 600), sampling('twfe', 800)], unit: 'kr/month', pointLabel: '' }),
  accrual: accrualChart({
    stats: [{ label: 'the design', r: recruitment }],
    planned: recruitment.periods.map((p, i) => ({ period: p, value: 35 * (i + 1) })),
    target: recruitment.periods.map((p) => ({ period: p, value: p < 68 ? 800 : 600 })),
    periods,
    per: 'month',
    who: 'people',
  }),
  groups: bandBarsChart({
    title: 'Start-group sizes',
    subtitle: 's',
    x: 'start group',
    y: 'people',
    categories: recruitment.groups.map((g) => g.label),
    series: [{ label: 'median draw', bands: recruitment.groups.map((g) => g.size) }],
  }),
};

test('every chart has a title, axis titles with units, and a legend', () => {
  for (const [name, c] of Object.entries(charts)) {
    const o = c.options as {
      plugins: { title: { text: string }; legend: { display: boolean } };
      scales: { x: { title: { text: string } }; y: { title: { text: string } } };
    };
    assert.ok(o.plugins.title.text.length > 3, `${name}: title`);
    assert.equal(o.plugins.legend.display, true, `${name}: legend`);
    assert.ok(o.scales.x.title.text && o.scales.y.title.text, `${name}: axis titles`);
    assert.ok(c.data.datasets.length >= 2, `${name}: datasets`);
  }
  assert.match((charts.power.options as { scales: { x: { title: { text: string } } } }).scales.x.title.text, /kr\/month/);
  assert.match((charts.event.options as { scales: { y: { title: { text: string } } } }).scales.y.title.text, /ATT \(kr\/month\)/);
});

test('histogram bins span the data: 12–40 equal bins', () => {
  const v = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
  const e = binEdges(v);
  assert.ok(e.length - 1 >= 12 && e.length - 1 <= 40);
  assert.ok(e[0] <= Math.min(...v) && e[e.length - 1] >= Math.max(...v) - 1e-9);
});

test('accrual ticks fall on calendar quarters', () => {
  const t = calendarTicks(recruitment.periods, periods);
  assert.deepEqual(t, [58, 61, 64, 67, 70, 73, 76]); // 2019-10, 2020-01, …, 2021-04
});

test('charts render to PNGs of the report size', async (_t) => {
  const r = await loadRenderer();
  assert.ok(!('error' in r), `charts cannot be drawn here: ${'error' in r ? r.error : ''} (bash scripts/setup.sh builds canvas)`);
  if ('error' in r) return;
  for (const [name, c] of Object.entries(charts)) {
    const png = await r.render(c);
    assert.ok(isPng(png), `${name}: PNG signature`);
    assert.deepEqual(pngSize(png), { width: 960, height: 480 }, `${name}: size`);
    assert.ok(png.length > 15_000, `${name}: ${png.length} bytes is too small for a drawn chart`);
  }
});
