/**
 * The smoothness restriction as linear algebra (Rambachan & Roth 2023, Section 2.3, eq. 8):
 *
 *   Δ^SD(M) = { δ : |(δ_{t+1} − δ_t) − (δ_t − δ_{t−1})| ≤ M for every t },
 *
 * with δ = (δ_{−K}, …, δ_{−1}, δ_1, …, δ_T̄) and δ_0 = 0 (the reference period). The second differences
 * centred on t = −K+1, …, T̄−1 are all the constraints: K + T̄ − 1 of them.
 *
 * Writing δ through its slope into the reference period, d_0 = δ_0 − δ_{−1}, and its second differences
 * e_u = (δ_u − δ_{u−1}) − (δ_{u−1} − δ_{u−2}), u = −K+2, …, T̄, every linear functional of δ splits into a
 * multiple of d_0 plus a combination of the e_u. That gives the identified set and the FLCI's worst-case
 * bias in closed form: l'δ_post = S·d_0 + Σ_{u≥1} c_u e_u with S = Σ_s s·l_s and
 * c_u = Σ_{s≥u} (s − u + 1) l_s.
 */

/** S = Σ_s s·l_s: the post-period target's loading on a linear trend through the reference period. */
export function trendLoading(lVec: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < lVec.length; i++) s += (i + 1) * lVec[i];
  return s;
}

/** c_u = Σ_{s≥u} (s − u + 1) l_s, u = 1..T̄: the target's loading on each post-period second difference. */
export function postCurvatureLoadings(lVec: readonly number[]): number[] {
  const n = lVec.length;
  const c = new Array<number>(n).fill(0);
  for (let u = 1; u <= n; u++) for (let s = u; s <= n; s++) c[u - 1] += (s - u + 1) * lVec[s - 1];
  return c;
}

/**
 * Σ_u |c_u|: sup over Δ^SD(1) of l'δ_post when the pre-periods pin δ down no further than δ_pre and the
 * slope d_0 are concerned. The identified set's half-width and the FLCI's least worst-case bias are this
 * times M.
 */
export function postCurvatureBound(lVec: readonly number[]): number {
  let s = 0;
  for (const c of postCurvatureLoadings(lVec)) s += Math.abs(c);
  return s;
}

/**
 * The constraint matrix of Δ^SD(M) = {δ : Aδ ≤ M·1} in HonestDiD's layout (`.create_A_SD`): the rows
 * Ã (one second difference per t = −K+1..T̄−1, on the K + T̄ columns of δ with the reference column
 * dropped), then −Ã.
 */
export function smoothnessConstraints(numPre: number, numPost: number): number[][] {
  const cols = numPre + numPost;
  const rows: number[][] = [];
  for (let r = 0; r < cols - 1; r++) {
    // On the full time axis −K..T̄ (K + T̄ + 1 points) row r covers positions r, r+1, r+2; position K is t = 0.
    const row = new Array<number>(cols).fill(0);
    const stencil = [1, -2, 1];
    for (let k = 0; k < 3; k++) {
      const pos = r + k;
      if (pos === numPre) continue;
      row[pos < numPre ? pos : pos - 1] = stencil[k];
    }
    rows.push(row);
  }
  return [...rows, ...rows.map((row) => row.map((v) => (v === 0 ? 0 : -v)))];
}

/**
 * The rows of smoothnessConstraints that involve a post-period coefficient (HonestDiD's
 * `postPeriodMomentsOnly`: the ARP test uses only these when T̄ > 1; the pre-only rows do not bound θ).
 */
export function postPeriodRows(numPre: number, numPost: number): number[] {
  const a = smoothnessConstraints(numPre, numPost);
  const out: number[] = [];
  a.forEach((row, i) => {
    if (row.slice(numPre).some((v) => v !== 0)) out.push(i);
  });
  return out;
}

/** The pre-period second differences e_u, u = −K+2..0, of (β_pre, 0): what Δ^SD(M) must bound by M. */
export function preCurvatures(betaPre: readonly number[]): number[] {
  const k = betaPre.length;
  const d = [...betaPre, 0];
  const out: number[] = [];
  for (let i = 2; i <= k; i++) out.push(d[i] - 2 * d[i - 1] + d[i - 2]);
  return out;
}

/**
 * The identified set of θ = l'τ_post under Δ^SD(M) when β is known (Rambachan & Roth 2023, Lemma 2.1):
 * θ ∈ l'β_post + S·β_{−1} ± M·Σ|c_u| — the linear extrapolation of the pre-trend through the reference
 * period, widened by the largest post-period curvature M allows. Its width, 2M·Σ|c_u|, is linear in M.
 * HonestDiD computes the same by two linear programs (`.compute_IDset_DeltaSD`).
 * @returns null when the pre-period coefficients themselves bend by more than M (no δ ∈ Δ^SD(M) fits them).
 */
export function smoothnessIdentifiedSet(
  beta: readonly number[],
  numPre: number,
  lVec: readonly number[],
  m: number,
): { lb: number; ub: number } | null {
  if (numPre < 1) throw new RangeError('smoothnessIdentifiedSet: Δ^SD needs at least one pre-period');
  const pre = beta.slice(0, numPre);
  const slack = 1e-12 * Math.max(1, ...pre.map(Math.abs));
  if (preCurvatures(pre).some((e) => Math.abs(e) > m + slack)) return null;
  let centre = trendLoading(lVec) * pre[numPre - 1];
  for (let s = 0; s < lVec.length; s++) centre += lVec[s] * beta[numPre + s];
  const half = m * postCurvatureBound(lVec);
  return { lb: centre - half, ub: centre + half };
}
