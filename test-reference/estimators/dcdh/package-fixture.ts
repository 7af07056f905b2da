/**
 * The dcdh parity tests' reading of a fixture of DIDmultiplegtDYN's own R source (test-reference/
 * fixtures/dcdh-*-package.json, each with its _source): a model's did_multiplegt_dyn arguments become
 * the panel read and the dcdh options, and its rows (Effect_ℓ, Placebo_ℓ, Av_tot_eff, and the joint
 * tests' p-values when recorded) are compared with ours at 1e-10.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import type { Estimate } from '../../../src/estimators/types.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { discreteCsv } from './discrete-panel.js';
import { EXPORT_R } from './wagepan-export.js';

type Pair = [number, number];
export interface PackageModel {
  args: Record<string, unknown>;
  effects: Pair[];
  placebos: Pair[];
  average: Pair | null;
  tests?: { equal: number | null; zero: number | null; placebo: number | null };
}

export function packageModels(file: string): Record<string, PackageModel> {
  return (JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', file), 'utf8')) as { models: Record<string, PackageModel> })
    .models;
}

export function close(got: number | null | undefined, want: number, tol: number, what: string): void {
  assert.ok(
    typeof got === 'number' && Math.abs(got - want) <= tol,
    `${what}: ${got} vs ${want} (|Δ| = ${typeof got === 'number' ? Math.abs(got - want) : '–'})`,
  );
}

/** The CSV's columns in the package's roles: outcome, group, time and treatment. */
export interface Roles {
  id: string;
  time: string;
  outcome: string;
  treatment: string;
}

/** Our estimate of one fixture model on `csv`, every row against the package's (1e-10). */
export function checkPackageModel(csv: string, roles: Roles, name: string, m: PackageModel): void {
  const a = m.args;
  const list = (v: unknown) => (v === undefined ? [] : ([] as string[]).concat(v as string | string[]));
  const controls = list(a.controls);
  const tnp = list(a.trends_nonparam);
  const read = readPanelCsv(csv, {
    id: roles.id,
    time: roles.time,
    outcome: roles.outcome,
    covariates: [roles.treatment, ...controls, ...tnp],
    ...(a.cluster ? { cluster: a.cluster as string } : {}),
    ...(a.weight ? { weights: a.weight as string } : {}),
    gaps: true,
  });
  const e = estimateDcdh(withTreatmentColumn(read.panel, roles.treatment, csv), {
    effects: a.effects as number,
    placebo: a.placebo as number,
    trendsLin: a.trends_lin as boolean | undefined,
    switchers: a.switchers as 'in' | 'out' | undefined,
    normalized: a.normalized as boolean | undefined,
    sameSwitchers: a.same_switchers as boolean | undefined,
    sameSwitchersPl: a.same_switchers_pl as boolean | undefined,
    lessConservativeSe: a.less_conservative_se as boolean | undefined,
    control: a.only_never_switchers ? 'never' : 'notyet',
    cluster: a.cluster ? 'column' : 'unit',
    trendsNonparam: tnp.length ? tnp : undefined,
    covariates: controls.length ? controls : undefined,
    continuous: a.continuous as number | undefined,
    dontDropLargerLower: a.dont_drop_larger_lower as boolean | undefined,
    dropIfDMissBeforeFirstSwitch: a.drop_if_d_miss_before_first_switch as boolean | undefined,
  });
  checkRows(e, m, name);
  const p = (test: string) => e.tests!.find((t) => t.test === test)?.p;
  if (m.tests?.equal != null) close(p('effects_equal'), m.tests.equal, 1e-10, `${name} p, effects equal`);
  if (m.tests?.zero != null) close(p('effects_zero'), m.tests.zero, 1e-10, `${name} p, effects 0`);
  if (m.tests?.placebo != null) close(e.wald_pretest?.p, m.tests.placebo, 1e-10, `${name} p, placebos 0`);
}

/** Effect_ℓ, Placebo_ℓ and the average total effect (estimate and SE) against the package's, 1e-10. */
export function checkRows(e: Estimate, m: Pick<PackageModel, 'effects' | 'placebos' | 'average'>, name: string): void {
  const rows = e.aggregates.dynamic!.detail!;
  m.effects.forEach(([est, se], k) => {
    const r = rows.find((x) => x.key === k);
    close(r?.att, est, 1e-10, `${name} Effect_${k + 1}`);
    close(r?.se, se, 1e-10, `${name} SE Effect_${k + 1}`);
  });
  m.placebos.forEach(([est, se], k) => {
    const r = rows.find((x) => x.key === -2 - k);
    close(r?.att, est, 1e-10, `${name} Placebo_${k + 1}`);
    close(r?.se, se, 1e-10, `${name} SE Placebo_${k + 1}`);
  });
  if (m.average) {
    close(e.aggregates.simple!.att, m.average[0], 1e-10, `${name} average total effect`);
    close(e.aggregates.simple!.se, m.average[1], 1e-10, `${name} SE average total effect`);
  } else assert.equal(e.aggregates.simple!.att, null, `${name}: no average total effect`);
}

/**
 * The two panels the package fixtures were run on, written to a temporary folder before the tests and
 * removed after: wagepan (Rscript exports r-cran-plm's Males; a missing Rscript or plm fails the test)
 * and the synthetic discrete panel. Keyed by their outcome column, as the fixtures' args name it.
 */
export function referenceCsvs(prefix: string): Record<string, string> {
  const files: Record<string, string> = {};
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    files.lwage = join(dir, 'wagepan.csv');
    execFileSync('Rscript', ['-e', EXPORT_R, files.lwage], { stdio: ['ignore', 'ignore', 'pipe'] });
    files.y = join(dir, 'discrete.csv');
    discreteCsv(files.y);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return files;
}

/** A predict_het row of the package: [effect (negative: placebo), covariate, Estimate, SE, t, LB, UB, N, pF]. */
export type HetRow = [number, string, number, number, number, number, number, number, number];

/** Our predict_het rows against the package's: every number to 1e-10, N exact. */
export function checkHetRows(e: Estimate, rows: HetRow[], name: string): void {
  assert.equal(e.heterogeneity!.length, rows.length, `${name}: rows`);
  for (const [effect, covariate, est, se, t, lb, ub, N, pF] of rows) {
    const r = e.heterogeneity!.find((x) => x.effect === effect && x.covariate === covariate);
    const what = `${name} ${effect > 0 ? `effect ${effect}` : `placebo ${-effect}`} ${covariate}`;
    assert.ok(r, `${what}: no row`);
    close(r.estimate, est, 1e-10, `${what} estimate`);
    close(r.se, se, 1e-10, `${what} SE`);
    close(r.t, t, 1e-10, `${what} t`);
    close(r.lb, lb, 1e-10, `${what} lower bound`);
    close(r.ub, ub, 1e-10, `${what} upper bound`);
    assert.equal(r.n, N, `${what} N`);
    close(r.pF, pF, 1e-10, `${what} F-test p`);
  }
}
