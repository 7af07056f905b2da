/**
 * R did 2.5.1's options beyond the parity sets, against R did itself on a synthetic panel
 * (test/fixtures/did/options_a.*, written by make-options.R): sampling weights (weightsname),
 * cluster-robust analytic SEs and Wald pre-test (clustervars, bstrap = FALSE) and a text covariate as
 * a factor (model.matrix's dummies, first sorted level the reference). Estimates to 1e-6, SEs 1e-4.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { readPanelCsv, type ReadResult } from '../../../src/panel/csv.js';
import { didOptionsOf, disagreements } from '../../helpers/did-parity.js';
import { covariatesOf, FIXTURE_DID, readRefFile, type RefEntry } from '../../helpers/reference.js';

type OptionEntry = RefEntry & { options: RefEntry['options'] & { weightsname?: string; clustervars?: string } };

const CSV = resolve(FIXTURE_DID, 'options_a.csv');
const { entries, versions } = readRefFile(resolve(FIXTURE_DID, 'options_a.json')) as {
  entries: OptionEntry[];
  versions?: Record<string, string>;
};
const reads = new Map<string, ReadResult>();
function panelFor(e: OptionEntry): ReadResult {
  const covs = covariatesOf(e);
  const key = `${e.options.weightsname ?? ''}|${e.options.clustervars ?? ''}|${covs.join(',')}`;
  if (!reads.has(key)) {
    reads.set(
      key,
      readPanelCsv(CSV, {
        id: 'id',
        time: 'period',
        group: 'first_treat',
        outcome: 'y',
        covariates: covs,
        weights: e.options.weightsname,
        cluster: e.options.clustervars,
      }),
    );
  }
  return reads.get(key)!;
}

function check(which: (e: OptionEntry) => boolean): { n: number; failures: string[] } {
  const chosen = entries.filter(which);
  const failures: string[] = [];
  for (const e of chosen) {
    const { panel, covariates } = panelFor(e);
    const out = estimateDid(panel, didOptionsOf(e, covariates));
    const bad = disagreements(e, out);
    if (bad.length) failures.push(`${JSON.stringify(e.options)}: ${bad.length} disagreement(s), first ${bad.slice(0, 3).join('; ')}`);
  }
  return { n: chosen.length, failures };
}

const text = (e: OptionEntry) => covariatesOf(e).includes('region');

describe('R did 2.5.1 options on options_a', () => {
  it('the reference was written by did 2.5.1 (27 option sets)', () => {
    assert.equal(versions?.did, '2.5.1');
    assert.equal(entries.length, 27);
  });

  it('sampling weights (weightsname): 13 option sets agree', () => {
    const r = check((e) => !!e.options.weightsname && !e.options.clustervars && !text(e));
    assert.equal(r.n, 13);
    assert.deepEqual(r.failures, []);
  });

  it('clustervars without the bootstrap: cluster-robust SEs and Wald pre-test, 7 option sets agree (one with weights)', () => {
    const r = check((e) => !!e.options.clustervars && !text(e));
    assert.equal(r.n, 7);
    assert.deepEqual(r.failures, []);
  });

  it('a text covariate enters as model.matrix dummies: 7 option sets agree (one with weights and clusters)', () => {
    const r = check(text);
    assert.equal(r.n, 7);
    assert.deepEqual(r.failures, []);
  });

  it('clustering changes the SEs and not the estimates; weights change the estimates', () => {
    const plain = readPanelCsv(CSV, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x1'] }).panel;
    const cl = readPanelCsv(CSV, {
      id: 'id',
      time: 'period',
      group: 'first_treat',
      outcome: 'y',
      covariates: ['x1'],
      cluster: 'cluster',
    }).panel;
    const wt = readPanelCsv(CSV, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x1'], weights: 'w' }).panel;
    const a = estimateDid(plain, { covariates: ['x1'] }),
      b = estimateDid(cl, { covariates: ['x1'] }),
      c = estimateDid(wt, { covariates: ['x1'] });
    assert.equal(b.aggregates.simple!.att, a.aggregates.simple!.att);
    assert.notEqual(b.aggregates.simple!.se, a.aggregates.simple!.se);
    assert.ok(Math.abs(c.aggregates.simple!.att! - a.aggregates.simple!.att!) > 1e-3);
  });
});
