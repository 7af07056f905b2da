/**
 * Synthetic DiD. The authors' published numbers are on California's Proposition 99 (the paper's Table 1,
 * synthdid's README), a panel not in ../shared/reference, and we found no synthdid output printed on a
 * panel we have — so these are NOT checks against the authors' numbers. They check the paper's exact
 * statements instead:
 * - the weights solve eq. (2.2)–(2.3) with synthdid's ζ: our exact solver against R quadprog's
 *   solve.QP on the same problems (R 4.2, quadprog; the call and its output are pasted below), and the
 *   KKT conditions to 1e-8;
 * - synthdid's Frank–Wolfe path ends within its stopping tolerance of that optimum;
 * - with ζ → ∞ the weights are uniform and SDID is the 2×2 DiD of means exactly;
 * - the placebo SE is Algorithm 4's √((B−1)/B)·sd of the re-estimates on permuted controls, and the
 *   jackknife Algorithm 3's, replayed here from their definitions;
 * - staggered adoption: the unit-period-weighted mean of the cohort-by-cohort block estimates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateSynthdid, fitBlock, noiseLevel, tauOf, type Block } from '../../../src/estimators/synthdid/index.js';
import { exactSimplexQp, gradient, objective, synthdidWeights, weightProblem } from '../../../src/estimators/synthdid/weights.js';
import { seeded } from '../../../src/random/stream.js';
import type { Panel } from '../../../src/panel/panel.js';
import { near, synthPanel } from '../helpers.js';

/** The block of a panel: never-treated rows then the treated cohort's, periods as columns. */
function block(p: Panel, T0: number): Block {
  const n = p.nUnits,
    T = p.nPeriods;
  const rows = [...Array(n).keys()].sort((a, b) => Number(p.group[a] > 0) - Number(p.group[b] > 0));
  const Y = new Float64Array(n * T);
  rows.forEach((i, r) => {
    for (let t = 0; t < T; t++) Y[r * T + t] = p.y[t * n + i];
  });
  const N0 = rows.filter((i) => p.group[i] === 0).length;
  return { Y, N0, N1: n - N0, T, T0 };
}

// 12 never-treated units, 3 treated from period 6, periods 1..9 (written to CSV for R as id, period, g, y
// with toPrecision(17)).
const P = synthPanel({ seed: 'sdid-block', groups: [...Array(12).fill(0), ...Array(3).fill(6)], T: 9, effect: () => 1 });
const B = block(P, 5);

/*
 * R 4.2.2, quadprog 1.5-8:
 *   Y <- matrix(d$y, nrow = 15, byrow = TRUE); N0 <- 12; T0 <- 5; N1 <- 3; T1 <- 4
 *   noise <- sd(apply(Y[1:N0, 1:T0], 1, diff)); zeta.omega <- (N1 * T1)^(1/4) * noise; zeta.lambda <- 1e-6 * noise
 *   solve_w <- function(A, b, zeta) { A <- scale(A, center = TRUE, scale = FALSE); b <- b - mean(b); m <- nrow(A); k <- ncol(A)
 *     D <- 2 * (crossprod(A) / m + zeta^2 * diag(k)); dv <- 2 * crossprod(A, b) / m
 *     solve.QP(D, dv, cbind(rep(1, k), diag(k)), c(1, rep(0, k)), meq = 1)$solution }
 *   lambda <- solve_w(Y[1:N0, 1:T0], rowMeans(Y[1:N0, 6:9]), zeta.lambda)
 *   omega <- solve_w(t(Y[1:N0, 1:T0]), colMeans(Y[13:15, 1:T0]), zeta.omega)
 *   tau <- t(c(-omega, rep(1/N1, N1))) %*% Y %*% c(-lambda, rep(1/T1, T1))
 * → noise 1.27956017189322 zeta.omega 2.38152982695469
 *   lambda 0.142728136133 0.034146053192 0.231619783292 0.286355432790 0.305150594593
 *   omega 0.092046420375 0.101479934541 0.076146907518 0.077996292111 0.123954741346 0.081642521748
 *         0.104049633631 0.022498444735 0.103104128104 0.071402146595 0.069545372211 0.076133457085
 *   tau 1.245788130165
 */
const R_LAMBDA = [0.142728136133, 0.034146053192, 0.231619783292, 0.28635543279, 0.305150594593];
const R_OMEGA = [
  0.092046420375, 0.101479934541, 0.076146907518, 0.077996292111, 0.123954741346, 0.081642521748, 0.104049633631, 0.022498444735,
  0.103104128104, 0.071402146595, 0.069545372211, 0.076133457085,
];

