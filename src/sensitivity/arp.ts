/**
 * The conditional test of moment inequalities with nuisance parameters of Andrews, Roth & Pakes
 * (2023, "Inference for Linear Conditional Moment Inequalities", ReStud; ARP), as HonestDiD applies it
 * to a restriction Δ = {δ : Aδ ≤ d} (Rambachan & Roth 2023, sec. 4 and appendix), and the test
 * inversion over a grid of θ that gives the robust confidence set.
 *
 * The null H0: ∃ τ̃ with E[y − X τ̃] ≤ 0, y ~ N(μ, Σ). The statistic is η̂ = min_{η,τ̃} η s.t.
 * y − Xτ̃ ≤ η·sd(y) (ARP eq. 12); its dual vertex γ̂ (γ ≥ 0, sd'γ = 1, X'γ = 0) selects the binding
 * moments. Conditional on γ̂ and on S = y − Σγ̂(γ̂'Σγ̂)⁻¹γ̂'y, η̂ = γ̂'y is normal truncated to
 * [v_lo, v_up] (ARP Lemma 9 / Proposition 5), so the critical value is max(0, the 1 − α quantile of that
 * truncated normal). The least-favourable hybrid (ARP sec. 6.2) first rejects when η̂ exceeds the
 * 1 − κ quantile of η̂ under μ = 0 (simulated), and otherwise runs the conditional test at size
 * (α − κ)/(1 − κ) with v_up capped at that critical value. The FLCI hybrid (for Δ^SD) is the same
 * with the FLCI's acceptance region as the first stage.
 *
 * Every number that HonestDiD's implementation fixes (the tolerances of the binding-moment count and
 * of the v_lo/v_up bisection, 1000 simulations, the grid) is kept, because the printed bounds are grid
 * points that depend on them.
 */
import { solveLp } from '../linalg/lp.js';
import { invert } from '../linalg/small.js';
import { symEigen } from '../linalg/sym-eigen.js';
import { standardNormal } from '../random/normal.js';
import type { Rng } from '../random/stream.js';
import { pnorm, qnorm } from '../stats/normal.js';

/** The first-stage test of a hybrid, and the conditional test's size. */
export type Hybrid =
  | { kind: 'arp' }
  /** Least favourable: lfCv is the simulated 1 − κ quantile of η̂ under μ = 0 (leastFavorableCv). */
  | { kind: 'lf'; kappa: number; lfCv: number }
  /**
   * FLCI (Δ^SD's c-f): reject when max(vbarMat·y − dbar) > 0 with vbarMat = [v̄'; −v̄'], then
   * condition on not having rejected. dbar is per θ (arpConfidenceSet computes it from halfLength).
   */
  | { kind: 'flci'; kappa: number; vbar: number[]; dbar: [number, number] };

export interface ArpTestResult {
  reject: boolean;
  /** η̂; null when the LP failed (then the test does not reject, as HonestDiD). */
  eta: number | null;
}

/** Tolerance on the dual weights that count a moment as binding (HonestDiD: 1e-6). */
const TOL_LAMBDA = 1e-6;
/** Simulations for the least-favourable critical value (HonestDiD: sims = 1000). */
export const LF_SIMULATIONS = 1000;

/**
 * min η s.t. y − Xτ̃ ≤ η·sd, (η, τ̃) free: η̂, τ̃, and the dual vertex γ̂ (ARP eq. 12). Solved as its
 * dual, max γ'y s.t. sd'γ = 1, X'γ = 0, γ ≥ 0 (ARP eq. 13): (k + 1) rows instead of one per moment,
 * and the vertex γ̂ is its solution; (η̂, τ̃) are the dual's equality multipliers.
 */
