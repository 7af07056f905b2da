/**
 * The optimal fixed-length confidence interval under Δ^SD(M) (Rambachan & Roth 2023, Section 4.1;
 * Armstrong & Kolesár 2018): among affine estimators θ̂ = v'β̂_pre + l'β̂_post, the one whose interval
 * θ̂ ± σ_v·cv_α(B_v/σ_v) is shortest, B_v its worst-case bias over Δ^SD(M) and σ_v its standard deviation.
 * HonestDiD's `findOptimalFLCI` (the default for smoothness).
 *
 * Worst-case bias. The bias is v'δ_pre + l'δ_post; in the coordinates of smoothness-geometry.ts it is
 * (−Σ_t t·v_t − S)·d_0 + Σ_u (loading)·e_u, so it is bounded only if Σ_t t·v_t = −S (the estimator is
 * unbiased for linear trends), and then
 *
 *   B_v = M · ( Σ_{u≥1} |c_u| + Σ_{k=1}^{K−1} |a_k| ),   a_k = Σ_{j≤k} (k − j + 1)·v_j,
 *
 * (pre-periods j = 1..K from the earliest), with a_K = S forced by the constraint. v is the second
 * difference of a, so a free a = (a_1..a_{K−1}) parametrises every admissible estimator: B is
 * M·(const + ‖a‖₁) and σ² a quadratic in a.
 *
 * Search. The half-length is increasing in both B and σ, so the optimum is on the frontier of (‖a‖₁, σ²)
 * pairs, which is exactly the path of min ½σ² + μ‖a‖₁ over μ ≥ 0 (lasso-path.ts, exact). Along that path
 * the half-length is a convex function of ‖a‖₁ (the perspective of the convex cv_α, composed with the
 * convex frontier), so each linear piece is searched by golden section and the best piece kept.
 * HonestDiD instead bisects on σ with a conic solver inside; the optimum is the same.
 *
 * Differences from HonestDiD, on purpose: cv_α is exact (folded-normal.ts) where HonestDiD simulates it;
 * and HonestDiD's bias objective adds M·(|S| − S), which is zero for the usual targets (S ≥ 0) but makes
 * its interval for −θ wider than the negated interval for θ when S < 0 — ours is symmetric.
 */
import { lassoPath } from '../linalg/lasso-path.js';
import { foldedNormalCv } from './folded-normal.js';
import { postCurvatureBound, trendLoading } from './smoothness-geometry.js';

/** The optimal FLCI and the affine estimator behind it. */
export interface Flci {
  lb: number;
  ub: number;
  /** The estimator's weights on (β̂_pre, β̂_post): HonestDiD's `optimalVec`. */
  weights: number[];
  halfLength: number;
  /** Its worst-case bias over Δ^SD(M) and its standard deviation. */
  maxBias: number;
  sd: number;
}

/** What the FLCI needs of the covariance, prepared once per (sigma, l): reusable across M and α. */
export interface FlciProblem {
  numPre: number;
  numPost: number;
  lVec: number[];
  /** σ²(a) = aᵀPa + 2pᵀa + c0 over the K − 1 free coordinates a (row-major P). */
  P: Float64Array;
  p: Float64Array;
  c0: number;
  /** S = Σ s·l_s and Σ_u |c_u| (smoothness-geometry.ts). */
  slope: number;
  postBound: number;
}

/** v from a = (a_1..a_{K−1}, S): v_k = a_k − 2a_{k−1} + a_{k−2}. */
function weightsFromA(a: ArrayLike<number>, slope: number, k: number): number[] {
  const full = [...Array.from(a), slope];
  const v = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) v[i] = full[i] - 2 * (i >= 1 ? full[i - 1] : 0) + (i >= 2 ? full[i - 2] : 0);
  return v;
}

/**
 * Prepare the FLCI's quadratic for a covariance and target.
 * @throws RangeError without a pre-period (Δ^SD leaves the slope into the reference period free).
 */
