/**
 * The profiled REML criterion of the Hussey & Hughes (2007) model on cluster-period cells, for given
 * variance ratios, and the GLS fit at them.
 *
 * Cell means of cluster j: ȳ_j = X_j b + e_j, Var(ȳ_j) = V_j = σ² H_j with
 *   H_j = D_j + a·I + ψ·S_j,   D_j = diag(1/n_jt) (means weighted by people; I without cell sizes),
 *   S_j = J (exchangeable: cluster random intercept, τ² = ψσ²) or S_j[s,t] = r^|s−t| (Kasza et al. 2019
 *   decay, τ² = ψσ²), a = ω²/σ² (block exchangeable: cluster-period effects, Hooper et al. 2016).
 * X = [period dummies, treatment indicator] (μ + β_t as one dummy per period).
 *
 * Individual level from cells alone. With y_ijt = x_jt'b + α_j + γ_jt + e_ijt the design is constant
 * within a cell, so an orthogonal (Helmert) rotation of each cell's n_jt values splits them into
 * √n_jt·ȳ_jt and n_jt − 1 contrasts that have mean 0, no random effect and variance σ², independent of
 * everything else. Hence, with N people, C cells and the pooled within-cell SS W = Σ_jt Σ_i (y_ijt − ȳ_jt)²:
 *   −2ℓ_R = (N − p) log 2π + Σ_j log|V_j| + Σ_jt log n_jt + (N − C) log σ² + W/σ²
 *           + log|Σ_j X_j'V_j⁻¹X_j| + Σ_j r_j'V_j⁻¹r_j,
 * (X'V⁻¹X of the persons equals that of the cell means: the rotation is orthogonal and the contrasts
 * carry no fixed effects), i.e. the cell-mean REML likelihood with the within-cell χ² term added.
 * Writing V_j = σ²H_j and profiling σ² (σ̂² = (Q + W)/(N − p), Q = Σ r_j'H_j⁻¹r_j at the GLS b):
 *   −2ℓ_R = (N − p)(1 + log 2π + log σ̂²) + Σ_j log|H_j| + log|M| + Σ log n_jt,   M = Σ_j X_j'H_j⁻¹X_j.
 * The means model (data: means) is the same with N → C, W = 0 and no Σ log n term (nlme's varFixed(~1/n)).
 *
 * Per cluster H_j⁻¹ costs O(T²) for S = J (Sherman–Morrison: H⁻¹ = A⁻¹ − c·A⁻¹11'A⁻¹, A = D + aI,
 * c = ψ/(1 + ψ·1'A⁻¹1), log|H| = log|A| + log(1 + ψ·1'A⁻¹1)) and for decay through the tridiagonal
 * inverse of the AR(1) correlation (decayInverse).
 */
import { cholesky } from '../../linalg/small.js';
import type { HhCells } from './cells.js';

/** Variance ratios to σ²: ψ = τ²/σ², a = ω²/σ², r = decay correlation (1 = exchangeable, S = J). */
export interface Ratios {
  psi: number;
  a: number;
  r: number;
}

export interface RemlFit {
  /** Profiled −2ℓ_R (the constant-free part that is minimised). */
  crit: number;
  /** −2ℓ_R in full (lme4's REML deviance). */
  deviance: number;
  sigma2: number;
  /** The treatment coefficient and its model-based variance σ̂²·(M⁻¹)_θθ. */
  theta: number;
  varTheta: number;
}

/** Scratch arrays sized once per panel shape. */
export class RemlWork {
  readonly p: number;
  readonly M: Float64Array;
  readonly L: Float64Array;
  readonly g: Float64Array;
  readonly b: Float64Array;
  readonly H: Float64Array;
  readonly Hinv: Float64Array;
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly qd: Float64Array;
  readonly qo: Float64Array;
  readonly ld: Float64Array;
  readonly lo: Float64Array;
  constructor(
    readonly cells: HhCells,
    readonly individual: boolean,
  ) {
    const p = cells.P + 1;
    const m = cells.maxCells;
    this.p = p;
    this.M = new Float64Array(p * p);
    this.L = new Float64Array(p * p);
    this.g = new Float64Array(p);
    this.b = new Float64Array(p);
    this.H = new Float64Array(m * m);
    this.Hinv = new Float64Array(m * m);
    this.u = new Float64Array(m);
    this.v = new Float64Array(m);
    this.w = new Float64Array(m);
    this.qd = new Float64Array(m);
    this.qo = new Float64Array(m);
    this.ld = new Float64Array(m);
    this.lo = new Float64Array(m);
  }
}

