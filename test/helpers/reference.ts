/** Loads the R did 2.5.1 reference panels and results from ../shared/reference/did/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPanelCsv } from '../../src/panel/csv.js';
import type { Panel } from '../../src/panel/panel.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The project root (dist/test/helpers → three levels up). */
export const ROOT = resolve(here, '..', '..', '..');
export const REF_DIR = resolve(ROOT, '..', 'shared', 'reference', 'did');
export const hasReference = existsSync(REF_DIR);

export interface RefEntry {
  options: { est_method: 'dr' | 'ipw' | 'reg'; control_group: 'nevertreated' | 'notyettreated'; base_period: 'varying' | 'universal'; anticipation: number; covariates: string[] | string };
  att_gt: { group: number; time: number; att: number | null; se: number | null }[];
  wald_pretest: { W: number | null; p: number | null } | null;
  simple: { att: number; se: number };
  group: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
  dynamic: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
  calendar: { att: number; se: number; detail: { key: number; att: number; se: number | null }[] };
}

export const REF_PANELS = ['mpdta', 'sim_a', 'sim_b', 'sim_c'];

export function loadReference(name: string): { panel: Panel; entries: RefEntry[]; covariates: string[] } {
  const entries = JSON.parse(readFileSync(resolve(REF_DIR, `${name}.json`), 'utf8')) as RefEntry[];
  const covSets = entries.map((e) => (Array.isArray(e.options.covariates) ? e.options.covariates : [e.options.covariates]));
  const covariates = [...new Set(covSets.flat())];
  const { panel } = readPanelCsv(resolve(REF_DIR, `${name}.csv`), {
    id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates,
    cluster: name === 'mpdta' ? undefined : 'cluster',
  });
  return { panel, entries, covariates };
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
