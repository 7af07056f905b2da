/**
 * A dense, deterministic linear-programme solver: two-phase primal simplex on a full tableau
 * (Dantzig, Linear Programming and Extensions, 1963, ch. 5–7), written for the small LPs of the
 * HonestDiD sensitivity analysis (tens of rows and columns, solved thousands of times per robust set).
 *
 *   minimise (or maximise) c'x  subject to  A_ub x ≤ b_ub,  A_eq x = b_eq,  x_j ≥ 0 or free.
 *
 * Free variables are split x = x⁺ − x⁻; every ≤ row gets a slack; every row gets an artificial, which
 * stays in the tableau through phase 2 (barred from entering) so that the final tableau's artificial
 * columns hold B⁻¹ and the simplex multipliers are read off their reduced costs. The pivot rule is
 * Dantzig's (most negative reduced cost, lowest index on ties; leaving row by the minimum ratio, lowest
 * basic index on ties), switching to Bland's rule (Bland 1977, which cannot cycle) after a run of
 * degenerate pivots, so the same problem always takes the same path and always ends.
 *
 * Never throws on an infeasible or unbounded problem: the status says so.
 */

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded';

export interface LpProblem {
  /** The objective's coefficients (length n). */
  c: ArrayLike<number>;
  /** Rows of A_ub (each length n) and b_ub. */
  aUb?: ArrayLike<number>[];
  bUb?: ArrayLike<number>;
  /** Rows of A_eq (each length n) and b_eq. */
  aEq?: ArrayLike<number>[];
  bEq?: ArrayLike<number>;
  /** Which variables are free (unbounded below); the rest are ≥ 0. `true`: all free. Default: none. */
  free?: boolean | readonly boolean[];
  /** Maximise instead of minimise. */
  maximize?: boolean;
}

export interface LpResult {
  status: LpStatus;
  /** The optimal objective value (of the problem as posed, max or min); null unless optimal. */
  value: number | null;
  /** The primal solution; null unless optimal. */
  x: number[] | null;
  /**
   * Lagrange multipliers of the ≤ rows, λ ≥ 0, and of the = rows, μ (any sign), for the MINIMISATION
   * of `sign·c'x` (sign = −1 when maximising): sign·c + A_ubᵀλ + A_eqᵀμ = ν ≥ 0 (ν = 0 on free
   * variables) and sign·value = −b_ubᵀλ − b_eqᵀμ. For min η s.t. y − Xδ ≤ η·sd (ARP's test
   * statistic) this λ is the vertex of the dual HonestDiD calls `lambda`. Null unless optimal.
   */
  dualUb: number[] | null;
  dualEq: number[] | null;
  /** Simplex pivots taken (both phases). */
  iterations: number;
}

/** Entries below this (relative to the row/column scale) are treated as zero. */
const EPS = 1e-11;
/** Degenerate pivots in a row after which the pivot rule becomes Bland's. */
const BLAND_AFTER = 50;

/** Solve the LP; see LpProblem. */
export function solveLp(p: LpProblem): LpResult {
  const n = p.c.length;
  const aUb = p.aUb ?? [];
  const aEq = p.aEq ?? [];
  const bUb = p.bUb ?? [];
  const bEq = p.bEq ?? [];
  const mUb = aUb.length;
  const mEq = aEq.length;
  const m = mUb + mEq;
  const sign = p.maximize ? -1 : 1;
  const isFree = (j: number): boolean => (p.free === true ? true : Array.isArray(p.free) ? Boolean(p.free[j]) : false);

  // Structural columns: for each original variable, x⁺ (and x⁻ when free).
  const colOf: number[] = new Array(n); // the x⁺ column of variable j
  const negOf: number[] = new Array(n).fill(-1); // its x⁻ column, -1 when bounded
  let ns = 0;
  for (let j = 0; j < n; j++) {
    colOf[j] = ns++;
    if (isFree(j)) negOf[j] = ns++;
  }
  const slack0 = ns; // slacks of the ≤ rows
  const art0 = slack0 + mUb; // artificials, one per row
  const width = art0 + m + 1; // + rhs
  const rhs = width - 1;
  const t = new Float64Array((m + 1) * width); // row m is the objective (reduced costs; rhs = −value)
  const rowSign = new Float64Array(m);

  for (let i = 0; i < m; i++) {
    const row = i < mUb ? aUb[i] : aEq[i - mUb];
    const b = i < mUb ? bUb[i] : bEq[i - mUb];
    const s = b < 0 ? -1 : 1; // keep the rhs ≥ 0 so the artificial basis is feasible
    rowSign[i] = s;
    const o = i * width;
    for (let j = 0; j < n; j++) {
      const a = row[j];
      t[o + colOf[j]] = s * a;
      if (negOf[j] >= 0) t[o + negOf[j]] = -s * a;
    }
    if (i < mUb) t[o + slack0 + i] = s;
    t[o + art0 + i] = 1;
    t[o + rhs] = s * b;
  }
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = art0 + i;

  // Phase 1: minimise the sum of the artificials. Reduced costs: d_j = −Σ_i t_ij on non-artificials.
  const obj = m * width;
  for (let j = 0; j < width; j++) {
    if (j >= art0 && j < rhs) continue;
    let s = 0;
    for (let i = 0; i < m; i++) s -= t[i * width + j];
    t[obj + j] = s;
  }
  let iterations = 0;
  const phase1 = runSimplex(t, m, width, basis, art0, () => iterations++);
  if (phase1 === 'unbounded') {
    // Cannot happen (the phase-1 objective is bounded below by 0); treat as a numerical failure.
    return fail('infeasible', iterations);
  }
  let bScale = 1;
  for (let i = 0; i < m; i++) bScale = Math.max(bScale, Math.abs(t[i * width + rhs]));
  if (-t[obj + rhs] > 1e-9 * bScale) return fail('infeasible', iterations);

  // Drive artificials still basic (at zero) out of the basis where a structural pivot exists; a row
  // with none is redundant and its artificial stays at zero through phase 2.
  for (let i = 0; i < m; i++) {
    if (basis[i] < art0) continue;
    const o = i * width;
    let best = -1;
    let bestAbs = 1e-9;
    for (let j = 0; j < art0; j++) {
      const a = Math.abs(t[o + j]);
      if (a > bestAbs) {
        bestAbs = a;
        best = j;
      }
    }
    if (best >= 0) {
      pivot(t, m, width, i, best);
      basis[i] = best;
      iterations++;
    }
  }

  // Phase 2: the real objective (artificials cost 0). d = c − c_B B⁻¹ A by eliminating the basic columns.
  const cost = new Float64Array(art0);
  for (let j = 0; j < n; j++) {
    cost[colOf[j]] = sign * p.c[j];
    if (negOf[j] >= 0) cost[negOf[j]] = -sign * p.c[j];
  }
  for (let j = 0; j < width; j++) t[obj + j] = j < art0 ? cost[j] : 0;
  for (let i = 0; i < m; i++) {
    const bj = basis[i];
    const cb = bj < art0 ? cost[bj] : 0;
    if (cb === 0) continue;
    const o = i * width;
    for (let j = 0; j < width; j++) t[obj + j] -= cb * t[o + j];
  }
  const phase2 = runSimplex(t, m, width, basis, art0, () => iterations++);
  if (phase2 === 'unbounded') {
    return { status: 'unbounded', value: null, x: null, dualUb: null, dualEq: null, iterations };
  }

  const xs = new Float64Array(art0);
  for (let i = 0; i < m; i++) if (basis[i] < art0) xs[basis[i]] = t[i * width + rhs];
  const x = new Array<number>(n);
  let value = 0;
  for (let j = 0; j < n; j++) {
    x[j] = xs[colOf[j]] - (negOf[j] >= 0 ? xs[negOf[j]] : 0);
    value += p.c[j] * x[j];
  }
  // Simplex multiplier of (sign-adjusted) row i: y_i = −(reduced cost of its artificial). The row was
  // multiplied by rowSign; the Lagrange multiplier of the original row is −rowSign·y.
  const dualUb = new Array<number>(mUb);
  const dualEq = new Array<number>(mEq);
  for (let i = 0; i < m; i++) {
    const y = -t[obj + art0 + i];
    const mult = -rowSign[i] * y;
    if (i < mUb) dualUb[i] = Math.max(0, mult) === 0 ? 0 : mult;
    else dualEq[i - mUb] = mult === 0 ? 0 : mult;
  }
  return { status: 'optimal', value, x, dualUb, dualEq, iterations };
}

