/**
 * The synthetic DiD weight problems (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021, eq. (2.2)–(2.4)):
 * over the simplex x ≥ 0, Σx = 1, with an intercept,
 *
 *   min_{x, c}  ζ²·‖x‖² + (1/m)·‖c + A x − b‖²   (m = rows of A)
 *
 * unit weights ω: rows = pre-periods, columns = control units, b = the treated units' mean (eq. (2.2)
 * with ζ = ζ_ω, the intercept ω₀); time weights λ: rows = control units, columns = pre-periods, b = each
 * control's post-period mean (eq. (2.3), ζ = ζ_λ). The intercept is profiled out by centring A's and
 * b's columns over rows (synthdid's `intercept = TRUE`). Scaled this way (objective ζ²‖x‖² + ‖·‖²/m)
 * the problem is the one synthdid's sc.weight.fw minimises (it writes η = m·ζ² for ‖Ax − b‖² + η‖x‖²).
 *
 * Two solvers:
 * - frankWolfe: synthdid's conventions — start from uniform weights, Frank–Wolfe with exact line search,
 *   stop when the objective falls by less than min.decrease² or after maxIter steps; synthdid runs 100
 *   steps, sparsifies (weights ≤ max/4 set to 0, renormalised), then up to 10,000 more. Its answer is an
 *   approximate minimiser, as the package's is.
 * - exactSimplexQp: the exact minimiser by a primal active-set method (the KKT system on the support,
 *   with the simplex multiplier), so the optimality conditions hold to rounding.
 */

export interface WeightProblem {
  /** m × k, row-major, columns already centred over rows when there is an intercept. */
  A: Float64Array;
  b: Float64Array;
  m: number;
  k: number;
  zeta: number;
}

/** Centre the columns of A (m × k) and b over rows: the intercept profiled out. */
export function weightProblem(A: Float64Array, b: Float64Array, m: number, k: number, zeta: number, intercept = true): WeightProblem {
  const a = Float64Array.from(A),
    bb = Float64Array.from(b);
  if (intercept) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += a[r * k + j];
      for (let r = 0; r < m; r++) a[r * k + j] -= s / m;
    }
    let s = 0;
    for (let r = 0; r < m; r++) s += bb[r];
    for (let r = 0; r < m; r++) bb[r] -= s / m;
  }
  return { A: a, b: bb, m, k, zeta };
}

/** The objective ζ²‖x‖² + ‖Ax − b‖²/m. */
export function objective(p: WeightProblem, x: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < p.m; r++) {
    let v = -p.b[r];
    for (let j = 0; j < p.k; j++) v += p.A[r * p.k + j] * x[j];
    s += v * v;
  }
  let q = 0;
  for (let j = 0; j < p.k; j++) q += x[j] * x[j];
  return p.zeta * p.zeta * q + s / p.m;
}

/** The gradient 2[A'(Ax − b)/m + ζ²x]. */
export function gradient(p: WeightProblem, x: ArrayLike<number>): Float64Array {
  const r = new Float64Array(p.m);
  for (let i = 0; i < p.m; i++) {
    let v = -p.b[i];
    for (let j = 0; j < p.k; j++) v += p.A[i * p.k + j] * x[j];
    r[i] = v;
  }
  const g = new Float64Array(p.k);
  for (let j = 0; j < p.k; j++) {
    let v = 0;
    for (let i = 0; i < p.m; i++) v += p.A[i * p.k + j] * r[i];
    g[j] = 2 * (v / p.m + p.zeta * p.zeta * x[j]);
  }
  return g;
}

/** synthdid's Frank–Wolfe (sc.weight.fw): exact line search, stop on a decrease below minDecrease². */
export function frankWolfe(p: WeightProblem, start: Float64Array, minDecrease: number, maxIter: number): Float64Array {
  const { A, b, m, k } = p;
  const eta = m * p.zeta * p.zeta;
  const x = Float64Array.from(start);
  const Ax = new Float64Array(m);
  const refresh = () => {
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j < k; j++) v += A[i * k + j] * x[j];
      Ax[i] = v;
    }
  };
  refresh();
  let prev = Infinity,
    last = Infinity;
  for (let t = 0; t < maxIter && (t < 2 || prev - last > minDecrease * minDecrease); t++) {
    // half gradient (Ax − b)'A + ηx and its smallest coordinate
    let best = 0,
      bestVal = Infinity;
    const hg = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let i = 0; i < m; i++) v += (Ax[i] - b[i]) * A[i * k + j];
      hg[j] = v + eta * x[j];
      if (hg[j] < bestVal) {
        bestVal = hg[j];
        best = j;
      }
    }
    // direction e_best − x; exact line search on the quadratic, clipped to [0, 1]
    let num = 0,
      den = 0,
      dx2 = 0;
    for (let j = 0; j < k; j++) {
      const d = (j === best ? 1 : 0) - x[j];
      num += hg[j] * d;
      dx2 += d * d;
    }
    if (dx2 > 0) {
      for (let i = 0; i < m; i++) {
        const d = A[i * k + best] - Ax[i];
        den += d * d;
      }
      const step = Math.min(1, Math.max(0, -num / (den + eta * dx2)));
      for (let j = 0; j < k; j++) x[j] += step * ((j === best ? 1 : 0) - x[j]);
      for (let i = 0; i < m; i++) Ax[i] += step * (A[i * k + best] - Ax[i]);
    }
    prev = last;
    // The objective from Ax: O(m + k), not another pass over A.
    let r2 = 0,
      x2 = 0;
    for (let i = 0; i < m; i++) r2 += (Ax[i] - b[i]) ** 2;
    for (let j = 0; j < k; j++) x2 += x[j] * x[j];
    last = p.zeta * p.zeta * x2 + r2 / m;
  }
  return x;
}

