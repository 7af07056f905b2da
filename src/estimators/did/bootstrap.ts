/**
 * Multiplier bootstrap of influence functions with Rademacher weights (±1 with probability ½ each, as
 * R did 2.5.1 draws them through BMisc::multiplier_bootstrap), Mammen (1993) or Webb (2014) weights, optionally
 * clustered, and
 * the sup-t critical value of a uniform confidence band (Callaway & Sant'Anna 2021, Algorithm 1;
 * R did's mboot). For draw b, unit weights v_i (or one per cluster, v_c) give
 *   R_b = √C · mean_c(v_c S_c),   S_c = Σ_{i∈c} ψ_i,
 * the SE is IQR(R)/(z.75 − z.25) · √C / n, and the band's critical value is the (1 − α) quantile of
 * max_j |R_bj / σ_j|.
 */
import { formatCount, memoryTooLarge } from '../../scenario/size-limits.js';
import { EstimatorInputError } from '../errors.js';
import type { Rng } from '../../random/stream.js';
import { qnorm } from '../../stats/normal.js';
import { SE_FLOOR } from './influence.js';

const KAPPA = (Math.sqrt(5) + 1) / 2;
const P_LOW = KAPPA / Math.sqrt(5);

/** One Mammen weight: 1 − κ with probability κ/√5, else κ (mean 0, variance 1). */
export function mammen(rng: Rng): number {
  return rng() < P_LOW ? 1 - KAPPA : KAPPA;
}

/** One Rademacher weight: −1 or +1 with probability ½ (BMisc's fill_rademacher: one random bit each). */
export function rademacher(rng: Rng): number {
  return rng() < 0.5 ? -1 : 1;
}

const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];
/**
 * One Webb (2014) six-point weight: ±√½, ±1, ±√(3/2), each with probability 1/6 (mean 0, variance 1,
 * fourth moment 7/6): with few clusters it has far more than 2^G distinct draws.
 */
export function webb(rng: Rng): number {
  return WEBB[Math.min(5, Math.floor(rng() * 6))];
}

export type BootstrapWeights = 'rademacher' | 'mammen' | 'webb';
export const BOOTSTRAP_WEIGHTS: readonly BootstrapWeights[] = ['rademacher', 'mammen', 'webb'];

export interface BootstrapColumn {
  idx?: Int32Array; // sparse columns list their units; dense columns have length n
  inf: Float64Array;
}

export interface BootstrapResult {
  /** Bootstrap SE per column (null when degenerate). */
  se: Array<number | null>;
  /** Sup-t critical value for a uniform band over the columns. */
  crit: number | null;
}

/** R's quantile(type = 1) on a sorted array: the ⌈np⌉-th order statistic. */
function quantileType1(sorted: Float64Array, p: number): number {
  const k = Math.max(1, Math.ceil(sorted.length * p));
  return sorted[k - 1];
}

/**
 * @param rng the caller's stream (the draw's own stream in a simulation; `--seed` in `stagger estimate`)
 * @param weights the multiplier distribution: Rademacher (R did's) or Mammen; both have mean 0, variance 1
 */
export function multiplierBootstrap(
  rng: Rng,
  columns: BootstrapColumn[],
  n: number,
  draws: number,
  alpha: number,
  cluster: Int32Array | null,
  weights: BootstrapWeights = 'rademacher',
): BootstrapResult {
  const draw = weights === 'mammen' ? mammen : weights === 'webb' ? webb : rademacher;
  const nClusters = cluster ? Math.max(...cluster) + 1 : n;
  const m = columns.length;
  const tooLarge = memoryTooLarge(draws * m * 8, `the multiplier bootstrap (${formatCount(draws)} draws × ${formatCount(m)} estimates)`);
  if (tooLarge) throw new EstimatorInputError(`${tooLarge}: ask for fewer bootstrap draws`);
  const res = new Float64Array(draws * m);
  const v = new Float64Array(nClusters);
  const unitV = new Float64Array(n);
  const scale = Math.sqrt(nClusters) / nClusters;
  for (let b = 0; b < draws; b++) {
    for (let c = 0; c < nClusters; c++) v[c] = draw(rng);
    for (let i = 0; i < n; i++) unitV[i] = cluster ? v[cluster[i]] : v[i];
    for (let j = 0; j < m; j++) {
      const col = columns[j];
      let s = 0;
      if (col.idx) {
        const idx = col.idx,
          inf = col.inf;
        for (let q = 0; q < idx.length; q++) s += unitV[idx[q]] * inf[q];
      } else {
        const inf = col.inf;
        for (let i = 0; i < n; i++) s += unitV[i] * inf[i];
      }
      res[b * m + j] = s * scale;
    }
  }
  const iqrNorm = qnorm(0.75) - qnorm(0.25);
  const sigma = new Float64Array(m);
  const se: Array<number | null> = [];
  const col = new Float64Array(draws);
  for (let j = 0; j < m; j++) {
    for (let b = 0; b < draws; b++) col[b] = res[b * m + j];
    col.sort();
    const s = (quantileType1(col, 0.75) - quantileType1(col, 0.25)) / iqrNorm;
    sigma[j] = s;
    const sej = (s * Math.sqrt(nClusters)) / n;
    se.push(sej > SE_FLOOR ? sej : null);
  }
  const sup = new Float64Array(draws);
  let any = false;
  for (let b = 0; b < draws; b++) {
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      if (se[j] === null) continue;
      const z = Math.abs(res[b * m + j] / sigma[j]);
      if (z > mx) mx = z;
    }
    sup[b] = mx;
    if (Number.isFinite(mx)) any = true;
  }
  sup.sort();
  return { se, crit: any ? quantileType1(sup, 1 - alpha) : null };
}
