/**
 * Δ^SD(M) (src/sensitivity/smoothness.ts, flci.ts, smoothness-geometry.ts, folded-normal.ts,
 * src/linalg/lasso-path.ts) against closed forms, R 4.2.2 and an LP (lp.ts), on a synthetic event study.
 * HonestDiD's printed results on its authors' data are in
 * test-reference/sensitivity/smoothness-published.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lassoPath } from '../../src/linalg/lasso-path.js';
import { solveLp } from '../../src/linalg/lp.js';
import { invert } from '../../src/linalg/small.js';
import { seeded } from '../../src/random/stream.js';
import { flciProblem, optimalFlci } from '../../src/sensitivity/flci.js';
import { foldedNormalCv } from '../../src/sensitivity/folded-normal.js';
import { RESTRICTIONS, resolveCi, sensitivity } from '../../src/sensitivity/index.js';
import {
  postCurvatureBound,
  postCurvatureLoadings,
  smoothnessConstraints,
  smoothnessIdentifiedSet,
  trendLoading,
} from '../../src/sensitivity/smoothness-geometry.js';
import { flciVbar, sdConditionalSet, smoothness } from '../../src/sensitivity/smoothness.js';
import type { EventStudyCoefficients } from '../../src/sensitivity/types.js';
import { qnorm } from '../../src/stats/normal.js';
import { honestDidFoldedNormalCv, rNormals } from '../helpers/r-rnorm.js';

/** A synthetic event study: 4 pre-periods, 3 post, AR(1)-like covariance plus a common component. */
function synthetic(): EventStudyCoefficients {
  const n = 7;
  const sigma = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1e-4 * (0.5 ** Math.abs(i - j) + 0.3)));
  return { betahat: [0.012, 0.004, -0.003, 0.002, 0.05, 0.061, 0.07], sigma, numPre: 4, numPost: 3, lVec: [1, 0, 0] };
}

/** Half-length of the FLCI interval for an admissible estimator given by the free coordinates a. */
function halfLengthOf(coef: EventStudyCoefficients, a: number[], m: number, alpha: number): number {
  const K = coef.numPre;
  const S = trendLoading(coef.lVec);
  const full = [...a, S];
  const v = full.map((_, i) => full[i] - 2 * (i >= 1 ? full[i - 1] : 0) + (i >= 2 ? full[i - 2] : 0));
  const w = [...v, ...coef.lVec];
  let variance = 0;
  for (let i = 0; i < w.length; i++) for (let j = 0; j < w.length; j++) variance += w[i] * coef.sigma[i][j] * w[j];
  const sd = Math.sqrt(variance);
  const bias = m * (postCurvatureBound(coef.lVec) + a.slice(0, K - 1).reduce((s, x) => s + Math.abs(x), 0));
  return sd * foldedNormalCv(bias / sd, alpha);
}

describe('folded-normal critical value', () => {
  it('equals R uniroot(pnorm(c − b, lower = F) + pnorm(c + b, lower = F) − α) to 1e-13', () => {
    // R 4.2.2: f <- function(b,a) uniroot(function(c) pnorm(c-b,lower.tail=FALSE)+pnorm(c+b,lower.tail=FALSE)-a, c(0,b+10), tol=1e-15)$root
    const cases: [number, number, number][] = [
      [0, 0.05, 1.959963984540054],
      [0, 0.005, 2.807033768343804],
      [0.5, 0.05, 2.181477442328155],
      [0.5, 0.005, 3.087547148249218],
      [2.06, 0.05, 3.704853666573433],
      [2.06, 0.005, 4.63582930429045],
      [5, 0.05, 6.644853626951472],
      [5, 0.005, 7.5758293035489],
    ];
    for (const [b, a, want] of cases) {
      const got = foldedNormalCv(b, a);
      assert.ok(Math.abs(got - want) <= 1e-13 * want, `cv(${b}, ${a}) = ${got}, R ${want}`);
      assert.equal(foldedNormalCv(-b, a), got, 'symmetric in b');
    }
  });
  it('the test helper reproduces R 4.2.2 set.seed(0); rnorm(1e6) and HonestDiD .qfoldednormal', () => {
    // R 4.2.2: set.seed(0); x <- rnorm(1e6); sprintf("%.17g", x[c(1,2,3,1e6)]); quantile(abs(x), 0.95); quantile(abs(x + 2.5), 0.95)
    const x = rNormals(0, 1_000_000);
    assert.equal(x[0], 1.2629542848807933);
    assert.equal(x[1], -0.3262333607056494);
    assert.equal(x[2], 1.3297992629225006);
    assert.equal(x[999_999], 2.0643391413442749);
    const cv = honestDidFoldedNormalCv();
    assert.ok(Math.abs(cv(0, 0.05) - 1.9622386669815701) < 1e-14);
    assert.ok(Math.abs(cv(2.5, 0.05) - 4.1433254243444813) < 1e-14);
  });
});