export function etaLp(
  y: ArrayLike<number>,
  x: number[][],
  sd: ArrayLike<number>,
): { eta: number; lambda: number[]; delta: number[] } | null {
  const m = y.length;
  const k = m > 0 ? x[0].length : 0;
  const aEq: number[][] = [Array.from(sd)];
  for (let j = 0; j < k; j++) aEq.push(x.map((row) => row[j]));
  const bEq = new Array<number>(k + 1).fill(0);
  bEq[0] = 1;
  const r = solveLp({ c: Array.from(y), aEq, bEq, maximize: true });
  // Dual infeasible: η̂ = −∞ (the primal is unbounded); dual unbounded cannot happen (η is free).
  if (r.status !== 'optimal') return null;
  // For min −y'γ: −y + Wμ = ν ≥ 0, so y_i ≤ sd_i·μ_0 + X_i·μ_{1..}: η = μ_0, τ̃ = μ_{1..}.
  return { eta: r.value!, lambda: r.x!, delta: r.dualEq!.slice(1) };
}

/**
 * The 1 − p quantile... precisely: the p quantile of N(0,1) truncated to [l, u], computed in the tail
 * that keeps precision (TruncatedNormal::norminvp's job in HonestDiD).
 */
export function truncatedNormalQuantile(p: number, l: number, u: number): number {
  if (!(u > l)) return l;
  if (l > 0) {
    // Upper tail: Q(x) = 1 − Φ(x) = Φ(−x) keeps digits where Φ rounds to 1.
    const ql = pnorm(-l);
    const qu = pnorm(-u);
    if (ql > 1e-300) {
      const q = ql - p * (ql - qu);
      if (q > 0) return -qnorm(Math.min(q, 1 - 1e-16));
    }
    // Far tail: the truncated normal is ≈ l + Exp(rate l) (Mills ratio), truncated at u − l.
    const w = 1 - Math.exp(-l * (u - l));
    return l - Math.log(1 - p * w) / l;
  }
  if (u < 0) return -truncatedNormalQuantile(1 - p, -u, -l);
  const pl = pnorm(l);
  const pu = pnorm(u);
  const q = pl + p * (pu - pl);
  if (q <= 0) return l;
  if (q >= 1) return u;
  return qnorm(q);
}

function matVecN(a: number[][], v: ArrayLike<number>): number[] {
  return a.map((row) => {
    let s = 0;
    for (let j = 0; j < row.length; j++) s += row[j] * v[j];
    return s;
  });
}

function quadForm(a: number[][], v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) continue;
    let r = 0;
    for (let j = 0; j < v.length; j++) r += a[i][j] * v[j];
    s += v[i] * r;
  }
  return s;
}