/**
 * H_j⁻¹ (m × m, row-major in ws.Hinv) and log|H_j| for decay (r < 1), in O(m²): the AR(1) correlation
 * of the cells' periods t_1 < … < t_m has a tridiagonal inverse Q (ρ_i = r^(t_(i+1) − t_i); Q_11 =
 * 1/(1 − ρ_1²), Q_ii = 1/(1 − ρ_(i−1)²) + ρ_i²/(1 − ρ_i²), Q_mm = 1/(1 − ρ_(m−1)²), Q_(i,i+1) = −ρ_i/(1 − ρ_i²)),
 * and with A = D + aI diagonal, H = A + ψR = (AQ + ψI)R, so H⁻¹ = Q·A^½·S⁻¹·A^−½ with the SPD tridiagonal
 * S = A^½QA^½ + ψI, and log|H| = log|R| + log|S|, log|R| = Σ log(1 − ρ_i²).
 */
function decayInverse(ws: RemlWork, k0: number, m: number, q: Ratios, unitVar: boolean): number | null {
  const { n, lag } = ws.cells;
  const { Hinv, H: Z, w: sq, u: diag, v: off } = ws;
  const qd = ws.qd,
    qo = ws.qo,
    ld = ws.ld,
    lo = ws.lo;
  let logdet = 0;
  for (let i = 0; i < m; i++) sq[i] = Math.sqrt((unitVar ? 1 : 1 / n[k0 + i]) + q.a);
  for (let i = 0; i + 1 < m; i++) {
    const rho = q.r ** (lag[k0 + i + 1] - lag[k0 + i]);
    const one = 1 - rho * rho;
    logdet += Math.log(one);
    qo[i] = -rho / one;
    ld[i] = one; // 1 − ρ_i², reused below
  }
  for (let i = 0; i < m; i++) {
    const rho2 = i + 1 < m ? 1 - ld[i] : 0;
    qd[i] = (i > 0 ? 1 / ld[i - 1] : 1) + (i + 1 < m ? rho2 / ld[i] : 0);
  }
  // (Q from the density x_1² + Σ (x_(i+1) − ρ_i x_i)²/(1 − ρ_i²) of the AR(1) chain.)
  for (let i = 0; i < m; i++) {
    diag[i] = qd[i] * sq[i] * sq[i] + q.psi;
    if (i + 1 < m) off[i] = qo[i] * sq[i] * sq[i + 1];
  }
  // Cholesky of the tridiagonal S: S = L L', L bidiagonal (ld diagonal, lo sub-diagonal).
  for (let i = 0; i < m; i++) {
    const d = diag[i] - (i > 0 ? lo[i - 1] * lo[i - 1] : 0);
    if (!(d > 0)) return null;
    ld[i] = Math.sqrt(d);
    logdet += Math.log(d);
    if (i + 1 < m) lo[i] = off[i] / ld[i];
  }
  // Z = S⁻¹ column by column (forward from the column's own row, then back).
  for (let c = 0; c < m; c++) {
    let prev = 0;
    for (let i = 0; i < m; i++) {
      const b = i === c ? 1 : 0;
      const z = i < c ? 0 : (b - (i > 0 ? lo[i - 1] * prev : 0)) / ld[i];
      Z[i * m + c] = z;
      prev = z;
    }
    let next = 0;
    for (let i = m - 1; i >= 0; i--) {
      const z = (Z[i * m + c] - (i + 1 < m ? lo[i] * next : 0)) / ld[i];
      Z[i * m + c] = z;
      next = z;
    }
  }
  // H⁻¹[i,k] = Σ_l Q_il a_l^½ Z_lk / a_k^½ (Q tridiagonal).
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      let s = qd[i] * sq[i] * Z[i * m + k];
      if (i > 0) s += qo[i - 1] * sq[i - 1] * Z[(i - 1) * m + k];
      if (i + 1 < m) s += qo[i] * sq[i + 1] * Z[(i + 1) * m + k];
      Hinv[i * m + k] = s / sq[k];
    }
  }
  return logdet;
}

/**
 * The REML fit at the ratios q; null when a V_j or M is not positive definite or nothing is left for σ².
 */
