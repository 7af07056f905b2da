/**
 * The weights of twowayfeweights' four regressions (de Chaisemartin & D'Haultfœuille 2020, AER,
 * Theorems 1, S1–S3 of its web appendix; the package's twowayfeweights_calculate.R), on a panel of levels
 * y_it, D_it (rows absent or incomplete masked out), cells k = t·n + i, with regression weights w_it (1
 * without) and p_it = w_it/Σw:
 *
 * - feTR, y on D with unit and period effects, common trends: ε = r(D) (residual on the effects and the
 *   controls, weighted-fe-fit.ts), W = ε·D̄ / Σ p ε D, ν = p D / D̄ (D̄ = Σ p D): β_fe = Σ ν W Δ.
 * - fdTR, Δy on ΔD with period effects: ε = r(ΔD) (0 in the first period), w̃_t = ε_t − ε_{t+1}·p_{t+1}/p_t
 *   (ε_t in a unit's last period), W = w̃·D̄ / Σ p w̃ D, ν = p D / D̄, D being the level (the package's D0).
 * - feS, the fixed-effects regression when effects do not change over time: ε = r(D), and for the
 *   changes (t ≥ 2): s = sign(ΔD_t), ν ∝ p |ΔD_t|, W ∝ s·S_{i,≥t} / p_t with S_{i,≥t} = Σ_{t' ≥ t} w ε the
 *   forward sum, so that w ∝ ΔD_t·S_{i,≥t}. Why: Σ_t w ε_it = 0 (the unit effects' normal equation), so
 *   Σ_t w ε D_it = Σ_{t≥2} ΔD_it S_{i,≥t}, and with y = α_i + λ_t + δ_i D_it, β = Σ w_it δ_i exactly (the
 *   noiseless test checks it). The package (R 2.0.4 twowayfeweights_calculate.R, the Stata ado alike)
 *   divides S by Σ_{t'≥t} w, a forward mean, whose weights do not add up to β under this assumption;
 *   the signs, hence the counts of positive and negative weights, are the same.
 * - fdS, the first-difference regression then: ε = r(ΔD), ν ∝ p |ΔD|, W ∝ s·ε over t ≥ 2 (p over those cells).
 * Each W is scaled so that Σ ν W = 1. The cell weight is W·ν; β is the regression's own coefficient.
 * With other treatments (feTR only, de Chaisemartin & D'Haultfœuille 2020b, Corollary 1) they enter ε's
 * regression, and each other treatment D^k gets the contamination weights W·p·D^k / D̄.
 * The first-difference types take the controls in first differences, as the differenced FE model has them.
 */
import { type FeDesign, FitError, residualMaker, type TreatmentFit, treatmentFit } from './weighted-fe-fit.js';

export type TwfeType = 'feTR' | 'feS' | 'fdTR' | 'fdS';
export const TWFE_TYPES: readonly TwfeType[] = ['feTR', 'feS', 'fdTR', 'fdS'];

export interface TypeInput {
  n: number;
  T: number;
  y: Float64Array;
  D: Float64Array;
  /** Regression weight per cell (all 1 without weights). */
  weight: Float64Array;
  /** 1 for a row with an outcome, a treatment, its controls and a weight (an absent row is 0). */
  present: Uint8Array;
  /** 1 for a row with a treatment and a weight: fdTR's D0 rows. */
  d0: Uint8Array;
  controls: { name: string; values: Float64Array }[];
  otherTreatments: { name: string; values: Float64Array }[];
  cluster: { code: Int32Array; count: number };
}

export interface TypeWeights {
  fit: TreatmentFit;
  /** Per cell: W, ν (0 off the cells the weights are about) and the weight W·ν. */
  W: Float64Array;
  nu: Float64Array;
  w: Float64Array;
  /** Contamination weights of each other treatment, per cell. */
  other: Float64Array[];
  kept: string[];
  absorbed: string[];
}

/** First difference z_t − z_{t−1} per cell (NaN in the first period). */
function diff(z: Float64Array, n: number, T: number): Float64Array {
  const d = new Float64Array(n * T);
  for (let i = 0; i < n; i++) d[i] = NaN;
  for (let t = 1; t < T; t++) for (let i = 0; i < n; i++) d[t * n + i] = z[t * n + i] - z[(t - 1) * n + i];
  return d;
}

const NOT_IDENTIFIED = 'no unit changes treatment status inside the panel, so the TWFE estimate is not identified';

