/**
 * did_multiplegt_dyn's handling of an unbalanced panel and of missing outcomes and treatments
 * (did_multiplegt_main.R, "Dealing with missing treatments"; de Chaisemartin & D'Haultfœuille 2024,
 * web appendix), in the package's order. For each unit, FD_g and LD_g are the first and last periods
 * with a treatment, LDBF_g the last one before the first change F_g:
 * - a unit whose treatment or outcome is never observed leaves the sample;
 * - outcomes before FD_g are dropped (the unit joins the panel at FD_g);
 * - a switcher's missing treatment between FD_g and LDBF_g is its baseline D_{g,1}, after F_g its
 *   D_{g,F_g} (when LDBF_g = F_g − 1);
 * - a switcher with a missing treatment just before its change (LDBF_g < F_g − 1) does not reveal
 *   when it changed: its outcomes after LDBF_g are dropped and it becomes a control (F_g = T_max + 1),
 *   then treated as a never-switcher below — so, as in the package, its truncation date is LD_g + 1;
 * - a never-switcher's missing treatment between FD_g and LD_g is D_{g,1}; its outcomes after LD_g are
 *   dropped and it is a control until LD_g (trunc_control = LD_g + 1);
 * - `drop_if_d_miss_before_first_switch`: outcomes from the first missing treatment after the first
 *   observed outcome on are dropped when that comes before F_g.
 * Rows the data do not hold, and rows the package deletes (Design Restriction 2's cut, periods where a
 * stratum has no unswitched unit), have neither outcome nor treatment. N_{g,t} is the cell's weight,
 * 0 where its outcome or treatment is missing. On a balanced panel every convention is void.
 */
import type { Panel } from '../../panel/panel.js';
import type { DesignShape } from './design.js';

export interface MissingData {
  /** Treatment, outcome (copies, NaN = missing) and the rows present, periods × units. */
  D: Float64Array;
  y: Float64Array;
  obs: Uint8Array;
  d1: Float64Array;
  /** 0-based first change; T = never. */
  F: Int32Array;
  /** Last period before Design Restriction 2's cut (T − 1 when uncut). */
  lastT: Int32Array;
  /** First and last period with a treatment (before any deletion), −1 when none. */
  FD: Int32Array;
  LD: Int32Array;
  /** First period with a missing treatment on or after the first observed outcome, −1 when none. */
  minDmiss: Int32Array;
  /** Per unit, 1 = never has a treatment or never an outcome: out of the sample. */
  gone: Uint8Array;
  /** Units cut by Design Restriction 2 (reported by the caller). */
  cut: number;
  messages: string[];
  /** Delete row (t, i): no outcome, no treatment. */
  remove(t: number, i: number): void;
}