/** The two weight problems of a block with ζ's given. */
function problems(b: Block, zo: number, zl: number) {
  const { Y, N0, N1, T, T0 } = b;
  const Al = new Float64Array(N0 * T0),
    bl = new Float64Array(N0),
    Ao = new Float64Array(T0 * N0),
    bo = new Float64Array(T0);
  for (let i = 0; i < N0; i++) {
    for (let t = 0; t < T0; t++) Al[i * T0 + t] = Ao[t * N0 + i] = Y[i * T + t];
    for (let t = T0; t < T; t++) bl[i] += Y[i * T + t] / (T - T0);
  }
  for (let t = 0; t < T0; t++) for (let i = N0; i < N0 + N1; i++) bo[t] += Y[i * T + t] / N1;
  return { lambda: weightProblem(Al, bl, N0, T0, zl), omega: weightProblem(Ao, bo, T0, N0, zo) };
}

describe('synthdid weights', () => {
  const fit = fitBlock(B, 'exact')!;
  it('exact solver = R quadprog on the same problems (synthdid ζ), and τ', () => {
    near(fit.noise, 1.27956017189322, 1e-13, 'noise level');
    near(fit.zetaOmega, 2.38152982695469, 1e-13, 'zeta.omega');
    R_LAMBDA.forEach((v, t) => near(fit.lambda[t], v, 1e-9, `lambda ${t}`));
    R_OMEGA.forEach((v, i) => near(fit.omega[i], v, 1e-9, `omega ${i}`));
    near(fit.tau, 1.245788130165, 1e-10, 'tau');
  });

  it('KKT conditions of both problems hold to 1e-8', () => {
    const pr = problems(B, fit.zetaOmega, fit.zetaLambda);
    for (const [name, p, x] of [
      ['lambda', pr.lambda, fit.lambda],
      ['omega', pr.omega, fit.omega],
    ] as const) {
      const g = gradient(p, x);
      near(
        x.reduce((a, v) => a + v, 0),
        1,
        1e-14,
        `${name} sums to 1`,
      );
      assert.ok(x.every((v) => v >= 0));
      const sup = [...x.keys()].filter((j) => x[j] > 0);
      const nu = sup.reduce((a, j) => a + g[j], 0) / sup.length;
      for (const j of sup) assert.ok(Math.abs(g[j] - nu) < 1e-8, `${name} stationarity ${j}: ${g[j] - nu}`);
      for (let j = 0; j < x.length; j++) if (x[j] === 0) assert.ok(g[j] >= nu - 1e-8, `${name} dual ${j}: ${g[j] - nu}`);
    }
  });

  it("synthdid's Frank–Wolfe path stops near the optimum (never below it)", () => {
    const pr = problems(B, fit.zetaOmega, fit.zetaLambda);
    for (const p of [pr.lambda, pr.omega]) {
      const fw = synthdidWeights(p, 1e-5 * fit.noise),
        ex = exactSimplexQp(p);
      const gap = objective(p, fw) - objective(p, ex);
      assert.ok(gap >= -1e-12 && gap < 1e-3 * objective(p, ex), `gap ${gap}`);
    }
  });

  it('ζ → ∞: uniform weights, and SDID with uniform weights is the 2×2 DiD of means exactly', () => {
    const pr = problems(B, 1e8, 1e8);
    for (const p of [pr.lambda, pr.omega]) for (const v of exactSimplexQp(p)) near(v, 1 / p.k, 1e-10, 'uniform');
    const { Y, N0, N1, T, T0 } = B;
    const mean = (r0: number, r1: number, t0: number, t1: number) => {
      let s = 0;
      for (let i = r0; i < r1; i++) for (let t = t0; t < t1; t++) s += Y[i * T + t];
      return s / ((r1 - r0) * (t1 - t0));
    };
    const did = mean(N0, N0 + N1, T0, T) - mean(N0, N0 + N1, 0, T0) - (mean(0, N0, T0, T) - mean(0, N0, 0, T0));
    near(tauOf(B, new Float64Array(N0).fill(1 / N0), new Float64Array(T0).fill(1 / T0)).tau, did, 1e-13, 'DiD');
  });
});

