/**
 * The R did 2.5.1 references of test/fixtures/did/ (written by make-reference-rc.R) and the rule
 * that compares an Estimate with one of their entries.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DidOptions } from '../../../src/estimators/did/index.js';
import type { Estimate } from '../../../src/estimators/types.js';
import { close, ROOT } from '../../helpers/reference.js';

export const FIXTURES = resolve(ROOT, 'test', 'fixtures', 'did');

interface Row {
  key: number;
  att: number | null;
  se: number | null;
}
interface Agg {
  att: number | null;
  se: number | null;
  detail: Row[];
  crit?: number | null;
}

export interface FixtureEntry {
  options: {
    est_method: 'dr' | 'ipw' | 'reg';
    control_group: 'nevertreated' | 'notyettreated';
    base_period: 'varying' | 'universal';
    anticipation: number;
    covariates: string[];
    biters?: number;
    clustervars?: string | null;
  };
  att_gt: { group: number; time: number; att: number | null; se: number | null }[];
  wald_pretest: { W: number | null; p: number | null } | null;
  simple: Agg;
  group: Agg;
  dynamic: Agg;
  calendar: Agg;
  crit?: number | null;
}

export interface Fixture {
  versions: { R: string; did: string; DRDID: string; BMisc: string };
  entries: FixtureEntry[];
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
}

/** The options of an entry in Stagger's names. */
export function optionsOf(e: FixtureEntry): Partial<DidOptions> {
  return {
    method: e.options.est_method,
    control: e.options.control_group === 'nevertreated' ? 'never' : 'notyet',
    basePeriod: e.options.base_period,
    anticipation: e.options.anticipation,
    covariates: e.options.covariates,
  };
}

export const AGGS = ['simple', 'group', 'dynamic', 'calendar'] as const;

/** Every number of the entry that ours misses: estimates by `estTol`, SEs by `seTol` (relative to max(1, |R|)). */
export function disagreementsWith(ref: FixtureEntry, out: Estimate, estTol = 1e-6, seTol = 1e-4): string[] {
  const bad: string[] = [];
  const mine = new Map(out.att_gt.map((c) => [`${c.group},${c.time}`, c]));
  if (out.att_gt.length !== ref.att_gt.length) bad.push(`${out.att_gt.length} ATT(g,t) cells, R has ${ref.att_gt.length}`);
  for (const c of ref.att_gt) {
    const m = mine.get(`${c.group},${c.time}`);
    if (!m || !close(m.att, c.att, estTol) || !close(m.se, c.se, seTol))
      bad.push(`ATT(${c.group},${c.time}): ours ${m?.att} (${m?.se}) R ${c.att} (${c.se})`);
  }
  if (ref.wald_pretest?.W != null) {
    if (!close(out.wald_pretest?.W, ref.wald_pretest.W, seTol)) bad.push(`Wald W: ours ${out.wald_pretest?.W} R ${ref.wald_pretest.W}`);
  }
  for (const agg of AGGS) {
    const r = ref[agg];
    const m = out.aggregates[agg];
    if (!m || !close(m.att, r.att, estTol) || !close(m.se, r.se, seTol)) {
      bad.push(`${agg}: ours ${m?.att} (${m?.se}) R ${r.att} (${r.se})`);
      continue;
    }
    const ours = new Map((m.detail ?? []).map((d) => [d.key, d]));
    for (const d of r.detail) {
      const o = ours.get(d.key);
      if (!o || !close(o.att, d.att, estTol) || !close(o.se, d.se, seTol))
        bad.push(`${agg}[${d.key}]: ours ${o?.att} (${o?.se}) R ${d.att} (${d.se})`);
    }
  }
  return bad;
}
