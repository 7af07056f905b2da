/**
 * The design did_multiplegt_dyn estimates from, for a treatment D_{g,t} that may change at any date and
 * take any values — binary, switching on and off, or discrete (de Chaisemartin & D'Haultfœuille 2024,
 * Section 2): each unit's baseline D_{g,1}, its first switch F_g (the first period whose treatment
 * differs from D_{g,1}), the strata within which switchers and controls are compared (the baseline
 * value, crossed with any `trends_nonparam` columns), and T_g, the last period at which a unit of g's
 * stratum has not switched yet (Design Restriction 1).
 *
 * As the package does (did_multiplegt_main.R): a stratum whose units all switch at the same date (or
 * never) has no comparison and is left out; periods after T_g carry no outcome for that stratum; a
 * switcher whose mean treatment over F_g … T_g exceeds D_{g,1} is a switcher in (S_g = 1), else a
 * switcher out. A unit whose treatment goes both above and below its baseline is cut from the period
 * at which it has done both (Design Restriction 2; its outcomes there are treated as missing), unless
 * `dont_drop_larger_lower` (DesignShape), which keeps it whole and leaves out instead a switcher whose
 * mean treatment after F_g equals D_{g,1} (no first stage).
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import { panelColumn } from './panel-column.js';
import { cellWeights, conventions, missingData } from './missing-data.js';

export interface DcdhDesign {
  n: number;
  T: number;
  /** Treatment, periods × units like y. */
  D: Float64Array;
  /** Baseline treatment D_{g,1}. */
  d1: Float64Array;
  /** 0-based index of the first switch; T when D never leaves D_{g,1}. */
  F: Int32Array;
  /** Stratum code (baseline × trends_nonparam cells); −1 = left out. */
  stratum: Int32Array;
  nStrata: number;
  /** Per unit: T_g (0-based) of its stratum; −1 when left out. */
  Tg: Int32Array;
  /** +1 switcher in, −1 switcher out, 0 not a switcher (never switches by T_g, or left out). */
  dir: Int8Array;
  /** Last period (0-based) with an outcome: T − 1, or the period before a Design Restriction 2 cut. */
  lastT: Int32Array;
  /** Last period any stratum keeps (the package's T_max): a unit with F > Tmax is a never-switcher. */
  Tmax: number;
  /** Units the package counts (its G_XX): those of the kept strata, no-first-stage switchers included. */
  counted: number;
  /** Per unit, 1 = a no-first-stage switcher left out (dont_drop_larger_lower). */
  noFirstStage: Uint8Array;
  /** Per stratum: its units. */
  members: number[][];
  messages: string[];
  /** The outcome as the package reads it after its missing-data conventions (NaN: none), periods × units. */
  y: Float64Array;
  /** N_{g,t}, the weight of each cell (periods × units): the unit's or cell's weight, 0 where the outcome or treatment is missing. */
  N: Float64Array;
  /** The rows the package still holds after its deletions (absent rows, Design Restriction 2's cut, periods without an unswitched unit), before its outcome conventions. */
  obs: Uint8Array;
}

/** D as periods × units: the panel's own treatment column, else 1{period ≥ first treated period}. */
export function treatmentOf(panel: Panel): Float64Array {
  if (panel.treatment) return panel.treatment;
  const n = panel.nUnits,
    T = panel.nPeriods;
  const D = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    const g = panel.group[i];
    if (g === 0) continue;
    for (let t = 0; t < T; t++) if (panel.periods[t] >= g) D[t * n + i] = 1;
  }
  return D;
}

/**
 * Refuse a treatment with missing values (the package's conventions for missing treatments are not
 * implemented: the panel is balanced).
 * @param column the column's name for the message
 * @throws {EstimatorInputError} naming the column
 */
export function checkTreatment(D: Float64Array, column: string): void {
  if (D.every((v) => Number.isFinite(v))) return;
  throw new EstimatorInputError(
    `dcdh: the treatment ${column} has missing or non-finite values; did_multiplegt_dyn's handling of missing treatments is not implemented (give every unit and period a value)`,
  );
}

