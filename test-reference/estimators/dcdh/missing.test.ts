/**
 * dcdh on unbalanced panels with missing outcomes, missing treatments and weights that vary over time,
 * against DIDmultiplegtDYN's own R source (its missing-data conventions, did_multiplegt_main.R). No
 * author has published numbers on such a panel that is available here, so the panels are the two the
 * other package fixtures use (the synthetic discrete panel and the wagepan export) with rows deleted,
 * outcomes and treatments emptied and a time-varying weight `wt` added by gapped-panel.ts (seeded,
 * rebuilt at test time); the reference is test-reference/fixtures/dcdh-missing-package.json, its
 * _source saying how the package was run on the same CSVs. Tolerance 1e-10.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { GAPS, gappedCsv } from './gapped-panel.js';
import { checkHetRows, checkPackageModel, type HetRow, packageModels, referenceCsvs, type Roles } from './package-fixture.js';

const files = referenceCsvs('stagger-dcdh-missing-');
const gapped: Record<string, string> = {};
/** The same panels with every deleted row written back as a row of missing values. */
const explicit: Record<string, string> = {};
before(() => {
  for (const [panel, { from, seed, ...g }] of Object.entries(GAPS)) {
    gapped[panel] = join(files[from], '..', `${panel}-gapped.csv`);
    gappedCsv(files[from], gapped[panel], seed, g);
    explicit[panel] = join(files[from], '..', `${panel}-explicit.csv`);
    gappedCsv(files[from], explicit[panel], seed, { ...g, explicit: true });
  }
});

const ROLES: Record<string, Roles> = {
  discrete: { id: 'id', time: 't', outcome: 'y', treatment: 'd' },
  wagepan: { id: 'nr', time: 'year', outcome: 'lwage', treatment: 'union' },
};

/** Every model of a fixture on the gapped panels (or their explicit copies), its count asserted (1e-10). */
function checkFixture(file: string, count: number, csvs = gapped): void {
  const models = packageModels(file);
  assert.equal(Object.keys(models).length, count, `${file} lists its ${count} models`);
  for (const [name, m] of Object.entries(models)) {
    const panel = (m as unknown as { panel: string }).panel;
    checkPackageModel(csvs[panel], ROLES[panel], name, m);
  }
}

it('unbalanced panels with missing values and time-varying weights: every model and its joint tests = the package’s own R source (1e-10)', () => {
  const models = packageModels('dcdh-missing-package.json');
  const panels = new Set(Object.values(models).map((m) => (m as unknown as { panel: string }).panel));
  assert.deepEqual([...panels].sort(), ['discrete', 'wagepan'], 'the fixture covers both gapped panels');
  checkFixture('dcdh-missing-package.json', 30);
});

it('controls on those panels, some of their values missing (the rows then dropped, as the package does): every model = the package’s own R source (1e-10)', () => {
  checkFixture('dcdh-missing-controls-package.json', 16);
});

it('continuous on those panels with every gap a row of missing values: every model = the package’s own R source as published (1e-10)', () => {
  checkFixture('dcdh-missing-continuous-explicit-package.json', 17, explicit);
});

it('continuous on those panels with rows absent: every model = the package’s source with its one NA-dropping subset mended (1e-10)', () => {
  // As published, the package's continuous branch deletes a switcher's balancing-filled rows and then
  // differences across the gap (the fixture's _source); with that line mended it reads an absent row as
  // the explicit fixture's rows, which is what we do.
  checkFixture('dcdh-missing-continuous-package.json', 17);
});

it('predict_het on those panels: coefficients, HC1 SEs, t, intervals, N and F tests = the package’s own R source (1e-10)', () => {
  const { models } = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'dcdh-missing-het-package.json'), 'utf8')) as {
    models: Record<
      string,
      {
        panel: string;
        het: string[];
        which: number[];
        args: Record<string, unknown>;
        rows: HetRow[];
      }
    >;
  };
  assert.equal(Object.keys(models).length, 9, 'the fixture lists its 9 models');
  for (const [name, m] of Object.entries(models)) {
    const a = m.args;
    const roles = ROLES[m.panel];
    const controls = a.controls === undefined ? [] : [a.controls as string];
    const tnp = a.trends_nonparam === undefined ? [] : [a.trends_nonparam as string];
    const csv = gapped[m.panel];
    const read = readPanelCsv(csv, {
      id: roles.id,
      time: roles.time,
      outcome: roles.outcome,
      covariates: [roles.treatment, ...m.het, ...controls, ...tnp],
      ...(a.weight ? { weights: a.weight as string } : {}),
      gaps: true,
    });
    const e = estimateDcdh(withTreatmentColumn(read.panel, roles.treatment, csv), {
      effects: a.effects as number,
      placebo: a.placebo as number,
      covariates: controls.length ? controls : undefined,
      trendsNonparam: tnp.length ? tnp : undefined,
      trendsLin: a.trends_lin as boolean | undefined,
      predictHet: m.het,
      predictHetEffects: m.which[0] === -1 ? undefined : m.which,
    });
    checkHetRows(e, m.rows, name);
  }
});

it('trends_lin on those panels (the conventions on the levels, then differences against the rows the package holds): every model = the package’s own R source (1e-10)', () => {
  checkFixture('dcdh-missing-trends-lin-package.json', 10);
});
