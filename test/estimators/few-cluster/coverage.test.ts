/**
 * Coverage of the static twfe interval with 10 clusters (3 units each, 6 periods, clusters start in
 * waves 3, 4, 5, 6 or never; a homogeneous effect 0.5; bench/few-cluster-coverage.ts's generator):
 * errors are normal with a cluster × period shock (sd 1) shared by the cluster's units and a
 * unit-period term (sd 1). With G = 10 CR1 with normal critical values covers below its nominal 95 %;
 * CR2 with Satterthwaite df covers within the MC interval of 95 %. 400 seeded fits: MC SE of a
 * coverage near 0.95 is √(0.95·0.05/400) = 0.0109.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterShockPanel, covers } from '../../../bench/few-cluster-coverage.js';
import { seeded } from '../../../src/random/index.js';

const FITS = 400,
  TAU = 0.5;

describe('few-cluster coverage (10 clusters)', () => {
  it('CR1-normal undercovers; CR2-Satterthwaite covers 95 % within 3 MC SEs', () => {
    const rng = seeded('few-cluster coverage');
    let cr1 = 0,
      cr2 = 0,
      g1 = 0;
    for (let f = 0; f < FITS; f++) {
      const panel = clusterShockPanel(rng, 10, 3, 6, TAU);
      cr1 += covers(panel, {}, TAU, rng);
      cr2 += covers(panel, { vcov: 'cr2', df: 'satterthwaite' }, TAU, rng);
      g1 += covers(panel, { df: 'cluster' }, TAU, rng);
    }
    const mcse = Math.sqrt((0.95 * 0.05) / FITS);
    const c1 = cr1 / FITS,
      c2 = cr2 / FITS,
      cg = g1 / FITS;
    assert.ok(c1 < 0.95 - 2 * mcse, `CR1-normal coverage ${c1} should fall below 0.95 − 2·${mcse.toFixed(4)}`);
    assert.ok(Math.abs(c2 - 0.95) < 3 * mcse, `CR2-Satterthwaite coverage ${c2} should lie within 0.95 ± 3·${mcse.toFixed(4)}`);
    assert.ok(cg > c1, `t(G − 1) coverage ${cg} should exceed CR1-normal's ${c1}`);
  });
});
