/**
 * The two-way fixed-effects least-squares fit y_it = α_i + λ_t + x_it'β + ε_it on a balanced panel, in
 * the form the few-cluster routines read (cr2.ts AbsorbedFit): observation-level double-demeaned
 * regressors ẍ = x − x̄_i· − x̄_·t + x̄ and outcome ÿ, β̂ = (Ẍ'Ẍ)⁻¹Ẍ'ÿ, residuals e = ÿ − Ẍβ̂, and the
 * absorbed effects' hat matrix P_S = P_unit + F F', where the unit effects are nested in the clusters
 * (clusters hold whole units) and the period effects' projection on the unit-demeaned space is
 * (1/m) 1_m 1_m' ⊗ (I_T − J_T/T), so F[(i,t), s] = (δ_ts − 1/T)/√m.
 * Observations are unit-major: o = r·T + t for the r-th used unit.
 */
import type { Panel } from '../../panel/panel.js';
import { invert } from '../../linalg/small.js';
import { twoWayDemean } from '../twfe/two-way-fit.js';
import type { AbsorbedFit } from './cr2.js';

export interface TwoWayDesign extends AbsorbedFit {
  beta: Float64Array;
  /** Double-demeaned outcome. */
  yd: Float64Array;
  nObs: number;
  /** Parameters counted by the CR1 factor (N − 1)/(N − K): K = k + T (fixest, unit effects nested). */
  kFit: number;
}

/**
 * @param columns k regressors as functions of (unit index, period index).
 * @param units the panel's units used.
 * @param cluster dense cluster code per panel unit.
 * @returns null when the regressors are collinear with the fixed effects.
 */
export function twoWayDesign(
  panel: Panel,
  columns: ((i: number, t: number) => number)[],
  units: readonly number[],
  cluster: Int32Array,
): TwoWayDesign | null {
  const n = panel.nUnits,
    T = panel.nPeriods,
    m = units.length,
    N = m * T,
    k = columns.length;
  const x = new Float64Array(N * k);
  columns.forEach((z, j) => {
    const d = twoWayDemean(units, T, z);
    for (let o = 0; o < N; o++) x[o * k + j] = d[o];
  });
  const yd = twoWayDemean(units, T, (i, t) => panel.y[t * n + i]);
  const gram = new Float64Array(k * k),
    rhs = new Float64Array(k);
  for (let o = 0; o < N; o++)
    for (let a = 0; a < k; a++) {
      rhs[a] += x[o * k + a] * yd[o];
      for (let b = 0; b < k; b++) gram[a * k + b] += x[o * k + a] * x[o * k + b];
    }
  const bread = invert(gram, k);
  if (!bread) return null;
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a] += bread[a * k + b] * rhs[b];
  const e = new Float64Array(N);
  for (let o = 0; o < N; o++) {
    let s = yd[o];
    for (let a = 0; a < k; a++) s -= x[o * k + a] * beta[a];
    e[o] = s;
  }
  // Clusters in dense codes among the used units.
  const codeOf = new Map<number, number>();
  const lists: number[][] = [];
  units.forEach((i, r) => {
    let g = codeOf.get(cluster[i]);
    if (g === undefined) {
      g = lists.length;
      codeOf.set(cluster[i], g);
      lists.push([]);
    }
    for (let t = 0; t < T; t++) lists[g].push(r * T + t);
  });
  const level = Int32Array.from({ length: N }, (_, o) => Math.floor(o / T));
  const f = new Float64Array(N * T);
  const s = 1 / Math.sqrt(m);
  for (let o = 0; o < N; o++) for (let q = 0; q < T; q++) f[o * T + q] = ((o % T === q ? 1 : 0) - 1 / T) * s;
  return {
    x,
    k,
    e,
    bread,
    members: lists.map((l) => Int32Array.from(l)),
    nested: { level, size: new Float64Array(m).fill(T) },
    f,
    r: T,
    beta,
    yd,
    nObs: N,
    kFit: k + T,
  };
}
