/**
 * did_multiplegt_dyn's `predict_het` (de Chaisemartin & D'Haultfœuille 2024, Section 6.2: which
 * switchers' effects are larger): for effect ℓ, the switchers with F_g − 1 + ℓ ≤ T_g, each unit once,
 *   S_g·(Y_{g,F_g−1+ℓ} − Y_{g,F_g−1})   (trends_lin: minus ℓ·(Y_{g,F_g−1} − Y_{g,F_g−2}))
 * regressed on time-invariant covariates and fixed effects of the cells F_g × D_{g,1} × S_g ×
 * trends_nonparam, weighted by N_g; the placebo ℓ alike with Y_{g,F_g−1−ℓ}. As the package
 * (did_multiplegt_main.R, the predict_het block): HC1 standard errors (sandwich::vcovHC), intervals with
 * the t quantile on the regression's residual degrees of freedom, and the F test that every covariate's
 * coefficient is 0 on the HC1 covariance (car::linearHypothesis). Its quirk is kept: a cell variable
 * (F_g, D_{g,1}, S_g, a trends_nonparam column) enters the cells only when it takes two values among
 * the switchers with an outcome at F_g − 2 (its `!is.null(trends_lin)` is always true), though the
 * regression then uses every switcher with the two outcomes.
 * The regression is solved by Frisch–Waugh–Lovell (covariates and outcome demeaned within the cells,
 * weighted), whose HC sandwich for the covariates equals the full regression's.
 */
import { pinvSym } from '../../linalg/pinv.js';
import type { Panel } from '../../panel/panel.js';
import { betaInc, qt } from '../../stats/student-t.js';
import { EstimatorInputError } from '../errors.js';
import { panelColumn } from './panel-column.js';
import type { HeterogeneityRow } from '../types.js';
import type { DcdhDesign } from './design.js';

/** The covariates' columns, checked: present and constant within units. */
export function hetColumns(panel: Panel, names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const c = panelColumn(panel, name, 'dcdh: predict_het column');
    if (c.length !== panel.nUnits)
      throw new EstimatorInputError(
        `dcdh: predict_het column "${name}" varies over time within units; predict_het takes time-invariant covariates (the package ignores a time-varying one)`,
      );
    return c;
  });
}

/**
 * @param panel the panel in levels (not trends_lin's differences)
 * @param d its design (before trends_lin's drop); `exclude` marks trends_lin's left-out units
 * @param horizons effects ℓ > 0 and placebos −ℓ to regress
 */