/** Numerical rank of a rows × cols matrix by Gaussian elimination with full pivoting. */
function rank(a: number[][]): number {
  const rows = a.length;
  if (rows === 0) return 0;
  const cols = a[0].length;
  const m = a.map((r) => r.slice());
  let scale = 0;
  for (const r of m) for (const v of r) scale = Math.max(scale, Math.abs(v));
  // Matrix::rankMatrix's default: tol = max(dim)·eps·(largest singular value) — the entry scale stands in.
  const tol = Math.max(rows, cols) * 2.220446049250313e-16 * scale * Math.sqrt(rows * cols);
  let rk = 0;
  const usedRow = new Array<boolean>(rows).fill(false);
  const usedCol = new Array<boolean>(cols).fill(false);
  for (let step = 0; step < Math.min(rows, cols); step++) {
    let bi = -1;
    let bj = -1;
    let best = tol;
    for (let i = 0; i < rows; i++) {
      if (usedRow[i]) continue;
      for (let j = 0; j < cols; j++) {
        if (usedCol[j]) continue;
        if (Math.abs(m[i][j]) > best) {
          best = Math.abs(m[i][j]);
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    usedRow[bi] = true;
    usedCol[bj] = true;
    rk++;
    for (let i = 0; i < rows; i++) {
      if (usedRow[i]) continue;
      const f = m[i][bj] / m[bi][bj];
      for (let j = 0; j < cols; j++) m[i][j] -= f * m[bi][j];
    }
  }
  return rk;
}

/**
 * v_lo and v_up of the dual approach (ARP appendix D, Algorithm 1, as HonestDiD's bisection): the
 * range of c for which γ̂ stays optimal, i.e. max_{γ ∈ dual polytope} γ'(s + b·c) = c, b = Σγ̂/(γ̂'Σγ̂).
 */
function vloVupDual(eta: number, s: number[], gamma: number[], sigma: number[][], w: number[][]): { vlo: number; vup: number } {
  const tolC = 1e-6;
  const tolEq = 1e-6;
  const sg = matVecN(sigma, gamma);
  const gsg = quadForm(sigma, gamma);
  const b = sg.map((v) => v / gsg);
  const sigmaB = Math.sqrt(gsg);
  const lowInitial = Math.min(-100, eta - 20 * sigmaB);
  const highInitial = Math.max(100, eta + 20 * sigmaB);
  const maxIters = 10000;
  const switchIters = 10;
  const m = s.length;
  const ncol = w[0].length;
  // Equality constraints Wᵀγ = e₁ (sd'γ = 1, X'γ = 0), γ ≥ 0.
  const aEq: number[][] = [];
  for (let j = 0; j < ncol; j++) aEq.push(w.map((row) => row[j]));
  const bEq = new Array<number>(ncol).fill(0);
  bEq[0] = 1;
  const check = (c: number): { ok: boolean; sol: number[] | null } => {
    const f = s.map((v, i) => v + b[i] * c);
    const r = solveLp({ c: f, aEq, bEq, maximize: true });
    if (r.status !== 'optimal') return { ok: false, sol: null };
    return { ok: Math.abs(c - r.value!) <= tolEq, sol: r.x };
  };
  const roundEps = (x: number) => (Math.abs(x) < 2.220446049250313e-16 ** 0.75 ? 0 : x);
  const dot = (a: ArrayLike<number>, v: ArrayLike<number>) => {
    let t = 0;
    for (let i = 0; i < m; i++) t += a[i] * v[i];
    return t;
  };
  if (!check(eta).ok) return { vlo: eta, vup: Number.POSITIVE_INFINITY };

  const side = (start: number, up: boolean): number => {
    let lp = check(start);
    if (lp.ok) return up ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    // The fixed-point shortcut: on the current vertex the maximum is a + b'c, solved for a + b'c = c.
    let dif = 0;
    let iters = 1;
    let mid = lp.sol ? roundEps(dot(lp.sol, s)) / (1 - dot(lp.sol, b)) : start;
    while (!(lp = check(mid)).ok && iters < maxIters) {
      iters++;
      if (iters >= switchIters) {
        dif = tolC + 1;
        break;
      }
      mid = lp.sol ? roundEps(dot(lp.sol, s)) / (1 - dot(lp.sol, b)) : mid;
    }
    // Bisection between eta (a solution) and mid (not one).
    let lo = up ? eta : mid;
    let hi = up ? mid : eta;
    while (dif > tolC && iters < maxIters) {
      iters++;
      mid = 0.5 * (lo + hi);
      const ok = check(mid).ok;
      if (up) {
        if (ok) lo = mid;
        else hi = mid;
      } else if (ok) hi = mid;
      else lo = mid;
      dif = hi - lo;
    }
    return mid;
  };
  const vup = side(highInitial, true);
  const vlo = side(lowInitial, false);
  return { vlo, vup };
}

/**
 * The ARP test (with hybrid first stage) of E[y − Xτ̃] ≤ 0 for some τ̃, given y ~ N(μ, Σ).
 * `rows` selects the moments the conditional test uses (HonestDiD's rowsForARP); the FLCI first stage
 * uses all of y.
 */
export function arpTest(y: number[], x: number[][], sigma: number[][], alpha: number, hybrid: Hybrid, rows?: number[]): ArpTestResult {
  const sel = rows ?? y.map((_, i) => i);
  const yA = sel.map((i) => y[i]);
  const xA = sel.map((i) => x[i]);
  const sA = sel.map((i) => sel.map((j) => sigma[i][j]));
  const m = sel.length;
  const k = m > 0 ? xA[0].length : 0;
  const sd = sA.map((row, i) => Math.sqrt(row[i]));
  const lin = etaLp(yA, xA, sd);
  if (lin === null) return { reject: false, eta: null };
  const eta = lin.eta;

  let modSize = alpha;
  if (hybrid.kind === 'lf') {
    modSize = (alpha - hybrid.kappa) / (1 - hybrid.kappa);
    if (eta > hybrid.lfCv) return { reject: true, eta };
  } else if (hybrid.kind === 'flci') {
    modSize = (alpha - hybrid.kappa) / (1 - hybrid.kappa);
    let vy = 0;
    for (let i = 0; i < y.length; i++) vy += hybrid.vbar[i] * y[i];
    if (Math.max(vy - hybrid.dbar[0], -vy - hybrid.dbar[1]) > 0) return { reject: true, eta };
  }

  const lambda = lin.lambda;
  const binding = lambda.map((l) => l > TOL_LAMBDA);
  const nB = binding.filter(Boolean).length;
  const degenerate = nB !== k + 1;
  const xB = xA.filter((_, i) => binding[i]);
  const fullRank = xB.length > 0 && k > 0 ? rank(xB) === Math.min(xB.length, k) : false;

  // The FLCI first stage's bounds on the conditioning direction γ (full length), as HonestDiD's
  // .FLCI_computeVloVup: with c = Σγ/(γ'Σγ), S = y − c γ'y, the event |v̄'y| ≤ half-length bounds γ'y.
  const flciBounds = (gammaA: number[]): { vlo: number; vup: number } => {
    if (hybrid.kind !== 'flci') return { vlo: Number.NEGATIVE_INFINITY, vup: Number.POSITIVE_INFINITY };
    const g = new Array<number>(y.length).fill(0);
    sel.forEach((i, a) => {
      g[i] = gammaA[a];
    });
    const sg = matVecN(sigma, g);
    const gsg = quadForm(sigma, g);
    const cvec = sg.map((v) => v / gsg);
    let gy = 0;
    for (let i = 0; i < y.length; i++) gy += g[i] * y[i];
    const sVec = y.map((v, i) => v - cvec[i] * gy);
    let vs = 0;
    let vc = 0;
    for (let i = 0; i < y.length; i++) {
      vs += hybrid.vbar[i] * sVec[i];
      vc += hybrid.vbar[i] * cvec[i];
    }
    const num = [hybrid.dbar[0] - vs, hybrid.dbar[1] + vs];
    const den = [vc, -vc];
    let vlo = Number.NEGATIVE_INFINITY;
    let vup = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 2; r++) {
      if (den[r] < 0) vlo = Math.max(vlo, num[r] / den[r]);
      if (den[r] > 0) vup = Math.min(vup, num[r] / den[r]);
    }
    return { vlo, vup };
  };

  const decide = (maxstat: number, zlo: number, zup: number): ArpTestResult => {
    if (!(zlo <= maxstat && maxstat <= zup)) return { reject: false, eta };
    const cval = Math.max(0, truncatedNormalQuantile(1 - modSize, zlo, zup));
    return { reject: maxstat > cval, eta };
  };

  if (!fullRank || degenerate) {
    // Dual approach (ARP appendix D): condition on the dual vertex γ̂ = λ.
    const gamma = lambda;
    const gsg = quadForm(sA, gamma);
    if (Math.abs(gsg) < 2.220446049250313e-16) return { reject: eta > 0, eta };
    const sg = matVecN(sA, gamma);
    let gy = 0;
    for (let i = 0; i < m; i++) gy += gamma[i] * yA[i];
    const s = yA.map((v, i) => v - (sg[i] / gsg) * gy);
    const w = xA.map((row, i) => [sd[i], ...row]);
    const v = vloVupDual(eta, s, gamma, sA, w);
    const sigmaB = Math.sqrt(gsg);
    let vlo = v.vlo;
    let vup = v.vup;
    if (hybrid.kind === 'lf') vup = Math.min(vup, hybrid.lfCv);
    else if (hybrid.kind === 'flci') {
      const f = flciBounds(gamma);
      vlo = Math.max(vlo, f.vlo);
      vup = Math.min(vup, f.vup);
    }
    return decide(eta / sigmaB, vlo / sigmaB, vup / sigmaB);
  }

  // Primal approach (ARP sec. 5.2): the k + 1 binding moments B determine (η̂, τ̃) = W_B⁻¹ y_B.
  const bIdx: number[] = [];
  const cIdx: number[] = [];
  binding.forEach((b, i) => (b ? bIdx : cIdx).push(i));
  const nb = bIdx.length; // = k + 1
  const wB = new Float64Array(nb * nb);
  bIdx.forEach((i, r) => {
    wB[r * nb] = sd[i];
    for (let j = 0; j < k; j++) wB[r * nb + j + 1] = xA[i][j];
  });
  const wBinv = invert(wB, nb);
  if (wBinv === null) return { reject: false, eta };
  // v_B = e₁'W_B⁻¹ S_B (the weights that give η̂ = v_B'y), Γ_B = W_Bc W_B⁻¹ S_B − S_Bc.
  const vB = new Array<number>(m).fill(0);
  bIdx.forEach((i, r) => {
    vB[i] = wBinv[r];
  });
  const sigma2B = quadForm(sA, vB);
  const sigmaB = Math.sqrt(sigma2B);
  const svB = matVecN(sA, vB);
  let vBy = 0;
  for (let i = 0; i < m; i++) vBy += vB[i] * yA[i];
  let vlo = Number.NEGATIVE_INFINITY;
  let vup = Number.POSITIVE_INFINITY;
  for (const c of cIdx) {
    // Row of Γ_B for the slack moment c: coefficients on the binding moments minus e_c.
    const wc = [sd[c], ...xA[c]];
    const gRow = new Array<number>(m).fill(0);
    for (let r = 0; r < nb; r++) {
      let coef = 0;
      for (let j = 0; j < nb; j++) coef += wc[j] * wBinv[j * nb + r];
      gRow[bIdx[r]] += coef;
    }
    gRow[c] -= 1;
    let rho = 0;
    let gy = 0;
    for (let i = 0; i < m; i++) {
      rho += gRow[i] * svB[i];
      gy += gRow[i] * yA[i];
    }
    rho /= sigma2B;
    const bound = -gy / rho + vBy;
    if (rho > 0) vlo = Math.max(vlo, bound);
    else if (rho < 0) vup = Math.min(vup, bound);
  }
  if (hybrid.kind === 'lf') vup = Math.min(vup, hybrid.lfCv);
  else if (hybrid.kind === 'flci') {
    const f = flciBounds(vB);
    vlo = Math.max(vlo, f.vlo);
    vup = Math.min(vup, f.vup);
  }
  return decide(eta / sigmaB, vlo / sigmaB, vup / sigmaB);
}

/**
 * The symmetric PSD square root R = V·diag(√max(λ, 0))·Vᵀ (Σ = R R), as mvtnorm::rmvnorm's default
 * method "eigen" builds it: a draw is then ξ = R z, so a given z gives the same ξ as R's
 * `rnorm(m) %*% R` (R symmetric), not merely the same law.
 */
function psdRoot(sigma: number[][]): Float64Array {
  const n = sigma.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (sigma[i][j] + sigma[j][i]);
  const { values, vectors } = symEigen(a, n);
  const sq = Array.from(values, (v) => Math.sqrt(Math.max(0, v)));
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += vectors[i * n + k] * sq[k] * vectors[j * n + k];
      r[i * n + j] = v;
    }
  }
  return r;
}

