/**
 * The exact solution path of an ℓ1-penalised quadratic,
 *
 *   x(μ) = argmin_x ½ xᵀPx + pᵀx + μ‖x‖₁,   μ from ‖p‖∞ (where x = 0) down to 0 (where x = −P⁻¹p),
 *
 * by the homotopy of Osborne, Presnell & Turlach (2000) — the lasso modification of LARS (Efron, Hastie,
 * Johnstone & Tibshirani 2004, Section 3.1). P must be symmetric positive definite. Between breakpoints
 * x(μ) is affine in μ and its sign pattern fixed, so the path is the breakpoints and linear interpolation
 * between them; ‖x(μ)‖₁ never decreases as μ falls. The points are exactly the pairs (‖x‖₁, quadratic)
 * that no other x improves on both at once, which is what the FLCI (flci.ts) searches over.
 *
 * Deterministic: ties between events go to the lowest index.
 */
import { cholesky, cholSolve } from './small.js';

/** One breakpoint: the penalty μ and the solution there. */
export interface LassoPoint {
  mu: number;
  x: Float64Array;
}

/**
 * The breakpoints of x(μ), from μ = ‖p‖∞ (x = 0) to μ = 0, in decreasing μ.
 * @param P n × n symmetric positive definite, row-major.
 * @param p length n.
 * @throws Error when an active block of P is not numerically positive definite.
 */
export function lassoPath(P: Float64Array, p: ArrayLike<number>, n: number): LassoPoint[] {
  const zero = new Float64Array(n);
  let mu = 0;
  let first = -1;
  for (let j = 0; j < n; j++) {
    if (Math.abs(p[j]) > mu) {
      mu = Math.abs(p[j]);
      first = j;
    }
  }
  // p = 0 (or n = 0): x = 0 is optimal for every μ.
  if (first < 0) return [{ mu: 0, x: zero }];
  const points: LassoPoint[] = [{ mu, x: zero }];
  // KKT: g = Px + p; g_j = −μ s_j on the active set, |g_j| ≤ μ off it.
  const active: number[] = [first];
  const sign: number[] = [p[first] > 0 ? -1 : 1];
  const inActive = new Uint8Array(n);
  inActive[first] = 1;
  const maxSteps = 20 * n + 20;
  for (let step = 0; step < maxSteps; step++) {
    const k = active.length;
    const sub = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sub[a * k + b] = P[active[a] * n + active[b]];
    const l = cholesky(sub, k);
    if (!l) throw new Error('lassoPath: an active block of P is not positive definite');
    const rhsA = new Float64Array(k);
    const rhsB = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      rhsA[a] = -p[active[a]];
      rhsB[a] = -sign[a];
    }
    // x_A(μ) = α + μβ on this segment.
    const alpha = cholSolve(l, k, rhsA);
    const beta = cholSolve(l, k, rhsB);
    const floor = mu * (1 - 1e-12);
    let next = 0;
    let join = -1;
    let joinSign = 0;
    let leave = -1;
    for (let j = 0; j < n; j++) {
      if (inActive[j]) continue;
      let gamma = p[j];
      let eta = 0;
      for (let a = 0; a < k; a++) {
        gamma += P[j * n + active[a]] * alpha[a];
        eta += P[j * n + active[a]] * beta[a];
      }
      // g_j(μ) = γ + μη meets +μ (then x_j enters negative) or −μ (enters positive).
      if (1 - eta > 1e-14) {
        const m1 = gamma / (1 - eta);
        if (m1 > next && m1 < floor) {
          next = m1;
          join = j;
          joinSign = -1;
          leave = -1;
        }
      }
      if (1 + eta > 1e-14) {
        const m2 = -gamma / (1 + eta);
        if (m2 > next && m2 < floor) {
          next = m2;
          join = j;
          joinSign = 1;
          leave = -1;
        }
      }
    }
    for (let a = 0; a < k; a++) {
      if (beta[a] === 0) continue;
      const m3 = -alpha[a] / beta[a];
      if (m3 > next && m3 < floor) {
        next = m3;
        leave = a;
        join = -1;
      }
    }
    const x = new Float64Array(n);
    for (let a = 0; a < k; a++) x[active[a]] = alpha[a] + next * beta[a];
    if (leave >= 0) x[active[leave]] = 0;
    points.push({ mu: next, x });
    if (next === 0) return points;
    if (leave >= 0) {
      inActive[active[leave]] = 0;
      active.splice(leave, 1);
      sign.splice(leave, 1);
      if (active.length === 0) {
        // Cannot happen for positive definite P (‖x‖₁ is monotone); guard against rounding anyway.
        throw new Error('lassoPath: the active set emptied before μ reached 0');
      }
    } else {
      active.push(join);
      sign.push(joinSign);
      inActive[join] = 1;
    }
    mu = next;
  }
  throw new Error(`lassoPath: no convergence in ${maxSteps} steps (degenerate ties in P)`);
}