/** How an option reshapes the design (continuous.ts, trends-lin.ts). */
export interface DesignShape {
  /** Strata ignore the baseline value (continuous: D_{g,1} is set to 0 for every unit). */
  pooled?: boolean;
  /**
   * dont_drop_larger_lower: no Design Restriction 2 cut; a switcher whose mean treatment after F_g
   * equals D_{g,1} (no first stage: neither in nor out) leaves the design, after T_g is set.
   */
  dontDropLargerLower?: boolean;
  /** did_multiplegt_dyn's drop_if_d_miss_before_first_switch (missing-data.ts). */
  dropIfDMissBeforeFirstSwitch?: boolean;
  /**
   * Keep a unit that has a treatment but no outcome (trends_lin's differences on a panel with gaps: the
   * package left out units without an outcome in levels, before differencing, and keeps the rest).
   */
  keepWithoutOutcome?: boolean;
  /**
   * Each unit's D_{g,1} and first change (0-based, T = never) as the levels' design found them (trends_lin
   * on a panel with gaps: the package reads both before differencing, so a baseline seen only in the
   * first period survives its removal).
   */
  baseline?: { d1: Float64Array; F: Int32Array };
}

/**
 * @param exclude per unit, 1 = not in the design at all (trends_lin's units that switch in the second
 *   period): neither switcher nor control, and not counted in any stratum
 */
