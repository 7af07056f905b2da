/**
 * did_multiplegt_dyn's `continuous` option (de Chaisemartin & D'Haultfœuille 2024, web appendix: a
 * baseline treatment with many values, so that few units share one): as the package does
 * (did_multiplegt_main.R, "If continuous option specified"), every unit is compared with every other
 * whatever its baseline (D_{g,1} set to 0, strata only trends_nonparam's), the treatment becomes the
 * switch indicator S_g·1{t ≥ F_g} (binarised and staggered), and the controls gain the period dummies
 * interacted with the baseline's powers, 1{t ≥ j}·D_{g,1}^k for every period j but the first and
 * k = 1 … degree, which let the outcome's evolution depend on the baseline through a polynomial. The
 * average total effect and the normalised effects keep the original treatment's changes.
 */
import { makePanel, type Panel } from '../../panel/panel.js';
import { type DcdhDesign, dcdhDesign } from './design.js';

export interface ContinuousPanel {
  /** The panel with the binarised treatment and the polynomial controls as time-varying covariates. */
  panel: Panel;
  /** The added controls' names, in the package's order (periods, then powers). */
  controls: string[];
  /** The original treatment and baseline, for δ_ℓ and δ^D_ℓ. */
  original: { D: Float64Array; d1: Float64Array };
  /** Design Restriction 2's cuts, read on the original treatment. */
  lastT: Int32Array;
  /** The no-first-stage switchers (dont_drop_larger_lower), found on the original treatment. */
  drop: Uint8Array;
  /**
   * The rows the original treatment's design keeps (periods × units): the package drops the periods
   * without a never-changing unit (controls_time) before it binarises, so a unit switching after T_max
   * (a never-switcher there) must not become a control in the later periods of the binarised panel.
   */
  present: Uint8Array;
  messages: string[];
}

/**
 * @param degree the polynomial's degree (the package's `continuous = degree`)
 */
export function continuousPanel(
  panel: Panel,
  trendsNonparam: readonly string[],
  degree: number,
  dontDropLargerLower = false,
): ContinuousPanel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  // The design on the original treatment with the strata pooled: F_g, S_g (against the original
  // D_{g,1}) and the cuts.
  const d: DcdhDesign = dcdhDesign(panel, trendsNonparam, undefined, { pooled: true, dontDropLargerLower });
  const D = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    if (d.F[i] >= T) continue;
    // A unit of the last cohort (no S_g: it has no switch before T_g) still switches at F_g.
    const s = d.dir[i] !== 0 ? d.dir[i] : Math.sign(d.D[d.F[i] * n + i] - d.d1[i]) || 1;
    for (let t = d.F[i]; t < T; t++) D[t * n + i] = s;
  }
  const covariates: Record<string, Float64Array> = { ...panel.covariates };
  const controls: string[] = [];
  for (let j = 1; j < T; j++)
    for (let k = 1; k <= degree; k++) {
      const name = `continuous: 1{t ≥ ${panel.periods[j]}}·D_1^${k}`;
      const x = new Float64Array(n * T);
      for (let t = j; t < T; t++) for (let i = 0; i < n; i++) x[t * n + i] = d.d1[i] ** k;
      covariates[name] = x;
      controls.push(name);
    }
  return {
    panel: makePanel({
      periods: panel.periods,
      ids: panel.ids,
      group: panel.group,
      y: panel.y,
      covariates,
      cluster: panel.cluster,
      weights: panel.weights,
      treatment: D,
    }),
    controls,
    original: { D: d.D, d1: d.d1 },
    lastT: d.lastT,
    drop: d.noFirstStage,
    present: Uint8Array.from(d.D, (v) => (Number.isNaN(v) ? 0 : 1)),
    messages: d.messages,
  };
}
