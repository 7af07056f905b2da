/**
 * The event-study covariance every estimator with an influence-function (or cluster-score) variance
 * gives its dynamic detail rows: row a's estimate is θ̂_a ≈ θ_a + Σ_g S_g^a, S_g^a the cluster g's sum of
 * the row's influence function, so
 *   V_ab = scale · Σ_g S_g^a S_g^b,
 * the off-diagonal generalisation of the SE each family already reports (√V_aa): R did's
 * V = Ψ'Ψ / n² (scale 1/n², Ψ the n × K matrix of the rows' influence functions, clustered by summing
 * Ψ's rows within clusters first — Callaway & Sant'Anna 2021, Remark 10; HonestDiD's
 * honest_did.AGGTEobj builds its sigma the same way from aggte's dynamic.inf.func.e), Sun & Abraham's
 * delta method and BJS's Theorem 3 (scale 1, their contributions are already divided).
 */

/**
 * @param sums per detail row: its cluster sums S^a (all the same length), or null where the row has
 *   no standard error (a reference row, a row not identified): null in its row and column.
 * @param scale the factor in front of Σ_g S_g^a S_g^b.
 */
export function vcovFromClusterSums(sums: ReadonlyArray<Float64Array | null>, scale: number): (number | null)[][] {
  const k = sums.length;
  const out: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  for (let a = 0; a < k; a++) {
    const sa = sums[a];
    if (!sa) continue;
    for (let b = a; b < k; b++) {
      const sb = sums[b];
      if (!sb) continue;
      let v = 0;
      for (let g = 0; g < sa.length; g++) v += sa[g] * sb[g];
      out[a][b] = v * scale;
      out[b][a] = v * scale;
    }
  }
  return out;
}

/**
 * The submatrix of a regression's k × k coefficient covariance (row-major) for the detail rows:
 * `index[a]` is the coefficient of detail row a, or −1 (the normalised reference row), which has null
 * in its row and column, as has a row whose `keep[a]` is false (no SE).
 */
export function vcovSubmatrix(V: Float64Array, k: number, index: readonly number[], keep: readonly boolean[]): (number | null)[][] {
  // G⁻¹ΩG⁻¹ is symmetric only up to rounding: the mean of the two halves makes it exactly so.
  return index.map((ja, a) =>
    index.map((jb, b) =>
      ja < 0 || jb < 0 || !keep[a] || !keep[b] ? null : ja === jb ? V[ja * k + ja] : (V[ja * k + jb] + V[jb * k + ja]) / 2,
    ),
  );
}
