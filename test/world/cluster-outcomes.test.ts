/**
 * The cluster world (world/cluster-outcomes.ts): realised moments of one seeded draw against the
 * model's closed forms (module comment), each with its tolerance from the Monte Carlo SE of a mean
 * over clusters (clusters are independent, cells within a cluster are not, so every statistic is
 * first averaged within its cluster). Frames are built by hand: the design builds them in generate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bvnCdf } from '../../src/calibrate/bvn.js';
import { normalQuantile } from '../../src/random/phi.js';
import { seeded } from '../../src/random/stream.js';
import { jointOnes, latentCorrelation } from '../../src/world/cluster-icc.js';
import { clusterOutcomes, type ClusterFrame, type ClusterOutcomes } from '../../src/world/cluster-outcomes.js';
import { effectShape } from '../../src/world/effects.js';
import { mean, meanSe, withinSe, worldPoint } from '../helpers/world.js';

const periodsOf = (T: number) => Float64Array.from({ length: T }, (_, t) => t + 1);

function frameOf(
  G: number,
  n: number,
  o: Partial<Omit<ClusterFrame, 'G' | 'start'>> & { start?: (j: number) => number; urban?: (j: number) => number } = {},
): ClusterFrame {
  return {
    G,
    start: Float64Array.from({ length: G }, (_, j) => (o.start ? o.start(j) : Infinity)),
    rank: o.rank ?? new Int32Array(G).fill(-1),
    size: o.size ?? new Int32Array(G).fill(n),
    covariates: o.urban ? { urban: Float64Array.from({ length: G }, (_, j) => o.urban!(j)) } : {},
    sampling: o.sampling ?? 'cross_section',
    churn: o.churn ?? 0,
  };
}

const URBAN = '{size: 2, covariates: {urban: {type: binary, p: 0.5}}}';

function draw(outcome: string, frame: ClusterFrame, T: number, effect?: string, seed = 1): ClusterOutcomes {
  const s = worldPoint({ population: URBAN, outcome, effect });
  return clusterOutcomes({ cluster: seeded(`${seed}/cluster`), people: seeded(`${seed}/people`) }, s, frame, periodsOf(T));
}

/** A per-cluster statistic f(j) as its mean over clusters and the MC SE of that mean. */
function perCluster(G: number, f: (j: number) => number) {
  return meanSe(Float64Array.from({ length: G }, (_, j) => f(j)));
}

/** Ratio of two per-cluster means and its delta-method SE (influence a_j − R·b_j over mean b). */
function ratio(G: number, a: (j: number) => number, b: (j: number) => number) {
  const A = Float64Array.from({ length: G }, (_, j) => a(j));
  const B = Float64Array.from({ length: G }, (_, j) => b(j));
  const r = mean(A) / mean(B);
  const inf = Float64Array.from({ length: G }, (_, j) => (A[j] - r * B[j]) / mean(B));
  return { r, se: meanSe(inf).se };
}

test('continuous, cross-section: within-cell variance (1 − icc)·sd², between-cell icc·sd², total sd², ICC (ANOVA)', () => {
  const [G, n, T, sd, icc, mu] = [1500, 20, 4, 2, 0.2, 5];
  const out = draw(`{type: continuous, mean: ${mu}, sd: ${sd}, icc: ${icc}}`, frameOf(G, n), T);
  // Per cluster: the within-cell variance SS/(n − 1) (unbiased for σe²) and the cell means' squared
  // deviation less σ̂e²/n (unbiased for σc², since E(ȳ − μ)² = σc² + σe²/n).
  const within = (j: number) => mean(Array.from({ length: T }, (_, t) => out.cellSS[t * G + j] / (n - 1)));
  const between = (j: number) => mean(Array.from({ length: T }, (_, t) => (out.y[t * G + j] - mu) ** 2)) - within(j) / n;
  const w = perCluster(G, within);
  withinSe(w.mean, (1 - icc) * sd * sd, w.se, 'within-cell variance');
  const b = perCluster(G, between);
  withinSe(b.mean, icc * sd * sd, b.se, 'between-cell (cluster) variance');
  const total = perCluster(G, (j) => within(j) + between(j));
  withinSe(total.mean, sd * sd, total.se, 'total variance');
  const r = ratio(G, between, (j) => within(j) + between(j));
  withinSe(r.r, icc, r.se, 'ICC');
  assert.ok(r.se < 0.02, `the ICC is measured to ${r.se}`);
  assert.deepEqual([...out.cellSize], new Array(G * T).fill(n));
  assert.deepEqual(out.y, out.y0, 'no effect: observed = Y(0)');
});

