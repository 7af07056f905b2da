/**
 * The moments a calibration's fit table compares, computed the same way on the data and on every
 * simulated draw (y is periods × units, row per period, as in Panel):
 * - mean, sd, share_zero: pooled over all cells;
 * - between_unit_share: Var_i(ȳ_i·) / Var(y) after removing period means (so a calendar trend or
 *   season is not counted as within-unit variation);
 * - autocorr_lagK: Σ r_it r_i,t+K / Σ r_it² with r = y − ȳ_i· − ȳ_·t + ȳ (two-way demeaned, pooled
 *   over units), for K < T − 1.
 */
export interface PanelMoments {
  mean: number;
  sd: number;
  share_zero: number;
  between_unit_share: number;
  autocorr: Record<number, number>;
}

export function panelMoments(y: Float64Array, n: number, T: number, lags: readonly number[]): PanelMoments {
  const rowMean = new Float64Array(T);
  const unitMean = new Float64Array(n);
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    const off = t * n;
    for (let i = 0; i < n; i++) {
      const v = y[off + i];
      s += v;
      sumSq += v * v;
      unitMean[i] += v;
      if (v === 0) zeros++;
    }
    rowMean[t] = s / n;
    sum += s;
  }
  const N = n * T;
  const mean = sum / N;
  for (let i = 0; i < n; i++) unitMean[i] /= T;
  // Within-period variance (period means removed) and the part of it between unit means.
  let within = 0;
  for (let t = 0; t < T; t++) {
    const off = t * n;
    const m = rowMean[t];
    for (let i = 0; i < n; i++) within += (y[off + i] - m) ** 2;
  }
  let between = 0;
  for (let i = 0; i < n; i++) between += (unitMean[i] - mean) ** 2;
  const r = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    const off = t * n;
    const a = mean - rowMean[t];
    for (let i = 0; i < n; i++) r[off + i] = y[off + i] - unitMean[i] + a;
  }
  let ss = 0;
  for (let q = 0; q < N; q++) ss += r[q] * r[q];
  const autocorr: Record<number, number> = {};
  for (const k of lags) {
    if (k >= T - 1) continue;
    let c = 0;
    for (let t = 0; t + k < T; t++) {
      const a = t * n;
      const b = (t + k) * n;
      for (let i = 0; i < n; i++) c += r[a + i] * r[b + i];
    }
    autocorr[k] = ss > 0 ? c / ss : 0;
  }
  return {
    mean,
    sd: Math.sqrt(Math.max(0, sumSq / N - mean * mean)),
    share_zero: zeros / N,
    between_unit_share: within > 0 ? (between * T) / within : 0,
    autocorr,
  };
}
