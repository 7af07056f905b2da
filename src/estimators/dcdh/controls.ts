/**
 * did_multiplegt_dyn's `controls` (de Chaisemartin & D'Haultfœuille 2024, Section 5 and its web
 * appendix; did_multiplegt_main.R "Necessary pre-estimation steps when the controls option is
 * specified" and did_multiplegt_dyn_core.R): time-varying covariates X whose changes are netted out of
 * the outcome's, with a coefficient θ_d per baseline treatment d estimated on the not-yet-switched cells.
 *
 * Point estimate. On the cells (g, t), 1 ≤ t < F_g (not switched yet, first difference defined) of the
 * units with D_{g,1} = d, θ_d = (Σ N r r')⁺ Σ N r ΔY, r = ΔX minus its N-weighted mean in the cell
 * (t, D_{g,1}, trends_nonparam) — the weighted regression of ΔY on ΔX with those cell effects. Every
 * long difference of a unit with baseline d, switcher or control, becomes
 *   (Y_t − Y_{t−ℓ}) − θ_d'(X_t − X_{t−ℓ})   (placebos: (Y_{t−2ℓ} − Y_{t−ℓ}) − θ_d'(X_{t−2ℓ} − X_{t−ℓ})).
 * A baseline whose units all switch at one date (or never) has no θ (the package's useful_res ≤ 1).
 *
 * Variance. The package adds the estimation of θ_d to each unit's influence term (its part2):
 *   U_g −= (1/N_ℓ) Σ_d Σ_j MX_{d,j} · [ (A_d · inSum_{d,g})_j · 1{D_{g,1} = d} − θ_{d,j}/G ]
 * with MX_{d,j} the same DID_ℓ computed on X_j's long differences (the derivative of DID_ℓ in θ),
 * A_d = (Σ N r r')⁺ · Σ_{cells 1 ≤ t < F_g} N (the package's inv_Denom / G), G the number of units, and
 *   inSum_{d,g,j} = Σ_{1 ≤ t < F_g} N r_j · c_t · (ΔY_{g,t} − Ê_{d,t}) / N^c_d,
 * Ê the fitted value of the unweighted regression of ΔY on ΔX and period effects among the
 * not-yet-switched cells of baseline d (fixest::feols in the package, whose weights argument is NULL
 * there), set to 0 and c_t = 1 when fewer than two units are in the period's cell, else
 * c_t = √(n_t/(n_t − 1)); N^c_d = Σ N over 1 ≤ t ≤ T_d = max F_g − 1, t < F_g. Periods here are
 * 0-based (the package's less one; under trends_lin less two, its data starting a period later), and
 * the package's 1{F_g ≥ 3} is implied (inSum is an empty sum for a first switch in period 2).
 */
import { pinvSym } from '../../linalg/pinv.js';
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { panelColumn } from './panel-column.js';
import type { DcdhDesign } from './design.js';

export interface ControlLevel {
  theta: Float64Array;
  /** k × k: (Σ N r r')⁺ · Σ N over the not-yet-switched cells (inv_Denom_d / G). */
  A: Float64Array;
  /** k × n, control-major: inSum[j·n + g]. */
  inSum: Float64Array;
}

export interface ControlFit {
  names: readonly string[];
  k: number;
  /** Per control, periods × units (the panel the estimator runs on). */
  X: Float64Array[];
  /** By baseline treatment value; a baseline without θ (one first-switch date only) is absent. */
  levels: Map<number, ControlLevel>;
  /** The package's G_XX: units in the design before trends_lin's drop. */
  G: number;
  /** 1 under trends_lin (the package's periods then start at 2), else 0. */
  offset: number;
  /** Units in the package's sample (the design's strata, less trends_lin's left-out units). */
  inSample: Uint8Array;
}

/**
 * The control columns, checked: present, time-varying.
 * @throws {EstimatorInputError} naming the column and the panel's columns
 */
export function controlColumns(panel: Panel, names: readonly string[]): Float64Array[] {
  const n = panel.nUnits,
    T = panel.nPeriods;
  return names.map((name) => {
    const c = panelColumn(panel, name, 'dcdh: control');
    if (c.length !== n * T)
      throw new EstimatorInputError(
        `dcdh: control "${name}" is constant within each unit: its changes are all 0, so it nets nothing out (did_multiplegt_dyn's controls are time-varying)`,
      );
    return c;
  });
}

