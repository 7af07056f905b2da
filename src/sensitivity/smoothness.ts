/**
 * The smoothness restriction Δ^SD(M) of Rambachan & Roth (2023, Section 2.3; HonestDiD's
 * `createSensitivityResults` without sign or monotonicity restrictions): the slope of the difference in
 * trends may change by at most M between consecutive periods (M in the outcome's units per period²).
 * M = 0 is an exactly linear violation, extrapolated from the pre-periods.
 *
 * Constructions: 'flci' (the default, as in HonestDiD: the optimal fixed-length interval, flci.ts);
 * 'conditional' (Andrews, Roth & Pakes), 'c-f' (conditional with an FLCI first stage, what 'hybrid'
 * resolves to) and 'c-lf' (conditional with a least-favourable first stage), from arp.ts.
 */
import type { Rng } from '../random/stream.js';
import { flciProblem, optimalFlci } from './flci.js';
import type { CiType, EventStudyCoefficients, Restriction, RobustSet } from './types.js';

type Ci = Exclude<CiType, 'hybrid'>;

function checkShape(coef: EventStudyCoefficients): string | null {
  const { betahat, sigma, numPre, numPost, lVec } = coef;
  if (numPre < 1) return 'Δ^SD needs at least one pre-period: without one the slope of the violation into the reference period is free';
  if (numPost < 1) return 'Δ^SD needs at least one post-period coefficient';
  if (betahat.length !== numPre + numPost) return `betahat has ${betahat.length} entries, expected numPre + numPost = ${numPre + numPost}`;
  if (sigma.length !== betahat.length || sigma.some((r) => r.length !== betahat.length)) {
    return `sigma must be ${betahat.length} × ${betahat.length}`;
  }
  if (lVec.length !== numPost) return `lVec has ${lVec.length} entries, expected numPost = ${numPost}`;
  return null;
}

/** The FLCI as a robust set. */
function flciSet(coef: EventStudyCoefficients, m: number, alpha: number): RobustSet {
  const f = optimalFlci(flciProblem(coef.sigma, coef.numPre, coef.numPost, coef.lVec), coef.betahat, m, alpha);
  return { method: 'smoothness', m, ci: 'flci', lb: f.lb, ub: f.ub };
}

/** Δ^SD(M) as the dispatcher (index.ts) calls it. */
export const smoothness: Restriction = {
  method: 'smoothness',
  cis: ['flci', 'conditional', 'c-f', 'c-lf'],
  hybrid: 'c-f',
  robustSet(_rng: Rng, coef: EventStudyCoefficients, bound: number, ci: Ci, alpha: number): RobustSet {
    if (!(bound >= 0) || !Number.isFinite(bound)) throw new RangeError(`M: expected a finite number ≥ 0, found ${bound}`);
    const bad = checkShape(coef);
    if (bad) return { method: 'smoothness', m: bound, ci, lb: null, ub: null, reason: bad };
    if (ci === 'flci') return flciSet(coef, bound, alpha);
    throw new Error(`smoothness: ci ${ci} is not wired yet`);
  },
};
