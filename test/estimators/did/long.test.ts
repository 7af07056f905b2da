/**
 * Repeated cross-sections (R did's panel = FALSE) and unbalanced panels (allow_unbalanced_panel =
 * TRUE): every ATT(g,t), SE, Wald statistic and aggregate against R did 2.5.1 on the synthetic data
 * of test/fixtures/did/ (make-panels.py; references by make-reference-rc.R), estimates to 1e-6 and
 * SEs to 1e-4; and the identities the estimators must keep.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateDid, estimateDidLong } from '../../../src/estimators/did/index.js';
import { readLongCsv } from '../../../src/panel/long.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { disagreementsWith, FIXTURES, loadFixture } from './r-compare.js';
import { optionsOf } from './r-compare.js';

const cols = { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x1'] };

for (const [name, mode] of [
  ['rcs', { panel: false }],
  ['unbalanced', { unbalanced: true }],
] as const) {
  describe(`${name}: parity with R did 2.5.1`, () => {
    const ref = loadFixture(name);
    const { data } = readLongCsv(resolve(FIXTURES, `${name}.csv`), cols);
    it(`all ${ref.entries.length} option sets agree (estimates 1e-6, SEs 1e-4; R did ${ref.versions.did}, DRDID ${ref.versions.DRDID})`, () => {
      assert.ok(ref.entries.length >= 28);
      const failures: string[] = [];
      for (const e of ref.entries) {
        const out = estimateDidLong(data, { ...optionsOf(e), ...mode }).estimate;
        const bad = disagreementsWith(e, out);
        if (bad.length) failures.push(`${JSON.stringify(e.options)}: ${bad.length} disagreement(s), first ${bad.slice(0, 3).join('; ')}`);
      }
      assert.deepEqual(failures, []);
    });
  });
}

describe('repeated cross-sections: identities', () => {
  const { data } = readLongCsv(resolve(FIXTURES, 'rcs.csv'), cols);
  it('without covariates each 2×2 is the difference of four means, for dr, ipw and reg alike', () => {
    // ATT(3,3), varying base: periods 2 and 3, group 3 against the never treated (closed form).
    const mean = (g: (x: number) => boolean, t: number) => {
      let s = 0,
        k = 0;
      for (let r = 0; r < data.nRows; r++)
        if (g(data.group[r]) && data.periods[data.period[r]] === t) {
          s += data.y[r];
          k++;
        }
      return s / k;
    };
    const treated = (x: number) => x === 3,
      never = (x: number) => x === 0;
    const want = mean(treated, 3) - mean(treated, 2) - (mean(never, 3) - mean(never, 2));
    for (const method of ['dr', 'ipw', 'reg'] as const) {
      const out = estimateDidLong(data, { panel: false, method }).estimate;
      const c = out.att_gt.find((x) => x.group === 3 && x.time === 3)!;
      assert.ok(Math.abs(c.att! - want) < 1e-12, `${method}: ${c.att} vs ${want}`);
    }
  });

  it('a balanced panel read as cross-sections (options.panel = false on a Panel) equals the long reading of its rows', () => {
    const file = resolve(FIXTURES, 'boot.csv');
    const { panel } = readPanelCsv(file, cols);
    const { data: rows } = readLongCsv(file, cols);
    const a = estimateDid(panel, { panel: false, covariates: ['x1'] });
    const b = estimateDidLong(rows, { panel: false, covariates: ['x1'] }).estimate;
    assert.equal(a.att_gt.length, b.att_gt.length);
    a.att_gt.forEach((c, j) => {
      assert.ok(Math.abs(c.att! - b.att_gt[j].att!) < 1e-10 && Math.abs(c.se! - b.att_gt[j].se!) < 1e-10, `ATT(${c.group},${c.time})`);
    });
    // and differs from the panel estimate (the rows are not linked into units)
    assert.ok(Math.abs(a.aggregates.simple!.se! - estimateDid(panel, { covariates: ['x1'] }).aggregates.simple!.se!) > 1e-3);
  });

  it('names the estimator and refuses unbalanced with panel = false', () => {
    assert.equal(estimateDidLong(data, { panel: false }).estimate.estimator, 'did:dr:rc');
    assert.throws(() => estimateDidLong(data, { panel: false, unbalanced: true }), /unbalanced applies to panels/);
    assert.throws(() => estimateDidLong(data, {}), /repeated cross-sections \(panel = false\) or as an unbalanced panel/);
  });
});

describe('unbalanced panels: identities', () => {
  it('a balanced panel asked for as unbalanced gets the panel estimators (R did sets allow_unbalanced_panel = FALSE)', () => {
    const file = resolve(FIXTURES, 'boot.csv');
    const { data } = readLongCsv(file, cols);
    const { panel } = readPanelCsv(file, cols);
    const long = estimateDidLong(data, { unbalanced: true, covariates: ['x1'] }).estimate;
    const bal = estimateDid(panel, { covariates: ['x1'] });
    assert.deepEqual(long.att_gt, bal.att_gt);
    assert.deepEqual(long.aggregates, bal.aggregates);
    assert.ok(long.messages.some((m) => m.includes('balanced panel')));
  });

  it('reads the unbalanced file with every row kept and its units grouped by id', () => {
    const { data } = readLongCsv(resolve(FIXTURES, 'unbalanced.csv'), cols);
    assert.equal(data.nRows, 1688);
    assert.equal(data.nUnits, 400);
  });
});
