/**
 * The regressions twowayfeweights runs (its `feols(D ~ controls | G + T, weights)` and
 * `feols(Y ~ D + controls | G + T, weights)`, or with period effects only for the first-difference
 * types), on the cells (i, t) of a panel, k = t·n + i, that `use` marks (an unbalanced panel's absent
 * rows are not), with regression weights w_k ≥ 0.
 *
 * Frisch–Waugh–Lovell: the residual of z on the fixed effects and the controls X is
 *   r(z) = ż − Ẋ (Ẋ'WẊ)⁻¹ Ẋ'W ż,
 * ż being z demeaned on the fixed effects under the weights. With period effects only the demeaning is
 * one weighted mean per period; with unit and period effects it is alternating projections (unit
 * means, then period means, repeated until no mean moves: exact after one round when the weights are
 * constant within units, geometric otherwise), as fixest demeans. A control the fixed effects absorb
 * (ż ≡ 0, e.g. a unit-level control with unit effects) is left out, as feols removes it.
 * The treatment's coefficient is then β = Σ w ε r(y) / Σ w ε² with ε = r(D), and its CR1 variance
 *   V = Σ_g (Σ_{k∈g} w ε e)² / (Σ w ε²)² · G/(G − 1) · (N − 1)/(N − K),   e = r(y) − β ε,
 * with N the cells used, G the clusters and K = 1 + controls + period effects (unit effects nested in
 * the clusters are not counted: fixest's default small-sample correction, as estimators/twfe/within.ts).
 */
import { cholesky, cholSolve, rcondSpd } from '../../linalg/small.js';

export interface FeDesign {
  n: number;
  T: number;
  /** 1 for a cell in the regression sample. */
  use: Uint8Array;
  /** Regression weight per cell (0 outside the sample). */
  weight: Float64Array;
  /** Unit and period effects (the fixed-effects types) or period effects only (first differences). */
  unitEffects: boolean;
  /** Control columns, one value per cell. */
  controls: { name: string; values: Float64Array }[];
}

export interface ResidualMaker {
  /** r(z): the residual of z on the fixed effects and the kept controls (0 outside the sample). */
  residual(z: Float64Array): Float64Array;
  /** Controls in the regression, and those the fixed effects absorb. */
  kept: string[];
  absorbed: string[];
}

/** Alternating projections stop when no mean moves by more than this (relative to the column's scale). */
const TOL = 1e-13;
const MAX_ROUNDS = 10000;

export class FitError extends Error {}

/** z demeaned on the design's fixed effects under its weights (0 outside the sample). */
function demean(d: FeDesign, z: Float64Array): Float64Array {
  const { n, T, use, weight } = d;
  const v = new Float64Array(n * T);
  let scale = 0;
  for (let k = 0; k < n * T; k++)
    if (use[k]) {
      v[k] = z[k];
      scale = Math.max(scale, Math.abs(z[k]));
    }
  // One pass of weighted means: over the cells k = at(a, b) of each of `outer` groups (b = 0 … inner − 1).
  const pass = (outer: number, inner: number, at: (a: number, b: number) => number): number => {
    let moved = 0;
    for (let a = 0; a < outer; a++) {
      let s = 0,
        sw = 0;
      for (let b = 0; b < inner; b++) {
        const k = at(a, b);
        if (use[k]) {
          s += weight[k] * v[k];
          sw += weight[k];
        }
      }
      if (sw === 0) continue;
      const m = s / sw;
      for (let b = 0; b < inner; b++) if (use[at(a, b)]) v[at(a, b)] -= m;
      moved = Math.max(moved, Math.abs(m));
    }
    return moved;
  };
  const periodPass = () => pass(T, n, (t, i) => t * n + i);
  if (!d.unitEffects) {
    periodPass();
    return v;
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const moved = Math.max(
      pass(n, T, (i, t) => t * n + i),
      periodPass(),
    );
    if (moved <= TOL * (1 + scale)) return v;
  }
  throw new FitError(
    `twowayfeweights: demeaning on the unit and period effects did not converge in ${MAX_ROUNDS} rounds (regression weights too uneven)`,
  );
}

function wdot(d: FeDesign, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) if (d.use[k]) s += d.weight[k] * a[k] * b[k];
  return s;
}

export function residualMaker(d: FeDesign): ResidualMaker {
  const kept: string[] = [],
    absorbed: string[] = [];
  const xs: Float64Array[] = [];
  for (const c of d.controls) {
    const x = demean(d, c.values);
    const raw = wdot(d, c.values, c.values);
    if (wdot(d, x, x) <= 1e-12 * Math.max(raw, 1e-300)) absorbed.push(c.name);
    else {
      kept.push(c.name);
      xs.push(x);
    }
  }
  const q = xs.length;
  const G = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) G[a * q + b] = G[b * q + a] = wdot(d, xs[a], xs[b]);
  const L = q ? cholesky(G, q) : null;
  if (q && (!L || rcondSpd(G, L, q) < 1e-12))
    throw new FitError(`twowayfeweights: the controls ${kept.join(', ')} are collinear (with each other and the fixed effects); drop one`);
  return {
    kept,
    absorbed,
    residual(z) {
      const r = demean(d, z);
      if (q === 0) return r;
      const b = cholSolve(
        L!,
        q,
        Float64Array.from(xs, (x) => wdot(d, x, r)),
      );
      for (let k = 0; k < r.length; k++) if (d.use[k]) for (let j = 0; j < q; j++) r[k] -= b[j] * xs[j][k];
      return r;
    },
  };
}

export interface TreatmentFit {
  beta: number;
  /** CR1 standard error, null when not positive or not defined (one cluster, no residual df). */
  se: number | null;
  /** ε = r(D), the treatment's residual (0 outside the sample). */
  eps: Float64Array;
}

/**
 * β of y on D with the design's fixed effects and controls, its CR1 SE by the given clusters of units.
 * Returns null when D has no variation left (Σ w ε² ≈ 0).
 */
export function treatmentFit(
  d: FeDesign,
  maker: ResidualMaker,
  y: Float64Array,
  D: Float64Array,
  cluster: { code: Int32Array; count: number },
): TreatmentFit | null {
  const eps = maker.residual(D);
  const see = wdot(d, eps, eps);
  if (!(see > 1e-12 * Math.max(wdot(d, D, D), 1e-300))) return null;
  const ry = maker.residual(y);
  const beta = wdot(d, eps, ry) / see;
  const score = new Float64Array(cluster.count);
  const hit = new Uint8Array(cluster.count);
  let N = 0,
    periods = 0;
  for (let t = 0; t < d.T; t++) {
    let any = false;
    for (let i = 0; i < d.n; i++) {
      const k = t * d.n + i;
      if (!d.use[k] || d.weight[k] === 0) continue;
      any = true;
      N++;
      const c = cluster.code[i];
      hit[c] = 1;
      score[c] += d.weight[k] * eps[k] * (ry[k] - beta * eps[k]);
    }
    if (any) periods++;
  }
  let meat = 0,
    Gc = 0;
  for (let c = 0; c < cluster.count; c++)
    if (hit[c]) {
      Gc++;
      meat += score[c] * score[c];
    }
  const K = 1 + maker.kept.length + periods;
  const v = Gc > 1 && N > K ? (meat / (see * see)) * (Gc / (Gc - 1)) * ((N - 1) / (N - K)) : NaN;
  return { beta, se: v > 0 ? Math.sqrt(v) : null, eps };
}