export function predictHet(
  panel: Panel,
  d: DcdhDesign,
  names: readonly string[],
  horizons: readonly number[],
  o: { trendsLin: boolean; exclude?: Uint8Array; tnp: Int32Array },
): HeterogeneityRow[] {
  const X = hetColumns(panel, names);
  const n = d.n,
    p = X.length;
  // The outcome after the missing-data conventions (the panel's own when it has no gaps).
  const y = d.y;
  // Each switcher's regression weight: its weight in the panel's first period (the second under
  // trends_lin, whose data start there), where the package keeps its one row (gr_id == 1 of the
  // balanced panel); a unit without a row there has none (NA) and drops out.
  const r0 = o.trendsLin ? n : 0;
  const w =
    panel.observed || panel.cellWeights || panel.weights
      ? Float64Array.from({ length: n }, (_, g) =>
          panel.observed && !panel.observed[r0 + g]
            ? 0
            : panel.cellWeights
              ? panel.cellWeights[r0 + g]
              : panel.weights
                ? panel.weights[g]
                : 1,
        )
      : undefined;
  const has = (t: number, g: number) => t >= 0 && Number.isFinite(y[t * n + g]);
  const rows: HeterogeneityRow[] = [];
  for (const h of horizons) {
    const l = Math.abs(h);
    const units: number[] = [];
    const v: number[] = [];
    const levels = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
    // Under trends_lin the package's data start at the second period (its first is dropped).
    const first = o.trendsLin ? 1 : 0;
    for (let g = 0; g < n; g++) {
      if (d.dir[g] === 0 || o.exclude?.[g]) continue;
      const F = d.F[g];
      if (F - 1 + l > d.Tg[g] || F - 1 < first) continue;
      if (F - 2 >= first && has(F - 2, g) && has(F - 1, g)) [d.F[g], d.d1[g], d.dir[g], o.tnp[g]].forEach((x, k) => levels[k].add(x));
      if ((w && w[g] === 0) || (o.trendsLin && (F - 2 < first || !has(F - 2, g)))) continue;
      const at = h > 0 ? F - 1 + l : F - 1 - l;
      if (at < first || at > d.lastT[g] || !has(at, g) || !has(F - 1, g)) continue;
      let diff = y[at * n + g] - y[(F - 1) * n + g];
      if (o.trendsLin) diff -= l * (y[(F - 1) * n + g] - y[(F - 2) * n + g]);
      units.push(g);
      v.push(d.dir[g] * diff);
    }
    rows.push(
      ...regress(
        h,
        units,
        v,
        levels.map((x) => x.size > 1),
      ),
    );
  }
  return rows;

  function regress(h: number, units: number[], v: number[], split: boolean[]): HeterogeneityRow[] {
    const m = units.length;
    const wt = (g: number) => (w ? w[g] : 1);
    // Cells F × D_{g,1} × S × trends_nonparam, weighted means of the outcome and covariates.
    const cellOf = new Map<string, number>();
    const cell = units.map((g) => {
      const key = [d.F[g], d.d1[g], d.dir[g], o.tnp[g]].map((x, k) => (split[k] ? x : '')).join('|');
      if (!cellOf.has(key)) cellOf.set(key, cellOf.size);
      return cellOf.get(key)!;
    });
    const K = cellOf.size;
    const sw = new Float64Array(K);
    const sy = new Float64Array(K);
    const sx = new Float64Array(K * p);
    units.forEach((g, a) => {
      const c = cell[a];
      sw[c] += wt(g);
      sy[c] += wt(g) * v[a];
      for (let j = 0; j < p; j++) sx[c * p + j] += wt(g) * X[j][g];
    });
    const xt = new Float64Array(m * p);
    const yt = new Float64Array(m);
    units.forEach((g, a) => {
      const c = cell[a];
      yt[a] = v[a] - sy[c] / sw[c];
      for (let j = 0; j < p; j++) xt[a * p + j] = X[j][g] - sx[c * p + j] / sw[c];
    });
    const XtX = new Float64Array(p * p);
    const Xty = new Float64Array(p);
    units.forEach((g, a) => {
      for (let i = 0; i < p; i++) {
        Xty[i] += wt(g) * xt[a * p + i] * yt[a];
        for (let j = 0; j < p; j++) XtX[i * p + j] += wt(g) * xt[a * p + i] * xt[a * p + j];
      }
    });
    const dfRes = m - K - p;
    const none = (reason: string) =>
      names.map((covariate) => ({ effect: h, covariate, estimate: null, se: null, t: null, lb: null, ub: null, n: m, pF: null, reason }));
    if (m === 0) return none('no switcher has this horizon');
    if (dfRes <= 0) return none(`${m} switcher(s) for ${K} cell(s) and ${p} covariate(s): no residual degrees of freedom`);
    const inv = pinvSym(XtX, p);
    // Collinearity with the cells (a covariate constant within them) leaves a zero eigenvalue.
    const scale = Math.max(1, ...Array.from(XtX, Math.abs));
    for (let j = 0; j < p; j++)
      if (!(XtX[j * p + j] > 1e-12 * scale))
        return none(`${names[j]} does not vary within the cells F × D_{g,1} × S_g: its coefficient is not identified`);
    const beta = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) beta[i] += inv[i * p + j] * Xty[j];
    // HC1: n/(n − k) · B⁻¹ (Σ w² e² x x') B⁻¹, k the regression's columns (cells and covariates).
    const meat = new Float64Array(p * p);
    units.forEach((g, a) => {
      let e = yt[a];
      for (let j = 0; j < p; j++) e -= xt[a * p + j] * beta[j];
      const s = wt(g) * wt(g) * e * e;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) meat[i * p + j] += s * xt[a * p + i] * xt[a * p + j];
    });
    const V = new Float64Array(p * p);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) s += inv[i * p + a] * meat[a * p + b] * inv[b * p + j];
        V[i * p + j] = (s * m) / dfRes;
      }
    // F = β'V⁻¹β / p on (p, n − k) degrees of freedom; P(F > f) = I_{df/(df + p f)}(df/2, p/2).
    const Vi = pinvSym(V, p);
    let W = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) W += beta[i] * Vi[i * p + j] * beta[j];
    const f = W / p;
    const pF = betaInc(dfRes / (dfRes + p * f), dfRes / 2, p / 2);
    const crit = qt(0.975, dfRes);
    return names.map((covariate, j) => {
      const se = Math.sqrt(V[j * p + j]);
      return { effect: h, covariate, estimate: beta[j], se, t: beta[j] / se, lb: beta[j] - crit * se, ub: beta[j] + crit * se, n: m, pF };
    });
  }
}