/** θ_d, A_d and inSum_d for each baseline (see the header). */
export function fitControls(
  d: DcdhDesign,
  X: Float64Array[],
  o: { names: readonly string[]; tnp: Int32Array; inSample: Uint8Array; G: number; offset: number },
): { fit: ControlFit; messages: string[] } {
  const n = d.n,
    T = d.T,
    k = X.length;
  // The outcome after the missing-data conventions and the cells' weights N_{g,t} (the unit's weight on a
  // balanced panel); a cell enters only with its first differences (the package's !is.na(diff_y_XX) and
  // fd_X_all_non_missing_XX masks).
  const y = d.y;
  const N = (t: number, g: number) => d.N[t * n + g];
  const dX = (j: number, t: number, g: number) => X[j][t * n + g] - X[j][(t - 1) * n + g];
  const dY = (t: number, g: number) => y[t * n + g] - y[(t - 1) * n + g];
  const hasDY = (t: number, g: number) => Number.isFinite(dY(t, g));
  const valid = (t: number, g: number) => {
    if (!hasDY(t, g)) return false;
    for (let j = 0; j < k; j++) if (!Number.isFinite(dX(j, t, g))) return false;
    return true;
  };
  const rows = (g: number) => o.inSample[g] === 1;
  // Σ N over every not-yet-switched cell with a first difference of the outcome (the package's rsum).
  let rsum = 0;
  for (let g = 0; g < n; g++) if (rows(g)) for (let t = 1; t < Math.min(d.F[g], T); t++) if (hasDY(t, g)) rsum += N(t, g);
  // N-weighted mean of ΔX_j in each cell (t, D_{g,1}, trends_nonparam), over the not-yet-switched cells.
  const cellKey = (t: number, g: number) => `${t}:${d.d1[g]}:${o.tnp[g]}`;
  const sum = new Map<string, { w: number; x: Float64Array }>();
  for (let g = 0; g < n; g++) {
    if (!rows(g)) continue;
    for (let t = 1; t < Math.min(d.F[g], T); t++) {
      if (!valid(t, g)) continue;
      const key = cellKey(t, g);
      let s = sum.get(key);
      if (!s) sum.set(key, (s = { w: 0, x: new Float64Array(k) }));
      s.w += N(t, g);
      for (let j = 0; j < k; j++) s.x[j] += N(t, g) * dX(j, t, g);
    }
  }
  const resid = (t: number, g: number, j: number) => {
    const s = sum.get(cellKey(t, g))!;
    return dX(j, t, g) - s.x[j] / s.w;
  };
  const messages: string[] = [];
  const levels = new Map<number, ControlLevel>();
  const values = [...new Set(Array.from({ length: n }, (_, g) => (rows(g) ? d.d1[g] : Number.NaN)))].filter((v) => !Number.isNaN(v));
  for (const level of values.sort((a, b) => a - b)) {
    const fit = levelFit(level);
    if (fit) levels.set(level, fit);
  }

  function levelFit(level: number): ControlLevel | null {
    const units: number[] = [];
    for (let g = 0; g < n; g++) if (rows(g) && d.d1[g] === level) units.push(g);
    if (new Set(units.map((g) => d.F[g])).size < 2) return null;
    // θ_d = (Σ N r r')⁺ Σ N r ΔY.
    const M = new Float64Array(k * k);
    const v = new Float64Array(k);
    const r = new Float64Array(k);
    let cells = 0;
    for (const g of units)
      for (let t = 1; t < Math.min(d.F[g], T); t++) {
        if (!valid(t, g)) continue;
        for (let j = 0; j < k; j++) r[j] = resid(t, g, j);
        for (let a = 0; a < k; a++) {
          v[a] += N(t, g) * r[a] * dY(t, g);
          for (let b = 0; b < k; b++) M[a * k + b] += N(t, g) * r[a] * r[b];
        }
        cells++;
      }
    if (cells === 0) return null;
    const Minv = pinvSym(M, k);
    const theta = new Float64Array(k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) theta[a] += Minv[a * k + b] * v[b];
    if (Math.abs(det(M, k)) <= 1e-16)
      messages.push(
        `controls: for the units with baseline treatment ${level} the changes in ${o.names.join(', ')} are collinear (or have no variation) in the not-yet-switched cells; the package's generalised inverse keeps the minimum-norm θ.`,
      );
    const A = Float64Array.from(Minv, (x) => x * rsum);
    const inSum = levelInfluence(units);
    return { theta, A, inSum };
  }

  /** inSum_{d,g,j} = Σ_{1≤t<F_g} N r_j c_t (ΔY − Ê_{d,t}) / N^c_d for the units of baseline d. */
  function levelInfluence(units: number[]): Float64Array {
    // Ê: unweighted ΔY on ΔX with period effects, among the level's not-yet-switched cells (FWL).
    const byT = new Map<number, number[]>();
    for (const g of units)
      for (let t = 1; t < Math.min(d.F[g], T); t++) {
        if (!valid(t, g)) continue;
        const list = byT.get(t) ?? [];
        list.push(g);
        byT.set(t, list);
      }
    const meanX = new Map<number, Float64Array>();
    const meanY = new Map<number, number>();
    for (const [t, gs] of byT) {
      const mx = new Float64Array(k);
      let my = 0;
      for (const g of gs) {
        for (let j = 0; j < k; j++) mx[j] += dX(j, t, g) / gs.length;
        my += dY(t, g) / gs.length;
      }
      meanX.set(t, mx);
      meanY.set(t, my);
    }
    const Mf = new Float64Array(k * k);
    const vf = new Float64Array(k);
    for (const [t, gs] of byT)
      for (const g of gs)
        for (let a = 0; a < k; a++) {
          const ra = dX(a, t, g) - meanX.get(t)![a];
          vf[a] += ra * (dY(t, g) - meanY.get(t)!);
          for (let b = 0; b < k; b++) Mf[a * k + b] += ra * (dX(b, t, g) - meanX.get(t)![b]);
        }
    const Mfi = pinvSym(Mf, k);
    const beta = new Float64Array(k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a] += Mfi[a * k + b] * vf[b];
    const fitted = (t: number, g: number) => {
      let s = meanY.get(t)!;
      for (let j = 0; j < k; j++) s += beta[j] * (dX(j, t, g) - meanX.get(t)![j]);
      return s;
    };
    // N^c_d: Σ N over 1 ≤ t ≤ T_d, t < F_g, T_d = max F_g − 1 over the level.
    let Td = 0;
    for (const g of units) Td = Math.max(Td, d.F[g] - 1);
    let Nc = 0;
    for (const g of units) for (let t = 1; t <= Td && t < d.F[g]; t++) if (hasDY(t, g)) Nc += N(t, g);
    const inSum = new Float64Array(k * n);
    for (const g of units)
      for (let t = 1; t < Math.min(d.F[g], T); t++) {
        if (!valid(t, g)) continue;
        const m = byT.get(t)!.length;
        const e = m >= 2 ? fitted(t, g) : 0;
        const c = m >= 2 ? Math.sqrt(m / (m - 1)) : 1;
        const res = dY(t, g) - e;
        for (let j = 0; j < k; j++) inSum[j * n + g] += (N(t, g) * resid(t, g, j) * c * res) / Nc;
      }
    return inSum;
  }

  return { fit: { names: o.names, k, X, levels, G: o.G, offset: o.offset, inSample: o.inSample }, messages };
}

/** Determinant of a small matrix by Gaussian elimination with partial pivoting (the package's det(M) check). */
function det(a: Float64Array, k: number): number {
  const m = Float64Array.from(a);
  let out = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]) > Math.abs(m[p * k + c])) p = r;
    if (m[p * k + c] === 0) return 0;
    if (p !== c) {
      for (let j = 0; j < k; j++) [m[c * k + j], m[p * k + j]] = [m[p * k + j], m[c * k + j]];
      out = -out;
    }
    out *= m[c * k + c];
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c] / m[c * k + c];
      for (let j = c; j < k; j++) m[r * k + j] -= f * m[c * k + j];
    }
  }
  return out;
}
