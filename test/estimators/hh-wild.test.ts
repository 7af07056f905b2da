/**
 * hh's restricted wild cluster bootstrap (estimators/hh/wild-bootstrap.ts, variance components fixed at
 * REML): parity with a brute-force R enumeration (test/fixtures/hh-wild/make-reference.R: lme4 1.1.31's
 * components, 2^9 GLS refits each with its CR1 SE), the identity θ̂ of the linear map = the REML fit's θ̂,
 * a seeded null simulation's rejection rate within 3 MC SEs of 0.05, and the refusals.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hhCells } from '../../src/estimators/hh/cells.js';
import { isNotIdentified } from '../../src/estimators/errors.js';
import { estimateHh, fitHh } from '../../src/estimators/hh/index.js';
import { hhWildBootstrap } from '../../src/estimators/hh/wild-bootstrap.js';
import { buildEstimator } from '../../src/estimators/registry.js';
import { seeded } from '../../src/random/stream.js';
import { estimatorSchema } from '../../src/scenario/schema.js';
import { type Cells, panelOf } from '../helpers/hh-reference.js';
import { steppedWedgePanel } from '../helpers/stepped-wedge-panel.js';

interface Wcr {
  theta0: number;
  theta: number;
  se_cr1: number;
  t: number;
  p: number;
  draws: number;
}
const REF = JSON.parse(readFileSync(new URL('../../../test/fixtures/hh-wild/reference.json', import.meta.url), 'utf8')) as {
  cells: Cells;
  lmer: { theta: number; sigma2: number; tau2: number };
  wcr: Wcr[];
};
const never = () => {
  throw new Error('the enumeration read a random number');
};

describe('hh wild cluster bootstrap', () => {
  const panel = panelOf(REF.cells);
  const cells = hhCells(panel, false);
  const vc = { sigma2: REF.lmer.sigma2, tau2: REF.lmer.tau2, omega2: 0, r: 1 };

  it('equals the brute-force R enumeration at lme4 components: p exactly, t to 1e-8 (three null values)', () => {
    for (const ref of REF.wcr) {
      const w = hhWildBootstrap(never, cells, vc, { draws: 999, weights: 'rademacher', alpha: 0.05, beta0: ref.theta0 });
      assert.equal(w.enumerated, true);
      assert.equal(w.draws, ref.draws);
      assert.equal(w.p, ref.p, `p at θ0 = ${ref.theta0}`);
      assert.ok(Math.abs(w.t - ref.t) < 1e-8, `t at θ0 = ${ref.theta0}: ${w.t} vs R ${ref.t}`);
      assert.ok(Math.abs(w.seCr1 - ref.se_cr1) < 1e-10, `se ${w.seCr1} vs R ${ref.se_cr1}`);
      assert.ok(Math.abs(w.theta - ref.theta) < 1e-10, `θ̂ ${w.theta} vs R ${ref.theta}`);
    }
  });

  it("the linear map's θ̂ is the REML fit's θ̂ (exchangeable and decay on means, block on individuals)", () => {
    const sw = steppedWedgePanel(seeded('hh-wild-identity'), {
      clusters: 8,
      periods: 5,
      waves: 4,
      size: [5, 20],
      tau: 0.5,
      omega: 0.2,
      sigma: 1,
      theta: 0.3,
    });
    for (const o of [{ correlation: 'exchangeable' }, { correlation: 'decay' }, { correlation: 'block', data: 'individual' }] as const) {
      const { fit, cells: c } = fitHh(sw, o);
      const w = hhWildBootstrap(never, c, fit, { draws: 999, weights: 'rademacher', alpha: 0.05 });
      assert.ok(Math.abs(w.theta - fit.theta) < 1e-9 * Math.max(1, Math.abs(fit.theta)), `${o.correlation}: ${w.theta} vs ${fit.theta}`);
    }
  });

  it('the interval inverts the test: p(θ0) > α inside, ≤ α just outside, and it holds θ̂', () => {
    const w = hhWildBootstrap(never, cells, vc, { draws: 999, weights: 'rademacher', alpha: 0.05 });
    const [lo, hi] = w.ci;
    assert.ok(lo < w.theta && w.theta < hi, `${lo} < ${w.theta} < ${hi}`);
    const pAt = (b: number) => hhWildBootstrap(never, cells, vc, { draws: 999, weights: 'rademacher', alpha: 0.05, beta0: b }).p;
    const eps = 1e-6 * (hi - lo);
    assert.ok(pAt(lo + eps) > 0.05 && pAt(hi - eps) > 0.05);
    assert.ok(pAt(lo - eps) <= 0.05 && pAt(hi + eps) <= 0.05);
  });

  it('Webb draws come from the rng: the same seed gives the same p, the row names the bootstrap', () => {
    const a = estimateHh(panel, { wild: 499, wildWeights: 'webb' }, seeded('w')).aggregates.simple!;
    const b = estimateHh(panel, { wild: 499, wildWeights: 'webb' }, seeded('w')).aggregates.simple!;
    assert.deepEqual(a, b);
    assert.match(a.inference!, /wild cluster bootstrap \(WCR, variance components fixed at REML, webb, 499 draws\)/);
    // The model-based SE stays the row's SE.
    assert.equal(a.se, fitHh(panel).fit.se);
    const r = estimateHh(panel, { wild: 999 }, never).aggregates.simple!;
    assert.equal(r.p, REF.wcr[0].p);
    assert.match(r.inference!, /rademacher, all 512 sign vectors/);
  });

  it('null simulation: 300 fits at 10 clusters reject at 0.05 within 3 MC SEs (MC SE √(.05·.95/300) = 0.0126)', () => {
    const rng = seeded('hh-wild-null');
    const R = 300;
    let reject = 0,
      agree = 0;
    for (let d = 0; d < R; d++) {
      const sw = steppedWedgePanel(rng, { clusters: 10, periods: 5, waves: 4, size: [5, 20], tau: 0.5, sigma: 1, theta: 0 });
      const s = estimateHh(sw, { wild: 1024 }, never).aggregates.simple!;
      if (s.p! <= 0.05) reject++;
      // The interval excludes 0 exactly when the test at 0 rejects (test inversion).
      if (s.p! <= 0.05 === (s.ci![0] > 0 || s.ci![1] < 0)) agree++;
    }
    const rate = reject / R,
      mcse = Math.sqrt((0.05 * 0.95) / R);
    assert.ok(Math.abs(rate - 0.05) <= 3 * mcse, `rejection rate ${rate} (MC SE ${mcse.toFixed(4)})`);
    assert.equal(agree, R);
  });

  it('refuses wild with inference: t, Rademacher weights that cannot reject (G ≤ 5 at α = 0.05), and no stream', () => {
    assert.throws(() => estimateHh(panel, { wild: 99, inference: 't' }, seeded(1)), /wild and inference: t/);
    const five = steppedWedgePanel(seeded('five'), { clusters: 5, periods: 5, waves: 4, size: 10, tau: 0.5, sigma: 1, theta: 0 });
    assert.throws(
      () => estimateHh(five, { wild: 999 }, seeded(1)),
      // Not identified (a draw's reason in a run, where dropout may leave five clusters), not a run-ending error.
      (e: unknown) => isNotIdentified(e) && /cannot reject at α = 0.05 \(its smallest p is 2\/2\^5 = 0.0625\)/.test((e as Error).message),
    );
    assert.ok(estimateHh(five, { wild: 999, wildWeights: 'webb' }, seeded(1)).aggregates.simple!.p! > 0);
    assert.throws(() => estimateHh(panel, { wild: 99 }), /wild needs a random stream/);
  });

  it('the registry and the scenario entry take wild and wild_weights on hh', () => {
    const est = buildEstimator('hh', { wild: 999, wildWeights: 'rademacher' });
    assert.equal(est.estimate(panel, never).aggregates.simple!.p, REF.wcr[0].p);
    const e = estimatorSchema.parse({ name: 'hh', type: 'hh', wild: 999, wild_weights: 'webb' });
    assert.equal(e.wild, 999);
    assert.equal(e.wild_weights, 'webb');
    assert.throws(() => buildEstimator('hh', { wild: -1 }), /wild/);
  });
});
