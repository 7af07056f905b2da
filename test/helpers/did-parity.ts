/** Our estimate against one R did reference entry, field by field (estimates 1e-6, SEs 1e-4, relative). */
import assert from 'node:assert/strict';
import { estimateDid } from '../../src/estimators/did/index.js';
import type { Estimate } from '../../src/estimators/types.js';
import { close, covariatesOf, loadReference, type RefEntry } from './reference.js';

export function disagreements(ref: RefEntry, out: Estimate): string[] {
  const bad: string[] = [];
  const mine = new Map(out.att_gt.map((c) => [`${c.group},${c.time}`, c]));
  for (const c of ref.att_gt) {
    const m = mine.get(`${c.group},${c.time}`);
    if (!m || !close(m.att, c.att, 1e-6) || !close(m.se, c.se, 1e-4)) {
      bad.push(`ATT(${c.group},${c.time}): ours ${m?.att} (${m?.se}) R ${c.att} (${c.se})`);
    }
  }
  if (ref.wald_pretest?.W != null && !close(out.wald_pretest?.W, ref.wald_pretest.W, 1e-4)) {
    bad.push(`Wald W: ours ${out.wald_pretest?.W} R ${ref.wald_pretest.W}`);
  }
  if (ref.wald_pretest?.p != null && Math.abs((out.wald_pretest?.p ?? NaN) - ref.wald_pretest.p) > 1e-5 + 1e-12) {
    bad.push(`Wald p: ours ${out.wald_pretest?.p} R ${ref.wald_pretest.p} (rounded to 5 digits)`);
  }
  for (const agg of ['simple', 'group', 'dynamic', 'calendar'] as const) {
    const r = ref[agg];
    const m = out.aggregates[agg];
    if (!m || !close(m.att, r.att, 1e-6) || !close(m.se, r.se, 1e-4)) {
      bad.push(`${agg}: ours ${m?.att} (${m?.se}) R ${r.att} (${r.se})`);
      continue;
    }
    const ours = new Map((m.detail ?? []).map((d) => [d.key, d]));
    for (const d of (r as { detail?: RefEntry['group']['detail'] }).detail ?? []) {
      const o = ours.get(d.key);
      if (!o || !close(o.att, d.att, 1e-6) || !close(o.se, d.se, 1e-4)) {
        bad.push(`${agg}[${d.key}]: ours ${o?.att} (${o?.se}) R ${d.att} (${d.se})`);
      }
    }
  }
  return bad;
}

export const CONTROL = { nevertreated: 'never', notyettreated: 'notyet' } as const;

/** The options of our estimateDid that an R did reference entry was computed with. */
export function didOptionsOf(e: RefEntry, covariates: string[] = covariatesOf(e)) {
  return {
    method: e.options.est_method,
    control: CONTROL[e.options.control_group],
    basePeriod: e.options.base_period,
    anticipation: e.options.anticipation,
    covariates,
  };
}

/** Every entry of a reference file against our estimate with the same options. */
export function parityFailures(name: string): string[] {
  const { panel, entries } = loadReference(name);
  assert.equal(entries.length, 48);
  const failures: string[] = [];
  for (const e of entries) {
    const out = estimateDid(panel, didOptionsOf(e));
    const bad = disagreements(e, out);
    if (bad.length) failures.push(`${JSON.stringify(e.options)}: ${bad.length} disagreement(s), first ${bad.slice(0, 3).join('; ')}`);
  }
  return failures;
}