describe('lasso path (exact homotopy)', () => {
  it('every breakpoint satisfies the KKT conditions; the path ends at −P⁻¹p; ‖x‖₁ grows', () => {
    const rng = seeded('lasso');
    const n = 5;
    const b = Array.from({ length: n * n }, () => rng() - 0.5);
    const P = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) P[i * n + j] += b[k * n + i] * b[k * n + j];
    for (let i = 0; i < n; i++) P[i * n + i] += 0.1;
    const p = Array.from({ length: n }, () => rng() - 0.5);
    const path = lassoPath(P, p, n);
    assert.ok(path.length >= n + 1, `at least one breakpoint per coordinate, got ${path.length}`);
    let prevL1 = -1;
    for (const { mu, x } of path) {
      const l1 = x.reduce((s, v) => s + Math.abs(v), 0);
      assert.ok(l1 >= prevL1 - 1e-12, '‖x‖₁ is non-decreasing as μ falls');
      prevL1 = l1;
      for (let j = 0; j < n; j++) {
        let g = p[j];
        for (let k = 0; k < n; k++) g += P[j * n + k] * x[k];
        if (x[j] !== 0) assert.ok(Math.abs(g + mu * Math.sign(x[j])) < 1e-10, `active ${j}: g = −μ·sign`);
        else assert.ok(Math.abs(g) <= mu + 1e-10, `inactive ${j}: |g| ≤ μ`);
      }
    }
    const inv = invert(P, n)!;
    const end = path[path.length - 1];
    assert.equal(end.mu, 0);
    for (let j = 0; j < n; j++) {
      let want = 0;
      for (let k = 0; k < n; k++) want -= inv[j * n + k] * p[k];
      assert.ok(Math.abs(end.x[j] - want) < 1e-10, `x(0)_${j} = ${end.x[j]}, −P⁻¹p = ${want}`);
    }
  });
});