function fail(status: LpStatus, iterations: number): LpResult {
  return { status, value: null, x: null, dualUb: null, dualEq: null, iterations };
}

/** Pivot the tableau on (r, q): column q enters the basis in row r. */
function pivot(t: Float64Array, m: number, width: number, r: number, q: number): void {
  const or = r * width;
  const inv = 1 / t[or + q];
  for (let j = 0; j < width; j++) t[or + j] *= inv;
  t[or + q] = 1;
  for (let i = 0; i <= m; i++) {
    if (i === r) continue;
    const o = i * width;
    const f = t[o + q];
    if (f === 0) continue;
    for (let j = 0; j < width; j++) t[o + j] -= f * t[or + j];
    t[o + q] = 0;
  }
}

/**
 * Primal simplex on the tableau from a feasible basis; columns ≥ `enterLimit` never enter (the
 * artificials). Returns 'optimal' or 'unbounded'.
 */
function runSimplex(
  t: Float64Array,
  m: number,
  width: number,
  basis: Int32Array,
  enterLimit: number,
  count: () => void,
): 'optimal' | 'unbounded' {
  const obj = m * width;
  const rhs = width - 1;
  let degenerateRun = 0;
  const maxIter = 50 * (m + width) + 1000;
  for (let iter = 0; iter < maxIter; iter++) {
    // Scale of the reduced costs, for a relative optimality test.
    let dScale = 1e-300;
    for (let j = 0; j < enterLimit; j++) dScale = Math.max(dScale, Math.abs(t[obj + j]));
    const tolD = 1e-12 * Math.max(1, dScale);
    const bland = degenerateRun >= BLAND_AFTER;
    let q = -1;
    let best = -tolD;
    for (let j = 0; j < enterLimit; j++) {
      const d = t[obj + j];
      if (d < -tolD) {
        if (bland) {
          q = j;
          break;
        }
        if (d < best) {
          best = d;
          q = j;
        }
      }
    }
    if (q < 0) return 'optimal';
    // Ratio test.
    let colScale = 0;
    for (let i = 0; i < m; i++) colScale = Math.max(colScale, Math.abs(t[i * width + q]));
    const tolA = EPS * Math.max(1, colScale);
    let r = -1;
    let ratio = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const a = t[i * width + q];
      if (a <= tolA) continue;
      const v = Math.max(0, t[i * width + rhs]) / a;
      if (r < 0) {
        ratio = v;
        r = i;
        continue;
      }
      const tie = 1e-14 * Math.max(1, ratio);
      if (v < ratio - tie || (v <= ratio + tie && basis[i] < basis[r])) {
        ratio = v;
        r = i;
      }
    }
    if (r < 0) return 'unbounded';
    degenerateRun = ratio === 0 ? degenerateRun + 1 : 0;
    pivot(t, m, width, r, q);
    basis[r] = q;
    count();
  }
  // The pivot rule cannot cycle under Bland's rule; hitting the cap means numerical trouble.
  return 'optimal';
}