export function typeWeights(type: TwfeType, x: TypeInput): TypeWeights | { reason: string } {
  const { n, T } = x,
    NT = n * T;
  const fd = type === 'fdTR' || type === 'fdS';
  if (x.otherTreatments.length && type !== 'feTR')
    throw new FitError(`twowayfeweights: other treatments work with type feTR only (de Chaisemartin & D'Haultfœuille 2020b); not ${type}`);
  // The regression sample: the rows present (fixed effects), or the rows whose previous period is
  // present too (a first difference; across a gap there is none, as xtset's D. gives none).
  const lev = x.present;
  const use = new Uint8Array(NT);
  for (let k = fd ? n : 0; k < NT; k++) use[k] = lev[k] && (!fd || lev[k - n]) && x.weight[k] > 0 ? 1 : 0;
  const weight = Float64Array.from(x.weight, (v, k) => (use[k] ? v : 0));
  const controls = fd ? x.controls.map((c) => ({ name: c.name, values: diff(c.values, n, T) })) : x.controls;
  const design: FeDesign = { n, T, use, weight, unitEffects: !fd, controls: [...controls, ...x.otherTreatments] };
  const maker = residualMaker(design);
  const yr = fd ? diff(x.y, n, T) : x.y,
    Dr = fd ? diff(x.D, n, T) : x.D;
  const fit = treatmentFit(design, maker, yr, Dr, x.cluster);
  if (!fit) return { reason: NOT_IDENTIFIED };
  // ε is the residual in β̂'s own sample, so that β̂ = Σ w Δ (the package's fdTR regresses ΔD also on
  // rows without ΔY, whose weights then miss β̂; on panels without such rows the two agree).
  const eps = fit.eps;
  // p over the rows the weights are defined on: those present (feTR, feS), fdTR's D0 rows, fdS's
  // differenced rows.
  const on = type === 'fdS' ? use : type === 'fdTR' ? x.d0 : lev;
  const pw = type === 'fdS' ? weight : Float64Array.from(x.weight, (v, k) => (on[k] ? v : 0));
  let total = 0;
  for (let k = 0; k < NT; k++) total += pw[k];
  const p = Float64Array.from(pw, (v) => v / total);
  const Dat = (k: number) => (on[k] ? x.D[k] : 0);
  const W = new Float64Array(NT),
    nu = new Float64Array(NT);
  let meanD = 0;
  if (type === 'feTR' || type === 'fdTR') {
    for (let k = 0; k < NT; k++) meanD += p[k] * Dat(k);
    // ε for feTR, w̃ for fdTR (the FD residual's lead, net of the next period's weight share; a unit's
    // last row before a gap or the panel's end keeps ε).
    const e = new Float64Array(NT);
    for (let k = 0; k < NT; k++) {
      if (type === 'feTR' || k + n >= NT || !on[k + n]) e[k] = eps[k];
      else {
        const lead = (eps[k + n] * p[k + n]) / p[k];
        e[k] = Number.isFinite(lead) ? eps[k] - lead : eps[k];
      }
    }
    let den = 0;
    for (let k = 0; k < NT; k++) den += p[k] * e[k] * Dat(k);
    if (!(Math.abs(den) > 1e-14) || meanD === 0) return { reason: NOT_IDENTIFIED };
    for (let k = 0; k < NT; k++) {
      W[k] = (e[k] * meanD) / den;
      nu[k] = (p[k] * Dat(k)) / meanD;
    }
  } else {
    // The changes ΔD_t (t ≥ 2) and their signs; for feS the forward sums of wε.
    const dD = diff(x.D, n, T);
    const om = new Float64Array(NT);
    let PS = 0;
    for (let i = 0; i < n; i++) {
      let se = 0;
      for (let t = T - 1; t >= 1; t--) {
        const k = t * n + i;
        if (lev[k]) se += x.weight[k] * eps[k];
        // A change of treatment needs the row and the one before it.
        if (type === 'fdS' ? !use[k] : !(lev[k] && lev[k - n])) continue;
        const s = Math.sign(dD[k]);
        om[k] = type === 'feS' ? (s * se) / p[k] : s * eps[k];
        nu[k] = p[k] * Math.abs(dD[k]);
        PS += nu[k];
      }
    }
    if (!(PS > 0)) return { reason: NOT_IDENTIFIED };
    let den = 0;
    for (let k = 0; k < NT; k++) {
      nu[k] /= PS;
      if (nu[k] !== 0) den += nu[k] * om[k];
    }
    if (!(Math.abs(den) > 1e-14)) return { reason: NOT_IDENTIFIED };
    for (let k = 0; k < NT; k++) W[k] = nu[k] === 0 ? 0 : om[k] / den;
  }
  const w = Float64Array.from(W, (v, k) => v * nu[k]);
  const other = x.otherTreatments.map((o) => Float64Array.from(W, (v, k) => (on[k] ? (v * p[k] * o.values[k]) / meanD : 0)));
  return { fit, W, nu, w, other, kept: maker.kept, absorbed: maker.absorbed };
}
