/**
 * The multivariate normal rectangle probability against R 4.2 mvtnorm::pmvnorm (Debian r-cran-mvtnorm)
 * with its deterministic Miwa algorithm (steps = 4096), to 1e-6 (the nested quadrature, m ≤ 4, agrees to
 * ~1e-11; the lattice rule, m ≥ 5, to ~1e-8). The R calls, printed with options(digits = 15):
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mvnRectangle } from '../../src/stats/mvn-rectangle.js';

const near = (x: number, want: number, tol: number, what: string) => assert.ok(Math.abs(x - want) <= tol, `${what}: ${x} vs R ${want}`);

describe('mvnRectangle against mvtnorm::pmvnorm', () => {
  it('1 dimension: Φ(b) − Φ(a)', () => {
    // pnorm(1.5, 0.2, 2) - pnorm(-1, 0.2, 2)  →  0.467900771444062 (R 4.2)
    near(mvnRectangle([-1], [1.5], [0.2], [[4]]).p, 0.467900771444062, 1e-12, '1d');
  });

  it('2 dimensions, one infinite bound', () => {
    // pmvnorm(lower=c(-1,-Inf), upper=c(2,0.5), mean=c(0,0), sigma=matrix(c(1,.5,.5,1),2), algorithm=Miwa(steps=4096))
    //   → 0.540286302680778
    near(
      mvnRectangle(
        [-1, -Infinity],
        [2, 0.5],
        [0, 0],
        [
          [1, 0.5],
          [0.5, 1],
        ],
      ).p,
      0.540286302680778,
      1e-6,
      '2d',
    );
  });

  it('3 dimensions: He & Wang’s pre-period covariance (pretrends_HeAndWang.csv, X1–X3 of t = −4…−2), ±1.96σ, mean γ(t + 1) at γ = 0.05205871', () => {
    // S <- as.matrix(read.csv("pretrends_HeAndWang.csv")[, paste0("X", 1:7)]); Sp <- S[1:3, 1:3]; ub <- 1.96*sqrt(diag(Sp))
    // pmvnorm(lower=-ub, upper=ub, mean=0.05205871*c(-3,-2,-1), sigma=Sp, algorithm=Miwa(steps=4096))  →  0.500108047892668
    // pmvnorm(lower=-ub, upper=ub, mean=0.024*c(9,4,1), sigma=Sp, algorithm=Miwa(steps=4096))          →  1 − 0.66243484586924
    const Sp = [
      [0.0089065711945295299, 0.0044883135706186303, 0.00145870249252766],
      [0.0044883135706186303, 0.0059369169175624804, 0.0027500791475176798],
      [0.00145870249252766, 0.0027500791475176798, 0.0030386247672140598],
    ];
    const ub = Sp.map((r, j) => 1.96 * Math.sqrt(r[j]));
    const lb = ub.map((v) => -v);
    near(
      mvnRectangle(
        lb,
        ub,
        [-3, -2, -1].map((t) => 0.05205871 * t),
        Sp,
      ).p,
      0.500108047892668,
      1e-9,
      '3d linear',
    );
    near(
      mvnRectangle(
        lb,
        ub,
        [9, 4, 1].map((t) => 0.024 * t),
        Sp,
      ).p,
      1 - 0.66243484586924,
      1e-9,
      '3d quadratic',
    );
  });

  it('4 dimensions, equicorrelated 0.3', () => {
    // S4 <- matrix(.3,4,4); diag(S4) <- 1
    // pmvnorm(lower=rep(-1,4), upper=rep(1,4), mean=c(.2,-.1,0,.3), sigma=S4, algorithm=Miwa(steps=4096))  →  0.230139691370264
    const S4 = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 1 : 0.3)));
    near(mvnRectangle([-1, -1, -1, -1], [1, 1, 1, 1], [0.2, -0.1, 0, 0.3], S4).p, 0.230139691370264, 1e-9, '4d');
  });

  it('5 dimensions (the lattice rule), mixed infinite bounds; its own error estimate is honest', () => {
    // S5 <- matrix(.2,5,5); diag(S5) <- 1
    // pmvnorm(lower=c(-1.5,-2,-1,-Inf,-2), upper=c(1.5,2,1,1,Inf), mean=c(.1,0,-.2,0,.3), sigma=S5, algorithm=Miwa(steps=4096))
    //   → 0.468000992818215
    const S5 = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i === j ? 1 : 0.2)));
    const r = mvnRectangle([-1.5, -2, -1, -Infinity, -2], [1.5, 2, 1, 1, Infinity], [0.1, 0, -0.2, 0, 0.3], S5, { absTol: 1e-6 });
    near(r.p, 0.468000992818215, 1e-6, '5d');
    assert.ok(r.error <= 1e-6 && Math.abs(r.p - 0.468000992818215) <= 3 * r.error + 1e-9, `error ${r.error}`);
    // Deterministic: the same call gives the same bits.
    assert.equal(
      mvnRectangle([-1.5, -2, -1, -Infinity, -2], [1.5, 2, 1, 1, Infinity], [0.1, 0, -0.2, 0, 0.3], S5, { absTol: 1e-6 }).p,
      r.p,
    );
  });

  it('refuses bad input with a clear error', () => {
    assert.throws(() => mvnRectangle([1], [0], [0], [[1]]), /lower\[0\] = 1 exceeds upper\[0\] = 0/);
    assert.throws(
      () =>
        mvnRectangle(
          [0, 0],
          [1, 1],
          [0, 0],
          [
            [1, 2],
            [2, 1],
          ],
        ),
      /not positive definite/,
    );
    assert.throws(() => mvnRectangle([0], [1, 1], [0], [[1]]), /dimension/);
  });
});