/** The sample before the strata: rows present, baselines, Design Restriction 2, first changes. */
export function missingData(panel: Panel, D0: Float64Array, shape: DesignShape): MissingData {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const D = Float64Array.from(D0);
  const y = Float64Array.from(panel.y);
  const obs = panel.observed ? Uint8Array.from(panel.observed) : new Uint8Array(n * T).fill(1);
  for (let k = 0; k < obs.length; k++)
    if (!obs[k]) {
      y[k] = NaN;
      D[k] = NaN;
    }
  const remove = (t: number, i: number) => {
    const k = t * n + i;
    obs[k] = 0;
    y[k] = NaN;
    D[k] = NaN;
  };
  const d1 = new Float64Array(n).fill(NaN);
  const F = new Int32Array(n).fill(T);
  const lastT = new Int32Array(n).fill(T - 1);
  const FD = new Int32Array(n).fill(-1);
  const LD = new Int32Array(n).fill(-1);
  const minDmiss = new Int32Array(n).fill(-1);
  const gone = new Uint8Array(n);
  let cut = 0,
    goneCount = 0;
  for (let i = 0; i < n; i++) {
    let FY = -1;
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      if (!obs[k]) continue;
      if (!Number.isNaN(D[k])) {
        if (FD[i] < 0) FD[i] = t;
        LD[i] = t;
      }
      if (FY < 0 && !Number.isNaN(y[k])) FY = t;
      if (FY >= 0 && minDmiss[i] < 0 && Number.isNaN(D[k])) minDmiss[i] = t;
    }
    if (FD[i] < 0 || (FY < 0 && !shape.keepWithoutOutcome)) {
      gone[i] = 1;
      goneCount++;
      continue;
    }
    d1[i] = shape.baseline ? shape.baseline.d1[i] : D[FD[i] * n + i];
    // Design Restriction 2: from the first period by which D has been both above and below D_{g,1}.
    if (!shape.dontDropLargerLower) {
      let up = false,
        down = false;
      for (let q = FD[i]; q < T; q++) {
        const v = D[q * n + i];
        if (!obs[q * n + i] || Number.isNaN(v)) continue;
        up ||= v > d1[i];
        down ||= v < d1[i];
        if (up && down) {
          lastT[i] = q - 1;
          cut++;
          break;
        }
      }
    }
    for (let q = lastT[i] + 1; q < T; q++) remove(q, i);
    // F_g: the first period with an observed treatment other than D_{g,1}.
    for (let t = FD[i] + 1; t < T; t++) {
      const v = D[t * n + i];
      if (!Number.isNaN(v) && v !== d1[i]) {
        F[i] = t;
        break;
      }
    }
    if (shape.baseline) F[i] = shape.baseline.F[i];
  }
  const messages: string[] = [];
  if (goneCount > 0)
    messages.push(`${goneCount} unit(s) with no observed treatment or no observed outcome are left out, as did_multiplegt_dyn drops them.`);
  return { D, y, obs, d1, F, lastT, FD, LD, minDmiss, gone, cut, messages, remove };
}

/** Truncation date "none". */
const NEVER = 2 ** 30;

/**
 * The conventions after the strata and T_max (see the header), in the package's order; changes m's
 * outcomes, treatments and first changes, and returns each unit's truncation date trunc_control
 * (0-based, NEVER when none).
 */
export function conventions(m: MissingData, stratum: Int32Array, Tmax: number, dropIfDMiss: boolean): Int32Array {
  const { D, y, obs, d1, F, FD, LD, minDmiss } = m;
  const n = d1.length,
    T = D.length / n;
  const trunc = new Int32Array(n).fill(NEVER);
  let cleared = 0,
    converted = 0,
    filled = 0,
    truncated = 0;
  const isNa = (t: number, i: number) => obs[t * n + i] === 1 && Number.isNaN(D[t * n + i]);
  const fill = (t: number, i: number, v: number) => {
    D[t * n + i] = v;
    filled++;
  };
  const drop = (from: number, i: number) => {
    for (let t = Math.max(0, from); t < T; t++) y[t * n + i] = NaN;
  };
  for (let i = 0; i < n; i++) {
    if (stratum[i] < 0) continue;
    const Fp = () => (F[i] >= T ? Tmax + 1 : F[i]);
    if (dropIfDMiss && minDmiss[i] >= 0 && minDmiss[i] < Fp()) {
      drop(minDmiss[i], i);
      cleared++;
    }
    // LDBF_g: the last period before F_g with a treatment (rows left after the deletions).
    let LDBF = -1;
    for (let t = Math.min(Fp(), T) - 1; t >= 0; t--)
      if (obs[t * n + i] && !Number.isNaN(D[t * n + i])) {
        LDBF = t;
        break;
      }
    for (let t = 0; t < FD[i]; t++) y[t * n + i] = NaN;
    if (F[i] < T) {
      for (let t = FD[i] + 1; t < LDBF; t++) if (isNa(t, i)) fill(t, i, d1[i]);
      if (LDBF < F[i] - 1) {
        // The change's date is unknown: a control until LDBF_g + 1.
        drop(LDBF + 1, i);
        trunc[i] = LDBF + 1;
        F[i] = T;
        converted++;
      } else {
        const dF = D[F[i] * n + i];
        for (let t = F[i] + 1; t < T; t++) if (isNa(t, i)) fill(t, i, dF);
      }
    }
    if (F[i] >= T) {
      for (let t = FD[i] + 1; t < LD[i]; t++) if (isNa(t, i)) fill(t, i, d1[i]);
      if (LD[i] < T - 1) truncated++;
      drop(LD[i] + 1, i);
      trunc[i] = LD[i] + 1;
    }
  }
  if (converted > 0)
    m.messages.push(
      `${converted} switcher(s) whose treatment is missing just before its first change (so the date of the change is unknown) are used as controls until their last treatment before it, as did_multiplegt_dyn does.`,
    );
  if (filled > 0)
    m.messages.push(
      `${filled} missing treatment(s) filled as did_multiplegt_dyn does: the baseline before a unit's first change (and for units that never change), the treatment at the change after it.`,
    );
  if (truncated > 0) m.messages.push(`${truncated} unit(s) that never change are controls only until their last observed treatment.`);
  if (cleared > 0)
    m.messages.push(
      `drop_if_d_miss_before_first_switch: ${cleared} unit(s) lose their outcomes from their first missing treatment before their first change on.`,
    );
  return trunc;
}