/** R's default quantile (type 7) of the sorted values. */
function quantile7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Where the least-favourable simulation takes its standard normals: `draw(s, z)` fills z with the
 * m independent N(0, 1) of simulation s (0-based), m = the number of moments. The product takes them
 * in order from its seeded stream (streamNormals); a parity test can hand in R's own draws instead.
 */
export type LfNormals = (draw: number, z: Float64Array) => void;

/** Consecutive standard normals from `rng`, whatever the draw's index. */
export function streamNormals(rng: Rng): LfNormals {
  return (_draw, z) => {
    for (let i = 0; i < z.length; i++) z[i] = standardNormal(rng);
  };
}

/**
 * The least-favourable critical value (ARP sec. 6.2): the 1 − κ quantile (R's type 7) of η̂ when
 * μ = 0, over `sims` draws ξ = R z ~ N(0, Σ) with R the symmetric root of Σ (mvtnorm's "eigen") and
 * z from `normals` (HonestDiD: 1000 draws; which of R's normals it uses depends on its version, see
 * test-reference/sensitivity/relative-magnitudes-r-stream.test.ts). Draws whose LP fails are
 * dropped (HonestDiD's na.rm = TRUE).
 */
export function leastFavorableCv(
  normals: LfNormals,
  x: number[][],
  sigma: number[][],
  kappa: number,
  rows?: number[],
  sims = LF_SIMULATIONS,
): number {
  const sel = rows ?? sigma.map((_, i) => i);
  const sA = sel.map((i) => sel.map((j) => sigma[i][j]));
  const xA = sel.map((i) => x[i]);
  const m = sel.length;
  const sd = sA.map((row, i) => Math.sqrt(row[i]));
  const root = psdRoot(sA);
  const z = new Float64Array(m);
  const xi = new Array<number>(m);
  const etas: number[] = [];
  for (let s = 0; s < sims; s++) {
    normals(s, z);
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j < m; j++) v += root[i * m + j] * z[j];
      xi[i] = v;
    }
    const r = etaLp(xi, xA, sd);
    if (r !== null) etas.push(r.eta);
  }
  etas.sort((a, b) => a - b);
  return quantile7(etas, 1 - kappa);
}