test('continuous: cac is the correlation of a cluster period effects across periods (block exchangeable)', () => {
  const [G, n, T, icc, cac] = [1500, 10, 4, 0.3, 0.6];
  const out = draw(`{type: continuous, mean: 0, sd: 1, icc: ${icc}, cac: ${cac}}`, frameOf(G, n), T);
  // Cross-section: different people in different periods, so Cov(ȳ_js, ȳ_jt) = icc·sd²·cac for s ≠ t.
  const cross = (j: number) => {
    let v = 0;
    let k = 0;
    for (let s = 0; s < T; s++)
      for (let t = s + 1; t < T; t++) {
        v += out.y[s * G + j] * out.y[t * G + j];
        k++;
      }
    return v / k;
  };
  const c = perCluster(G, cross);
  withinSe(c.mean, icc * cac, c.se, 'between-period covariance of cell means');
  const cellVar = (j: number) => mean(Array.from({ length: T }, (_, t) => out.y[t * G + j] ** 2 - out.cellSS[t * G + j] / (n - 1) / n));
  const r = ratio(G, cross, cellVar);
  withinSe(r.r, cac, r.se, 'cac (within-cell noise removed)');
});

test('continuous: decay r gives a cluster period effects correlation r^|s−t| (Kasza et al. 2019)', () => {
  const [G, n, T, icc, r] = [5000, 50, 10, 0.5, 0.7];
  const out = draw(`{type: continuous, mean: 0, sd: 1, icc: ${icc}, decay: ${r}}`, frameOf(G, n), T);
  for (const lag of [1, 2, 4]) {
    const c = perCluster(G, (j) => mean(Array.from({ length: T - lag }, (_, t) => out.y[t * G + j] * out.y[(t + lag) * G + j])));
    withinSe(c.mean, icc * r ** lag, c.se, `covariance at lag ${lag}`);
  }
  // Stationary from the first period: the cell means' variance icc + (1 − icc)/n in the last period too.
  const last = perCluster(G, (j) => out.y[(T - 1) * G + j] ** 2);
  withinSe(last.mean, icc + (1 - icc) / n, last.se, 'last-period variance of the cell means');
});

test('cohort: a person corr w + (1 − w)ρ^k on top of the cluster part; churn multiplies by (1 − churn)^k', () => {
  // One person a cluster, so a cell mean is that person's value: Cov(y_s, y_t) = icc + (1 − icc)·(w + (1 − w)ρ^k)·(1 − c)^k.
  const [G, T, icc, rho] = [10000, 5, 0.25, 0.6];
  const w = 0.5; // unit_sd² / (unit_sd² + noise_sd²) = 1 / 2
  for (const churn of [0, 0.2]) {
    const out = draw(
      `{type: continuous, mean: 0, sd: 1, icc: ${icc}, unit_sd: 1, noise_sd: 1, rho: ${rho}}`,
      frameOf(G, 1, { sampling: 'cohort', churn }),
      T,
    );
    for (const lag of [1, 3]) {
      const c = perCluster(G, (j) => mean(Array.from({ length: T - lag }, (_, t) => out.y[t * G + j] * out.y[(t + lag) * G + j])));
      const expected = icc + (1 - icc) * (w + (1 - w) * rho ** lag) * (1 - churn) ** lag;
      withinSe(c.mean, expected, c.se, `churn ${churn}, lag ${lag}`);
    }
    const v = perCluster(G, (j) => mean(Array.from({ length: T }, (_, t) => out.y[t * G + j] ** 2)));
    withinSe(v.mean, 1, v.se, `churn ${churn}: variance sd² in every period`);
  }
});

