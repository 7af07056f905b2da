/**
 * The ARP conditional test's pieces against closed forms computed in R 4.2 (stats only; every R call
 * is quoted). HonestDiD's printed results on its data are in test-reference/sensitivity/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../../src/random/stream.js';
import { arpTest, constructGamma, leastFavorableCv, streamNormals, thetaGrid, truncatedNormalQuantile } from '../../src/sensitivity/arp.js';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('truncatedNormalQuantile', () => {
  it('matches qnorm(pnorm(l) + p·(pnorm(u) − pnorm(l))) in the body', () => {
    // R: f <- function(p,l,u) qnorm(pnorm(l) + p*(pnorm(u)-pnorm(l)))
    //    f(0.95,-1,2) 1.52459668277597715; f(0.5,-Inf,0.3) -0.49881258303217002; f(0.95,-2,Inf) 1.65598435671382749
    close(truncatedNormalQuantile(0.95, -1, 2), 1.52459668277597715, 1e-12, 'body');
    close(truncatedNormalQuantile(0.5, Number.NEGATIVE_INFINITY, 0.3), -0.49881258303217002, 1e-12, 'lower tail open');
    close(truncatedNormalQuantile(0.95, -2, Number.POSITIVE_INFINITY), 1.65598435671382749, 1e-12, 'upper open');
  });
  it('keeps its digits in the upper tail, where pnorm(l) rounds to 1', () => {
    // R: g <- function(p,l,u) qnorm(pnorm(l,lower.tail=FALSE) - p*(pnorm(l,lower.tail=FALSE)-pnorm(u,lower.tail=FALSE)), lower.tail=FALSE)
    //    g(0.95, 6, Inf) 6.4689920830742720; g(0.9, 9, 12) 9.2494183104483625
    close(truncatedNormalQuantile(0.95, 6, Number.POSITIVE_INFINITY), 6.468992083074272, 1e-9, 'l = 6');
    close(truncatedNormalQuantile(0.9, 9, 12), 9.2494183104483625, 1e-9, 'l = 9');
    // Beyond double precision of the tail (l = 40): the Mills-ratio limit l + Exp(l), still inside [l, u].
    const far = truncatedNormalQuantile(0.5, 40, Number.POSITIVE_INFINITY);
    close(far, 40 + Math.log(2) / 40, 1e-3, 'l = 40');
  });
});

describe('arpTest without nuisance parameters (closed form: the conditional test of the largest moment)', () => {
  // Two independent unit-variance moments, y = (y1, 0.5), y1 the larger. Given the argmax, η̂ = y1 is
  // N(μ1, 1) truncated below at the other moment, 0.5 (ARP sec. 4; k = 0 takes the dual route):
  // R: qnorm(pnorm(0.5) + 0.95*(1-pnorm(0.5))) = 2.1589537675953059.
  const sigma = [
    [1, 0],
    [0, 1],
  ];
  const x = [[], []] as number[][];
  it('rejects exactly above the truncated-normal critical value', () => {
    assert.equal(arpTest([2.15, 0.5], x, sigma, 0.05, { kind: 'arp' }).reject, false);
    assert.equal(arpTest([2.17, 0.5], x, sigma, 0.05, { kind: 'arp' }).reject, true);
    close(arpTest([2.15, 0.5], x, sigma, 0.05, { kind: 'arp' }).eta!, 2.15, 1e-12, 'eta = max moment');
  });
  it('the LF hybrid: first stage at lfCv, then size (α − κ)/(1 − κ) with v_up capped at lfCv', () => {
    // R: a <- (0.05-0.005)/(1-0.005); qnorm(pnorm(0.5) + (1-a)*(pnorm(2.5)-pnorm(0.5))) = 2.0561758369078493
    const h = { kind: 'lf' as const, kappa: 0.005, lfCv: 2.5 };
    assert.equal(arpTest([2.05, 0.5], x, sigma, 0.05, h).reject, false);
    assert.equal(arpTest([2.07, 0.5], x, sigma, 0.05, h).reject, true);
    assert.equal(arpTest([2.6, 0.5], x, sigma, 0.05, h).reject, true); // above lfCv: the first stage rejects
  });
  it('a single moment is the one-sided z-test (critical value max(0, qnorm(0.95)) = 1.6448536269514715)', () => {
    assert.equal(arpTest([1.64], [[]], [[1]], 0.05, { kind: 'arp' }).reject, false);
    assert.equal(arpTest([1.65], [[]], [[1]], 0.05, { kind: 'arp' }).reject, true);
    assert.equal(arpTest([-3], [[]], [[1]], 0.05, { kind: 'arp' }).reject, false);
  });
});

describe('leastFavorableCv', () => {
  it('with one moment and no nuisance is the 1 − κ normal quantile, up to simulation error', () => {
    // η̂ is studentised (y ≤ η·sd), so its law under μ = 0 is N(0, 1) whatever the variance (4 here).
    // R: qnorm(0.9) = 1.2815515655446008; the 0.9 quantile of 20000 draws has sd ≈ sqrt(.09/20000)/dnorm(1.28) ≈ 0.012.
    const cv = leastFavorableCv(streamNormals(seeded(3)), [[]], [[4]], 0.1, undefined, 20000);
    close(cv, 1.2815515655446008, 0.04, 'lf cv');
  });
  it('is reproducible from its stream', () => {
    const a = leastFavorableCv(
      streamNormals(seeded(9)),
      [[1], [-1]],
      [
        [1, 0.3],
        [0.3, 2],
      ],
      0.005,
    );
    const b = leastFavorableCv(
      streamNormals(seeded(9)),
      [[1], [-1]],
      [
        [1, 0.3],
        [0.3, 2],
      ],
      0.005,
    );
    assert.equal(a, b);
  });
});

describe('grid and change of basis', () => {
  it("thetaGrid is R's seq(lb, ub, length.out)", () => {
    // R: seq(-1, 1, length.out=5) -1.0 -0.5 0.0 0.5 1.0
    assert.deepEqual(thetaGrid(-1, 1, 5), [-1, -0.5, 0, 0.5, 1]);
  });
  it("constructGamma: l' first, then every unit vector but that of l's last non-zero entry (rref of [l I])", () => {
    assert.deepEqual(constructGamma([1, 0, 0]), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(constructGamma([0.5, 0.5]), [
      [0.5, 0.5],
      [1, 0],
    ]);
    assert.deepEqual(constructGamma([0, 1, 0]), [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });
});