/** The grid HonestDiD tests over: seq(lb, ub, length.out = points). */
export function thetaGrid(lb: number, ub: number, points: number): number[] {
  if (points === 1) return [lb];
  const by = (ub - lb) / (points - 1);
  return Array.from({ length: points }, (_, i) => (i === points - 1 ? ub : lb + i * by));
}

/**
 * The invertible Γ whose first row is l' (HonestDiD's .construct_Gamma: l and the unit vectors that
 * the reduced row echelon form of [l I] picks, i.e. every e_j but the one of l's last non-zero entry).
 */
export function constructGamma(l: number[]): number[][] {
  let q = -1;
  for (let j = 0; j < l.length; j++) if (l[j] !== 0) q = j;
  if (q < 0) throw new RangeError('l_vec is zero');
  const rows: number[][] = [l.slice()];
  for (let j = 0; j < l.length; j++) {
    if (j === q) continue;
    const e = new Array<number>(l.length).fill(0);
    e[j] = 1;
    rows.push(e);
  }
  return rows;
}

export interface ArpCiInput {
  betahat: number[];
  sigma: number[][];
  numPre: number;
  numPost: number;
  lVec: number[];
  /** Δ = {δ : Aδ ≤ d}, A with numPre + numPost columns. */
  a: number[][];
  d: number[];
  alpha: number;
  /** 'arp', or 'lf' with κ (the critical value is simulated here from rng), or 'flci' with κ, v̄, half-length. */
  hybrid: { kind: 'arp' } | { kind: 'lf'; kappa: number } | { kind: 'flci'; kappa: number; vbar: number[]; halfLength: number };
  grid: { lb: number; ub: number; points: number };
  /** Moments the conditional test uses (HonestDiD's rowsForARP); default all. */
  rows?: number[];
  /** Grid points already accepted elsewhere (a union of sets): not tested, reported as accepted. */
  skip?: readonly boolean[];
  /** The least-favourable simulation's normals; default streamNormals(rng). */
  lfNormals?: LfNormals;
}