describe('Δ^SD geometry and the identified set', () => {
  it('the constraint rows are HonestDiD .create_A_SD: second differences with the reference column dropped', () => {
    const a = smoothnessConstraints(2, 2);
    // times −2, −1, (0), 1, 2: centres −1, 0, 1.
    assert.deepEqual(a.slice(0, 3), [
      [1, -2, 0, 0],
      [0, 1, 1, 0],
      [0, 0, -2, 1],
    ]);
    assert.deepEqual(a[3], [-1, 2, 0, 0]);
    assert.deepEqual(postCurvatureLoadings([0, 0, 1]), [3, 2, 1]);
    assert.equal(trendLoading([0.5, 0.5]), 1.5);
  });
  it('the closed form equals min/max of l′δ_post over Δ^SD(M) with δ_pre = β_pre (lp.ts); width 2M·Σ|c_u|', () => {
    const c = synthetic();
    // Pre-period curvatures of (β_pre, 0) = (0.012, 0.004, −0.003, 0.002, 0): 0.001, 0.012, −0.007, all ≤ 0.015.
    for (const lVec of [
      [1, 0, 0],
      [0, 0, 1],
      [1 / 3, 1 / 3, 1 / 3],
      [0.2, -1, 0.5],
    ]) {
      for (const m of [0.015, 0.02, 0.05]) {
        const ids = smoothnessIdentifiedSet(c.betahat, c.numPre, lVec, m);
        assert.ok(ids, `identified set at M = ${m}`);
        const a = smoothnessConstraints(c.numPre, c.numPost);
        const obj = [...new Array(c.numPre).fill(0), ...lVec];
        const eq = Array.from({ length: c.numPre }, (_, i) => obj.map((_, j) => (j === i ? 1 : 0)));
        const lp = (maximize: boolean) =>
          solveLp({ c: obj, aUb: a, bUb: new Array(a.length).fill(m), aEq: eq, bEq: c.betahat.slice(0, c.numPre), free: true, maximize });
        const hi = lp(true);
        const lo = lp(false);
        let lb = 0;
        for (let s = 0; s < c.numPost; s++) lb += lVec[s] * c.betahat[c.numPre + s];
        const ub = lb - lo.value!;
        lb -= hi.value!;
        assert.ok(
          Math.abs(ids.lb - lb) < 1e-12 && Math.abs(ids.ub - ub) < 1e-12,
          `${lVec} M=${m}: closed ${ids.lb},${ids.ub} LP ${lb},${ub}`,
        );
        assert.ok(Math.abs(ids.ub - ids.lb - 2 * m * postCurvatureBound(lVec)) < 1e-12, 'width 2M·Σ|c_u|');
      }
    }
  });
  it('is empty (null) when the pre-periods bend by more than M, as the LP is infeasible', () => {
    const c = synthetic();
    // The largest pre-period curvature is 0.004 − 2·(−0.003) + 0.002 = 0.012 (centred on t = −2): M = 0.005 cannot fit it.
    assert.equal(smoothnessIdentifiedSet(c.betahat, c.numPre, c.lVec, 0.005), null);
    const a = smoothnessConstraints(c.numPre, c.numPost);
    const eq = Array.from({ length: c.numPre }, (_, i) => a[0].map((_, j) => (j === i ? 1 : 0)));
    const r = solveLp({
      c: [0, 0, 0, 0, 1, 0, 0],
      aUb: a,
      bUb: new Array(a.length).fill(0.005),
      aEq: eq,
      bEq: c.betahat.slice(0, 4),
      free: true,
    });
    assert.equal(r.status, 'infeasible');
  });
});