test('cohort: with no stable part and no cluster part a person follows a stationary AR(1), corr ρ^k', () => {
  const [G, T, rho] = [20000, 8, 0.6];
  const out = draw(
    `{type: continuous, mean: 0, sd: 1, icc: 0, unit_sd: 0, noise_sd: 1, rho: ${rho}}`,
    frameOf(G, 1, { sampling: 'cohort' }),
    T,
  );
  for (const lag of [0, 1, 2]) {
    const c = perCluster(G, (j) => mean(Array.from({ length: T - lag }, (_, t) => out.y[t * G + j] * out.y[(t + lag) * G + j])));
    withinSe(c.mean, rho ** lag, c.se, `lag ${lag}`);
  }
  // and stationary: the variance is 1 in the last period as in the first
  withinSe(mean(Array.from({ length: G }, (_, j) => out.y[(T - 1) * G + j] ** 2)), 1, Math.sqrt(2 / G), 'last-period variance');
});

test('cohort churn: the share of people replaced each period is churn', () => {
  // Only a stable part (noise_sd 0) and no cluster part: a person's value changes only when replaced.
  const [G, T, churn] = [3000, 4, 0.15];
  const out = draw('{type: continuous, mean: 0, sd: 1, icc: 0, unit_sd: 1, noise_sd: 0}', frameOf(G, 1, { sampling: 'cohort', churn }), T);
  let changed = 0;
  for (let t = 1; t < T; t++) for (let j = 0; j < G; j++) if (out.y[t * G + j] !== out.y[(t - 1) * G + j]) changed++;
  const N = G * (T - 1);
  withinSe(changed / N, churn, Math.sqrt((churn * (1 - churn)) / N), 'replaced share (binomial SE)');
});

test('latentCorrelation: at π = 1/2 Sheppard gives icc = 2·asin(r)/π, so r = sin(π·icc/2); elsewhere it solves the ICC equation', () => {
  assert.ok(Math.abs(latentCorrelation(0.5, 0.2) - Math.sin(0.1 * Math.PI)) < 1e-9);
  assert.ok(Math.abs(latentCorrelation(0.5, 0.6) - Math.sin(0.3 * Math.PI)) < 1e-9);
  assert.equal(latentCorrelation(0.3, 0), 0);
  for (const [p, icc] of [
    [0.04, 0.02],
    [0.3, 0.1],
    [0.9, 0.05],
  ]) {
    const r = latentCorrelation(p, icc);
    assert.ok(r > icc, `the latent correlation ${r} exceeds the outcome-scale ${icc} (tetrachoric ≥ phi)`);
    assert.ok(Math.abs((jointOnes(p, r) - p * p) / (p * (1 - p)) - icc) < 1e-9, `p ${p}, icc ${icc}`);
  }
  assert.throws(() => latentCorrelation(0, 0.1), /expected π in \(0, 1\), found 0/);
});

test('binary, cross-section: marginal p and the outcome-scale ICC (pairs of people in a cell), cac on the latent cluster part', () => {
  for (const [p, icc, n, G] of [
    [0.3, 0.1, 20, 2000],
    [0.04, 0.02, 50, 3000],
  ]) {
    const [T, cac] = [3, 0.5];
    const out = draw(`{type: binary, p: ${p}, icc: ${icc}, cac: ${cac}}`, frameOf(G, n), T);
    const m = perCluster(G, (j) => mean(Array.from({ length: T }, (_, t) => out.y[t * G + j])));
    withinSe(m.mean, p, m.se, `p ${p}: marginal probability`);
    // Ordered pairs of ones in a cell, k(k − 1)/(n(n − 1)), estimate P(Y = 1, Y' = 1) = p² + icc·p(1 − p).
    const pairs = (j: number) =>
      mean(
        Array.from({ length: T }, (_, t) => {
          const k = out.y[t * G + j] * n;
          return (k * (k - 1)) / (n * (n - 1));
        }),
      );
    const pp = perCluster(G, pairs);
    withinSe(pp.mean, p * p + icc * p * (1 - p), pp.se, `p ${p}: P(two people of a cell both 1)`);
    assert.ok(p * p + 4 * pp.se < pp.mean, 'and the test tells the ICC from 0');
    // Periods s ≠ t: P(Y_s = 1, Y'_t = 1) = Φ₂(c, c; r·cac), r the latent correlation (module comment).
    const cross = perCluster(G, (j) => mean([0, 1, 2].map((s) => out.y[s * G + j] * out.y[((s + 1) % T) * G + j])));
    const c = normalQuantile(p);
    withinSe(cross.mean, bvnCdf(c, c, latentCorrelation(p, icc) * cac), cross.se, `p ${p}: across periods`);
    // Within-cell SS of a binary cell is k(n − k)/n.
    for (let i = 0; i < 50; i++) {
      const k = out.y[i] * n;
      assert.ok(Math.abs(out.cellSS[i] - (k * (n - k)) / n) < 1e-9);
    }
  }
});

