import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANALYTIC_COLUMN } from '../../src/report/analytic-power.js';
import { gridPowerLines } from '../../src/report/report.js';
import { DiagnosisIndex, overallTables } from '../../src/report/tables.js';
import type { DiagnosisFile, DiagnosisFileRow } from '../../src/report/run-files.js';

const row = (point: number, estimator: string, diagnosand: string, value: number | null, mc_se = 0.02): DiagnosisFileRow =>
  ({ point, estimator, estimand: 'simple', target: null, diagnosand, value, mc_se, n: 200 }) as DiagnosisFileRow;

function file(withAnalytic: boolean): DiagnosisFile {
  const rows: DiagnosisFileRow[] = [];
  for (const point of [0, 1]) {
    for (const e of ['hh', 'cs']) {
      rows.push(row(point, e, 'power', point === 0 ? 0.61 : 0.83), row(point, e, 'not_identified', 0, 0));
      if (withAnalytic && e === 'hh')
        rows.push(row(point, e, 'analytic_se', 0.2, 0), row(point, e, 'analytic_power', point === 0 ? 0.6234 : 0.8512, 0));
    }
  }
  return {
    alpha: 0.05,
    seed: '1',
    draws: 200,
    estimators: ['hh', 'cs'],
    points: [
      { index: 0, settings: { 'design.clusters': 16 } },
      { index: 1, settings: { 'design.clusters': 24 } },
    ],
    rows,
  };
}

test('the overall table shows the analytic power beside the simulated power of hh, — for other estimators', () => {
  const ix = new DiagnosisIndex(file(true));
  const [overall] = overallTables(ix, ix.file.points);
  const at = overall.head.indexOf(ANALYTIC_COLUMN);
  assert.equal(at, overall.head.indexOf('power') + 1);
  assert.deepEqual(
    overall.rows.map((r) => [r[2], r[at]]),
    [
      ['hh', '0.623'],
      ['cs', '—'],
      ['hh', '0.851'],
      ['cs', '—'],
    ],
  );
  assert.match(overall.caption, /Hussey & Hughes \(2007\) power of the planned design/);
  assert.equal(overall.rows[0].length, overall.head.length);
});

test('a run without analytic rows: the overall table is as before', () => {
  const ix = new DiagnosisIndex(file(false));
  const [overall] = overallTables(ix, ix.file.points);
  assert.ok(!overall.head.includes(ANALYTIC_COLUMN));
  assert.doesNotMatch(overall.caption, /Hussey/);
  assert.equal(overall.rows[0].length, overall.head.length);
  assert.deepEqual(gridPowerLines(ix, ix.file.points, 'design.clusters', ix.file.estimators, 'analytic_power', ', analytic HH'), []);
});

test('the power curve gets one exact analytic line per hh estimator along the axis', () => {
  const ix = new DiagnosisIndex(file(true));
  const lines = gridPowerLines(ix, ix.file.points, 'design.clusters', ix.file.estimators, 'analytic_power', ', analytic HH');
  assert.deepEqual(lines, [{ label: 'hh, analytic HH', xs: [16, 24], power: [0.6234, 0.8512], ses: [0, 0] }]);
});
