/**
 * Cross-products of a few long columns (n large, k small): XᵀWX and its pieces, the inner loop of
 * every logit and outcome-regression fit. The row-major k × k result is filled one row at a time
 * from u = w∘x_a and the columns x_0 … x_a, four columns per pass so that each u_i is loaded once per
 * four products instead of once per product (the loops are memory-bound).
 */

/**
 * Σ_i w_i x_i x_iᵀ over units [from, to) (w = 1 when omitted), k × k row-major.
 * @param tmp scratch of length ≥ to, overwritten.
 */
export function crossprod(
  cols: Float64Array[],
  from: number,
  to: number,
  w: Float64Array | undefined,
  tmp: Float64Array,
  out?: Float64Array,
): Float64Array {
  const k = cols.length;
  const g = out ?? new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const ca = cols[a];
    let u = ca;
    if (w) {
      for (let i = from; i < to; i++) tmp[i] = w[i] * ca[i];
      u = tmp;
    }
    // Row a up to the diagonal: Σ u_i x_b,i for b = 0 … a, then mirrored above it.
    columnDots(u, cols, from, to, g, a + 1, a * k);
    for (let b = 0; b < a; b++) g[b * k + a] = g[a * k + b];
  }
  return g;
}

/** out_i = Σ_a b_a x_a,i for i < n (the linear predictor Xb), four columns per pass. */
export function linearPredictor(cols: Float64Array[], b: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  const k = cols.length;
  out.fill(0, 0, n);
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a],
      c1 = cols[a + 1],
      c2 = cols[a + 2],
      c3 = cols[a + 3];
    const b0 = b[a],
      b1 = b[a + 1],
      b2 = b[a + 2],
      b3 = b[a + 3];
    for (let i = 0; i < n; i++) out[i] += b0 * c0[i] + b1 * c1[i] + b2 * c2[i] + b3 * c3[i];
  }
  for (; a < k; a++) {
    const c = cols[a],
      ba = b[a];
    for (let i = 0; i < n; i++) out[i] += ba * c[i];
  }
  return out;
}

/**
 * out[at + a] = Σ_{i ∈ [from, to)} u_i x_a,i for the first `count` columns a (Xᵀu), four columns per
 * pass.
 */
export function columnDots(
  u: Float64Array,
  cols: Float64Array[],
  from: number,
  to: number,
  out: Float64Array,
  count = cols.length,
  at = 0,
): Float64Array {
  const k = count;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a],
      c1 = cols[a + 1],
      c2 = cols[a + 2],
      c3 = cols[a + 3];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = from; i < to; i++) {
      const ui = u[i];
      s0 += ui * c0[i];
      s1 += ui * c1[i];
      s2 += ui * c2[i];
      s3 += ui * c3[i];
    }
    out[at + a] = s0;
    out[at + a + 1] = s1;
    out[at + a + 2] = s2;
    out[at + a + 3] = s3;
  }
  for (; a < k; a++) {
    const c = cols[a];
    let s = 0;
    for (let i = from; i < to; i++) s += u[i] * c[i];
    out[at + a] = s;
  }
  return out;
}