export function dcdhDesign(panel: Panel, trendsNonparam: readonly string[], exclude?: Uint8Array, shape: DesignShape = {}): DcdhDesign {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const D0 = treatmentOf(panel);
  // A balanced panel has every treatment; a panel read with its gaps goes through the package's
  // missing-data conventions (missing-data.ts).
  if (!panel.observed) checkTreatment(D0, panel.treatment ? 'column' : 'derived from the start groups');
  const cols = trendsNonparam.map((name) => {
    const c = panelColumn(panel, name, 'dcdh: trends_nonparam column');
    if (c.length !== n)
      throw new EstimatorInputError(`dcdh: trends_nonparam column "${name}" varies over time; it must be constant within each unit`);
    return c;
  });
  const m = missingData(panel, D0, shape);
  const { D, y, obs, d1, F, lastT } = m;
  // Strata: D_{g,1} × the trends_nonparam values (N_{g,t} and the controls are counted within them).
  const keyOf = new Map<string, number>();
  const raw = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (exclude?.[i] || m.gone[i]) {
      raw[i] = -1;
      continue;
    }
    const key = [shape.pooled ? 0 : d1[i], ...cols.map((c) => c[i])].join('\0');
    let s = keyOf.get(key);
    if (s === undefined) {
      s = keyOf.size;
      keyOf.set(key, s);
    }
    raw[i] = s;
  }
  const K = keyOf.size;
  const minF = new Int32Array(K).fill(T + 1);
  const maxF = new Int32Array(K).fill(-1);
  for (let i = 0; i < n; i++) {
    if (raw[i] < 0) continue;
    minF[raw[i]] = Math.min(minF[raw[i]], F[i]);
    maxF[raw[i]] = Math.max(maxF[raw[i]], F[i]);
  }
  // A stratum whose units all first switch at one date has no comparison (the package drops it).
  const code = new Int32Array(K).fill(-1);
  let nStrata = 0;
  for (let s = 0; s < K; s++) if (maxF[s] > minF[s]) code[s] = nStrata++;
  const stratum = new Int32Array(n);
  const members: number[][] = Array.from({ length: nStrata }, () => []);
  let dropped = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const s = raw[i] < 0 ? -1 : code[raw[i]];
    stratum[i] = s;
    if (s >= 0) {
      counted++;
      members[s].push(i);
    } else if (raw[i] >= 0) dropped++;
  }
  // A period at which no unit of a stratum is observed unswitched leaves that stratum (the package
  // drops those rows); T_max is the last period any stratum keeps.
  let Tmax = -1;
  for (let s = 0; s < nStrata; s++)
    for (let t = 0; t < T; t++) {
      const ok = members[s].some((j) => obs[t * n + j] && t < F[j]);
      if (!ok) for (const j of members[s]) m.remove(t, j);
      else Tmax = Math.max(Tmax, t);
    }
  // A change after T_max is no switch the design can see: the unit is a never-switcher (F = T_max + 1
  // in the package, our T).
  for (let i = 0; i < n; i++) if (stratum[i] >= 0 && F[i] > Tmax) F[i] = T;
  const trunc = conventions(m, stratum, Tmax, shape.dropIfDMissBeforeFirstSwitch === true);
  // T_g: the last period at which some unit of g's stratum has neither switched nor been truncated.
  const Tg = new Int32Array(n).fill(-1);
  const lastOf = new Int32Array(nStrata).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = stratum[i];
    if (s < 0) continue;
    const Fp = F[i] >= T ? Tmax + 1 : F[i];
    lastOf[s] = Math.max(lastOf[s], Math.min(Fp, trunc[i]) - 1);
  }
  const dir = new Int8Array(n);
  const nfs = new Uint8Array(n);
  let noFirstStage = 0;
  for (let i = 0; i < n; i++) {
    const s = stratum[i];
    if (s < 0) continue;
    Tg[i] = lastOf[s];
    if (F[i] > Tg[i]) continue;
    // S_g: the mean treatment over F_g … T_g (periods with a treatment) against D_{g,1}.
    let sum = 0,
      k = 0;
    for (let q = F[i]; q <= Tg[i]; q++)
      if (!Number.isNaN(D[q * n + i])) {
        sum += D[q * n + i];
        k++;
      }
    const mean = sum / k;
    if (mean === d1[i]) {
      // No first stage (only possible without the cut): out of the design, T_g already set.
      stratum[i] = -1;
      Tg[i] = -1;
      nfs[i] = 1;
      noFirstStage++;
      continue;
    }
    dir[i] = mean > d1[i] ? 1 : -1;
  }
  for (let s = 0; s < nStrata; s++) members[s] = members[s].filter((i) => stratum[i] >= 0);
  const N = cellWeights(panel, m, stratum);
  const messages: string[] = [...m.messages];
  if (noFirstStage > 0)
    messages.push(
      `${noFirstStage} switcher(s) whose mean treatment after the first change equals the baseline (no first stage) are left out, as did_multiplegt_dyn does under dont_drop_larger_lower.`,
    );
  if (m.cut > 0)
    messages.push(
      `${m.cut} unit(s) whose treatment goes both above and below its baseline are cut from the period by which it has done both (did_multiplegt_dyn's Design Restriction 2; dont_drop_larger_lower keeps them whole).`,
    );
  if (dropped > 0)
    messages.push(
      `${dropped} unit(s) left out: every unit with their baseline treatment${cols.length ? ' (and trends_nonparam cell)' : ''} first switches at the same date or never, so none has a comparison unit.`,
    );
  return { n, T, D, d1, F, stratum, nStrata, Tg, dir, lastT, Tmax, counted, noFirstStage: nfs, members, messages, y, N, obs };
}

/** A code per unit for its trends_nonparam cell (the cohort and cell keys that keep those cells apart). */
export function tnpCodes(panel: Panel, trendsNonparam: readonly string[]): Int32Array {
  const codes = new Map<string, number>();
  return Int32Array.from({ length: panel.nUnits }, (_, i) => {
    const key = trendsNonparam.map((name) => panel.covariates[name][i]).join('\0');
    if (!codes.has(key)) codes.set(key, codes.size);
    return codes.get(key)!;
  });
}

/** The most effects / placebos a switcher in a direction kept by `keep` has (0 when none). */
export function designHorizon(d: DcdhDesign, keep: (dir: number) => boolean): { effects: number; placebo: number } {
  let effects = 0,
    placebo = 0;
  for (let i = 0; i < d.n; i++) {
    if (d.dir[i] === 0 || !keep(d.dir[i])) continue;
    // ℓ ≤ L_g = T_g − F_g + 1 effects; a placebo ℓ also needs F_g − 1 − ℓ ≥ 0.
    const L = d.Tg[i] - d.F[i] + 1;
    effects = Math.max(effects, L);
    placebo = Math.max(placebo, Math.min(L, d.F[i] - 1));
  }
  return { effects, placebo };
}
