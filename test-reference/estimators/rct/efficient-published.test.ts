/**
 * Roth & Sant'Anna's efficient estimator against the published figures of the `staggered` package on
 * the procedural-justice rollout (README of jonathandroth/staggered, v1.2.3, "Simple aggregate
 * parameters", "Event-study Parameters" and "Other Estimators": 7 significant digits), on pj_officer
 * from ../shared/reference/external/ (moved here from test/estimators/rct/efficient.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateEfficient, type EfficientRow } from '../../../src/estimators/rct/efficient-estimator.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { sharedFile } from '../../../test/helpers/reference.js';

/** Equal to a figure printed with 7 significant digits. */
function printed(actual: number | null | undefined, figure: number, what: string): void {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - figure) <= 5e-7 * Math.abs(figure) + 1e-12,
    `${what}: got ${actual}, published ${figure}`,
  );
}

describe("efficient estimator: the staggered package's published figures (pj_officer, complaints)", () => {
  const load = () =>
    readPanelCsv(sharedFile('external', 'pj_officer.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'complaints' }).panel;

  it('simple, cohort, calendar and the event study 0..5: estimate, se and se_neyman (README v1.2.3)', () => {
    const panel = load();
    const e = estimateEfficient(panel, { minE: 0, maxE: 5, cells: false });
    const agg = (k: 'simple' | 'group' | 'calendar') => e.aggregates[k] as unknown as EfficientRow;
    const readme: [string, EfficientRow, number, number, number][] = [
      ['simple', agg('simple'), -0.001126981, 0.002115194, 0.002119248],
      ['cohort', agg('group'), -0.001084689, 0.002261011, 0.002264876],
      ['calendar', agg('calendar'), -0.00187198, 0.00255863, 0.002561472],
    ];
    const es = [
      [3.083575e-4, 0.002645327, 0.002650957],
      [2.591678e-3, 0.002614563, 0.002621513],
      [-4.872562e-5, 0.00262264, 0.002623634],
      [2.043434e-3, 0.002715695, 0.002720467],
      [2.977076e-3, 0.002653917, 0.00265963],
      [7.979656e-4, 0.002721784, 0.00272714],
    ];
    const detail = e.aggregates.dynamic!.detail as EfficientRow[];
    es.forEach(([est, se, sen], h) => readme.push([`eventTime ${h}`, detail.find((d) => d.key === h)!, est, se, sen]));
    for (const [what, row, est, se, sen] of readme) {
      printed(row.att, est, `${what} estimate`);
      printed(row.se, se, `${what} se`);
      printed(row.se_neyman, sen, `${what} se_neyman`);
    }
  });

  it('β = 1 is staggered_cs: simple −0.005176818 (se 0.003928735, se_neyman 0.003930919)', () => {
    const e = estimateEfficient(load(), { beta: 1, cells: false, aggregations: ['simple'] });
    const s = e.aggregates.simple as unknown as EfficientRow;
    printed(s.att, -0.005176818, 'cs estimate');
    printed(s.se, 0.003928735, 'cs se');
    printed(s.se_neyman, 0.003930919, 'cs se_neyman');
  });

  it('β = 1 with the last cohort as the only comparison is staggered_sa: simple 0.01153851 (se 0.01730161, se_neyman 0.01730234)', () => {
    // README "Other Estimators": staggered_sa(df, ..., estimand = "simple") = staggered(beta = 1, use_last_treated_only = TRUE).
    const e = estimateEfficient(load(), { beta: 1, lastTreatedOnly: true, cells: false, aggregations: ['simple'] });
    const s = e.aggregates.simple as unknown as EfficientRow;
    printed(s.att, 0.01153851, 'sa estimate');
    printed(s.se, 0.01730161, 'sa se');
    printed(s.se_neyman, 0.01730234, 'sa se_neyman');
    assert.equal(e.estimator, 'efficient:beta=1:last_treated_only');
  });
});