test('binary cohort: a person latent persists, P(Y_s = 1, Y_t = 1) = Φ₂(c, c; r + (1 − r)(w + (1 − w)ρ^k))', () => {
  const [G, T, p, icc, rho] = [20000, 3, 0.3, 0.1, 0.5];
  const out = draw(`{type: binary, p: ${p}, icc: ${icc}, unit_sd: 1, noise_sd: 1, rho: ${rho}}`, frameOf(G, 1, { sampling: 'cohort' }), T);
  const r = latentCorrelation(p, icc);
  const c = normalQuantile(p);
  for (const lag of [1, 2]) {
    const both = perCluster(G, (j) => mean(Array.from({ length: T - lag }, (_, t) => out.y[t * G + j] * out.y[(t + lag) * G + j])));
    withinSe(both.mean, bvnCdf(c, c, r + (1 - r) * (0.5 + 0.5 * rho ** lag)), both.se, `lag ${lag}`);
  }
});

test('binary: a trend on the probability scale, by cluster covariate; an error when a cell leaves (0, 1)', () => {
  const [G, n, T] = [1200, 20, 4];
  const out = draw('{type: binary, p: 0.2, icc: 0.05, trend: {slope: 0.03, by: {urban: 0.02}}}', frameOf(G, n, { urban: (j) => j % 2 }), T);
  for (const urban of [0, 1])
    for (const t of [0, 3]) {
      const cells = Array.from({ length: G / 2 }, (_, h) => out.y[t * G + 2 * h + urban]);
      const m = meanSe(cells);
      withinSe(m.mean, 0.2 + (0.03 + 0.02 * urban) * t, m.se, `urban ${urban}, period index ${t}`);
    }
  assert.throws(
    () => draw('{type: binary, p: 0.9, icc: 0.05, trend: {slope: 0.04}}', frameOf(3, 5), T),
    /outcome\.p \+ covariate_effects \+ trend: expected a probability in \(0, 1\) in every cell, found 1\.02\d* for cluster 1 in period 4/,
  );
});

test('continuous: the cluster covariates shift the level (centred) and the trend', () => {
  const [G, n, T] = [1200, 10, 3];
  const out = draw(
    '{type: continuous, mean: 1, sd: 1, icc: 0.1, covariate_effects: {urban: 2}, trend: {slope: 0.5, by: {urban: -1}}}',
    frameOf(G, n, { urban: (j) => j % 2 }),
    T,
  );
  for (const urban of [0, 1])
    for (const t of [0, 2]) {
      const m = meanSe(Array.from({ length: G / 2 }, (_, h) => out.y[t * G + 2 * h + urban]));
      withinSe(m.mean, 1 + 2 * (urban - 0.5) + (0.5 - urban) * t, m.se, `urban ${urban}, period index ${t}`);
    }
});

