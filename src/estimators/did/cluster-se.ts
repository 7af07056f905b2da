/**
 * Cluster-robust analytic standard errors: R did 2.5.1's `clustervars` with `bstrap = FALSE`.
 * att_gt forms V = crossprod(rowsum(inffunc, cluster)) / n and se = √(diag(V) / n); aggte's getSE the
 * same from the aggregated influence function. Both are
 *   se = √(Σ_c S_c²) / n,   S_c = Σ_{i ∈ c} ψ_i,
 * with no small-sample factor (Callaway & Sant'Anna 2021, Remark 10: the cluster sums that the
 * clustered multiplier bootstrap draws weights for).
 */
import type { AggregationType } from '../types.js';
import type { AggregateWithInf } from './aggregate.js';
import type { Cell } from './att-gt.js';
import { SE_FLOOR } from './influence.js';

/** Number of clusters of dense codes 0..C−1. */
export function clusterCount(cluster: Int32Array): number {
  let c = 0;
  for (let i = 0; i < cluster.length; i++) if (cluster[i] >= c) c = cluster[i] + 1;
  return c;
}

/**
 * Cluster sums S_c of an influence function: sparse (values at units `idx`) or dense (idx null).
 * @param out length ≥ C, overwritten.
 */
export function clusterSums(values: Float64Array, idx: Int32Array | null, cluster: Int32Array, out: Float64Array): Float64Array {
  out.fill(0);
  if (idx) for (let m = 0; m < idx.length; m++) out[cluster[idx[m]]] += values[m];
  else for (let i = 0; i < values.length; i++) out[cluster[i]] += values[i];
  return out;
}

/** √(Σ_c S_c²) / n, or null at or below R did's zero-variance floor. */
export function clusteredSe(
  values: Float64Array,
  idx: Int32Array | null,
  n: number,
  cluster: Int32Array,
  sums: Float64Array,
): number | null {
  clusterSums(values, idx, cluster, sums);
  let ss = 0;
  for (let c = 0; c < sums.length; c++) ss += sums[c] * sums[c];
  const se = Math.sqrt(ss) / n;
  return se > SE_FLOOR ? se : null;
}

/**
 * Replaces every analytic SE (cells, aggregates, their detail rows and pre-period average) by its
 * cluster-robust form, where the analytic SE exists — as R did reports them with clustervars.
 */
export function clusterInPlace(
  n: number,
  cluster: Int32Array,
  cells: Cell[],
  cellSe: Array<number | null>,
  aggs: Partial<Record<AggregationType, AggregateWithInf>>,
): void {
  const sums = new Float64Array(clusterCount(cluster));
  cells.forEach((c, j) => {
    if (cellSe[j] !== null && c.inf) cellSe[j] = clusteredSe(c.inf, c.idx ?? null, n, cluster, sums);
  });
  for (const agg of Object.values(aggs)) {
    if (!agg) continue;
    const est = agg.estimate;
    if (agg.overallInf && est.se !== null) est.se = clusteredSe(agg.overallInf, null, n, cluster, sums);
    if (agg.preInf && est.pre && est.pre.se !== null) est.pre.se = clusteredSe(agg.preInf, null, n, cluster, sums);
    (est.detail ?? []).forEach((d, m) => {
      const inf = agg.detailInf[m];
      if (d.se !== null && inf) d.se = clusteredSe(inf, null, n, cluster, sums);
    });
  }
}
