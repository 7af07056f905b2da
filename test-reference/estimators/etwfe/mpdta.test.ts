/**
 * etwfe on mpdta (../shared/reference/did/mpdta.csv: id = countyreal, period = year, first_treat =
 * first.treat, y = lemp, lpop) against the etwfe vignette (grantmcdermott/etwfe articles/etwfe.md,
 * "emfx"): etwfe(lemp ~ lpop, tvar = year, gvar = first.treat, data = mpdta, vcov = ~countyreal) and
 *   emfx(mod)                →  TRUE  -0.0506  0.0125
 *   emfx(mod, type = "event") →  0 -0.0332 0.0134 | 1 -0.0573 0.0171 | 2 -0.1379 0.0308 | 3 -0.1095 0.0323
 * and the README's coefficient table (grantmcdermott/etwfe README.md, `mod`): .Dtreat:first.treat::2004:year::2004
 * -0.021248, …::2004:2005 -0.081850, …::2004:2006 -0.137870, …::2004:2007 -0.109539, …::2006:2006 0.002537,
 * …::2006:2007 -0.045093, …::2007:2007 -0.045955. (The README's SEs come from an older fixest count of K
 * — 0.021728 where the vignette's version gives ours, 0.021706 — and its event SE at 1 is 0.0172; the
 * vignette is the current one.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateEtwfe } from '../../../src/estimators/etwfe/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { sharedFile } from '../../../test/helpers/reference.js';

const within = (v: number | null | undefined, ref: number, half: number, what: string) =>
  assert.ok(v !== null && v !== undefined && Math.abs(v - ref) <= half, `${what}: ${v} vs ${ref}`);

describe('etwfe on mpdta', () => {
  const { panel } = readPanelCsv(sharedFile('did', 'mpdta.csv'), {
    id: 'id',
    time: 'period',
    group: 'first_treat',
    outcome: 'y',
    covariates: ['lpop'],
  });
  const out = estimateEtwfe(panel, { covariates: ['lpop'] });
  it('emfx simple and event: the vignette to its printed digits', () => {
    within(out.aggregates.simple!.att, -0.0506, 0.00005, 'simple');
    within(out.aggregates.simple!.se, 0.0125, 0.00005, 'simple se');
    const ev: [number, number, number][] = [
      [0, -0.0332, 0.0134],
      [1, -0.0573, 0.0171],
      [2, -0.1379, 0.0308],
      [3, -0.1095, 0.0323],
    ];
    for (const [e, att, se] of ev) {
      const d = out.aggregates.dynamic!.detail!.find((x) => x.key === e)!;
      within(d.att, att, 0.00005, `event ${e}`);
      within(d.se, se, 0.00005, `event ${e} se`);
    }
  });
  it('the cohort × period coefficients: the README to six decimals', () => {
    const cells: [number, number, number][] = [
      [2004, 2004, -0.021248],
      [2004, 2005, -0.08185],
      [2004, 2006, -0.13787],
      [2004, 2007, -0.109539],
      [2006, 2006, 0.002537],
      [2006, 2007, -0.045093],
      [2007, 2007, -0.045955],
    ];
    assert.equal(out.att_gt.length, cells.length);
    for (const [g, t, att] of cells) {
      const c = out.att_gt.find((x) => x.group === g && x.time === t)!;
      within(c.att, att, 0.0000005, `τ(${g},${t})`);
    }
  });
});