test('effects: size·shape(e) on the treated cells (onset lag, ramp), by start group and cluster covariate; Y(0) before start', () => {
  const [G, n, T] = [8, 5, 12];
  const effect = '{size: 2, onset: 2, ramp: 1, by_group: [1, 3], by_covariate: {urban: 0.5}}';
  const frame = frameOf(G, n, {
    start: (j) => (j < 6 ? 3 + j : Infinity),
    rank: Int32Array.from({ length: G }, (_, j) => (j < 6 ? (j < 3 ? 0 : 1) : -1)),
    urban: (j) => j % 2,
  });
  const out = draw('{type: continuous, mean: 0, sd: 1, icc: 0.1}', frame, T, effect);
  const s = worldPoint({ population: URBAN, effect });
  for (let j = 0; j < G; j++)
    for (let t = 0; t < T; t++) {
      const e = t + 1 - frame.start[j];
      // The multiplier: by_group (rank 0 → 1, rank 1 → 3) × (1 + 0.5·(urban − 0.5)).
      const m = (frame.rank[j] === 1 ? 3 : 1) * (1 + 0.5 * (frame.covariates.urban[j] - 0.5));
      const tau = Number.isFinite(e) && e >= 0 ? 2 * effectShape(s.effect, e) * m : 0;
      const cell = t * G + j;
      assert.ok(
        Math.abs(out.y1[cell] - out.y0[cell] - tau) < 1e-12,
        `cluster ${j}, period ${t + 1}: ${out.y1[cell] - out.y0[cell]} vs ${tau}`,
      );
      assert.equal(out.y[cell], out.y1[cell]);
    }
  // Onset 2, ramp 1: nothing at event times 0 and 1, half at 2, full from 3.
  assert.deepEqual(
    [0, 1, 2, 3, 7].map((e) => effectShape(s.effect, e)),
    [0, 0, 0.5, 1, 1],
  );
});

test('effects: heterogeneity across clusters has variance (size·unit_sd)²; across people (size·person_sd)²', () => {
  const [G, n, T, size] = [3000, 25, 2, 1.5];
  const across = draw(
    '{type: continuous, mean: 0, sd: 1, icc: 0.1}',
    frameOf(G, n, { start: () => 1 }),
    T,
    `{size: ${size}, unit_sd: 0.4}`,
  );
  const d = (out: ClusterOutcomes, cell: number) => out.y1[cell] - out.y0[cell];
  const eff = perCluster(G, (j) => d(across, j));
  withinSe(eff.mean, size, eff.se, 'mean cluster effect');
  const v = perCluster(G, (j) => (d(across, j) - size) ** 2);
  withinSe(v.mean, (size * 0.4) ** 2, v.se, 'variance of the cluster effects');
  // Person multipliers: a cross-section cell's effect is size·(1 + person_sd·z̄), Var = (size·person_sd)²/n,
  // and the observed within-cell variance grows by (size·person_sd)².
  const ps = 0.5;
  const people = draw(
    '{type: continuous, mean: 0, sd: 1, icc: 0.1}',
    frameOf(G, n, { start: () => 1 }),
    T,
    `{size: ${size}, person_sd: ${ps}}`,
  );
  const pv = perCluster(G, (j) => mean([0, 1].map((t) => (d(people, t * G + j) - size) ** 2)));
  withinSe(pv.mean, (size * ps) ** 2 / n, pv.se, 'variance of cell effects from person multipliers');
  const within = perCluster(G, (j) => mean([0, 1].map((t) => people.cellSS[t * G + j] / (n - 1))));
  withinSe(within.mean, 0.9 + (size * ps) ** 2, within.se, 'observed within-cell variance (1 − icc)·sd² + (size·person_sd)²');
});

