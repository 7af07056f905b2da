/**
 * dcdh's bootstrap replication against DIDmultiplegtDYN's own R source: the package's resample
 * (did_multiplegt_bootstrap.R: set.seed(s); sample(groups, G, replace = TRUE), the drawn groups' rows
 * stacked) run through did_multiplegt_main gives the same effects, placebos, average total effect and
 * SEs as our estimate on the drawn units with the weights N_g × (times drawn), to 1e-10
 * (test-reference/fixtures/dcdh-bootstrap-package.json: the draws and the package's estimates; its
 * _source says how it was run). The bootstrap SE is then the sd of such replications (test/estimators/
 * dcdh/bootstrap.test.ts). With `cluster` the package's own bootstrap stops with an error in this
 * version (its collapse of the duplicated rows drops the cluster column), so the reference for it
 * (dcdh-bootstrap-cluster-package.json) is the package's resample of whole clusters run through
 * did_multiplegt_main without `cluster`, which only its analytic SEs read and the bootstrap discards:
 * each replication, and a whole bootstrap of six replications whose clusters the package picked, its
 * SEs = the package's sd over them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { clusterCodes } from '../../../src/estimators/twfe/start-groups.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { selectUnits } from '../../../src/panel/select-units.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { checkRows, close, referenceCsvs } from './package-fixture.js';

type Pair = [number, number];
interface Replication {
  args: Record<string, string | number | boolean>;
  draws: Record<string, number>;
  /** With cluster: each cluster's count (draws then holds each unit's cluster's). */
  cluster_draws?: Record<string, number>;
  effects: Pair[];
  placebos: Pair[];
  average: Pair;
}

const files = referenceCsvs('stagger-dcdh-boot-');

/** The panel a fixture's args name, read as the package read it. */
function panelOf(a: Replication['args']) {
  const csv = files[a.outcome as string];
  const controls = a.controls === undefined ? [] : [a.controls as string];
  const read = readPanelCsv(csv, {
    id: a.group as string,
    time: a.time as string,
    outcome: a.outcome as string,
    covariates: [a.treatment as string, ...controls],
    ...(a.weight ? { weights: a.weight as string } : {}),
    ...(a.cluster ? { cluster: a.cluster as string } : {}),
  });
  return { panel: withTreatmentColumn(read.panel, a.treatment as string, csv), controls };
}

/** Every replication of a fixture: our estimate on the drawn units weighted by their draws = the package's on its resample. */
function checkReplications(file: string, atLeast: number): void {
  const { models } = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', file), 'utf8')) as {
    models: Record<string, Replication>;
  };
  assert.ok(Object.keys(models).length >= atLeast);
  for (const [name, m] of Object.entries(models)) {
    const a = m.args;
    const { panel, controls } = panelOf(a);
    const weights = Float64Array.from(panel.ids, (id, i) => (panel.weights ? panel.weights[i] : 1) * (m.draws[id] ?? Number.NaN));
    assert.ok(
      weights.every((x) => Number.isFinite(x)),
      `${name}: every unit has its draw count`,
    );
    if (m.cluster_draws)
      panel.ids.forEach((id, i) =>
        assert.equal(m.draws[id], m.cluster_draws![String(panel.cluster![i])], `${name}: unit ${id} drawn with its cluster`),
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
}

it('a bootstrap replication = the package on its resampled data: estimates and SEs (1e-10)', () => {
  checkReplications('dcdh-bootstrap-package.json', 4);
});

it('with cluster, a replication drawing whole clusters = the package on its resample of clusters (1e-10)', () => {
  checkReplications('dcdh-bootstrap-cluster-package.json', 4);
});

it('with cluster, the bootstrap SEs over the package’s six picks of clusters = the sd of its six replications (1e-10)', () => {
  const { bootstrap: b } = JSON.parse(
    readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'dcdh-bootstrap-cluster-package.json'), 'utf8'),
  ) as {
    bootstrap: {
      args: Replication['args'];
      picks: string[][];
      effects_se: number[];
      placebos_se: number[];
      average_se: number;
    };
  };
  const { panel } = panelOf(b.args);
  // Our stream made to pick the package's clusters: bootstrapWeights draws cluster ⌊u·count⌋ per pick,
  // in the codes clusterCodes gives the cluster values.
  const { code, count } = clusterCodes(panel, true);
  const codeOf = new Map(Array.from(panel.cluster!, (v, i) => [v, code[i]]));
  const levels = b.picks.flat().map(Number);
  assert.ok(
    levels.every((v) => codeOf.has(v)),
    'every picked level is a cluster of the panel',
  );
  const us = levels.map((v) => (codeOf.get(v)! + 0.5) / count);
  assert.equal(us.length, b.picks.length * count, 'each replication picks as many clusters as there are');
  let k = 0;
  const rng = () => us[k++];
  const e = estimateDcdh(
    panel,
    { effects: b.args.effects as number, placebo: b.args.placebo as number, cluster: 'column', bootstrap: b.args.bootstrap as number },
    rng,
  );
  assert.equal(k, us.length, 'the bootstrap drew exactly the package’s picks');
  const rows = e.aggregates.dynamic!.detail!;
  b.effects_se.forEach((se, l) => close(rows.find((r) => r.key === l)?.se, se, 1e-10, `SE Effect_${l + 1}`));
  b.placebos_se.forEach((se, l) => close(rows.find((r) => r.key === -2 - l)?.se, se, 1e-10, `SE Placebo_${l + 1}`));
  close(e.aggregates.simple!.se, b.average_se, 1e-10, 'SE average total effect');
});
