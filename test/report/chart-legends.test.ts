/**
 * The chart configurations the report builds for many estimators (the case: 7 estimators, a
 * pre-test, fits): the legend lists only series that have data, no two series share colour and dash,
 * the legend has room (the canvas grows by legend rows), the truth is drawn on top, and a histogram's
 * axis spans its data, not 0. Expected figures are counts of the series built and the data's range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartSize, DASHES, HEIGHT, legendRows, legendTexts, PALETTE, type Dataset } from '../../src/report/chart-style.js';
import { eventStudyChart, intervalChart, samplingChart } from '../../src/report/charts.js';
import type { EventStudy, SamplingDistribution } from '../../src/report/draws-summary.js';

const REAL = ['cs', 'cs_never', 'cs_ipw', 'twfe', 'sunab', 'bjs', 'bacon'];
/** What run.diagnosis.estimators holds with a pre-test and a propensity fit: 7 real + 14 pseudo + 1 fit. */
const ALL = [...REAL, ...REAL.flatMap((e) => [`${e}|pretest`, `${e}|passed`]), 'cs_never|fit'];
const hasData = (e: string) =>
  !e.endsWith('|pretest') && !e.endsWith('|fit') && !(e.endsWith('|passed') && !['cs|passed', 'twfe|passed'].includes(e));

const events = [-3, -2, -1, 0, 1, 2, 3];
const study = (estimator: string, k: number): EventStudy => ({
  point: 0,
  estimator,
  events,
  truth: events.map((e) => (e < 0 ? 0 : 500)),
  population: events.map((e) => (e < 0 ? 0 : 510)),
  estimate: events.map((e) => (hasData(estimator) ? { lo: -100 + k, mid: (e < 0 ? 0 : 500) + k, hi: 700 + k } : null)),
});
const shown = ALL.filter(hasData); // 9 series: 7 estimators, cs|passed, twfe|passed

const styleKey = (d: Dataset) => `${String(d.borderColor)} ${JSON.stringify(d.borderDash ?? [])}`;

test('event study: one legend entry per estimator with estimates, distinct styles, the truth on top', () => {
  const c = eventStudyChart({ studies: ALL.map(study), unit: 'kr/month', per: 'month', pointLabel: '', draws: 100 });
  const legend = legendTexts(c);
  // 9 estimators + the band explanation + true ATT + population ATT + start of treatment = 13 (was 21 × 2 + 3).
  assert.equal(legend.length, shown.length + 4, legend.join(' | '));
  for (const e of ALL.filter((x) => !hasData(x)))
    assert.ok(!legend.some((l) => l === e || l.startsWith(`${e}:`)), `${e} has no estimates, yet is in the legend`);
  const means = c.data.datasets.filter((d) => shown.includes(d.label));
  assert.equal(means.length, shown.length);
  assert.equal(new Set(means.map(styleKey)).size, shown.length, 'two estimators share a colour and dash');
  const truth = c.data.datasets.find((d) => d.label.startsWith('true ATT'))!;
  // chart.js draws the lowest `order` last (on top); the estimates keep the default order 0.
  assert.ok(typeof truth.order === 'number' && truth.order < 0, `truth order ${truth.order}`);
  assert.ok(c.data.datasets.every((d) => d === truth || Number(d.order ?? 0) > (truth.order as number)));
  assert.equal(c.options.scales && (c.options.scales as { y: { title: { text: string } } }).y.title.text, 'ATT (kr/month)');
});

test('palette: Okabe–Ito colours, then dash patterns; 28 series before a style repeats', () => {
  assert.ok(PALETTE.includes('#E69F00') && PALETTE.includes('#0072B2') && PALETTE.length === 7);
  const n = PALETTE.length * DASHES.length;
  const c = eventStudyChart({
    studies: Array.from({ length: n }, (_, i) => study(`e${i}`, i)),
    unit: 'u',
    per: 'year',
    pointLabel: '',
    draws: 10,
  });
  const means = c.data.datasets.filter((d) => /^e\d+$/.test(d.label));
  assert.equal(new Set(means.map(styleKey)).size, n);
});

