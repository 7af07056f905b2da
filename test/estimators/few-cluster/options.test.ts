/**
 * The few-cluster options as twfe, the scenario schema and did's bootstrap take them: defaults unchanged,
 * refusals where not implemented, Webb weights' moments (mean 0, variance 1, fourth moment 7/6:
 * Webb 2014) realised within 4 MC SEs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiplierBootstrap, webb } from '../../../src/estimators/did/bootstrap.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { seeded } from '../../../src/random/stream.js';
import { estimatorSchema } from '../../../src/scenario/schema.js';
import { synthPanel } from '../helpers.js';

const panel = synthPanel({ seed: 'fc-options', groups: [3, 3, 4, 4, 5, 0, 0, 5, 4, 3], T: 7, effect: () => 1 });

describe('few-cluster options', () => {
  it('defaults leave twfe as it was; cr1 + cluster df keeps the SE and sets a t(G − 1) interval', () => {
    const base = estimateTwfe(panel).aggregates.simple!;
    assert.equal(base.ci, undefined);
    const t = estimateTwfe(panel, { df: 'cluster' }).aggregates.simple!;
    // The few-cluster path refits at the observation level: the same CR1 SE to rounding.
    assert.ok(Math.abs(t.se! - base.se!) < 1e-12 * base.se!, `${t.se} vs ${base.se}`);
    // qt(0.975, 9) = 2.2621571627982049 (R)
    assert.ok(Math.abs(t.ci![1] - (t.att! + 2.2621571627982049 * t.se!)) < 1e-10);
    assert.match(t.inference!, /t\(G − 1 = 9\)/);
  });
  it('wild enumerates 2^10 sign vectors deterministically (the rng is not read) and is reproducible with Webb draws', () => {
    const never = () => {
      throw new Error('read');
    };
    const a = estimateTwfe(panel, { wild: 1024, eventStudy: false }, never).aggregates.simple!;
    assert.match(a.inference!, /all 1024 sign vectors/);
    const w1 = estimateTwfe(panel, { wild: 499, wildWeights: 'webb', eventStudy: false }, seeded('w')).aggregates.simple!;
    const w2 = estimateTwfe(panel, { wild: 499, wildWeights: 'webb', eventStudy: false }, seeded('w')).aggregates.simple!;
    assert.deepEqual(w1, w2);
    assert.match(w1.inference!, /webb, 499 draws/);
    assert.ok(w1.ci![0] < w1.att! && w1.att! < w1.ci![1]);
  });
  it('with 5 clusters the enumerated Rademacher p is at least 2/32 and the 95 % interval is the whole line', () => {
    const five = synthPanel({ seed: 'fc-five', groups: [3, 4, 0, 5, 3], T: 6, effect: () => 5 });
    const s = estimateTwfe(five, { wild: 32, eventStudy: false }, seeded('x')).aggregates.simple!;
    assert.ok(s.p! >= 2 / 32, `p ${s.p}`);
    assert.deepEqual(s.ci, [-Infinity, Infinity]);
    assert.match(s.inference!, /unbounded/);
  });
  it('refuses what is not implemented', () => {
    assert.throws(() => buildEstimator('did', { vcov: 'cr2' }), /did does not take vcov/);
    assert.throws(() => buildEstimator('twfe', { vcov: 'cr3' as 'cr2' }), /vcov/);
    assert.throws(() => buildEstimator('twfe', { vcov: 'cr2', covariates: ['x'] }), /not implemented with covariates/);
    assert.throws(() => estimatorSchema.parse({ name: 'cs', type: 'did', wild: 99 }), /did does not take wild/);
    const e = estimatorSchema.parse({ name: 't', type: 'twfe', vcov: 'cr2', df: 'satterthwaite', wild: 999, wild_weights: 'webb' });
    assert.equal(e.wild_weights, 'webb');
  });
  it("Webb's six-point weights: mean 0, variance 1, fourth moment 7/6", () => {
    const rng = seeded('webb');
    const B = 60000;
    let m1 = 0,
      m2 = 0,
      m4 = 0;
    for (let b = 0; b < B; b++) {
      const v = webb(rng);
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    // sd(v) = 1, sd(v²) = √(7/6 − 1), sd(v⁴) = √(E v⁸ − (7/6)²), E v⁸ = (1/3)(1/16 + 1 + 81/16) = 49/24.
    assert.ok(Math.abs(m1 / B) < 4 / Math.sqrt(B));
    assert.ok(Math.abs(m2 / B - 1) < (4 * Math.sqrt(7 / 6 - 1)) / Math.sqrt(B));
    assert.ok(Math.abs(m4 / B - 7 / 6) < (4 * Math.sqrt(49 / 24 - 49 / 36)) / Math.sqrt(B));
    // did's bootstrap takes them: a unit influence function of mean zero has bootstrap SE near its analytic one.
    const inf = Float64Array.from({ length: 400 }, (_, i) => (i % 2 ? 1 : -1));
    // Analytic SE √(Σψ²)/n = 0.05; the bootstrap's IQR-based SE from 999 draws is within ~5 % of it (15 % allowed).
    const r = multiplierBootstrap(seeded('mb'), [{ inf }], 400, 999, 0.05, null, 'webb');
    assert.ok(Math.abs(r.se[0]! - 0.05) < 0.15 * 0.05, `bootstrap SE ${r.se[0]}`);
  });
});
