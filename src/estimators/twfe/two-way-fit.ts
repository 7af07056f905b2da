/**
 * Two-way fixed-effects least squares with covariates that vary within units, as fixest's
 * `feols(y ~ d + x | id + year)` fits it, on a balanced sub-panel (kept cohorts × the first T periods).
 *
 * The cohort-period regressors d (static dummies, event-time dummies, Sun & Abraham interactions) and
 * the unit × period covariates x are double-demeaned at the observation level (balanced: z̃ = z − z̄_i· −
 * z̄_·t + z̄), and β = (Z̃'Z̃)⁻¹ Z̃'ỹ by Frisch–Waugh–Lovell. A covariate constant within every unit is
 * absorbed by the unit effects (z̃ ≡ 0): it is left out with a message, as fixest removes collinear
 * variables. CR1 as within.ts: V = G⁻¹ Σ_g S_g S_g' G⁻¹ · C/(C − 1) · (N − 1)/(N − K), K = k + T
 * (fixest's ssc(fixef.K = "nested"): unit effects nested in the clusters are not counted).
 * Also returns each unit's influence function φ_i = G⁻¹ Σ_t z̃_it e_it (no small-sample factor), which
 * the Sun & Abraham aggregates need.
 */
import type { Panel } from '../../panel/panel.js';
import { cholesky, cholSolve, invert, rcond } from '../../linalg/small.js';
import type { StartGroups } from './start-groups.js';
import { sandwich, type WithinFit } from './within.js';

export interface CovariateCoefficient {
  name: string;
  coef: number;
  /** CR1 standard error (fixest's default), null when not positive. */
  se: number | null;
}

export interface TwoWayFit extends WithinFit {
  /** Coefficients of the covariates kept (after the cohort-period regressors), with their CR1 SEs. */
  covariates: CovariateCoefficient[];
  /** Covariates left out (constant within units) and why. */
  messages: string[];
  /** Influence function of the cohort-period coefficients: phi[i·k + j] for unit i (0 for units not used). */
  phi: Float64Array | null;
}

/** Value of a covariate column (nUnits values, or nPeriods × nUnits) at period t, unit i. */
export function covariateAt(x: Float64Array, n: number, t: number, i: number): number {
  return x.length === n ? x[i] : x[t * n + i];
}

/**
 * Observation-level two-way demeaning z̃ = z − z̄_i· − z̄_·t + z̄ of z(i, t) over the given units and the
 * periods 0..T−1 (balanced), unit-major: out[r·T + t] for the r-th unit.
 */
export function twoWayDemean(units: readonly number[], T: number, z: (i: number, t: number) => number): Float64Array {
  const m = units.length,
    N = m * T;
  const out = new Float64Array(N);
  const row = new Float64Array(m),
    col = new Float64Array(T);
  let grand = 0;
  units.forEach((i, r) => {
    for (let t = 0; t < T; t++) {
      const v = z(i, t);
      out[r * T + t] = v;
      row[r] += v;
      col[t] += v;
    }
  });
  for (let r = 0; r < m; r++) {
    grand += row[r];
    row[r] /= T;
  }
  for (let t = 0; t < T; t++) col[t] /= m;
  grand /= N;
  for (let r = 0; r < m; r++) for (let t = 0; t < T; t++) out[r * T + t] += grand - row[r] - col[t];
  return out;
}

/**
 * @param regressors k arrays of C × T_all cohort-period values, x[c·T_all + t] (T_all = panel.nPeriods).
 * @param covariates panel covariate names (checked by the caller).
 * @param use cohorts kept (1) or left out (0).
 * @param T the periods used: 0..T−1.
 */