/**
 * The ARP confidence set for θ = l'τ_post (HonestDiD's .ARP_computeCI): accept/reject at each θ of the
 * grid of the moments y(θ) = Aβ̂ − d − (AΓ⁻¹)₁θ − (AΓ⁻¹)₋₁τ̃ ≤ 0, the nuisance τ̃ the other post-period
 * coordinates after the change of basis Γ. Returns the grid and the acceptances.
 */
export function arpConfidenceSet(rng: Rng, inp: ArpCiInput): { grid: number[]; accept: boolean[] } {
  const { betahat, sigma, numPre, numPost, lVec, a, d, alpha } = inp;
  const T = numPre + numPost;
  const gamma = constructGamma(lVec);
  const gFlat = new Float64Array(numPost * numPost);
  for (let i = 0; i < numPost; i++) for (let j = 0; j < numPost; j++) gFlat[i * numPost + j] = gamma[i][j];
  const gInv = invert(gFlat, numPost);
  if (gInv === null) throw new RangeError('Gamma is singular');
  const nRow = a.length;
  const aGInv: number[][] = a.map((row) => {
    const out = new Array<number>(numPost).fill(0);
    for (let j = 0; j < numPost; j++) {
      let s = 0;
      for (let t = 0; t < numPost; t++) s += row[numPre + t] * gInv[t * numPost + j];
      out[j] = s;
    }
    return out;
  });
  const one = aGInv.map((r) => r[0]);
  const xT = aGInv.map((r) => r.slice(1));
  const y0 = a.map((row, i) => {
    let s = -d[i];
    for (let t = 0; t < T; t++) s += row[t] * betahat[t];
    return s;
  });
  // Σ_Y = A Σ Aᵀ.
  const as = a.map((row) => {
    const out = new Array<number>(T).fill(0);
    for (let j = 0; j < T; j++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += row[t] * sigma[t][j];
      out[j] = s;
    }
    return out;
  });
  const sigmaY: number[][] = as.map((r) => a.map((row) => r.reduce((s, v, t) => s + v * row[t], 0)));

  let hybrid: Hybrid = { kind: 'arp' };
  const h = inp.hybrid;
  if (h.kind === 'lf') {
    hybrid = { kind: 'lf', kappa: h.kappa, lfCv: leastFavorableCv(inp.lfNormals ?? streamNormals(rng), xT, sigmaY, h.kappa, inp.rows) };
  }

  const grid = thetaGrid(inp.grid.lb, inp.grid.ub, inp.grid.points);
  const accept = grid.map((theta, gi) => {
    if (inp.skip?.[gi]) return true;
    const y = new Array<number>(nRow);
    for (let i = 0; i < nRow; i++) y[i] = y0[i] - one[i] * theta;
    let hy: Hybrid = hybrid;
    if (h.kind === 'flci') {
      // HonestDiD's dbar: half-length ∓ v̄'d ± (1 − v̄'(AΓ⁻¹)₁)θ.
      let vd = 0;
      let vOne = 0;
      for (let i = 0; i < nRow; i++) {
        vd += h.vbar[i] * d[i];
        vOne += h.vbar[i] * one[i];
      }
      hy = {
        kind: 'flci',
        kappa: h.kappa,
        vbar: h.vbar,
        dbar: [h.halfLength - vd + (1 - vOne) * theta, h.halfLength + vd - (1 - vOne) * theta],
      };
    }
    return !arpTest(y, xT, sigmaY, alpha, hy, inp.rows).reject;
  });
  return { grid, accept };
}
