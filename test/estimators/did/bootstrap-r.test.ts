/**
 * The multiplier bootstrap against R did 2.5.1 (bstrap = TRUE, biters = 20 000, on
 * test/fixtures/did/boot.csv; make-reference-rc.R): with the same number of draws, every bootstrap
 * SE and every uniform-band critical value must agree with R's within the Monte Carlo error of two
 * independent bootstraps. The IQR-based SE of B normal draws has relative sd
 *   √Var(IQR)/IQR = √(2·p(1−p) − 2·p²) / (φ(z.75)·2z.75) / √B ≈ 1.166/√B,
 * (sample-quantile asymptotics, p = ¼), and a quantile q_p of the sup-t draws has sd
 * √(p(1−p)/B) / f(q_p), f estimated from our own draws' spacing.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateDid, estimateDidDetailed } from '../../../src/estimators/did/index.js';
import { mammen, multiplierBootstrap, rademacher } from '../../../src/estimators/did/bootstrap.js';
import { seeded } from '../../../src/random/stream.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import type { Estimate } from '../../../src/estimators/types.js';
import { AGGS, FIXTURES, loadFixture, type FixtureEntry } from './r-compare.js';

const B = 20000;
const REL_SD = 1.166 / Math.sqrt(B);
/** Two independent bootstraps: the difference has √2 times the sd of one; 4.5 sds over ~40 SEs. */
const SE_TOL = 4.5 * Math.SQRT2 * REL_SD;

function seRatios(ref: FixtureEntry, out: Estimate): { what: string; ratio: number }[] {
  const r: { what: string; ratio: number }[] = [];
  const mine = new Map(out.att_gt.map((c) => [`${c.group},${c.time}`, c]));
  for (const c of ref.att_gt) {
    const m = mine.get(`${c.group},${c.time}`);
    if (c.se !== null && m?.se != null) r.push({ what: `ATT(${c.group},${c.time})`, ratio: m.se / c.se });
  }
  for (const agg of AGGS) {
    const m = out.aggregates[agg]!;
    if (ref[agg].se !== null && m.se !== null) r.push({ what: agg, ratio: m.se / ref[agg].se! });
    for (const d of ref[agg].detail) {
      const o = m.detail?.find((x) => x.key === d.key);
      if (d.se !== null && o?.se != null) r.push({ what: `${agg}[${d.key}]`, ratio: o.se / d.se });
    }
  }
  return r;
}

describe('multiplier bootstrap: R did 2.5.1 within bootstrap error', () => {
  const ref = loadFixture('boot');
  const file = resolve(FIXTURES, 'boot.csv');
  const { panel } = readPanelCsv(file, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', cluster: 'cluster' });
  const { panel: unclustered } = readPanelCsv(file, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' });

  for (const e of ref.entries) {
    const clustered = e.options.clustervars === 'cluster';
    it(`${clustered ? 'clustered by 30 clusters' : 'by unit'}: SEs within ${(100 * SE_TOL).toFixed(1)} % and critical values within 4.5 MC sds (biters ${e.options.biters})`, () => {
      assert.equal(e.options.biters, B);
      const p = clustered ? panel : unclustered;
      const res = estimateDidDetailed(p, { bootstrap: B }, undefined, seeded('bootstrap-r'));
      const out = res.estimate;
      const ratios = seRatios(e, out);
      assert.ok(ratios.length >= 30, `${ratios.length} SEs compared`);
      const off = ratios.filter((x) => Math.abs(x.ratio - 1) > SE_TOL);
      assert.deepEqual(
        off.map((x) => `${x.what}: ${x.ratio.toFixed(4)}`),
        [],
      );

      // The cells' band: q.95 of max_j |R_bj/σ_j|, its MC sd from the density of our draws at q.95.
      const withSe = res.cells.filter((c, j) => out.att_gt[j].se !== null && c.inf);
      const cols = withSe.map((c) => ({ idx: c.idx, inf: c.inf! }));
      const q = (a: number) => multiplierBootstrap(seeded('bootstrap-r-q'), cols, res.prepared.n, B, a, res.prepared.cluster).crit!;
      const dens = 0.02 / (q(0.04) - q(0.06));
      const sd = Math.sqrt((0.95 * 0.05) / B) / dens;
      assert.ok(
        Math.abs(out.att_gt_crit! - e.crit!) < 4.5 * Math.SQRT2 * sd,
        `crit ours ${out.att_gt_crit} R ${e.crit} (MC sd ${sd.toFixed(4)})`,
      );
      for (const agg of ['group', 'dynamic', 'calendar'] as const) {
        const rc = e[agg].crit!,
          oc = out.aggregates[agg]!.crit!;
        // The same sd rule, scaled to this band (the sup-t densities near q.95 are alike).
        assert.ok(Math.abs(oc - rc) < 4.5 * Math.SQRT2 * sd * (rc / e.crit!) * 1.5, `${agg} crit ours ${oc} R ${rc}`);
      }
    });
  }
});

describe('multiplier bootstrap weights and streams', () => {
  it('Rademacher weights are ±1 with mean 0 and variance 1 (4 MC SEs)', () => {
    const rng = seeded('rademacher');
    const n = 100000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = rademacher(rng);
      assert.ok(v === 1 || v === -1);
      s += v;
      s2 += v * v;
    }
    assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
    assert.equal(s2 / n, 1);
  });

  it('Mammen weights keep mean 0, variance 1 and third moment 1 (4 MC SEs)', () => {
    const rng = seeded('mammen');
    const n = 200000;
    let s = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < n; i++) {
      const v = mammen(rng);
      s += v;
      s2 += v * v;
      s3 += v ** 3;
    }
    // sd of one Mammen weight 1, of its square √(E v⁴ − 1) = 1, of its cube √(E v⁶ − 1) = √(5 − 1) = 2
    assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
    assert.ok(Math.abs(s2 / n - 1) < 4 / Math.sqrt(n));
    assert.ok(Math.abs(s3 / n - 1) < (4 * 2) / Math.sqrt(n));
  });

  it('--bootstrap-weights mammen is used: the same stream gives other SEs than Rademacher weights', () => {
    const { panel } = readPanelCsv(resolve(FIXTURES, 'boot.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' });
    const r = estimateDid(panel, { bootstrap: 99 }, seeded('w'));
    const m = estimateDid(panel, { bootstrap: 99, bootstrapWeights: 'mammen' }, seeded('w'));
    assert.notDeepEqual(
      r.att_gt.map((x) => x.se),
      m.att_gt.map((x) => x.se),
    );
  });

  it("takes its draws from the caller's stream: the same stream repeats, another stream differs", () => {
    const { panel } = readPanelCsv(resolve(FIXTURES, 'boot.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' });
    const a = estimateDid(panel, { bootstrap: 99 }, seeded('s1'));
    const b = estimateDid(panel, { bootstrap: 99 }, seeded('s1'));
    const c = estimateDid(panel, { bootstrap: 99 }, seeded('s2'));
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.att_gt.map((x) => x.se),
      c.att_gt.map((x) => x.se),
    );
  });
});
