/**
 * The identified set of θ = l'τ_post for a polyhedral restriction Δ = {δ : Aδ ≤ d} when β is known
 * (Rambachan & Roth 2023, Lemma 2.1): θ ∈ l'β_post − {l'δ_post : δ ∈ Δ, δ_pre = β_pre}, its ends two
 * linear programmes (HonestDiD's .compute_IDset_Delta*, solved with Rglpk). HonestDiD's default θ grids
 * for Δ^SDB and Δ^SDM are this set at β = 0 widened by 20 sd(θ̂).
 */
import { solveLp } from '../linalg/lp.js';

/**
 * [l'β_post − max l'δ_post, l'β_post − min l'δ_post] over δ ∈ Δ with δ_pre = β_pre. When both
 * programmes fail (Δ does not meet δ_pre = β_pre) HonestDiD returns the point l'β_post, and so do we.
 */
export function polyhedralIdentifiedSet(
  a: readonly number[][],
  d: readonly number[],
  beta: readonly number[],
  numPre: number,
  lVec: readonly number[],
): { lb: number; ub: number } {
  const T = beta.length;
  const c = new Array<number>(T).fill(0);
  for (let t = 0; t < lVec.length; t++) c[numPre + t] = lVec[t];
  const aEq = Array.from({ length: numPre }, (_, i) => {
    const row = new Array<number>(T).fill(0);
    row[i] = 1;
    return row;
  });
  const bEq = beta.slice(0, numPre);
  const base = { c, aUb: a.map((r) => r.slice()), bUb: d.slice(), aEq, bEq, free: true as const };
  const max = solveLp({ ...base, maximize: true });
  const min = solveLp({ ...base, maximize: false });
  let theta = 0;
  for (let t = 0; t < lVec.length; t++) theta += lVec[t] * beta[numPre + t];
  if (max.status !== 'optimal' && min.status !== 'optimal') return { lb: theta, ub: theta };
  // One programme failing alone cannot happen for these bounded sets; HonestDiD would read a missing optimum as NA.
  if (max.status !== 'optimal' || min.status !== 'optimal') {
    throw new RangeError('identified set: one of the two linear programmes failed');
  }
  return { lb: theta - max.value!, ub: theta - min.value! };
}
