/**
 * From a dynamic aggregate with its covariance to HonestDiD's inputs and to the engine's robust records
 * (src/sensitivity/from-estimate.ts), on TWFE's event study of mpdta (../shared/reference/did/mpdta.csv).
 * The robust sets themselves are honest-rm's (checked against HonestDiD there); here: the wiring.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejects } from '../../src/diagnosis/diagnosands.js';
import { estimateTwfe } from '../../src/estimators/twfe/index.js';
import { readPanelCsv } from '../../src/panel/csv.js';
import { seeded } from '../../src/random/stream.js';
import { robustEstimandId, robustRecords } from '../../src/sensitivity/from-estimate.js';
import { eventStudyFromDynamic } from '../../src/sensitivity/from-dynamic.js';
import { sensitivity } from '../../src/sensitivity/index.js';
import { sharedFile } from '../../test/helpers/reference.js';

describe('sensitivity from an estimate', () => {
  const panel = readPanelCsv(sharedFile('did', 'mpdta.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' }).panel;
  const est = estimateTwfe(panel);
  const agg = est.aggregates.dynamic!;

  it('the event study: pre-periods −4, −3, −2, post 0 … 3, the reference −1 left out, sigma the vcov block', () => {
    const es = eventStudyFromDynamic(agg);
    assert.ok(!('reason' in es));
    assert.deepEqual(es.keys, [-4, -3, -2, 0, 1, 2, 3]);
    assert.equal(es.coef.numPre, 3);
    assert.equal(es.coef.numPost, 4);
    assert.deepEqual(es.coef.lVec, [1, 0, 0, 0]);
    const at = new Map(agg.detail!.map((d, a) => [d.key, a]));
    es.keys.forEach((k, a) => {
      assert.equal(es.coef.betahat[a], agg.detail![at.get(k)!].att);
      es.keys.forEach((k2, b) => assert.equal(es.coef.sigma[a][b], agg.vcov![at.get(k)!][at.get(k2)!]));
    });
    assert.match((eventStudyFromDynamic({ ...agg, vcov: undefined }) as { reason: string }).reason, /no event-study covariance/);
    assert.match(
      (eventStudyFromDynamic(agg, { lVec: [1, 1] }) as { reason: string }).reason,
      /l_vec: expected 4 weights \(the post-periods\), found 2/,
    );
  });

  it('robust records: θ̂ = l′β̂, se the original, the interval the robust set, truth l′τ; rejects reads the interval', () => {
    const l = [0.25, 0.25, 0.25, 0.25];
    const spec = { type: 'relative_magnitudes' as const, bounds: [0.5], lVec: l };
    const recs = robustRecords('twfe', est, est, null, spec, seeded('x'), 0.05);
    assert.equal(recs.length, 1);
    const r = recs[0];
    assert.equal(r.estimand, robustEstimandId('relative_magnitudes', 0.5));
    assert.equal(r.estimand, 'robust:relative_magnitudes:mbar=0.5');
    const es = eventStudyFromDynamic(agg, { lVec: l }) as Exclude<ReturnType<typeof eventStudyFromDynamic>, { reason: string }>;
    const direct = sensitivity(seeded('x'), es.coef, { method: 'relative_magnitudes', bounds: [0.5], alpha: 0.05, breakdown: false });
    assert.equal(r.ciLow, direct.robust[0].lb);
    assert.equal(r.ciHigh, direct.robust[0].ub);
    assert.ok(Math.abs(r.estimate! - agg.att!) < 1e-12, 'the post mean is TWFE’s dynamic overall');
    assert.ok(Math.abs(r.se! - agg.se!) < 1e-12);
    assert.ok(Math.abs(r.truth! - agg.att!) < 1e-12, 'truth = the same combination of the truth’s rows');
    assert.ok(r.ciLow! <= direct.original.lb && r.ciHigh! >= direct.original.ub, 'wider than the original');
    assert.equal(rejects(r, 1.96, 0.05), r.ciLow! > 0 || r.ciHigh! < 0);
  });

  it('an estimate without a covariance gives not-identified records with the reason', () => {
    const noV = { ...est, aggregates: { ...est.aggregates, dynamic: { ...agg, vcov: undefined } } };
    const [r] = robustRecords('twfe', noV, est, null, { type: 'relative_magnitudes', bounds: [1] }, seeded('x'), 0.05);
    assert.equal(r.estimate, null);
    assert.match(r.reason!, /no event-study covariance/);
  });
});
