/**
 * Influence-function algebra: the one place standard errors come from (R did: getSE, get_agg_inf_func).
 * A column is either sparse (a cell's units and values) or dense (length n).
 */
export interface SparseColumn {
  idx: Int32Array;
  inf: Float64Array;
}

/** R did's rule: a standard error at or below √ε·10 is no standard error (zero variance). */
export const SE_FLOOR = Math.sqrt(2.220446049250313e-16) * 10;

/** Analytic SE from an influence function over n units: √(mean(ψ²) / n) = √(Σψ²) / n. */
export function seFromInf(values: Float64Array, n: number): number | null {
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += values[i] * values[i];
  const se = Math.sqrt(ss) / n;
  return se > SE_FLOOR ? se : null;
}

/** Σ_c w_c · ψ_c as a dense column of length n (get_agg_inf_func without the weight term). */
export function combine(
  n: number,
  cols: Array<SparseColumn | null>,
  weights: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  cols.forEach((c, j) => {
    if (!c) return; // a column of zeros (the universal base period's reference cell)
    const w = weights[j];
    if (w === 0) return;
    const { idx, inf } = c;
    for (let m = 0; m < idx.length; m++) out[idx[m]] += w * inf[m];
  });
  return out;
}

/** Σ_c w_c · ψ_c for dense columns. */
export function combineDense(
  n: number,
  cols: Float64Array[],
  weights: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  cols.forEach((c, j) => {
    const w = weights[j];
    for (let i = 0; i < n; i++) out[i] += w * c[i];
  });
  return out;
}

/**
 * Adds the estimation effect of the aggregation weights (R did: wif(...) %*% att) in place.
 * For keepers k with group share pg_k and estimate att_k, unit i in group G_i gets
 *   [A(G_i) − Σ pg·att] / Σpg − [C(G_i) − Σpg] · Σ pg·att / (Σpg)²,
 * where A(g), C(g) are the sum of att_k and the count over keepers of group g (0 for groups not among
 * the keepers). Closed form of the n × K matrix product, O(n + K).
 */
export function addWeightEffect(
  out: Float64Array,
  cohorts: ReadonlyArray<{ value: number; start: number; end: number }>,
  groups: ArrayLike<number>,
  pg: ArrayLike<number>,
  att: ArrayLike<number>,
  unitWeights: Float64Array | null = null,
): void {
  let spg = 0,
    pa = 0;
  for (let k = 0; k < groups.length; k++) {
    spg += pg[k];
    pa += pg[k] * att[k];
  }
  // Units are sorted by start group, so each cohort is one range with one value.
  for (const co of cohorts) {
    let sumAtt = 0,
      count = 0;
    for (let k = 0; k < groups.length; k++) {
      if (groups[k] === co.value) {
        sumAtt += att[k];
        count++;
      }
    }
    if (unitWeights) {
      // Sampling weights: unit i enters as w_i · 1{G_i = g} (R did's wif with weights.ind).
      for (let i = co.start; i < co.end; i++) {
        const wi = unitWeights[i];
        out[i] += (wi * sumAtt - pa) / spg - ((wi * count - spg) * pa) / (spg * spg);
      }
      continue;
    }
    const v = (sumAtt - pa) / spg - ((count - spg) * pa) / (spg * spg);
    for (let i = co.start; i < co.end; i++) out[i] += v;
  }
}

/**
 * P(G = g) of each cohort as R did's aggte estimates it: mean(w · 1{G = g}) over the n units kept
 * (w = 1 without sampling weights).
 */
export function cohortShares(p: {
  n: number;
  cohorts: ReadonlyArray<{ value: number; start: number; end: number }>;
  weights: Float64Array | null;
}): Map<number, number> {
  return new Map(
    p.cohorts.map((c) => {
      let s = c.end - c.start;
      if (p.weights) {
        s = 0;
        for (let i = c.start; i < c.end; i++) s += p.weights[i];
      }
      return [c.value, s / p.n];
    }),
  );
}