/** synthdid's sparsify_function: weights ≤ max/4 set to 0, the rest renormalised. */
export function sparsify(x: Float64Array): Float64Array {
  const mx = Math.max(...x);
  const y = Float64Array.from(x, (v) => (v <= mx / 4 ? 0 : v));
  const s = y.reduce((a, v) => a + v, 0);
  return y.map((v) => v / s);
}

/** synthdid's default path: 100 Frank–Wolfe steps from uniform, sparsify, then up to maxIter more. */
export function synthdidWeights(p: WeightProblem, minDecrease: number, maxIter = 10_000, start?: Float64Array): Float64Array {
  const x0 = start ?? new Float64Array(p.k).fill(1 / p.k);
  const pre = frankWolfe(p, x0, minDecrease, 100);
  return frankWolfe(p, sparsify(pre), minDecrease, maxIter);
}

/**
 * The exact minimiser over the simplex by a primal active-set method: on the support S solve
 * [H_SS 1; 1' 0][x_S; −ν] = [−c_S; 1] (H = 2(A'A/m + ζ²I), c = −2A'b/m); step back to feasibility when
 * a weight turns negative (dropping it), else add the coordinate whose gradient is most below ν. Starts
 * from uniform weights on the full support. Stops
 * when x ≥ 0 and ∇_j ≥ ν for all j ∉ S (the KKT conditions).
 */
export function exactSimplexQp(p: WeightProblem, tol = 1e-13): Float64Array {
  const { A, b, m, k } = p;
  const H = new Float64Array(k * k),
    c = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let l = 0; l <= j; l++) {
      let v = 0;
      for (let i = 0; i < m; i++) v += A[i * k + j] * A[i * k + l];
      H[j * k + l] = H[l * k + j] = (2 * v) / m;
    }
    H[j * k + j] += 2 * p.zeta * p.zeta;
    let v = 0;
    for (let i = 0; i < m; i++) v += A[i * k + j] * b[i];
    c[j] = (-2 * v) / m;
  }
  const grad = (x: Float64Array) =>
    Float64Array.from({ length: k }, (_, j) => {
      let v = c[j];
      for (let l = 0; l < k; l++) v += H[j * k + l] * x[l];
      return v;
    });
  // Start from uniform weights with every coordinate free: the ridge term makes ω dense, so the first
  // KKT solve often is the answer; negative coordinates are then dropped one step at a time.
  const x = new Float64Array(k).fill(1 / k);
  let S = [...Array(k).keys()];
  const scale = Math.max(1e-300, ...Array.from(H, Math.abs), ...Array.from(c, Math.abs));
  for (let iter = 0; iter < 50 * k + 100; iter++) {
    const s = S.length;
    // KKT system on S.
    const M = new Float64Array((s + 1) * (s + 1)),
      r = new Float64Array(s + 1);
    for (let a = 0; a < s; a++) {
      for (let bb = 0; bb < s; bb++) M[a * (s + 1) + bb] = H[S[a] * k + S[bb]];
      M[a * (s + 1) + s] = 1;
      M[s * (s + 1) + a] = 1;
      r[a] = -c[S[a]];
    }
    r[s] = 1;
    const z = solveDense(M, r, s + 1);
    if (!z) throw new Error('synthdid weights: singular KKT system on the support');
    const zs = z.slice(0, s);
    if (zs.every((v) => v > 0)) {
      x.fill(0);
      S.forEach((j, a) => {
        x[j] = zs[a];
      });
      const g = grad(x);
      const nu = S.reduce((acc, j) => acc + g[j], 0) / s;
      let add = -1,
        worst = -tol * scale;
      for (let j = 0; j < k; j++) {
        if (S.includes(j)) continue;
        if (g[j] - nu < worst) {
          worst = g[j] - nu;
          add = j;
        }
      }
      if (add < 0) return x;
      S = [...S, add];
      continue;
    }
    // Step from x toward z until the first weight reaches 0; drop it.
    let alpha = 1,
      drop = -1;
    S.forEach((j, a) => {
      if (zs[a] <= 0) {
        const al = x[j] / (x[j] - zs[a]);
        if (al < alpha) {
          alpha = al;
          drop = j;
        }
      }
    });
    S.forEach((j, a) => {
      x[j] += alpha * (zs[a] - x[j]);
    });
    S = S.filter((j) => j !== drop && x[j] > 0);
    if (S.length === 0) throw new Error('synthdid weights: the active set emptied');
  }
  throw new Error('synthdid weights: the active-set method did not converge');
}

/** Gaussian elimination with partial pivoting (the small KKT systems). */
function solveDense(M: Float64Array, r: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(M),
    x = Float64Array.from(r);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]) > Math.abs(a[piv * n + col])) piv = row;
    if (a[piv * n + col] === 0) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) [a[col * n + j], a[piv * n + j]] = [a[piv * n + j], a[col * n + j]];
      [x[col], x[piv]] = [x[piv], x[col]];
    }
    for (let row = col + 1; row < n; row++) {
      const f = a[row * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let j = col; j < n; j++) a[row * n + j] -= f * a[col * n + j];
      x[row] -= f * x[col];
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let v = x[row];
    for (let j = row + 1; j < n; j++) v -= a[row * n + j] * x[j];
    x[row] = v / a[row * n + row];
  }
  return x;
}