export function remlAt(ws: RemlWork, q: Ratios): RemlFit | null {
  const cells = ws.cells;
  const { start, col, x, y, P } = cells;
  const p = ws.p;
  const { M, g, Hinv } = ws;
  const { n } = cells;
  M.fill(0);
  g.fill(0);
  let yy = 0,
    logdetH = 0;
  const unitVar = !cells.sized;
  for (let j = 0; j < cells.G; j++) {
    const k0 = start[j],
      m = start[j + 1] - k0;
    let xu = 0,
      xv = 0,
      yu = 0;
    if (q.r === 1) {
      // Sherman–Morrison, fused: H⁻¹ = diag(w) − c·ww', never stored.
      const w = ws.w;
      let s = 0,
        wy = 0,
        wx = 0;
      for (let k = 0; k < m; k++) {
        const A = (unitVar ? 1 : 1 / n[k0 + k]) + q.a;
        w[k] = 1 / A;
        s += w[k];
        wy += w[k] * y[k0 + k];
        wx += w[k] * x[k0 + k];
        logdetH += Math.log(A);
      }
      const c = q.psi / (1 + q.psi * s);
      logdetH += Math.log1p(q.psi * s);
      for (let k = 0; k < m; k++) {
        const wk = w[k];
        const uk = wk * (y[k0 + k] - c * wy);
        const vk = wk * (x[k0 + k] - c * wx);
        const ck = col[k0 + k] * p;
        const cw = c * wk;
        for (let l = 0; l < m; l++) M[ck + col[k0 + l]] -= cw * w[l];
        M[ck + col[k0 + k]] += wk;
        M[ck + P] += vk;
        g[col[k0 + k]] += uk;
        xu += x[k0 + k] * uk;
        xv += x[k0 + k] * vk;
        yu += y[k0 + k] * uk;
      }
    } else {
      const ld = decayInverse(ws, k0, m, q, unitVar);
      if (ld === null) return null;
      logdetH += ld;
      // u = H⁻¹ȳ, v = H⁻¹x; M and g gather X'H⁻¹X and X'H⁻¹ȳ (period dummies pick rows of H⁻¹).
      for (let k = 0; k < m; k++) {
        let su = 0,
          sv = 0;
        const row = k * m;
        const ck = col[k0 + k] * p;
        for (let l = 0; l < m; l++) {
          const h = Hinv[row + l];
          su += h * y[k0 + l];
          sv += h * x[k0 + l];
          M[ck + col[k0 + l]] += h;
        }
        xu += x[k0 + k] * su;
        xv += x[k0 + k] * sv;
        yu += y[k0 + k] * su;
        g[col[k0 + k]] += su;
        M[ck + P] += sv;
      }
    }
    M[P * p + P] += xv;
    g[P] += xu;
    yy += yu;
  }
  for (let i = 0; i < P; i++) M[P * p + i] = M[i * p + P];
  const L = cholesky(M, p, ws.L);
  if (!L) return null;
  let logdetM = 0;
  for (let i = 0; i < p; i++) logdetM += 2 * Math.log(L[i * p + i]);
  // b = M⁻¹g: forward then back substitution; Q = ȳ'H⁻¹ȳ − g'b.
  const b = ws.b;
  for (let i = 0; i < p; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * b[k];
    b[i] = s / L[i * p + i];
  }
  let gb = 0;
  for (let i = 0; i < p; i++) gb += b[i] * b[i];
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * b[k];
    b[i] = s / L[i * p + i];
  }
  const Nd = ws.individual ? cells.N : cells.C;
  const df = Nd - p;
  const rss = yy - gb + (ws.individual ? cells.W : 0);
  if (!(df > 0) || !(rss > 0)) return null;
  const sigma2 = rss / df;
  const crit = df * Math.log(rss) + logdetH + logdetM;
  let logn = 0;
  if (ws.individual) for (let k = 0; k < cells.C; k++) logn += Math.log(cells.n[k]);
  const deviance = df * (1 + Math.log(2 * Math.PI) + Math.log(sigma2)) + logdetH + logdetM + logn;
  // θ is the last coefficient, so (M⁻¹)_θθ = 1/L_pp².
  const lpp = L[p * p - 1];
  return { crit, deviance, sigma2, theta: b[P], varTheta: sigma2 / (lpp * lpp) };
}