export function flciProblem(sigma: readonly (readonly number[])[], numPre: number, numPost: number, lVec: readonly number[]): FlciProblem {
  if (numPre < 1)
    throw new RangeError('the FLCI under Δ^SD needs at least one pre-period (the slope into the reference period is otherwise free)');
  const K = numPre;
  const n = K - 1;
  const slope = trendLoading(lVec);
  // w = Σ_{pre,post} l and the constant l'Σ_post l.
  const w = new Float64Array(K);
  let lsl = 0;
  for (let i = 0; i < K; i++) for (let s = 0; s < numPost; s++) w[i] += sigma[i][K + s] * lVec[s];
  for (let s = 0; s < numPost; s++) for (let r = 0; r < numPost; r++) lsl += lVec[s] * sigma[K + s][K + r] * lVec[r];
  // v = D a_free + S·e_K with D the K × (K−1) second-difference map (column j has 1, −2, 1 at rows j, j+1, j+2).
  const D = (i: number, j: number) => (i === j ? 1 : i === j + 1 ? -2 : i === j + 2 ? 1 : 0);
  // Σ_pre D (K × n)
  const SD = new Float64Array(K * Math.max(n, 1));
  for (let i = 0; i < K; i++)
    for (let j = 0; j < n; j++) for (let r = j; r <= Math.min(j + 2, K - 1); r++) SD[i * n + j] += sigma[i][r] * D(r, j);
  const P = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) for (let r = a; r <= Math.min(a + 2, K - 1); r++) P[a * n + b] += D(r, a) * SD[r * n + b];
  // p = Dᵀ(Σ_pre S e_K + w)
  const p = new Float64Array(n);
  for (let a = 0; a < n; a++) for (let r = a; r <= Math.min(a + 2, K - 1); r++) p[a] += D(r, a) * (slope * sigma[r][K - 1] + w[r]);
  const c0 = slope * slope * sigma[K - 1][K - 1] + 2 * slope * w[K - 1] + lsl;
  return { numPre, numPost, lVec: [...lVec], P, p, c0, slope, postBound: postCurvatureBound(lVec) };
}

function variance(prob: FlciProblem, a: ArrayLike<number>): number {
  const n = prob.numPre - 1;
  let v = prob.c0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += prob.P[i * n + j] * a[j];
    v += a[i] * row + 2 * prob.p[i] * a[i];
  }
  return Math.max(v, 0);
}

function l1(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The optimal FLCI at bound M and level 1 − alpha for the estimates betahat.
 * @param prob from flciProblem (the covariance and target); betahat in HonestDiD's order (pre, then post).
 * @param cv the critical value cv_α(b); default the exact one. (The parity tests pass HonestDiD's
 *   simulated one to show that the remaining gap to its printed output is that simulation.)
 */
export function optimalFlci(
  prob: FlciProblem,
  betahat: readonly number[],
  m: number,
  alpha: number,
  cv: (b: number, alpha: number) => number = foldedNormalCv,
): Flci {
  if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`the smoothness bound M must be a finite number ≥ 0, got ${m}`);
  const n = prob.numPre - 1;
  const path = lassoPath(prob.P, prob.p, n);
  const halfAt = (a: ArrayLike<number>) => {
    const sd = Math.sqrt(variance(prob, a));
    const bias = m * (prob.postBound + l1(a));
    if (sd === 0) return { half: bias, sd, bias };
    return { half: sd * cv(bias / sd, alpha), sd, bias };
  };
  const lerp = (x0: Float64Array, x1: Float64Array, t: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x0[i] + t * (x1[i] - x0[i]);
    return out;
  };
  let best = path[0].x;
  let bestHalf = halfAt(best).half;
  const consider = (a: Float64Array) => {
    const h = halfAt(a).half;
    if (h < bestHalf) {
      bestHalf = h;
      best = a;
    }
  };
  for (let k = 1; k < path.length; k++) consider(path[k].x);
  // Golden section on every linear piece of the path (convex on each; a handful of pieces).
  for (let k = 0; k + 1 < path.length; k++) {
    const x0 = path[k].x;
    const x1 = path[k + 1].x;
    let lo = 0;
    let hi = 1;
    let c = hi - GOLDEN * (hi - lo);
    let d = lo + GOLDEN * (hi - lo);
    let fc = halfAt(lerp(x0, x1, c)).half;
    let fd = halfAt(lerp(x0, x1, d)).half;
    for (let it = 0; it < 80 && hi - lo > 1e-12; it++) {
      if (fc <= fd) {
        hi = d;
        d = c;
        fd = fc;
        c = hi - GOLDEN * (hi - lo);
        fc = halfAt(lerp(x0, x1, c)).half;
      } else {
        lo = c;
        c = d;
        fc = fd;
        d = lo + GOLDEN * (hi - lo);
        fd = halfAt(lerp(x0, x1, d)).half;
      }
    }
    consider(lerp(x0, x1, 0.5 * (lo + hi)));
  }
  const at = halfAt(best);
  const weights = [...weightsFromA(best, prob.slope, prob.numPre), ...prob.lVec];
  let centre = 0;
  for (let i = 0; i < weights.length; i++) centre += weights[i] * betahat[i];
  return { lb: centre - at.half, ub: centre + at.half, weights, halfLength: at.half, maxBias: at.bias, sd: at.sd };
}
