/**
 * Roth (2022)'s slope for power on He & Wang (2017), the pretrends package's published example
 * (../shared/reference/peers/pretrends_HeAndWang.csv = pretrends::HeAndWangResults, Fig. 2C version:
 * t, beta and sigma as X1–X7; not copied into the project).
 *
 * Published (README.md of github.com/jonathandroth/pretrends, commit 122731d, "Application to He and
 * Wang (2017)"):
 *   slope_for_power(sigma = sigma, targetPower = 0.5, tVec = tVec, referencePeriod = -1)   #> [1] 0.05205871
 *   pretrends(..., deltatrue = slope50 * (tVec - referencePeriod))$df_power                #> Power 0.4999776
 *   pretrends(..., deltatrue = 0.024 * (tVec - referencePeriod)^2)$df_power                 #> Power 0.6624282
 * The README prints no 80 % slope. Those figures are not exact to their printed digits: pretrends finds
 * the slope with stats::uniroot at its default tol (.Machine$double.eps^0.25 = 1.2e-4) on a power from
 * mvtnorm::pmvnorm's default randomised GenzBretz(abseps = 1e-3). So the published figures are checked
 * to those tolerances, and the exact root against R 4.2 + mvtnorm (Debian) with the deterministic
 * Miwa algorithm and a tight uniroot:
 *   pw <- function(s) 1 - pmvnorm(lower=-ub, upper=ub, mean=s*c(-3,-2,-1), sigma=Sp, algorithm=Miwa(steps=4096))[1]
 *   uniroot(function(s) pw(s) - 0.5, c(0, 8*max(sqrt(diag(Sp)))), tol=1e-12)$root   #> 0.0520675798162017
 *   uniroot(function(s) pw(s) - 0.8, ...)$root                                       #> 0.0791160846644247
 *   pw(0.05205871)                                                                    #> 1 - 0.500108047892668
 * (Sp the X1–X3 block for t = −4, −3, −2; ub = 1.96·√diag(Sp)).
 * The printed digits cannot be reproduced by anyone: README.rmd sets no seed, and GenzBretz draws from R's
 * RNG. R 4.2 + mvtnorm running pretrends' own call (default pmvnorm, uniroot at its default tol) after
 * set.seed(1), …, set.seed(5) gives 0.05205116, 0.05205401, 0.05206043, 0.05205672, 0.05205946: the
 * printed 0.05205871 lies inside that spread, and so does our exact root.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pretestPower, rejectionProbability } from '../../src/sensitivity/pretest-power.js';
import type { EventStudyCoefficients } from '../../src/sensitivity/types.js';
import { sharedFile } from '../../test/helpers/reference.js';

/** The CSV as EventStudyCoefficients: rows with t < −1 are the pre-periods (the reference −1 is omitted). */
export function heAndWang(): { coef: EventStudyCoefficients; tVec: number[] } {
  const lines = readFileSync(sharedFile('peers', 'pretrends_HeAndWang.csv'), 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  const tVec = rows.map((r) => r[0]);
  const numPre = tVec.filter((t) => t < -1).length;
  return {
    coef: {
      betahat: rows.map((r) => r[1]),
      sigma: rows.map((r) => r.slice(2)),
      numPre,
      numPost: tVec.length - numPre,
      lVec: [1, 0, 0, 0],
    },
    tVec,
  };
}

describe('pretest power on He & Wang (pretrends README)', () => {
  const { coef, tVec } = heAndWang();
  const sigmaPre = [0, 1, 2].map((a) => [0, 1, 2].map((b) => coef.sigma[a][b]));

  it('reads the published example as 3 pre-periods (t = −4, −3, −2) and 4 post-periods', () => {
    assert.deepEqual(tVec, [-4, -3, -2, 0, 1, 2, 3]);
    assert.equal(coef.numPre, 3);
  });

  const [p50, p80] = pretestPower(coef, tVec, -1, [0.5, 0.8]);

  it('slope for 50 % power: the published 0.05205871 to uniroot’s tolerance (1.2e-4), R’s exact root to 1e-10', () => {
    assert.equal(p50.power, 0.5);
    assert.ok(Math.abs(p50.slope - 0.05205871) < 1.220703125e-4, `${p50.slope}`);
    assert.ok(Math.abs(p50.slope - 0.0520675798162017) < 1e-10, `${p50.slope}`);
  });

  it('slope for 80 % power: R’s exact root 0.0791160846644247 to 1e-10', () => {
    assert.ok(Math.abs(p80.slope - 0.0791160846644247) < 1e-10, `${p80.slope}`);
  });

  it('the power at the published slope: 0.4999776 printed (pmvnorm abseps 1e-3), exact 1 − 0.500108047892668 to 1e-9', () => {
    const p = rejectionProbability(
      [-3, -2, -1].map((t) => 0.05205871 * t),
      sigmaPre,
    );
    assert.ok(Math.abs(p - 0.4999776) < 1e-3);
    assert.ok(Math.abs(p - (1 - 0.500108047892668)) < 1e-9, `${p}`);
  });

  it('the published quadratic trend 0.024·(t + 1)²: power 0.6624282 printed (abseps 1e-3), exact 0.66243484586924 to 1e-9', () => {
    const p = rejectionProbability(
      [9, 4, 1].map((t) => 0.024 * t),
      sigmaPre,
    );
    assert.ok(Math.abs(p - 0.6624282) < 1e-3);
    assert.ok(Math.abs(p - 0.66243484586924) < 1e-9, `${p}`);
  });

  it('refuses a power the test already has under parallel trends, and a tVec of the wrong length', () => {
    assert.throws(() => pretestPower(coef, tVec, -1, [0.05]), /already rejects with probability 0\.1\d+ under parallel trends/);
    assert.throws(() => pretestPower(coef, tVec.slice(1), -1, [0.5]), /tVec has 6 event times, the coefficients 7/);
    assert.throws(() => pretestPower(coef, tVec, -1, [1]), /must lie in \(0, 1\)/);
  });
});
