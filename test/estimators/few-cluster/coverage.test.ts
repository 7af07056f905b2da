/**
 * Coverage of the static twfe interval with 10 clusters (3 units each, 6 periods, clusters start in
 * waves 3, 4, 5, 6 or never; a homogeneous effect 0.5): errors are normal with a cluster × period shock
 * (sd 1) shared by the cluster's units and a unit-period term (sd 1). With G = 10 CR1 with normal
 * critical values covers below its nominal 95 %; CR2 with Satterthwaite df covers within the MC
 * interval of 95 %. 400 seeded fits: MC SE of a coverage near 0.95 is √(0.95·0.05/400) = 0.0109.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { makePanel } from '../../../src/panel/panel.js';
import { randomNormal, seeded } from '../../../src/random/index.js';

const G = 10,
  PER = 3,
  T = 6,
  TAU = 0.5,
  FITS = 400;
const waves = [3, 4, 5, 6, 0, 3, 4, 5, 6, 0];

function draw(rng: () => number) {
  const z = randomNormal(rng);
  const n = G * PER;
  const y = new Float64Array(n * T);
  const group = Float64Array.from({ length: n }, (_, i) => waves[Math.floor(i / PER)]);
  const alpha = Float64Array.from({ length: n }, () => z());
  for (let t = 0; t < T; t++) {
    const shock = Float64Array.from({ length: G }, () => z());
    for (let i = 0; i < n; i++) {
      const g = group[i];
      const d = g > 0 && t + 1 >= g ? 1 : 0;
      y[t * n + i] = alpha[i] + 0.2 * t + TAU * d + shock[Math.floor(i / PER)] + z();
    }
  }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y,
    cluster: Float64Array.from({ length: n }, (_, i) => Math.floor(i / PER)),
  });
}

describe('few-cluster coverage (10 clusters)', () => {
  it('CR1-normal undercovers; CR2-Satterthwaite covers 95 % within 3 MC SEs', () => {
    const rng = seeded('few-cluster coverage');
    let cr1 = 0,
      cr2 = 0,
      g1 = 0;
    for (let f = 0; f < FITS; f++) {
      const panel = draw(rng);
      const covers = (o: object) => {
        const s = estimateTwfe(panel, { cluster: 'column', eventStudy: false, ...o }).aggregates.simple!;
        const lo = s.ci ? s.ci[0] : s.att! - 1.959963984540054 * s.se!;
        const hi = s.ci ? s.ci[1] : s.att! + 1.959963984540054 * s.se!;
        return lo <= TAU && TAU <= hi ? 1 : 0;
      };
      cr1 += covers({});
      cr2 += covers({ vcov: 'cr2', df: 'satterthwaite' });
      g1 += covers({ df: 'cluster' });
    }
    const mcse = Math.sqrt((0.95 * 0.05) / FITS);
    const c1 = cr1 / FITS,
      c2 = cr2 / FITS,
      cg = g1 / FITS;
    assert.ok(c1 < 0.95 - 2 * mcse, `CR1-normal coverage ${c1} should fall below 0.95 − 2·${mcse.toFixed(4)}`);
    assert.ok(Math.abs(c2 - 0.95) < 3 * mcse, `CR2-Satterthwaite coverage ${c2} should lie within 0.95 ± 3·${mcse.toFixed(4)}`);
    assert.ok(cg > c1, `t(G − 1) coverage ${cg} should exceed CR1-normal's ${c1}`);
    console.log(`coverage over ${FITS} fits: CR1-normal ${c1}, CR1 t(G-1) ${cg}, CR2-Satterthwaite ${c2} (MC SE ${mcse.toFixed(4)})`);
  });
});
