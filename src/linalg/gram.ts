/**
 * Cross-products of a few long columns (n large, k small): XᵀWX and its pieces, the inner loop of
 * every logit and outcome-regression fit. The row-major k × k result is filled one row at a time
 * from u = w∘x_a and the columns x_0 … x_a, four columns per pass so that each u_i is loaded once per
 * four products instead of once per product (the loops are memory-bound).
 */

/** out[a·k + b] = out[b·k + a] = Σ_{i ∈ [from, to)} u_i x_b,i for b = 0 … a. */
export function gramRow(u: Float64Array, cols: Float64Array[], a: number, from: number, to: number, out: Float64Array): void {
  const k = cols.length;
  let b = 0;
  for (; b + 3 <= a; b += 4) {
    const c0 = cols[b], c1 = cols[b + 1], c2 = cols[b + 2], c3 = cols[b + 3];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = from; i < to; i++) {
      const ui = u[i];
      s0 += ui * c0[i]; s1 += ui * c1[i]; s2 += ui * c2[i]; s3 += ui * c3[i];
    }
    out[a * k + b] = out[b * k + a] = s0;
    out[a * k + b + 1] = out[(b + 1) * k + a] = s1;
    out[a * k + b + 2] = out[(b + 2) * k + a] = s2;
    out[a * k + b + 3] = out[(b + 3) * k + a] = s3;
  }
  for (; b + 1 <= a; b += 2) {
    const c0 = cols[b], c1 = cols[b + 1];
    let s0 = 0, s1 = 0;
    for (let i = from; i < to; i++) { const ui = u[i]; s0 += ui * c0[i]; s1 += ui * c1[i]; }
    out[a * k + b] = out[b * k + a] = s0;
    out[a * k + b + 1] = out[(b + 1) * k + a] = s1;
  }
  if (b === a) {
    const c0 = cols[b];
    let s0 = 0;
    for (let i = from; i < to; i++) s0 += u[i] * c0[i];
    out[a * k + b] = s0;
  }
}

/**
 * Σ_i w_i x_i x_iᵀ over units [from, to) (w = 1 when omitted), k × k row-major.
 * @param tmp scratch of length ≥ to, overwritten.
 */
export function crossprod(cols: Float64Array[], from: number, to: number, w: Float64Array | undefined, tmp: Float64Array, out?: Float64Array): Float64Array {
  const k = cols.length;
  const g = out ?? new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const ca = cols[a];
    let u = ca;
    if (w) {
      for (let i = from; i < to; i++) tmp[i] = w[i] * ca[i];
      u = tmp;
    }
    gramRow(u, cols, a, from, to, g);
  }
  return g;
}

/** out_i = Σ_a b_a x_a,i for i < n (the linear predictor Xb), four columns per pass. */
export function linearPredictor(cols: Float64Array[], b: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  const k = cols.length;
  out.fill(0, 0, n);
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a], c1 = cols[a + 1], c2 = cols[a + 2], c3 = cols[a + 3];
    const b0 = b[a], b1 = b[a + 1], b2 = b[a + 2], b3 = b[a + 3];
    for (let i = 0; i < n; i++) out[i] += b0 * c0[i] + b1 * c1[i] + b2 * c2[i] + b3 * c3[i];
  }
  for (; a < k; a++) {
    const c = cols[a], ba = b[a];
    for (let i = 0; i < n; i++) out[i] += ba * c[i];
  }
  return out;
}

/** out_a = Σ_{i ∈ [from, to)} u_i x_a,i for every column a (Xᵀu), four columns per pass. */
export function columnDots(u: Float64Array, cols: Float64Array[], from: number, to: number, out: Float64Array): Float64Array {
  const k = cols.length;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const c0 = cols[a], c1 = cols[a + 1], c2 = cols[a + 2], c3 = cols[a + 3];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = from; i < to; i++) {
      const ui = u[i];
      s0 += ui * c0[i]; s1 += ui * c1[i]; s2 += ui * c2[i]; s3 += ui * c3[i];
    }
    out[a] = s0; out[a + 1] = s1; out[a + 2] = s2; out[a + 3] = s3;
  }
  for (; a < k; a++) {
    const c = cols[a];
    let s = 0;
    for (let i = from; i < to; i++) s += u[i] * c[i];
    out[a] = s;
  }
  return out;
}
