import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  analyticVariance,
  clusterCovariance,
  designFromStarts,
  glsVariance,
  hhSums,
  hhVariance,
  twoSidedPower,
  type ClusterCorrelation,
  type SwDesign,
} from '../../src/diagnosis/analytic-power.js';
import { pt, qt } from '../../src/stats/student-t.js';
import { invert } from '../../src/linalg/small.js';
import { seeded } from '../../src/random/stream.js';
import { standardNormal } from '../../src/random/normal.js';

/** A standard stepped wedge: Cl[k] clusters start in period k + 2 of length(Cl) + 1 periods (SteppedPower's Cl). */
function sw(cl: number[]): SwDesign {
  const starts = cl.flatMap((n, k) => Array<number>(n).fill(k + 2));
  return designFromStarts(starts, { first: 1, count: cl.length + 1 });
}

function power(d: SwDesign, sigmaE2: number, tau2: number, m: number | number[], correlation: ClusterCorrelation, theta: number) {
  const v = analyticVariance({ design: d, sigmaE2, tau2, m, correlation });
  return twoSidedPower(theta, Math.sqrt(v.variance), 0.05);
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

test('designFromStarts and the Hussey & Hughes sums of a 3-wave stepped wedge', () => {
  const d = sw([1, 1, 1]);
  assert.deepEqual([...d.x], [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1]);
  // Rows treat 3, 2, 1 periods; columns 0, 1, 2, 3 clusters.
  assert.deepEqual(hhSums(d), { U: 6, W: 14, V: 14 });
  const never = designFromStarts([2, Infinity], { first: 1, count: 3 });
  assert.deepEqual([...never.x], [0, 1, 1, 0, 0, 0]);
});

test('closed form = GLS for an exchangeable correlation and equal sizes', () => {
  for (const [cl, s2, t2] of [
    [[6, 6, 6, 6], 0.0394 / 100, 0.025 ** 2],
    [[2, 3, 1, 4, 2], 1 / 20, 0.3],
    [[3, 3], 2, 0],
  ] as [number[], number, number][]) {
    const d = sw(cl);
    const gls = glsVariance(d, () => clusterCovariance(d.T, s2, t2, { type: 'exchangeable' }));
    const hh = hhVariance(d, s2, t2);
    assert.ok(Math.abs(gls - hh) < 1e-12 * hh, `${cl}: GLS ${gls} vs HH ${hh}`);
  }
});

// SteppedPower 0.3.4 vignette "Getting Started with SteppedPower" (inst/doc/Getting_Started.html, CRAN
// cran/SteppedPower), printed outputs of glsPower / VarClosed_* under R 4.2.2. Its power is two-sided
// with both tails, as swCRTdesign's swPwr (helper tTestPwr: pt(d + q) + pt(−d + q)).
test('published: SteppedPower vignette glsPower outputs (exchangeable, HH model)', () => {
  // §2.1: glsPower(Cl=c(3,3,3), mu0=0, mu1=.2, sigma=1, tau=0, power=.8) → N = 50, "Power = 0.8074".
  assert.equal(round(power(sw([3, 3, 3]), 1, 0, 50, { type: 'exchangeable' }, 0.2), 4), 0.8074);
  // §5.2: parallel, 10 + 10 clusters, 5 periods, sigma .5: "Power = 0.7054"; with tau .2 "Power = 0.4616".
  const parallel = designFromStarts([...Array<number>(10).fill(1), ...Array<number>(10).fill(Infinity)], { first: 1, count: 5 });
  assert.equal(round(power(parallel, 0.25, 0, 1, { type: 'exchangeable' }, 0.25), 4), 0.7054);
  assert.equal(round(power(parallel, 0.25, 0.04, 1, { type: 'exchangeable' }, 0.25), 4), 0.4616);
  // §5.1: two groups of 10, one period: "0.7652593" = pwr::pwr.norm.test(.6, n = 20)$power (both tails).
  const z = designFromStarts([1, Infinity], { first: 1, count: 1 });
  assert.equal(round(power(z, 1, 0, 10, { type: 'exchangeable' }, 1.2), 7), 0.7652593);
});

test('published: SteppedPower vignette §5.10, the Hussey & Hughes example with Kasza and Li closed formulae', () => {
  // trtMat of Cl = rep(6, 4); mu0 .05, mu1 .032, N 100, tau .025, sigma = sqrt(.041·.959) (the mean p, as
  // swPwr's binomial σ²), gamma .01 (cluster-period sd), psi .1 (person sd).
  const d = sw([6, 6, 6, 6]);
  const s2 = 0.041 * 0.959;
  const c2 = 0.025 ** 2;
  const psi2n = 0.1 ** 2 / 100;
  // VarClosed_Kasza(chi = 1) "0.6451082": new people each period, so psi joins the cell noise:
  // cluster-period variance gamma² + psi²/N on top of tau²: block exchangeable.
  const g1 = 0.01 ** 2 + psi2n;
  assert.equal(round(power(d, s2, c2 + g1, 100, { type: 'block', cac: c2 / (c2 + g1) }, 0.018), 7), 0.6451082);
  // VarClosed_Kasza(chi = 0) "0.7145816": a closed cohort, psi²/N shared by all periods of a cluster.
  const c0 = c2 + psi2n;
  assert.equal(round(power(d, s2, c0 + 0.01 ** 2, 100, { type: 'block', cac: c0 / (c0 + 0.01 ** 2) }, 0.018), 7), 0.7145816);
  // VarClosed_Li(tau, psi, N, AR = .5), sigma 0: "0.7870855": cluster and cohort effects decay as AR^|s−t|.
  assert.equal(round(power(d, 0, c2 + psi2n, 100, { type: 'decay', r: 0.5 }, 0.018), 7), 0.7870855);
});

test('brute-force GLS in R (test/fixtures/analytic/gls-reference.R): unequal sizes, block exchangeable, decay', () => {
  const ref = JSON.parse(readFileSync(new URL('../../../test/fixtures/analytic/gls-reference.json', import.meta.url), 'utf8')) as {
    cases: {
      name: string;
      T: number;
      sigmaE2: number;
      tau2: number;
      m: number | number[];
      corr: 'exchangeable' | 'block' | 'decay';
      par: number;
      theta: number;
      starts: number[];
      variance: number;
      power: number;
    }[];
  };
  assert.equal(ref.cases.length, 3);
  for (const c of ref.cases) {
    const d = designFromStarts(
      c.starts.map((s) => (s < 0 ? Infinity : s)),
      { first: 1, count: c.T },
    );
    const correlation: ClusterCorrelation =
      c.corr === 'block' ? { type: 'block', cac: c.par } : c.corr === 'decay' ? { type: 'decay', r: c.par } : { type: 'exchangeable' };
    const v = analyticVariance({ design: d, sigmaE2: c.sigmaE2, tau2: c.tau2, m: c.m, correlation });
    assert.equal(v.method, 'gls', c.name);
    assert.ok(Math.abs(v.variance - c.variance) < 1e-10 * c.variance, `${c.name}: ${v.variance} vs R ${c.variance}`);
    assert.ok(Math.abs(twoSidedPower(c.theta, Math.sqrt(v.variance), 0.05) - c.power) < 1e-10, c.name);
  }
});

test('monotone: power rises with clusters, cluster size and effect, falls with the ICC; decay and cac matter', () => {
  const p = (cl: number[], m: number, icc: number, theta: number, corr: ClusterCorrelation = { type: 'exchangeable' }) =>
    power(sw(cl), 1 - icc, icc, m, corr, theta);
  const base = p([4, 4, 4], 50, 0.05, 0.2);
  assert.ok(p([6, 6, 6], 50, 0.05, 0.2) > base + 0.05, 'more clusters');
  assert.ok(p([4, 4, 4], 100, 0.05, 0.2) > base + 0.02, 'bigger clusters');
  // With the total variance fixed, a parallel design loses power steeply as the ICC grows; a stepped
  // wedge compares clusters with themselves and barely moves, even gaining at a high ICC (Hemming &
  // Girling 2013; Hussey & Hughes 2007 §3): 0.776 at ICC .05, 0.827 at ICC .2.
  const parallel = (icc: number) =>
    power(
      designFromStarts([...Array<number>(6).fill(1), ...Array<number>(6).fill(Infinity)], { first: 1, count: 4 }),
      1 - icc,
      icc,
      50,
      { type: 'exchangeable' },
      0.2,
    );
  assert.ok(parallel(0.05) < parallel(0.01) - 0.4 && parallel(0.1) < parallel(0.05) - 0.1, 'parallel: ICC costs power');
  assert.ok(
    Math.abs(p([4, 4, 4], 50, 0.1, 0.2) - base) < 0.02 && p([4, 4, 4], 50, 0.2, 0.2) > base + 0.03,
    'stepped wedge: ICC barely matters',
  );
  assert.ok(p([4, 4, 4], 50, 0.05, 0.3) > base + 0.1, 'larger effect');
  // A cluster correlation that is not the same in every period (cac < 1, decay) removes less of the
  // cluster noise by the within-cluster comparison: power falls (Hooper et al. 2016; Kasza et al. 2019).
  assert.ok(p([4, 4, 4], 50, 0.05, 0.2, { type: 'block', cac: 0.5 }) < base - 0.02, 'cac 0.5');
  assert.ok(p([4, 4, 4], 50, 0.05, 0.2, { type: 'decay', r: 0.7 }) < base - 0.02, 'decay 0.7');
  // cac = 1 and r = 1 are the exchangeable model.
  assert.ok(Math.abs(p([4, 4, 4], 50, 0.05, 0.2, { type: 'decay', r: 1 - 1e-12 }) - base) < 1e-6);
});

test('unequal sizes: cluster sizes with the same mean lose power; one size for all is the closed form', () => {
  const d = sw([2, 2, 2]);
  const equal = analyticVariance({ design: d, sigmaE2: 1, tau2: 0.02, m: 30, correlation: { type: 'exchangeable' } });
  const same = analyticVariance({ design: d, sigmaE2: 1, tau2: 0.02, m: Array(6).fill(30), correlation: { type: 'exchangeable' } });
  const unequal = analyticVariance({
    design: d,
    sigmaE2: 1,
    tau2: 0.02,
    m: [5, 55, 10, 50, 15, 45],
    correlation: { type: 'exchangeable' },
  });
  assert.equal(equal.method, 'hussey-hughes');
  assert.equal(same.method, 'gls');
  assert.ok(Math.abs(same.variance - equal.variance) < 1e-12 * equal.variance);
  assert.ok(unequal.variance > equal.variance * 1.01, `${unequal.variance} vs ${equal.variance}`);
});

test('not identified: nobody treated, or everybody treated in the same period with no control period', () => {
  const none = designFromStarts([Infinity, Infinity, Infinity], { first: 1, count: 3 });
  const allAtOnce = designFromStarts([1, 1, 1], { first: 1, count: 3 });
  for (const d of [none, allAtOnce]) {
    assert.ok(Number.isNaN(hhVariance(d, 0.1, 0.01)));
    assert.ok(Number.isNaN(glsVariance(d, () => clusterCovariance(3, 0.1, 0.01, { type: 'block', cac: 0.5 }))));
  }
});

test('two-sided power: α at θ = 0, both tails, t(df) below normal; t tail and quantile as R', () => {
  assert.ok(Math.abs(twoSidedPower(0, 1, 0.05) - 0.05) < 1e-12);
  assert.ok(Math.abs(twoSidedPower(0, 1, 0.05, 7) - 0.05) < 1e-12);
  assert.ok(twoSidedPower(2.8, 1, 0.05, 11) < twoSidedPower(2.8, 1, 0.05));
  // R 4.2.2: qt(0.975, 9) 2.262157162798205, qt(0.975, 23) 2.068657610419048, qt(0.995, 3) 5.840909309733354,
  // pt(1.5, 5, lower = FALSE) 0.09695184012123657, pt(-0.7, 2, lower = FALSE) 0.7218034876835673,
  // pt(q − 1, 9, lower = FALSE) + pt(q + 1, 9, lower = FALSE) with q = qt(.975, 9): 0.1242110104708967.
  assert.ok(Math.abs(qt(0.975, 9) - 2.262157162798205) < 1e-12);
  assert.ok(Math.abs(qt(0.975, 23) - 2.068657610419048) < 1e-12);
  assert.ok(Math.abs(qt(0.995, 3) - 5.840909309733354) < 1e-11);
  assert.ok(Math.abs(qt(0.025, 9) + 2.262157162798205) < 1e-12);
  assert.ok(Math.abs(pt(-1.5, 5) - 0.09695184012123657) < 1e-13);
  assert.ok(Math.abs(pt(0.7, 2) - 0.7218034876835673) < 1e-13);
  assert.ok(Math.abs(twoSidedPower(1, 1, 0.05, 9) - 0.1242110104708967) < 1e-12);
});

test('simulated person-level data (seeded): the known-variance GLS estimate has the analytic SE and rejects at the analytic power', () => {
  // 12 clusters in 4 waves over 5 periods, 20 people per cell; cluster effect c_i (cac·τ²) plus a
  // cluster-period effect (1 − cac)·τ², people N(0, σ²_e): block exchangeable with cac 0.6.
  const d = sw([3, 3, 3, 3]);
  const { G, T } = d;
  const [m, sigmaE2, tau2, cac, theta] = [20, 1, 0.1, 0.6, 0.25];
  const V = clusterCovariance(T, sigmaE2 / m, tau2, { type: 'block', cac });
  const W = invert(V, T)!;
  // θ̂ = Σ_i a_iᵀ ȳ_i with a_i = W Z_i M⁻¹ e_θ (M = Σ Z_iᵀ W Z_i): the GLS weights of each cluster's cell means.
  const k = T + 1;
  const M = new Float64Array(k * k);
  const Z = (i: number, t: number, c: number) => (c < T ? (c === t ? 1 : 0) : d.x[i * T + t]);
  for (let i = 0; i < G; i++)
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++)
        for (let s = 0; s < T; s++) for (let t = 0; t < T; t++) M[a * k + b] += Z(i, s, a) * W[s * T + t] * Z(i, t, b);
  const Minv = invert(M, k)!;
  const weights = Array.from({ length: G }, (_, i) =>
    Array.from({ length: T }, (_, s) => {
      let w = 0;
      for (let t = 0; t < T; t++) for (let c = 0; c < k; c++) w += W[s * T + t] * Z(i, t, c) * Minv[c * k + T];
      return w;
    }),
  );
  const se = Math.sqrt(analyticVariance({ design: d, sigmaE2, tau2, m, correlation: { type: 'block', cac } }).variance);
  const S = 1500;
  const z = 1.959963984540054;
  let sum = 0;
  let sum2 = 0;
  let reject = 0;
  const rng = seeded('analytic-power-mc');
  for (let draw = 0; draw < S; draw++) {
    let est = 0;
    for (let i = 0; i < G; i++) {
      const ci = Math.sqrt(cac * tau2) * standardNormal(rng);
      for (let t = 0; t < T; t++) {
        let people = 0;
        for (let j = 0; j < m; j++) people += Math.sqrt(sigmaE2) * standardNormal(rng);
        const y = 0.1 * t + theta * d.x[i * T + t] + ci + Math.sqrt((1 - cac) * tau2) * standardNormal(rng) + people / m;
        est += weights[i][t] * y;
      }
    }
    sum += est;
    sum2 += est * est;
    if (Math.abs(est) / se > z) reject++;
  }
  const mean = sum / S;
  const sd = Math.sqrt(sum2 / S - mean * mean);
  assert.ok(Math.abs(mean - theta) < 4 * (se / Math.sqrt(S)), `mean ${mean} vs θ ${theta}`);
  assert.ok(Math.abs(sd - se) < 4 * (se / Math.sqrt(2 * S)), `sd ${sd} vs analytic SE ${se}`);
  const p = twoSidedPower(theta, se, 0.05);
  assert.ok(p > 0.3 && p < 0.9, `a power with room to miss: ${p}`);
  assert.ok(Math.abs(reject / S - p) < 4 * Math.sqrt((p * (1 - p)) / S), `rejection rate ${reject / S} vs analytic power ${p}`);
});