describe('synthdid estimate and SEs', () => {
  it('the placebo SE is Algorithm 4 replayed: √((B−1)/B)·sd over permuted never-treated units', () => {
    const reps = 20;
    const out = estimateSynthdid(P, { solver: 'exact', replications: reps }, seeded('placebo'));
    const fit = fitBlock(B, 'exact')!;
    near(out.aggregates.simple!.att, fit.tau, 1e-12, 'tau');
    const rng = seeded('placebo');
    const never = [...Array(12).keys()],
      treated = 3;
    const taus: number[] = [];
    for (let r = 0; r < reps; r++) {
      const perm = never.slice();
      for (let i = perm.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const rows = [...perm.slice(treated), ...perm.slice(0, treated)];
      const Y = new Float64Array(rows.length * B.T);
      rows.forEach((i, k) => Y.set(B.Y.subarray(i * B.T, (i + 1) * B.T), k * B.T));
      const f = fitBlock({ Y, N0: 12 - treated, N1: treated, T: B.T, T0: B.T0 }, 'exact', {
        omega: fit.zetaOmega,
        lambda: fit.zetaLambda,
        noise: fit.noise,
      })!;
      taus.push(f.tau);
    }
    const m = taus.reduce((a, v) => a + v, 0) / reps;
    const sd = Math.sqrt(taus.reduce((a, v) => a + (v - m) ** 2, 0) / (reps - 1));
    near(out.aggregates.simple!.se, Math.sqrt((reps - 1) / reps) * sd, 1e-12, 'placebo SE');
  });

  it('the jackknife SE is Algorithm 3 replayed: leave one unit out, ω renormalised, λ fixed', () => {
    // With synthdid's Frank–Wolfe weights (the package's path), fixed across the leave-one-out fits.
    const out = estimateSynthdid(P, { se: 'jackknife', solver: 'frank-wolfe' });
    const fit = fitBlock(B, 'frank-wolfe')!;
    const n = B.N0 + B.N1;
    const u: number[] = [];
    for (let drop = 0; drop < n; drop++) {
      const rows = [...Array(n).keys()].filter((r) => r !== drop);
      const Y = new Float64Array(rows.length * B.T);
      rows.forEach((r, k) => Y.set(B.Y.subarray(r * B.T, (r + 1) * B.T), k * B.T));
      const N0 = drop < B.N0 ? B.N0 - 1 : B.N0;
      const om = Float64Array.from(fit.omega.filter((_, i) => i !== drop));
      const s = om.reduce((a, v) => a + v, 0);
      u.push(
        tauOf(
          { Y, N0, N1: n - 1 - N0, T: B.T, T0: B.T0 },
          om.map((v) => v / s),
          fit.lambda,
        ).tau,
      );
    }
    const m = u.reduce((a, v) => a + v, 0) / n;
    const se = Math.sqrt(((n - 1) / n) * u.reduce((a, v) => a + (v - m) ** 2, 0));
    near(out.aggregates.simple!.se, se, 1e-12, 'jackknife SE');
  });

  it('staggered: the treated-unit-period weighted mean of the cohort blocks', () => {
    const p = synthPanel({ seed: 'sdid-stag', groups: [...Array(14).fill(0), 5, 5, 5, 8, 8], T: 10, effect: () => 1 });
    const out = estimateSynthdid(p, { solver: 'exact', se: 'none' });
    const sub = (g: number) => {
      const keep = [...Array(p.nUnits).keys()].filter((i) => p.group[i] === 0 || p.group[i] === g);
      const n = p.nUnits;
      const y = new Float64Array(keep.length * p.nPeriods);
      for (let t = 0; t < p.nPeriods; t++) keep.forEach((i, k) => (y[t * keep.length + k] = p.y[t * n + i]));
      return block({ ...p, nUnits: keep.length, group: Float64Array.from(keep, (i) => p.group[i]), y, ids: keep.map(String) }, g - 1);
    };
    const t5 = fitBlock(sub(5), 'exact')!.tau,
      t8 = fitBlock(sub(8), 'exact')!.tau;
    near(out.aggregates.simple!.att, (3 * 6 * t5 + 2 * 3 * t8) / (18 + 6), 1e-12, 'staggered');
    assert.match(out.messages.join(' '), /cohort by cohort \(2 cohorts\)/);
  });

  it('not identified: no never-treated units; the placebo needs more controls than treated', () => {
    const none = estimateSynthdid(synthPanel({ seed: 'x', groups: [4, 4, 6, 6], T: 8 }), {}, seeded(1));
    assert.equal(none.aggregates.simple!.att, null);
    assert.match(none.aggregates.simple!.reason!, /never-treated/);
    const few = estimateSynthdid(synthPanel({ seed: 'y', groups: [0, 0, 5, 5, 5], T: 8 }), {}, seeded(1));
    assert.ok(few.aggregates.simple!.att !== null && few.aggregates.simple!.se === null);
    assert.match(few.aggregates.simple!.reason!, /more never-treated units \(2\) than treated units \(3\)/);
    assert.equal(noiseLevel({ Y: new Float64Array(4), N0: 1, N1: 1, T: 2, T0: 1 }), null);
  });
});