describe('the optimal FLCI', () => {
  it('M = 0: the minimum-variance estimator unbiased for linear trends ± z·sd (Lagrange closed form)', () => {
    const c = synthetic();
    const K = c.numPre;
    const S = trendLoading(c.lVec);
    // min v'Σ_pre v + 2v'Σ_{pre,post}l s.t. Σ t_k v_k = −S (t = −K..−1): v = Σ_pre⁻¹(λt − w).
    const sp = new Float64Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) sp[i * K + j] = c.sigma[i][j];
    const inv = invert(sp, K)!;
    const t = Array.from({ length: K }, (_, i) => i - K);
    const w = Array.from({ length: K }, (_, i) => c.lVec.reduce((s, l, r) => s + c.sigma[i][K + r] * l, 0));
    const mul = (x: number[]) => x.map((_, i) => x.reduce((s, v, j) => s + inv[i * K + j] * v, 0));
    const it = mul(t);
    const iw = mul(w);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    const lambda = (-S + dot(t, iw)) / dot(t, it);
    const v = it.map((x, i) => lambda * x - iw[i]);
    const weights = [...v, ...c.lVec];
    let variance = 0;
    for (let i = 0; i < weights.length; i++) for (let j = 0; j < weights.length; j++) variance += weights[i] * c.sigma[i][j] * weights[j];
    const centre = dot(weights, c.betahat);
    const half = qnorm(0.975) * Math.sqrt(variance);
    const f = optimalFlci(flciProblem(c.sigma, K, c.numPost, c.lVec), c.betahat, 0, 0.05);
    assert.ok(
      Math.abs(f.lb - (centre - half)) < 1e-12 && Math.abs(f.ub - (centre + half)) < 1e-12,
      `${f.lb},${f.ub} vs ${centre - half},${centre + half}`,
    );
    for (let i = 0; i < K; i++) assert.ok(Math.abs(f.weights[i] - v[i]) < 1e-9, `weight ${i}`);
  });
  it('large M: the linear extrapolation β̂_post + S·β̂_{−1} with half-length σ·cv_α(M·Σ|c_u|/σ)', () => {
    const c = synthetic();
    const m = 1;
    const f = optimalFlci(flciProblem(c.sigma, c.numPre, c.numPost, c.lVec), c.betahat, m, 0.05);
    const S = trendLoading(c.lVec);
    assert.deepEqual(
      f.weights.map((x) => Math.round(x * 1e12) / 1e12),
      [0, 0, 0, S, 1, 0, 0],
    );
    const sd = Math.sqrt(c.sigma[3][3] * S * S + 2 * S * c.sigma[3][4] + c.sigma[4][4]);
    const half = sd * foldedNormalCv((m * postCurvatureBound(c.lVec)) / sd, 0.05);
    const centre = c.betahat[4] + S * c.betahat[3];
    assert.ok(Math.abs(f.lb - (centre - half)) < 1e-12 && Math.abs(f.ub - (centre + half)) < 1e-12);
  });
  it('no admissible affine estimator is shorter (5000 random and perturbed estimators)', () => {
    const c = synthetic();
    const prob = flciProblem(c.sigma, c.numPre, c.numPost, [0.2, 0.3, 0.5]);
    const coef = { ...c, lVec: [0.2, 0.3, 0.5] };
    const rng = seeded('flci-optimal');
    for (const m of [0.001, 0.004, 0.01, 0.03]) {
      const f = optimalFlci(prob, c.betahat, m, 0.05);
      // The free coordinates of the optimum: a_k = Σ_{j≤k}(k − j + 1)v_j.
      const aStar = [0, 1, 2].map((k) => f.weights.slice(0, k + 1).reduce((s, v, j) => s + (k - j + 1) * v, 0));
      assert.ok(Math.abs(halfLengthOf(coef, aStar, m, 0.05) - f.halfLength) < 1e-12, 'the reported half-length is its estimator’s');
      for (let i = 0; i < 5000; i++) {
        const scale = i % 2 === 0 ? 3 : 0.01;
        const a = i % 2 === 0 ? aStar.map(() => scale * (rng() - 0.5)) : aStar.map((x) => x + scale * (rng() - 0.5));
        assert.ok(halfLengthOf(coef, a, m, 0.05) >= f.halfLength - 1e-12, `M = ${m}: a = ${a} is shorter`);
      }
    }
  });
  it('grows with M, never below z·(least sd), and the interval for −θ is the negated interval for θ', () => {
    const c = synthetic();
    const prob = flciProblem(c.sigma, c.numPre, c.numPost, c.lVec);
    const neg = flciProblem(
      c.sigma,
      c.numPre,
      c.numPost,
      c.lVec.map((x) => -x),
    );
    const h0 = optimalFlci(prob, c.betahat, 0, 0.05).halfLength;
    let prev = 0;
    for (const m of [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]) {
      const f = optimalFlci(prob, c.betahat, m, 0.05);
      assert.ok(f.halfLength >= prev - 1e-15 && f.halfLength >= h0 - 1e-15);
      prev = f.halfLength;
      const g = optimalFlci(neg, c.betahat, m, 0.05);
      assert.ok(Math.abs(g.lb + f.ub) < 1e-12 && Math.abs(g.ub + f.lb) < 1e-12, `M = ${m}: −θ gives ${g.lb},${g.ub}`);
    }
  });
  it('one pre-period: the only admissible estimator, β̂_1 + β̂_{−1}', () => {
    const c: EventStudyCoefficients = {
      betahat: [0.01, 0.05],
      sigma: [
        [4e-4, 1e-4],
        [1e-4, 9e-4],
      ],
      numPre: 1,
      numPost: 1,
      lVec: [1],
    };
    const f = optimalFlci(flciProblem(c.sigma, 1, 1, [1]), c.betahat, 0.02, 0.05);
    const sd = Math.sqrt(4e-4 + 2e-4 + 9e-4);
    const half = sd * foldedNormalCv(0.02 / sd, 0.05);
    assert.ok(Math.abs(f.lb - (0.06 - half)) < 1e-14 && Math.abs(f.ub - (0.06 + half)) < 1e-14);
  });
});

