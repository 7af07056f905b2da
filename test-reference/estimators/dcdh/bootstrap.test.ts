/**
 * dcdh's bootstrap replication against DIDmultiplegtDYN's own R source: the package's resample
 * (did_multiplegt_bootstrap.R: set.seed(s); sample(groups, G, replace = TRUE), the drawn groups' rows
 * stacked) run through did_multiplegt_main gives the same effects, placebos, average total effect and
 * SEs as our estimate on the drawn units with the weights N_g × (times drawn), to 1e-10
 * (test-reference/fixtures/dcdh-bootstrap-package.json: the draws and the package's estimates; its
 * _source says how it was run). The bootstrap SE is then the sd of such replications (test/estimators/
 * dcdh/bootstrap.test.ts). With `cluster` the package's own bootstrap stops with an error in this
 * version (its collapse of the duplicated rows drops the cluster column), so there is no reference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { selectUnits } from '../../../src/panel/select-units.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { checkRows, referenceCsvs } from './package-fixture.js';

type Pair = [number, number];
interface Replication {
  args: Record<string, string | number | boolean>;
  draws: Record<string, number>;
  effects: Pair[];
  placebos: Pair[];
  average: Pair;
}

const files = referenceCsvs('stagger-dcdh-boot-');

it('a bootstrap replication = the package on its resampled data: estimates and SEs (1e-10)', () => {
  const { models } = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'dcdh-bootstrap-package.json'), 'utf8')) as {
    models: Record<string, Replication>;
  };
  assert.ok(Object.keys(models).length >= 4);
  for (const [name, m] of Object.entries(models)) {
    const a = m.args;
    const csv = files[a.outcome as string];
    const controls = a.controls === undefined ? [] : [a.controls as string];
    const read = readPanelCsv(csv, {
      id: a.group as string,
      time: a.time as string,
      outcome: a.outcome as string,
      covariates: [a.treatment as string, ...controls],
      ...(a.weight ? { weights: a.weight as string } : {}),
    });
    const panel = withTreatmentColumn(read.panel, a.treatment as string, csv);
    const weights = Float64Array.from(panel.ids, (id, i) => (panel.weights ? panel.weights[i] : 1) * (m.draws[id] ?? Number.NaN));
    assert.ok(
      weights.every((x) => Number.isFinite(x)),
      `${name}: every unit has its draw count`,
    );
    // The replication as the bootstrap builds it: the drawn units, weighted by their draws.
    const drawn = [...weights.keys()].filter((i) => weights[i] > 0);
    const e = estimateDcdh(
      selectUnits(
        panel,
        drawn,
        Float64Array.from(drawn, (i) => weights[i]),
      ),
      {
        effects: a.effects as number,
        placebo: a.placebo as number,
        normalized: a.normalized as boolean | undefined,
        lessConservativeSe: a.less_conservative_se as boolean | undefined,
        covariates: controls.length ? controls : undefined,
      },
    );
    checkRows(e, m, name);
  }
});
