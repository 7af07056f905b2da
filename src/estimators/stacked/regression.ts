/**
 * The stacked regression, weighted least squares with sub-experiment × unit and sub-experiment ×
 * period fixed effects (Wing, Freedman & Hollingsworth 2024, eq. 7 and its event-study version eq. 8):
 *   y_ast = α_as + λ_at + Σ_k β_k D_as 1{t − a = k} + ε_ast
 * Each sub-experiment is a balanced panel of its own and every weight is constant within a unit, so
 * the weighted projection on its two sets of effects is exact in one step:
 *   z̃_it = z_it − z̄_i· − z̄^w_·t + z̄^w_··        (unit means; weighted period and grand means)
 * and the slopes come from the demeaned rows (Frisch–Waugh–Lovell).
 *
 * CR1 cluster-robust variance by the original unit (a control used by several sub-experiments is one
 * cluster), or by the panel's cluster column: V = B (Σ_c S_c S_c') B · G/(G − 1) · (N − 1)/(N − K),
 * B = (X̃'WX̃)⁻¹, S_c = Σ_{rows of c} w x̃ e, N stacked rows, K = k slopes + the S·W sub-experiment ×
 * period effects: fixest's default ssc(fixef.K = "nested") for `feols(y ~ ... | unit^sub + time^sub,
 * cluster = ~unit, weights = ~w)`, which leaves out the unit × sub-experiment effects nested in the
 * clusters (as our twfe does, twfe/within.ts).
 */
import type { Panel } from '../../panel/panel.js';
import { invert } from '../../linalg/small.js';
import type { Stack } from './stack.js';

export interface StackedFit {
  beta: Float64Array;
  /** k × k, row-major; null when there are too few clusters for a variance. */
  vcov: Float64Array | null;
  nObs: number;
  nClusters: number;
}

/**
 * Fit the stacked regression with regressors given per event time k = t − a of a treated row
 * (`columns(k)` → a k-vector for treated rows; control rows are 0 before demeaning).
 */
export function fitStacked(
  panel: Panel,
  stack: Stack,
  k: number,
  columns: (e: number) => ArrayLike<number>,
  cluster: { code: Int32Array; count: number },
): StackedFit | null {
  const n = panel.nUnits;
  const W = stack.kappaPre + stack.kappaPost + 1;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  // Demeaned rows kept per sub-experiment for the second (residual) pass.
  const rows: { yd: Float64Array; xd: Float64Array; w: Float64Array; c: Int32Array }[] = [];
  let nObs = 0;
  for (const s of stack.subs) {
    const units = [...s.treated, ...s.controls];
    const m = units.length;
    const w = Float64Array.from(units, (_, j) => (j < s.treated.length ? 1 : s.controlWeight));
    const sw = w.reduce((a, b) => a + b, 0);
    const t0 = s.index - stack.kappaPre;
    // Raw z: column 0 = y, columns 1..k = regressors, row (j, e) at (j * W + e) * (k + 1).
    const z = new Float64Array(m * W * (k + 1));
    for (let j = 0; j < m; j++) {
      const i = units[j];
      for (let e = 0; e < W; e++) {
        const r = (j * W + e) * (k + 1);
        z[r] = panel.y[(t0 + e) * n + i];
        if (j < s.treated.length) {
          const x = columns(e - stack.kappaPre);
          for (let q = 0; q < k; q++) z[r + 1 + q] = x[q];
        }
      }
    }
    const unitMean = new Float64Array(m * (k + 1));
    const periodMean = new Float64Array(W * (k + 1));
    const grand = new Float64Array(k + 1);
    for (let j = 0; j < m; j++)
      for (let e = 0; e < W; e++)
        for (let q = 0; q <= k; q++) {
          const v = z[(j * W + e) * (k + 1) + q];
          unitMean[j * (k + 1) + q] += v / W;
          periodMean[e * (k + 1) + q] += (w[j] * v) / sw;
          grand[q] += (w[j] * v) / (sw * W);
        }
    const yd = new Float64Array(m * W);
    const xd = new Float64Array(m * W * k);
    const ww = new Float64Array(m * W);
    const cc = new Int32Array(m * W);
    for (let j = 0; j < m; j++)
      for (let e = 0; e < W; e++) {
        const r = j * W + e;
        const dm = (q: number) => z[r * (k + 1) + q] - unitMean[j * (k + 1) + q] - periodMean[e * (k + 1) + q] + grand[q];
        yd[r] = dm(0);
        for (let q = 0; q < k; q++) xd[r * k + q] = dm(q + 1);
        ww[r] = w[j];
        cc[r] = cluster.code[units[j]];
        for (let a = 0; a < k; a++) {
          xty[a] += w[j] * xd[r * k + a] * yd[r];
          for (let b = 0; b < k; b++) xtx[a * k + b] += w[j] * xd[r * k + a] * xd[r * k + b];
        }
      }
    rows.push({ yd, xd, w: ww, c: cc });
    nObs += m * W;
  }
  const B = invert(xtx, k);
  if (!B) return null;
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a] += B[a * k + b] * xty[b];
  const score = new Float64Array(cluster.count * k);
  const used = new Set<number>();
  for (const r of rows) {
    for (let o = 0; o < r.yd.length; o++) {
      let fit = 0;
      for (let q = 0; q < k; q++) fit += r.xd[o * k + q] * beta[q];
      const e = r.yd[o] - fit;
      used.add(r.c[o]);
      for (let q = 0; q < k; q++) score[r.c[o] * k + q] += r.w[o] * r.xd[o * k + q] * e;
    }
  }
  const G = used.size;
  const K = k + stack.subs.length * W;
  if (G < 2 || nObs <= K) return { beta, vcov: null, nObs, nClusters: G };
  const meat = new Float64Array(k * k);
  for (let c = 0; c < cluster.count; c++)
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a * k + b] += score[c * k + a] * score[c * k + b];
  const scale = (G / (G - 1)) * ((nObs - 1) / (nObs - K));
  const bm = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let d = 0; d < k; d++) bm[a * k + b] += B[a * k + d] * meat[d * k + b];
  const vcov = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += bm[a * k + d] * B[d * k + b];
      vcov[a * k + b] = s * scale;
    }
  return { beta, vcov, nObs, nClusters: G };
}