describe('the smoothness restriction', () => {
  it('is registered; flci is the default and hybrid resolves to c-f', () => {
    assert.equal(RESTRICTIONS.smoothness, smoothness);
    assert.equal(resolveCi(smoothness, undefined), 'flci');
    assert.equal(resolveCi(smoothness, 'hybrid'), 'c-f');
    const res = sensitivity(seeded(3), synthetic(), { method: 'smoothness', bounds: [0, 0.01], alpha: 0.05, breakdown: false });
    assert.equal(res.robust[0].ci, 'flci');
    assert.equal(res.robust[0].m, 0);
    const f = optimalFlci(flciProblem(synthetic().sigma, 4, 3, [1, 0, 0]), synthetic().betahat, 0.01, 0.05);
    assert.equal(res.robust[1].lb, f.lb);
  });
  it('v̄ reproduces the FLCI weights: Aᵀv̄ = f', () => {
    const c = synthetic();
    const f = optimalFlci(flciProblem(c.sigma, 4, 3, c.lVec), c.betahat, 0.01, 0.005);
    const vbar = flciVbar(4, 3, f.weights);
    const a = smoothnessConstraints(4, 3);
    for (let t = 0; t < 7; t++) {
      const got = a.reduce((s, row, i) => s + row[t] * vbar[i], 0);
      assert.ok(Math.abs(got - f.weights[t]) < 1e-12, `column ${t}: ${got} vs ${f.weights[t]}`);
    }
  });
  it('c-f lies inside its first-stage κ-level FLCI; conditional and c-lf sets hold the identified set at β̂ when the pre-trend is exactly linear', () => {
    const c = synthetic();
    const m = 0.01;
    const cf = sdConditionalSet(seeded(1), c, m, 'c-f', 0.05, { points: 200 });
    const first = optimalFlci(flciProblem(c.sigma, 4, 3, c.lVec), c.betahat, m, 0.005);
    assert.ok(cf.lb !== null && cf.ub !== null && cf.lb >= first.lb && cf.ub <= first.ub);
    // Linear pre-trend (slope 0.002 into the reference period): β̂_pre has zero curvature.
    const lin = { ...c, betahat: [-0.008, -0.006, -0.004, -0.002, 0.05, 0.06, 0.07] };
    const ids = smoothnessIdentifiedSet(lin.betahat, 4, lin.lVec, m)!;
    for (const ci of ['conditional', 'c-lf'] as const) {
      const s = sdConditionalSet(seeded(1), lin, m, ci, 0.05, { points: 200 });
      assert.ok(s.lb !== null && s.ub !== null && s.lb <= ids.lb && s.ub >= ids.ub, `${ci}: ${s.lb},${s.ub} ⊇ ${ids.lb},${ids.ub}`);
    }
  });
  it('a shape it cannot use is null with a reason; a negative M is an error', () => {
    const c = synthetic();
    const r = smoothness.robustSet(seeded(1), { ...c, numPre: 0, numPost: 7, lVec: [1, 0, 0, 0, 0, 0, 0] }, 0.01, 'flci', 0.05);
    assert.equal(r.lb, null);
    assert.match(r.reason!, /at least one pre-period/);
    const bad = smoothness.robustSet(seeded(1), { ...c, lVec: [1, 0] }, 0.01, 'conditional', 0.05);
    assert.match(bad.reason!, /lVec has 2 entries, expected numPost = 3/);
    assert.throws(() => smoothness.robustSet(seeded(1), c, -1, 'flci', 0.05), /M: expected a finite number ≥ 0/);
    // A pre-period known exactly (zero variance) is usable, not an error: the FLCI is finite.
    const exact = c.sigma.map((row, i) => row.map((v, j) => (i === 1 || j === 1 ? 0 : v)));
    const s = smoothness.robustSet(seeded(1), { ...c, sigma: exact }, 0.01, 'flci', 0.05);
    assert.ok(s.lb !== null && s.ub !== null && s.lb < s.ub);
  });
});