export function fitTwoWay(
  panel: Panel,
  cohorts: StartGroups,
  regressors: Float64Array[],
  covariates: readonly string[],
  cluster: { code: Int32Array; count: number },
  use?: Uint8Array,
  T = panel.nPeriods,
): TwoWayFit {
  const n = panel.nUnits,
    TA = panel.nPeriods,
    k = regressors.length;
  const units: number[] = [];
  for (let i = 0; i < n; i++) if (!use || use[cohorts.of[i]] === 1) units.push(i);
  const m = units.length,
    N = m * T;
  const messages: string[] = [];
  const demean = (z: (i: number, t: number) => number) => twoWayDemean(units, T, z);
  const cols: Float64Array[] = regressors.map((x) => demean((i, t) => x[cohorts.of[i] * TA + t]));
  const kept: string[] = [];
  for (const name of covariates) {
    const x = panel.covariates[name];
    const z = demean((i, t) => covariateAt(x, n, t, i));
    let ss = 0;
    for (const v of z) ss += v * v;
    let scale = 0;
    for (const i of units) for (let t = 0; t < T; t++) scale += covariateAt(x, n, t, i) ** 2;
    if (!(ss > 1e-20 * Math.max(1, scale))) {
      messages.push(
        `Covariate ${name} is constant within every unit: the unit fixed effects absorb it, so it is left out (as fixest removes a collinear variable).`,
      );
      continue;
    }
    kept.push(name);
    cols.push(z);
  }
  const p = cols.length;
  const yt = demean((i, t) => panel.y[t * n + i]);
  const gram = new Float64Array(p * p),
    rhs = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    const za = cols[a];
    let s = 0;
    for (let o = 0; o < N; o++) s += za[o] * yt[o];
    rhs[a] = s;
    for (let b = 0; b <= a; b++) {
      const zb = cols[b];
      let g = 0;
      for (let o = 0; o < N; o++) g += za[o] * zb[o];
      gram[a * p + b] = g;
      gram[b * p + a] = g;
    }
  }
  const base = { nObs: N, nClusters: cluster.count, covariates: [] as CovariateCoefficient[], messages, phi: null };
  const chol = rcond(gram, p) > 1e-12 ? cholesky(gram, p) : null;
  if (!chol)
    return {
      ...base,
      beta: null,
      vcov: null,
      reason: 'the regressors and covariates are collinear with the unit and period fixed effects',
    };
  const beta = cholSolve(chol, p, rhs);
  const bread = invert(gram, p)!;
  // Residuals, unit scores Σ_t z̃_it e_it, cluster scores.
  const unitScore = new Float64Array(m * p);
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < T; t++) {
      const o = r * T + t;
      let e = yt[o];
      for (let a = 0; a < p; a++) e -= cols[a][o] * beta[a];
      for (let a = 0; a < p; a++) unitScore[r * p + a] += cols[a][o] * e;
    }
  }
  const G = cluster.count;
  const scores = new Float64Array(G * p);
  const seen = new Uint8Array(G);
  units.forEach((i, r) => {
    const g = cluster.code[i];
    seen[g] = 1;
    for (let a = 0; a < p; a++) scores[g * p + a] += unitScore[r * p + a];
  });
  const usedClusters = seen.reduce((s, v) => s + v, 0);
  const meat = new Float64Array(p * p);
  for (let g = 0; g < G; g++)
    for (let a = 0; a < p; a++) {
      const sa = scores[g * p + a];
      if (sa === 0) continue;
      for (let b = 0; b < p; b++) meat[a * p + b] += sa * scores[g * p + b];
    }
  const K = p + T;
  const scale = usedClusters > 1 && N > K ? (usedClusters / (usedClusters - 1)) * ((N - 1) / (N - K)) : NaN;
  const full = sandwich(bread, meat, p);
  const phi = new Float64Array(n * k);
  units.forEach((i, r) => {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += bread[j * p + a] * unitScore[r * p + a];
      phi[i * k + j] = s;
    }
  });
  const coefBeta = beta.slice(0, k);
  if (!Number.isFinite(scale)) {
    return {
      ...base,
      beta: coefBeta,
      vcov: null,
      phi,
      nClusters: usedClusters,
      reason: `too few clusters (${usedClusters}) or observations for a cluster-robust variance`,
    };
  }
  const vcov = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) vcov[a * k + b] = full[a * p + b] * scale;
  const covs = kept.map((name, j) => {
    const v = full[(k + j) * p + k + j] * scale;
    return { name, coef: beta[k + j], se: v > 0 ? Math.sqrt(v) : null };
  });
  return { beta: coefBeta, vcov, nObs: N, nClusters: usedClusters, covariates: covs, messages, phi };
}