test('bias/coverage: series without a single value (pre-test and fit pseudo-estimators) are left out', () => {
  const c = intervalChart({
    title: 'Bias',
    subtitle: 's',
    x: 'estimand',
    y: 'bias (kr/month)',
    categories: ['overall'],
    series: ALL.map((e) => ({ label: e, values: [hasData(e) ? 10 : null], ses: [hasData(e) ? 2 : null] })),
    reference: { value: 0, label: 'no bias' },
  });
  assert.deepEqual(legendTexts(c), [...shown, 'no bias', '95 % Monte Carlo interval']);
  const points = c.data.datasets.filter((d) => shown.includes(d.label));
  assert.equal(
    new Set(points.map((d) => `${String(d.borderColor)} ${String(d.pointStyle)}`)).size,
    shown.length,
    'two series share colour and marker',
  );
  // Side by side within the category: 9 distinct x positions centred on 0.
  const xs = points.map((d) => (d.data[0] as { x: number }).x);
  assert.equal(new Set(xs).size, shown.length);
  assert.ok(Math.abs(xs.reduce((a, b) => a + b, 0)) < 1e-9);
});

test('the legend has room: the canvas grows by the rows the legend needs', () => {
  assert.equal(legendRows([]), 0);
  assert.equal(legendRows(['a', 'b']), 1);
  // 21 labels of 30 characters: 34 + 6 + 30 × 7.8 + 14 = 288 px each, 3 to a 920 px row: 7 rows.
  const long = Array.from({ length: 21 }, (_, i) => `estimator_${String(i).padStart(2, '0')}: 5–95 % of estimat`.slice(0, 30));
  assert.equal(legendRows(long), 7);
  assert.equal(chartSize(long).height, HEIGHT + 5 * 27);
  assert.equal(chartSize(['a', 'b']).height, HEIGHT);
  const c = eventStudyChart({ studies: ALL.map(study), unit: 'u', per: 'year', pointLabel: '', draws: 10 });
  assert.deepEqual(c.size, chartSize(legendTexts(c)));
});

test('histogram: the x axis spans the estimates and the truth, not 0; the truth line is drawn over the bars', () => {
  const dist = (estimator: string, centre: number): SamplingDistribution => ({
    point: 0,
    estimator,
    estimates: Array.from({ length: 100 }, (_, i) => centre + (i - 50) * 2),
    truth: 1000,
    population: 1010,
    notIdentified: 0,
  });
  const empty: SamplingDistribution = { ...dist('cs|pretest', 0), estimates: [] };
  const c = samplingChart({ dists: [dist('cs', 1000), dist('twfe', 1040), empty], unit: 'kr/month', pointLabel: '' });
  const x = (c.options.scales as { x: { min: number; max: number } }).x;
  // Data 900 … 1138, lines at 1000 and 1010: the range padded by 4 % of its span (238 → 9.52).
  assert.ok(Math.abs(x.min - (900 - 0.04 * 238)) < 1e-6, `min ${x.min}`);
  assert.ok(Math.abs(x.max - (1138 + 0.04 * 238)) < 1e-6, `max ${x.max}`);
  assert.ok(!legendTexts(c).some((l) => l.startsWith('cs|pretest')));
  const ann = (c.options.plugins as { annotations: { vLines: { x: number; top?: boolean }[] } }).annotations;
  assert.ok(ann.vLines.find((l) => l.x === 1000)!.top, 'the truth is drawn under the histograms');
  assert.ok(!ann.vLines.some((l) => l.x === 0), 'a zero line outside the data range would stretch the axis');
  assert.match((c.options.scales as { x: { title: { text: string } } }).x.title.text, /\(kr\/month\)$/);
});
