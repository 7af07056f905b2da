/**
 * Reference panels and R output. Two homes:
 * - test/fixtures/did/: the synthetic parity panels sim_a–sim_c and the option panels, made with R and
 *   committed with the R did 2.5.1 output that test/fixtures/did/make-reference.R regenerates;
 * - ../shared/reference/ (or $STAGGER_SHARED/reference/): data from other packages' repositories
 *   (mpdta, castle, pj_officer, peers/), which may not be copied into the project. Only the tests of
 *   `npm run test:reference` (test-reference/) read it, and they fail when it is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPanelCsv } from '../../src/panel/csv.js';
import type { Panel } from '../../src/panel/panel.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The project root (dist/test/helpers → three levels up). */
export const ROOT = resolve(here, '..', '..', '..');
export const FIXTURES = resolve(ROOT, 'test', 'fixtures');
export const FIXTURE_DID = resolve(FIXTURES, 'did');
/** ../shared beside the clone, or $STAGGER_SHARED. */
export const SHARED = process.env.STAGGER_SHARED ? resolve(process.env.STAGGER_SHARED) : resolve(ROOT, '..', 'shared');
export const SHARED_REFERENCE = resolve(SHARED, 'reference');

/**
 * A file under ../shared/reference/ for a test of `npm run test:reference`.
 * @throws {Error} naming the path and how to provide it, when it is missing (those tests fail, never skip).
 */
export function sharedFile(...parts: string[]): string {
  const file = resolve(SHARED_REFERENCE, ...parts);
  if (!existsSync(file)) {
    throw new Error(
      `reference data missing: ${file} (the reference suite needs the shared folder beside the clone, ../shared, or STAGGER_SHARED=/path/to/shared)`,
    );
  }
  return file;
}

export interface RefEntry {
  options: {
    est_method: 'dr' | 'ipw' | 'reg';
    control_group: 'nevertreated' | 'notyettreated';
    base_period: 'varying' | 'universal';
    anticipation: number;
    covariates: string[] | string;
  };
  att_gt: { group: number; time: number; att: number | null; se: number | null }[];
  wald_pretest: { W: number | null; p: number | null } | null;
  simple: { att: number; se: number };
  group: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
  dynamic: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
  calendar: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
}

/** A reference file: a bare array of entries (as ../shared has them) or { versions, entries }. */
export interface RefFile {
  versions?: Record<string, string>;
  entries: RefEntry[];
}

/** The synthetic parity panels, committed under test/fixtures/did/. */
export const REF_PANELS = ['sim_a', 'sim_b', 'sim_c'];

export function readRefFile(file: string): RefFile {
  const j = JSON.parse(readFileSync(file, 'utf8')) as RefEntry[] | RefFile;
  return Array.isArray(j) ? { entries: j } : j;
}

/**
 * A reference panel and its R did entries: sim_a–sim_c from the fixtures, mpdta from ../shared.
 * @param opts.cluster read the panel's cluster column too (then the estimator clusters its SEs).
 */
export function loadReference(
  name: string,
  opts: { cluster?: boolean } = {},
): { panel: Panel; entries: RefEntry[]; covariates: string[]; versions?: Record<string, string> } {
  const shared = name === 'mpdta';
  const at = (ext: string) => (shared ? sharedFile('did', `${name}.${ext}`) : resolve(FIXTURE_DID, `${name}.${ext}`));
  const { entries, versions } = readRefFile(at('json'));
  const covSets = entries.map((e) => (Array.isArray(e.options.covariates) ? e.options.covariates : [e.options.covariates]));
  const covariates = [...new Set(covSets.flat())];
  const { panel } = readPanelCsv(at('csv'), {
    id: 'id',
    time: 'period',
    group: 'first_treat',
    outcome: 'y',
    covariates,
    cluster: opts.cluster && !shared ? 'cluster' : undefined,
  });
  return { panel, entries, covariates, versions };
}

export function covariatesOf(e: RefEntry): string[] {
  return Array.isArray(e.options.covariates) ? e.options.covariates : [e.options.covariates];
}

/** did_compare.py's rule: relative to max(1, |ref|). */
export function close(mine: number | null | undefined, ref: number | null | undefined, rel: number): boolean {
  if (ref === null || ref === undefined) return mine === null || mine === undefined;
  if (mine === null || mine === undefined) return false;
  return Math.abs(mine - ref) <= rel * Math.max(1, Math.abs(ref));
}