test('binary effects: the marginal probability moves by the effect; people move only in its direction', () => {
  const [G, n, T, p, size] = [1500, 20, 2, 0.3, -0.1];
  for (const effect of [`{size: ${size}}`, `{size: ${size}, person_sd: 0.5}`, `{size: ${size}, unit_sd: 0.5}`]) {
    const out = draw(`{type: binary, p: ${p}, icc: 0.05}`, frameOf(G, n, { start: () => 1 }), T, effect);
    const m = perCluster(G, (j) => mean([0, 1].map((t) => out.y1[t * G + j] - out.y0[t * G + j])));
    withinSe(m.mean, size, m.se, `${effect}: mean of Y(1) − Y(0)`);
    // Coupled: with one effect for everyone nobody moves against it (multipliers 1 + sd·z below 0 may flip it).
    if (effect === `{size: ${size}}`)
      for (let c = 0; c < G * T; c++) assert.ok(out.y1[c] <= out.y0[c], `${effect}: a cell with more ones under a negative effect`);
  }
  // One person a cluster (cohort): Y(1) ≤ Y(0) person by person, and Y(1) = 1 only if Y(0) = 1.
  const one = draw(`{type: binary, p: ${p}, icc: 0.05}`, frameOf(2000, 1, { start: () => 2, sampling: 'cohort' }), 3, '{size: -0.2}');
  const moved = [...one.y0].filter((v, c) => v === 1 && one.y1[c] === 0).length;
  assert.ok(
    [...one.y1].every((v, c) => v <= one.y0[c]),
    'coupled: nobody moved against the effect',
  );
  // Moved share: P(Y(0) = 1, Y(1) = 0) = 0.2 in the two treated periods of three.
  withinSe(moved / 6000, (2 / 3) * 0.2, Math.sqrt(((2 / 3) * 0.2 * (1 - (2 / 3) * 0.2)) / 6000), 'share moved by the effect');
  assert.deepEqual(one.y.subarray(0, 2000), one.y0.subarray(0, 2000), 'before start observed = Y(0)');
});

test('common random numbers: adding clusters leaves the first clusters unchanged; a seed reproduces a draw', () => {
  const outcome = '{type: continuous, mean: 0, sd: 1, icc: 0.2, decay: 0.9}';
  const effect = '{size: 1, unit_sd: 0.3, person_sd: 0.4}';
  const frame = (G: number) =>
    frameOf(G, 7, { start: (j) => 2 + (j % 3), sampling: 'cohort', churn: 0.1, size: Int32Array.from({ length: G }, (_, j) => 5 + j) });
  const T = 6;
  for (const o of [outcome, '{type: binary, p: 0.2, icc: 0.1}']) {
    const small = draw(o, frame(5), T, effect);
    const big = draw(o, frame(9), T, effect);
    for (const k of ['y0', 'y1', 'y', 'cellSize', 'cellSS'] as const)
      for (let t = 0; t < T; t++)
        assert.deepEqual(big[k].subarray(t * 9, t * 9 + 5), small[k].subarray(t * 5, t * 5 + 5), `${o} ${k}, period ${t + 1}`);
    assert.deepEqual(draw(o, frame(5), T, effect), small, 'same seed, same draw');
    assert.notDeepEqual(draw(o, frame(5), T, effect, 2).y, small.y, 'another seed, another draw');
  }
});

test('refusals: other outcome types, no icc, decay with cac < 1, a cohort without individual variance, a missing covariate', () => {
  const f = frameOf(2, 3);
  assert.throws(
    () => draw('{type: earnings, mean: 100, share_any: 0.3}', f, 2),
    /outcome\.type: expected continuous or binary in a clusters design, found earnings/,
  );
  assert.throws(() => draw('{type: binary, p: 0.1}', f, 2), /outcome\.icc: expected the intra-cluster correlation/);
  assert.throws(
    () => draw('{type: binary, p: 0.1, icc: 0.1, cac: 0.5, decay: 0.9}', f, 2),
    /outcome\.decay: expected no decay together with cac < 1/,
  );
  assert.throws(
    () => draw('{type: continuous, mean: 0, sd: 1, icc: 0.1, unit_sd: 0, noise_sd: 0}', frameOf(2, 3, { sampling: 'cohort' }), 2),
    /outcome\.unit_sd, outcome\.noise_sd: expected at least one above 0/,
  );
  assert.throws(
    () => draw('{type: continuous, mean: 0, sd: 1, icc: 0.1, covariate_effects: {urban: 1}}', f, 2),
    /outcome\.covariate_effects\.urban: expected the cluster covariate urban/,
  );
});
