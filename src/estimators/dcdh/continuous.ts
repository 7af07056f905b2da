/**
 * did_multiplegt_dyn's `continuous` option (de Chaisemartin & D'Haultfœuille 2024, web appendix: a
 * baseline treatment with many values, so that few units share one): as the package does
 * (did_multiplegt_main.R, "If continuous option specified"), every unit is compared with every other
 * whatever its baseline (D_{g,1} set to 0, strata only trends_nonparam's), the treatment becomes the
 * switch indicator S_g·1{t ≥ F_g} (binarised and staggered), and the controls gain the period dummies
 * interacted with the baseline's powers, 1{t ≥ j}·D_{g,1}^k for every period j but the first and
 * k = 1 … degree, which let the outcome's evolution depend on the baseline through a polynomial. The
 * average total effect and the normalised effects keep the original treatment's changes. The design
 * (F_g, S_g, T_g, N_{g,t}, and on a panel with gaps the missing-data conventions) is read once, on the
 * original treatment, as the package reads it before it binarises.
 */
import type { Panel } from '../../panel/panel.js';
import { type DcdhDesign, type DesignShape, dcdhDesign } from './design.js';

export interface ContinuousPanel {
  /** The panel with the binarised treatment and the polynomial controls as time-varying covariates. */
  panel: Panel;
  /** The added controls' names, in the package's order (periods, then powers). */
  controls: string[];
  /** The original treatment (after the missing-data conventions) and baseline, for δ_ℓ and δ^D_ℓ. */
  original: { D: Float64Array; d1: Float64Array };
  /**
   * The design the estimator runs on: read once on the original treatment with the strata pooled (F_g,
   * S_g, T_g, N_{g,t}, Design Restriction 2 and the missing-data conventions all as the package reads
   * them before it binarises), then D replaced by the binarised treatment and D_{g,1} by 0; its messages
   * also say when a switcher has absent rows, where the package as published reads the panel otherwise.
   */
  design: DcdhDesign;
}

/**
 * @param degree the polynomial's degree (the package's `continuous = degree`)
 */
export function continuousPanel(
  panel: Panel,
  trendsNonparam: readonly string[],
  degree: number,
  shape: Pick<DesignShape, 'dontDropLargerLower' | 'dropIfDMissBeforeFirstSwitch'> = {},
): ContinuousPanel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const d: DcdhDesign = dcdhDesign(panel, trendsNonparam, undefined, { ...shape, pooled: true });
  // S_g·1{t ≥ F_g} on the rows the design holds.
  const D = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    if (d.F[i] >= T) continue;
    // A unit of the last cohort (no S_g: it has no switch before T_g) still switches at F_g.
    const s = d.dir[i] !== 0 ? d.dir[i] : Math.sign(d.D[d.F[i] * n + i] - d.d1[i]) || 1;
    for (let t = d.F[i]; t < T; t++) D[t * n + i] = s;
  }
  for (let k = 0; k < D.length; k++) if (!d.obs[k]) D[k] = Number.NaN;
  // The polynomial's controls, missing on the rows the data do not hold (the package's balancing fills
  // those rows without D_{g,1}'s powers).
  const covariates: Record<string, Float64Array> = { ...panel.covariates };
  const controls: string[] = [];
  for (let j = 1; j < T; j++)
    for (let k = 1; k <= degree; k++) {
      const name = `continuous: 1{t ≥ ${panel.periods[j]}}·D_1^${k}`;
      const x = new Float64Array(n * T);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < n; i++) x[t * n + i] = panel.observed?.[t * n + i] === 0 ? Number.NaN : t >= j ? d.d1[i] ** k : 0;
      covariates[name] = x;
      controls.push(name);
    }
  // As published, did_multiplegt_dyn deletes a switcher's rows that its balancing filled in (their
  // d_sq_XX_orig is NA in its no-first-stage subset) and then differences across the gap; we read an
  // absent row as a row of missing values, as it does under every other option (README, dcdh).
  const absent = new Uint8Array(n);
  for (let k = 0; k < n * T; k++) if (panel.observed?.[k] === 0) absent[k % n] = 1;
  let gapped = 0;
  for (let i = 0; i < n; i++) if (d.dir[i] !== 0 && absent[i]) gapped++;
  const messages = [...d.messages];
  if (gapped > 0)
    messages.push(
      `continuous: ${gapped} switcher(s) have absent rows, read as rows with no outcome and no treatment; did_multiplegt_dyn as published differences across such a gap here (README, dcdh), so to compare with it write those rows out with an empty outcome and treatment.`,
    );
  return {
    panel: { ...panel, covariates, treatment: D },
    controls,
    original: { D: d.D, d1: d.d1 },
    design: { ...d, D, d1: new Float64Array(n), messages },
  };
}
