/**
 * Difference in means at the wait-list horizon and the Fisher randomisation test: estimates and the
 * Neyman SE against simple-statistics' sample means and variances (s²₁/n₁ + s²₀/n₀), the cohort-size
 * weighting, the test's calibration under the sharp null (rejection rate at 5 % within 3 MC SEs over
 * 300 seeded panels) and its power against a large effect, and reproducibility from the seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mean, sampleVariance } from 'simple-statistics';
import { estimateDim } from '../../../src/estimators/rct/index.js';
import { dimAtHorizon, fisherTest } from '../../../src/estimators/rct/dim.js';
import { seeded } from '../../../src/random/stream.js';
import { near, synthPanel } from '../helpers.js';

const rep = (g: number, k: number) => Array<number>(k).fill(g);
const col = (p: ReturnType<typeof synthPanel>, t: number, keep: (g: number) => boolean) =>
  Array.from({ length: p.nUnits }, (_, i) => i)
    .filter((i) => keep(p.group[i]))
    .map((i) => p.y[t * p.nUnits + i]);

describe('difference in means at the wait-list horizon', () => {
  it('one cohort against the never treated: ȳ₁ − ȳ₀ and √(s²₁/n₁ + s²₀/n₀) (simple-statistics)', () => {
    const p = synthPanel({ seed: 'dim-1', groups: [...rep(0, 9), ...rep(3, 7)], T: 6, effect: () => 2 });
    const h = 1,
      t = 3 + h - 1;
    const y1 = col(p, t, (g) => g === 3),
      y0 = col(p, t, (g) => g === 0);
    const r = dimAtHorizon(p, h);
    near(r.att, mean(y1) - mean(y0), 1e-12, 'att');
    near(r.se, Math.sqrt(sampleVariance(y1) / y1.length + sampleVariance(y0) / y0.length), 1e-12, 'Neyman SE');
  });

  it('several cohorts: cohort-size weighted mean of each cohort against those not yet treated', () => {
    const p = synthPanel({
      seed: 'dim-2',
      groups: [...rep(2, 5), ...rep(3, 8), ...rep(5, 6), ...rep(0, 4)],
      T: 6,
      effect: (g, e) => g + e,
    });
    const r = dimAtHorizon(p, 1);
    // g=2 at t=3 vs {5, 0}; g=3 at t=4 vs {5, 0}; g=5 at t=6 vs {0}
    const d = (g: number, per: number, ctrl: (x: number) => boolean) => mean(col(p, per - 1, (x) => x === g)) - mean(col(p, per - 1, ctrl));
    const want = (5 * d(2, 3, (x) => x === 5 || x === 0) + 8 * d(3, 4, (x) => x === 5 || x === 0) + 6 * d(5, 6, (x) => x === 0)) / 19;
    near(r.att, want, 1e-12, 'weighted att');
    assert.deepEqual(
      r.cohorts.map((c) => [c.group, c.nTreated, c.nControl]),
      [
        [2, 5, 10],
        [3, 8, 10],
        [5, 6, 4],
      ],
    );
  });

  it('as an estimator: simple at the horizon, dynamic by horizon, null with a reason past the wait', () => {
    const p = synthPanel({ seed: 'dim-3', groups: [...rep(2, 6), ...rep(4, 6)], T: 5, effect: () => 1 });
    const e = estimateDim(p, { horizon: 1 });
    assert.deepEqual(
      e.aggregates.dynamic!.detail!.map((d) => d.key),
      [0, 1],
    );
    near(e.aggregates.simple!.att, e.aggregates.dynamic!.detail![1].att!, 1e-12, 'simple = dynamic[h]');
    const far = estimateDim(p, { horizon: 2 });
    assert.equal(far.aggregates.simple!.att, null);
    assert.match(far.aggregates.simple!.reason!, /no cohort has units still untreated 2 period\(s\) after its start/);
    assert.throws(() => dimAtHorizon(p, -1), /horizon must be a whole number of periods ≥ 0, got -1/);
  });
});

describe('Fisher randomisation test', () => {
  const groups = [...rep(2, 8), ...rep(3, 8), ...rep(5, 8), ...rep(0, 8)];

  it('is calibrated under the sharp null: rejection at 5 % within 3 MC SEs over 300 panels', () => {
    const S = 300;
    let rejections = 0;
    for (let s = 0; s < S; s++) {
      const p = synthPanel({ seed: `frt-null-${s}`, groups, T: 6 });
      const f = fisherTest(seeded(`frt-${s}`), p, (g) => dimAtHorizon(p, 0, g).att, 99)!;
      if (f.p <= 0.05) rejections++;
    }
    const rate = rejections / S,
      mcse = Math.sqrt((0.05 * 0.95) / S);
    assert.ok(Math.abs(rate - 0.05) <= 3 * mcse, `rejection rate ${rate} (MC SE ${mcse.toFixed(4)})`);
  });

  it('rejects a large effect with the smallest attainable p, and is reproducible from its seed', () => {
    const p = synthPanel({ seed: 'frt-alt', groups, T: 6, effect: () => 6 });
    const a = estimateDim(p, { permutations: 199, seed: 7 }).fisher!;
    const b = estimateDim(p, { permutations: 199, seed: 7 }).fisher!;
    assert.equal(a.p, 1 / 200);
    assert.deepEqual(a, b);
  });
});
