/**
 * dcdh's predict_het against DIDmultiplegtDYN's own R source (test-reference/fixtures/
 * dcdh-predict-het-package.json, its _source saying how it was run): on wagepan (r-cran-plm's Males,
 * exported at test time as wagepan.test.ts does) with educ, black, hisp, weights, trends_lin and
 * trends_nonparam, and on the synthetic discrete panel of discrete-panel.ts with controls; every
 * coefficient, HC1 SE, t, interval, N and F-test p-value to 1e-10. No author has published predict_het
 * numbers on data available here, so the package itself is the reference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { checkHetRows, type HetRow, referenceCsvs } from './package-fixture.js';

interface Model {
  args: {
    outcome: string;
    group: string;
    time: string;
    treatment: string;
    effects: number;
    placebo: number;
    predict_het: [string[], number[]];
  } & Record<string, unknown>;
  rows: HetRow[];
}

const files = referenceCsvs('stagger-dcdh-het-');

it('predict_het: coefficients, HC1 SEs, t, intervals, N and F tests = the package’s own R source (1e-10)', () => {
  const { models } = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'dcdh-predict-het-package.json'), 'utf8')) as {
    models: Record<string, Model>;
  };
  assert.ok(Object.keys(models).length >= 6);
  for (const [name, m] of Object.entries(models)) {
    const a = m.args;
    const csv = files[a.outcome];
    const [het, which] = a.predict_het;
    const controls = a.controls === undefined ? [] : [a.controls as string];
    const tnp = a.trends_nonparam === undefined ? [] : [a.trends_nonparam as string];
    const read = readPanelCsv(csv, {
      id: a.group,
      time: a.time,
      outcome: a.outcome,
      covariates: [a.treatment, ...het, ...controls, ...tnp],
      ...(a.weight ? { weights: a.weight as string } : {}),
    });
    const e = estimateDcdh(withTreatmentColumn(read.panel, a.treatment, csv), {
      effects: a.effects,
      placebo: a.placebo,
      trendsLin: a.trends_lin as boolean | undefined,
      covariates: controls.length ? controls : undefined,
      trendsNonparam: tnp.length ? tnp : undefined,
      predictHet: het,
      // The package's -1: every effect (and every placebo).
      predictHetEffects: which[0] === -1 ? undefined : which,
    });
    checkHetRows(e, m.rows, name);
  }
});