/** N_{g,t}: the cell's weight (time-varying, the unit's, or 1), 0 where its outcome or treatment is missing. */
export function cellWeights(panel: Panel, m: MissingData, stratum: Int32Array): Float64Array {
  const n = panel.nUnits;
  const N = new Float64Array(m.D.length);
  const cw = panel.cellWeights,
    uw = panel.weights;
  for (let k = 0; k < N.length; k++) {
    const i = k % n;
    if (stratum[i] < 0 || !m.obs[k] || Number.isNaN(m.y[k]) || Number.isNaN(m.D[k])) continue;
    N[k] = cw ? cw[k] : uw ? uw[i] : 1;
  }
  return N;
}

/** What makes a panel need the conventions: absent rows, missing outcomes or treatments, weights varying over time. */
export function gapsOf(panel: Panel, D: Float64Array): string | null {
  if (panel.cellWeights) return 'weights that vary over time';
  if (panel.observed?.includes(0)) return 'absent rows (an unbalanced panel)';
  if (panel.y.some(Number.isNaN)) return 'missing outcomes';
  if (D.some(Number.isNaN)) return 'missing treatments';
  return null;
}

/**
 * did_multiplegt_dyn drops the rows with a missing control before anything else (did_multiplegt_main.R,
 * "Dropping observations with missing controls"): such a row becomes absent — no outcome, no treatment,
 * weight 0 — and the missing-data conventions then apply to it like any absent row.
 */
export function dropRowsMissingControls(
  panel: Panel,
  D: Float64Array,
  controls: readonly Float64Array[],
): { panel: Panel; dropped: number } {
  const n = panel.nUnits,
    NT = n * panel.nPeriods;
  const gone: number[] = [];
  for (let k = 0; k < NT; k++) {
    if (panel.observed && !panel.observed[k]) continue;
    if (controls.some((x) => x.length === NT && Number.isNaN(x[k]))) gone.push(k);
  }
  if (gone.length === 0) return { panel, dropped: 0 };
  const observed = panel.observed ? Uint8Array.from(panel.observed) : new Uint8Array(NT).fill(1);
  const y = Float64Array.from(panel.y),
    treatment = Float64Array.from(D);
  const cw = panel.cellWeights ? Float64Array.from(panel.cellWeights) : undefined;
  for (const k of gone) {
    observed[k] = 0;
    y[k] = Number.NaN;
    treatment[k] = Number.NaN;
    if (cw) cw[k] = 0;
  }
  return { panel: { ...panel, observed, y, treatment, ...(cw ? { cellWeights: cw } : {}) }, dropped: gone.length };
}
