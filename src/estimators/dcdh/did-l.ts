/**
 * de Chaisemartin & D'Haultfœuille (2024, REStat) event-study estimators DID_ℓ, their placebos and
 * the average total effect, for a binary or discrete treatment that may change at any date and switch
 * back (switchers in and out), one unit per group — as R/Stata DIDmultiplegtDYN computes them
 * (did_multiplegt_dyn_core.R).
 *
 * The design (design.ts): baseline D_{g,1}, first switch F_g, strata (D_{g,1} × trends_nonparam), T_g.
 * For a switcher g and ℓ ≥ 1, with t = F_g − 1 + ℓ ≤ T_g (whatever g's treatment does after F_g):
 *   DID_{g,ℓ} = (Y_{g,t} − Y_{g,F_g−1}) − mean_{g' ∈ C_{g,t}} (Y_{g',t} − Y_{g',F_g−1})     (paper eq. 3)
 * C_{g,t}: the units of g's stratum whose treatment has not changed by t (F_{g'} > t; with
 * `control: 'never'`, the package's only_never_switchers, only those that never change by T_max).
 * DID_ℓ = (1/N_ℓ) Σ_g N_g S_g DID_{g,ℓ}, S_g = +1 for a switcher in, −1 for a switcher out (eq. 4;
 * N_g the weights, 1 without): switchers out enter with their sign flipped, so DID_ℓ is the effect
 * of the switchers' change in treatment; `switchers: 'in' | 'out'` keeps one kind. Placebo ℓ compares Y_{F_g−1−ℓ} − Y_{F_g−1} of
 * the same switchers (those with F_g − 1 − ℓ ≥ 0) to the same controls C_{g,t}.
 * `normalized` divides DID_ℓ (and its SE) by δ^D_ℓ = (1/N_ℓ) Σ_g Σ_{k=0}^{ℓ−1} S_g(D_{g,F_g+k} − D_{g,1})
 * (Section 3.2), the placebo by the same sum over its own switchers. The average total effect (Section
 * 3.3) is Σ_ℓ N_ℓ DID_ℓ / Σ_ℓ N_ℓ δ_ℓ with δ_ℓ = (1/N_ℓ) Σ_g S_g(D_{g,F_g−1+ℓ} − D_{g,1}) (= 1 when the
 * treatment is absorbing, so then Σ_ℓ N_ℓ DID_ℓ / Σ_ℓ N_ℓ). `same_switchers` keeps only the switchers
 * that have all the L effects asked for.
 *
 * Variance (Section 4 and the package's default, conservative SE): each unit has an influence term
 *   U_g = (1/N_ℓ) Σ_t S·[1{g switcher at t} − (N_{s,t} / N^c_{s,t}) 1{g ∈ C_t}] · DOF_gt · (ΔY_{g,t} − Ê_gt)
 * with ΔY_{g,t} = Y_{g,t} − Y_{g,t−ℓ}, N_{s,t} the switchers of g's stratum at t, N^c_{s,t} its controls.
 * Ê_gt demeans a switcher's ΔY within its cohort (D_{g,1}, F_g, D_{g,F_g}, trends_nonparam) and a
 * control's within the controls of its stratum at t (when some switcher of its baseline is at t);
 * DOF_gt = √(n/(n−1)) for that cell's n. A cell of one (one cluster) falls back on the union of the
 * stratum's switchers and controls at t; when that union is one cluster too, a switcher's term is
 * dropped and a control's left undemeaned (DOF 1), as the package does. `less_conservative_se` makes a
 * switcher's cohort its whole treatment path D_{g,F_g} … D_{g,F_g−1+ℓ} when two or more units share
 * it, else (D_{g,1}, F_g, D_{g,F_g}) when shared, else (D_{g,1}, F_g) (counting units, not clusters).
 * σ̂² = Σ_clusters (Σ_{g ∈ k} U_g)², SE = σ̂. With clusters, the n of each cell counts distinct clusters.
 */
import type { Panel } from '../../panel/panel.js';
import { type DcdhDesign, type DesignShape, dcdhDesign, designHorizon, tnpCodes } from './design.js';
import type { ControlFit } from './controls.js';
import { trendsLinPlaceboCap } from './trends-lin.js';

export type DcdhControl = 'notyet' | 'never';
export type DcdhSwitchers = 'both' | 'in' | 'out';

export interface DcdhRow {
  /** ℓ for an effect, −ℓ for a placebo. */
  key: number;
  att: number | null;
  se: number | null;
  /** Switchers the row averages. */
  switchers: number;
  reason?: string;
}

export interface DcdhResult {
  effects: DcdhRow[];
  placebos: DcdhRow[];
  average: { att: number | null; se: number | null; switchers: number; reason?: string };
  /**
   * Covariance of the placebos (−L'..−1 as event times −1−L'..−2) then the effects (event times
   * 0..L−1), in that order, from the same influence terms; null where a row is not identified.
   */
  vcov: (number | null)[][];
  messages: string[];
}

export interface DcdhInput {
  effects: number;
  placebo: number;
  control: DcdhControl;
  /** Dense cluster code per unit (0..count−1) and the count; one per unit when not clustering. */
  cluster: { code: Int32Array; count: number };
  switchers?: DcdhSwitchers;
  normalized?: boolean;
  sameSwitchers?: boolean;
  lessConservativeSe?: boolean;
  /** Unit-level columns whose cells the comparisons stay within (the package's trends_nonparam). */
  trendsNonparam?: readonly string[];
  /** Placebos only from the switchers that have every placebo asked for too (same_switchers_pl). */
  sameSwitchersPl?: boolean;
  /**
   * The panel and design are first differences (trends-lin.ts): DID_ℓ = Σ_{k≤ℓ} DID_k of the
   * differences over the switchers with all ℓ effects, placebos alike; no average total effect.
   */
  trendsLin?: boolean;
  /** controls: the fitted θ_d (controls.ts fitControls on this panel and design). */
  controls?: ControlFit;
  /** continuous: the original treatment and baseline, whose changes δ_ℓ and δ^D_ℓ measure. */
  original?: { D: Float64Array; d1: Float64Array };
}

/** One long difference (an effect or a placebo): point estimate, influence terms, δ's. */
interface LongDiff {
  /** Σ of the switchers' weights N_{g,t} (their number when unweighted), and their number. */
  N: number;
  count: number;
  att: number;
  /** Influence terms (variance version), per unit, already divided by N and signed. */
  u: Float64Array;
  /** (1/N) Σ S·(D_{F−1+ℓ} − D_1) (the average total effect's δ_ℓ) and the cumulative one (normalized). */
  delta: number;
  deltaCum: number;
}

interface Ctx {
  d: DcdhDesign;
  y: Float64Array;
  code: Int32Array;
  onlyNever: boolean;
  keepDir: (dir: number) => boolean;
  /** Per unit: allowed as a switcher (same_switchers), and as a placebo's switcher (same_switchers_pl). */
  still: Uint8Array | null;
  stillPl: Uint8Array | null;
  lessConservative: boolean;
  /** Per unit and ℓ (less_conservative_se): cohort keys path_ℓ, path_1, path_0 and whether shared. */
  paths: { key: string[][]; shared: Uint8Array[] } | null;
  /** trends_nonparam cell of each unit's stratum besides the baseline (for the cohort keys). */
  tnp: Int32Array;
  /** The package's weight N_{g,t}, periods × units (design.ts: 0 where the outcome or treatment is missing). */
  w: Float64Array;
  /** controls: θ_d and the terms of its influence (controls.ts); null without controls. */
  controls: ControlFit | null;
  /** The treatment and baseline δ_ℓ and δ^D_ℓ are measured in (the original one under continuous). */
  dose: { D: Float64Array; d1: Float64Array };
}

/** Σ of the units' weights N_{g,t} at period t (`at` = t·n). */
function weightSum(units: readonly number[], w: Float64Array, at: number): number {
  let s = 0;
  for (const i of units) s += w[at + i];
  return s;
}

function distinctCount(units: readonly number[], code: Int32Array): number {
  const s = new Set<number>();
  for (const i of units) s.add(code[i]);
  return s.size;
}

/**
 * Mean of ΔY at period t over `units`, weighted by N_{g,t} (total(N·ΔY) / total(N), the package's
 * mean_cohort); dy keyed by t·n + i: a control enters several periods.
 */
function meanDy(units: readonly number[], dy: Map<number, number>, at: number, w: Float64Array): number {
  let s = 0,
    sw = 0;
  for (const i of units) {
    const wi = w[at + i];
    s += wi * dy.get(at + i)!;
    sw += wi;
  }
  return s / sw;
}

/**
 * Can unit i be a control at t: not switched, a weight N_{i,t} > 0 (an outcome and a treatment at t),
 * and an outcome at t − ℓ (a placebo: also at t − 2ℓ, the package's diff_y_pl and diff_y both non-missing)?
 */
function isControl(c: Ctx, i: number, t: number, l: number, placebo: boolean): boolean {
  const { d, y } = c;
  const n = d.n;
  if (d.stratum[i] < 0 || t > d.Tg[i] || t - (placebo ? 2 * l : l) < 0) return false;
  if (d.F[i] <= t || c.w[t * n + i] === 0 || Number.isNaN(y[(t - l) * n + i])) return false;
  if (placebo && Number.isNaN(y[(t - 2 * l) * n + i])) return false;
  return !c.onlyNever || d.F[i] > d.Tmax;
}

function longDiff(c: Ctx, l: number, placebo: boolean): LongDiff | null {
  const { d, y, code, w } = c;
  const n = d.n;
  const wt = (i: number, t: number) => w[t * n + i];
  const long = (v: Float64Array, i: number, t: number) =>
    placebo ? v[(t - 2 * l) * n + i] - v[(t - l) * n + i] : v[t * n + i] - v[(t - l) * n + i];
  // controls: each long difference net of θ_d'(the controls' long difference), d = D_{g,1} (controls.ts).
  const cf = c.controls;
  const diff = (i: number, t: number) => {
    let v = long(y, i, t);
    const lv = cf?.levels.get(d.d1[i]);
    if (lv) for (let j = 0; j < cf!.k; j++) v -= lv.theta[j] * long(cf!.X[j], i, t);
    return v;
  };
  // Controls of each (stratum, t), built when a switcher asks.
  const ctrl = new Map<number, number[]>();
  const ctrlAt = (s: number, t: number): number[] => {
    const k = s * d.T + t;
    let cs = ctrl.get(k);
    if (!cs) {
      cs = d.members[s].filter((i) => isControl(c, i, t, l, placebo));
      ctrl.set(k, cs);
    }
    return cs;
  };
  // Switchers: t = F − 1 + ℓ ≤ T_g, with a control in their stratum at t.
  const swAt = new Map<number, number[]>(); // stratum·T + t → switchers
  const tOf = new Int32Array(n).fill(-1);
  let N = 0,
    count = 0;
  for (let i = 0; i < n; i++) {
    if (d.dir[i] === 0 || !c.keepDir(d.dir[i])) continue;
    if (c.still && !c.still[i]) continue;
    if (placebo && c.stillPl && !c.stillPl[i]) continue;
    const t = d.F[i] - 1 + l;
    if (t > Math.min(d.Tg[i], d.lastT[i])) continue;
    if (placebo && t - 2 * l < 0) continue;
    // An outcome and treatment at t (N_{g,t} > 0), at F − 1, and for a placebo at F − 1 − ℓ.
    if (wt(i, t) === 0 || Number.isNaN(y[(d.F[i] - 1) * n + i])) continue;
    if (placebo && Number.isNaN(y[(t - 2 * l) * n + i])) continue;
    if (ctrlAt(d.stratum[i], t).length === 0) continue;
    tOf[i] = t;
    const k = d.stratum[i] * d.T + t;
    const list = swAt.get(k) ?? [];
    list.push(i);
    swAt.set(k, list);
    N += wt(i, t);
    count++;
  }
  if (count === 0) return null;
  const dy = new Map<number, number>();
  for (const [k, sw] of swAt) {
    const s = Math.floor(k / d.T),
      t = k % d.T;
    for (const i of sw) dy.set(t * n + i, diff(i, t));
    for (const i of ctrlAt(s, t)) dy.set(t * n + i, diff(i, t));
  }
  const sign = (i: number) => d.dir[i];

  // Point estimate and δ's.
  let num = 0,
    delta = 0,
    deltaCum = 0;
  for (const [k, sw] of swAt) {
    const s = Math.floor(k / d.T),
      t = k % d.T;
    const cs = ctrlAt(s, t);
    const m = meanDy(cs, dy, t * n, w);
    for (const i of sw) {
      const ws = wt(i, t) * sign(i);
      num += ws * (dy.get(t * n + i)! - m);
      delta += ws * (c.dose.D[t * n + i] - c.dose.d1[i]);
      // Σ_{k=F}^{F−1+ℓ} (D_k − D_1): the treatment accumulated over the effect's ℓ periods (those with one).
      for (let q = d.F[i]; q <= d.F[i] - 1 + l; q++) {
        const v = c.dose.D[q * n + i];
        if (!Number.isNaN(v)) deltaCum += ws * (v - c.dose.d1[i]);
      }
    }
  }

  // Variance: demeaning cells (the controls of a stratum at t count there because its switchers are).
  const u = new Float64Array(n);
  // Union of the stratum's switchers and used controls at t: (clusters, mean).
  // Union of the stratum's switchers of one direction and its controls at t (the package's ns_s cell
  // of its run for that direction).
  const union = (s: number, t: number, dir: number) => {
    const all = [...(swAt.get(s * d.T + t) ?? []).filter((i) => d.dir[i] === dir), ...ctrlAt(s, t)];
    return { k: distinctCount(all, code), m: meanDy(all, dy, t * n, w) };
  };
  // Switchers: cohorts (stratum, F, D_{g,F_g}) or, with less_conservative_se, the cell of a path
  // level; each cell holds every switcher of that key.
  const cells = new Map<string, number[]>();
  const chosen = new Map<number, string>();
  for (const [, sw] of swAt)
    for (const i of sw) {
      const { keys, use } = cohortKeys(c, i, l, placebo);
      keys.forEach((key) => {
        const list = cells.get(key) ?? [];
        list.push(i);
        cells.set(key, list);
      });
      chosen.set(i, keys[use]);
    }
  const countRows = c.lessConservative && !placebo;
  const cellStats = new Map<string, { k: number; m: number }>();
  for (const [i, key] of chosen) {
    let st = cellStats.get(key);
    if (!st) {
      const list = cells.get(key)!;
      st = { k: countRows ? list.length : distinctCount(list, code), m: meanDy(list, dy, tOf[i] * n, w) };
      cellStats.set(key, st);
    }
    // A cell's switchers share F, hence t = F − 1 + ℓ.
    const at = tOf[i] * n;
    let e: number, dof: number;
    if (st.k >= 2) [e, dof] = [st.m, Math.sqrt(st.k / (st.k - 1))];
    else {
      const un = union(d.stratum[i], tOf[i], d.dir[i]);
      if (un.k < 2) continue; // the package leaves Ê missing: the term drops out
      [e, dof] = [un.m, Math.sqrt(un.k / (un.k - 1))];
    }
    u[i] += (wt(i, tOf[i]) * sign(i) * dof * (dy.get(at + i)! - e)) / N;
  }
  for (const [k, sw] of swAt) {
    const s = Math.floor(k / d.T),
      t = k % d.T;
    const cs = ctrlAt(s, t);
    const nc = weightSum(cs, w, t * n);
    const kc = distinctCount(cs, code);
    const cell = kc >= 2 ? { e: meanDy(cs, dy, t * n, w), dof: Math.sqrt(kc / (kc - 1)) } : null;
    // Each direction's switchers weigh the controls by N^dir_{s,t} / N^controls_{s,t} (sums of
    // weights), with its sign; a control cell of one cluster falls back on that direction's union.
    for (const dir of [1, -1]) {
      const mine = sw.filter((i) => d.dir[i] === dir);
      if (mine.length === 0) continue;
      const ratio = weightSum(mine, w, t * n) / nc;
      let e: number, dof: number;
      if (cell) ({ e, dof } = cell);
      else {
        const un = union(s, t, dir);
        [e, dof] = un.k >= 2 ? [un.m, Math.sqrt(un.k / (un.k - 1))] : [0, 1];
      }
      for (const i of cs) u[i] -= (dir * ratio * wt(i, t) * dof * (dy.get(t * n + i)! - e)) / N;
    }
  }
  if (cf) addControlsInfluence(c, cf, u, swAt, ctrlAt, l, N, long);
  return { N, count, att: num / N, u, delta: delta / N, deltaCum: deltaCum / N };
}

/**
 * The estimation of θ_d in each unit's influence term (controls.ts, the package's part2):
 *   u_g −= (1/N) Σ_d Σ_j MX_{d,j} [(A_d inSum_{d,g})_j 1{D_{g,1} = d} − θ_{d,j}/G],
 * MX_{d,j} = this DID_ℓ's sum on X_j's long differences over the rows of baseline d whose unit has
 * ℓ ≤ T_g − 2 (the package's 1-based T_g), switchers with their sign, controls with −sign·N_s/N_c.
 */
function addControlsInfluence(
  c: Ctx,
  cf: ControlFit,
  u: Float64Array,
  swAt: Map<number, number[]>,
  ctrlAt: (s: number, t: number) => number[],
  l: number,
  N: number,
  long: (v: Float64Array, i: number, t: number) => number,
): void {
  const { d, w } = c;
  const k = cf.k;
  const wt = (i: number, t: number) => w[t * d.n + i];
  const MX = new Map<number, Float64Array>();
  for (const level of cf.levels.keys()) MX.set(level, new Float64Array(k));
  // ℓ ≤ T_g − 2 in the package's periods: 1-based T_g = T_g(0-based) + 1 + offset.
  const inM = (i: number) => l <= d.Tg[i] + cf.offset - 1;
  for (const [key, sw] of swAt) {
    const s = Math.floor(key / d.T),
      t = key % d.T;
    const cs = ctrlAt(s, t);
    const mx = MX.get(d.d1[d.members[s][0]]);
    if (!mx) continue;
    // Σ_switchers S_g N_g / N^controls: the controls' weight summed over both directions.
    let signed = 0;
    for (const i of sw) signed += d.dir[i] * wt(i, t);
    const ratio = signed / weightSum(cs, w, t * d.n);
    for (const i of sw) if (inM(i)) for (let j = 0; j < k; j++) mx[j] += d.dir[i] * wt(i, t) * long(cf.X[j], i, t);
    for (const i of cs) if (inM(i)) for (let j = 0; j < k; j++) mx[j] -= ratio * wt(i, t) * long(cf.X[j], i, t);
  }
  // (The package's 1{F_g ≥ 3} is implied: inSum sums 1 ≤ t < F_g, empty for a switch in period 2.)
  for (let g = 0; g < d.n; g++) {
    if (!cf.inSample[g]) continue;
    let extra = 0;
    for (const [level, lv] of cf.levels) {
      const own = d.d1[g] === level;
      const mx = MX.get(level)!;
      for (let j = 0; j < k; j++) {
        let b = -lv.theta[j] / cf.G;
        if (own) for (let q = 0; q < k; q++) b += lv.A[j * k + q] * lv.inSum[q * d.n + g];
        extra += mx[j] * b;
      }
    }
    u[g] -= extra / N;
  }
}

/**
 * A switcher's demeaning cells and the one it uses: (stratum, F) — the package's (D_1, F, D_F,
 * trends_nonparam) — or, with less_conservative_se, its path cells at levels ℓ, 1, 0 (trends_nonparam
 * kept apart): the full path when ≥ 2 units share it, else (D_1, F, D_F) when shared, else (D_1, F).
 */
function cohortKeys(c: Ctx, i: number, l: number, placebo: boolean): { keys: string[]; use: number } {
  const { d } = c;
  // (The direction too: the package demeans within its run for switchers in or out; it differs from
  // D_{g,F_g}'s side only for a path that crosses its baseline, under dont_drop_larger_lower.)
  if (!c.paths || placebo) return { keys: [`${d.stratum[i]}:${d.F[i]}:${d.D[d.F[i] * d.n + i]}:${d.dir[i]}`], use: 0 };
  const { key, shared } = c.paths;
  const levels = [...new Set([l, 1, 0])];
  const level = shared[l][i] ? l : shared[1][i] ? 1 : 0;
  // A cell holds one direction's switchers (the package demeans within its run for switchers in or
  // out); whether a path is shared counts every unit.
  return { keys: levels.map((v) => `${v}|${d.dir[i]}|${c.tnp[i]}|${key[v][i]}`), use: levels.indexOf(level) };
}

/** Treatment paths (D_{g,1}, F_g, D_{g,F_g}, …, D_{g,F_g−1+ℓ}), ℓ = 0..L, and whether ≥ 2 units share each. */
function treatmentPaths(d: DcdhDesign, L: number): { key: string[][]; shared: Uint8Array[] } {
  const key: string[][] = [];
  const shared: Uint8Array[] = [];
  const last = new Float64Array(d.n);
  for (let l = 0; l <= L; l++) {
    const k: string[] = new Array(d.n).fill('');
    const count = new Map<string, number>();
    for (let i = 0; i < d.n; i++) {
      if (d.stratum[i] < 0) continue;
      if (l === 0) {
        last[i] = d.d1[i];
        k[i] = `${d.d1[i]},${d.F[i]}`;
      } else {
        // D at F − 1 + ℓ; beyond T_g (no outcome there) the last known value carries on, as the package imputes.
        const t = d.F[i] - 1 + l;
        if (t <= Math.min(d.Tg[i], d.lastT[i]) && !Number.isNaN(d.D[t * d.n + i])) last[i] = d.D[t * d.n + i];
        k[i] = `${key[l - 1][i]},${last[i]}`;
      }
      count.set(k[i], (count.get(k[i]) ?? 0) + 1);
    }
    key.push(k);
    shared.push(Uint8Array.from(k, (x, i) => (d.stratum[i] >= 0 && count.get(x)! > 1 ? 1 : 0)));
  }
  return { key, shared };
}

function clusterSum(u: Float64Array, code: Int32Array, count: number): Float64Array {
  const s = new Float64Array(count);
  for (let i = 0; i < u.length; i++) s[code[i]] += u[i];
  return s;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The design of a panel as dcdh reads it, and the most effects and placebos it identifies (the
 * horizons its defaults come from).
 * @param given a design already read (continuous's, from the original treatment), else read from panel
 */
export function dcdhHorizon(
  panel: Panel,
  o: Pick<DcdhInput, 'switchers' | 'trendsNonparam' | 'trendsLin'> & { exclude?: Uint8Array } & DesignShape,
  given?: DcdhDesign,
): { effects: number; placebo: number; design: DcdhDesign } {
  const design =
    given ??
    dcdhDesign(panel, o.trendsNonparam ?? [], o.exclude, {
      dontDropLargerLower: o.dontDropLargerLower,
      dropIfDMissBeforeFirstSwitch: o.dropIfDMissBeforeFirstSwitch,
      keepWithoutOutcome: o.keepWithoutOutcome,
      baseline: o.baseline,
    });
  const keep = keepDirection(o.switchers);
  const h = designHorizon(design, keep);
  return { effects: h.effects, placebo: o.trendsLin ? trendsLinPlaceboCap(design, keep) : h.placebo, design };
}

function keepDirection(s: DcdhSwitchers | undefined): (dir: number) => boolean {
  return s === 'in' ? (x) => x > 0 : s === 'out' ? (x) => x < 0 : () => true;
}

/**
 * Has stratum s at t a control for the difference Y_t − Y_{t−q} (q < 0: the lead Y_t − Y_{t+|q|}): a unit
 * not switched by t (a never-switcher with only_never_switchers) with both outcomes and N_{g,t} > 0 (the
 * package's N_gt_control_last > 0)?
 */
function hasControl(d: DcdhDesign, s: number, t: number, q: number, onlyNever: boolean): boolean {
  const u = t - q;
  if (u < 0 || u >= d.T) return false;
  const n = d.n;
  return d.members[s].some((j) => d.F[j] > t && (!onlyNever || d.F[j] > d.Tmax) && d.N[t * n + j] > 0 && !Number.isNaN(d.y[u * n + j]));
}

/** Has switcher i outcomes at both t and F − 1 (the package's diff_y_relev non-missing)? */
function hasOutcomes(d: DcdhDesign, i: number, t: number): boolean {
  return !Number.isNaN(d.y[t * d.n + i]) && !Number.isNaN(d.y[(d.F[i] - 1) * d.n + i]);
}

/**
 * same_switchers for L effects: the switchers with DID_1 … DID_L, i.e. F − 1 + L ≤ T_g, and at every
 * F − 1 + q, q ≤ L, their own long difference and a control in their stratum (did_multiplegt_dyn_core.R,
 * still_switcher).
 */
function sameSwitcherMask(d: DcdhDesign, L: number, onlyNever: boolean): Uint8Array {
  const still = new Uint8Array(d.n);
  for (let i = 0; i < d.n; i++) {
    if (d.dir[i] === 0 || d.F[i] - 1 + L > Math.min(d.Tg[i], d.lastT[i])) continue;
    let ok = true;
    for (let q = 1; q <= L && ok; q++) {
      const t = d.F[i] - 1 + q;
      ok = hasOutcomes(d, i, t) && hasControl(d, d.stratum[i], t, q, onlyNever);
    }
    still[i] = ok ? 1 : 0;
  }
  return still;
}

/**
 * same_switchers_pl for P placebos: the switchers observed P periods before F − 1 (F − 1 − P ≥ 0) with,
 * at each F − 1 − q, their own outcome and a control of their stratum (unswitched, a never-switcher with
 * only_never_switchers, with outcomes at F − 1 − q and F − 1) — the package's fillin_g_pl
 * (N_g_control_check_pl = placebo).
 */
function placeboMask(d: DcdhDesign, P: number, onlyNever: boolean): Uint8Array {
  const ok = new Uint8Array(d.n);
  for (let i = 0; i < d.n; i++) {
    if (d.dir[i] === 0 || d.F[i] - 1 - P < 0) continue;
    let all = true;
    for (let q = 1; q <= P && all; q++) {
      const t = d.F[i] - 1 - q;
      all = hasOutcomes(d, i, t) && hasControl(d, d.stratum[i], t, -q, onlyNever);
    }
    ok[i] = all ? 1 : 0;
  }
  return ok;
}

/**
 * trends_lin's DID_ℓ (or placebo ℓ) on the first differences: Σ_{k=1}^{ℓ} of the k-th long difference
 * over one set of switchers (those with all ℓ effects, and for a placebo all ℓ placebos), so
 * Σ_k [ΔY_{F−1+k} − ΔY_{F−1}] = Y_{F−1+ℓ} − Y_{F−1} − ℓ·(Y_{F−1} − Y_{F−2}) nets out a linear trend per
 * unit (de Chaisemartin & D'Haultfœuille 2024, Section 5). As the package (did_multiplegt_main.R runs
 * the core once per ℓ with same_switchers, for switchers in and out apart, each summing its U_Gg1 …
 * U_Ggℓ): the sums are per direction, then weighted by the directions' shares of the switchers' weight
 * at ℓ, N^±_ℓ / N_ℓ (with weights that vary over time the shares at k < ℓ differ). Not identified when
 * some k has no switcher.
 */
function trendsLinDiff(c: Ctx, l: number, placebo: boolean): LongDiff | null {
  const pooled = longDiff(c, l, placebo);
  if (!pooled) return null;
  // δ's (normalized) are those of the ℓ-th run's own effect, as the package's delta_norm_ℓ.
  const sum: LongDiff = { ...pooled, att: 0, u: new Float64Array(pooled.u.length) };
  for (const dir of [1, -1]) {
    if (!c.keepDir(dir)) continue;
    const one: Ctx = { ...c, keepDir: (x) => x === dir };
    const last = longDiff(one, l, placebo);
    if (!last) continue;
    const share = last.N / pooled.N;
    for (let k = 1; k <= l; k++) {
      const r = k === l ? last : longDiff(one, k, placebo);
      if (!r) return null;
      sum.att += share * r.att;
      for (let g = 0; g < sum.u.length; g++) sum.u[g] += share * r.u[g];
    }
  }
  return sum;
}

/** DID_ℓ (ℓ = 1..effects), placebos (1..placebo) and the average total effect with their SEs. */
export function dcdhEstimates(panel: Panel, o: DcdhInput, design?: DcdhDesign): DcdhResult {
  const d = design ?? dcdhDesign(panel, o.trendsNonparam ?? []);
  const keepDir = keepDirection(o.switchers);
  const { code, count } = o.cluster;
  const messages = [...d.messages];
  const onlyNever = o.control === 'never';
  const horizon = designHorizon(d, keepDir);
  const trendsLin = o.trendsLin === true;

  // same_switchers: switchers with all L effects, L = the effects asked for, capped at the horizon;
  // same_switchers_pl: placebos also from switchers with all the placebos (capped likewise, and at L).
  const L = Math.min(o.effects, horizon.effects);
  const still = o.sameSwitchers && !trendsLin ? sameSwitcherMask(d, L, onlyNever) : null;
  const stillPl = o.sameSwitchersPl && !trendsLin ? placeboMask(d, Math.min(o.placebo, horizon.placebo, L), onlyNever) : null;
  const tnp = tnpCodes(panel, o.trendsNonparam ?? []);
  const c: Ctx = {
    d,
    y: d.y,
    code,
    onlyNever,
    keepDir,
    still,
    stillPl,
    lessConservative: o.lessConservativeSe === true,
    paths: o.lessConservativeSe ? treatmentPaths(d, o.effects) : null,
    tnp,
    w: d.N,
    controls: o.controls ?? null,
    dose: o.original ?? { D: d.D, d1: d.d1 },
  };
  // trends_lin: effect ℓ from the switchers with all ℓ effects; placebo ℓ from those with all ℓ
  // effects and all ℓ placebos (the package's same_switchers and same_switchers_pl in its ℓ-th run).
  const effectDiff = (l: number): LongDiff | null =>
    trendsLin ? trendsLinDiff({ ...c, still: sameSwitcherMask(d, l, onlyNever) }, l, false) : longDiff(c, l, false);
  const placeboDiff = (l: number): LongDiff | null =>
    trendsLin
      ? trendsLinDiff({ ...c, still: sameSwitcherMask(d, l, onlyNever), stillPl: placeboMask(d, l, onlyNever) }, l, true)
      : longDiff(c, l, true);

  const why = (l: number, placebo: boolean) =>
    trendsLin
      ? placebo
        ? `trends_lin: placebo ${l} sums placebos 1…${l} of the first differences over the switchers with all ${l} effects and placebos, and some has no such switcher with a comparison unit`
        : `trends_lin: DID_${l} sums DID_1…DID_${l} of the first differences over the switchers with all ${l} effects, and no switcher has them all with a comparison unit`
      : placebo
        ? `no switcher has ${l} period(s) before its first switch and ${l} after it with a comparison unit`
        : `no switcher is observed ${l - 1} period(s) after its first switch while a comparison unit has not switched`;
  const norm = o.normalized === true;
  const rowOf = (key: number, r: LongDiff | null, l: number, placebo: boolean): { row: DcdhRow; s: Float64Array | null } => {
    if (!r) return { row: { key, att: null, se: null, switchers: 0, reason: why(l, placebo) }, s: null };
    const s = clusterSum(r.u, code, count);
    if (norm) {
      if (r.deltaCum === 0)
        return {
          row: { key, att: null, se: null, switchers: r.count, reason: 'normalized: the switchers’ treatment did not change (δ^D_ℓ = 0)' },
          s: null,
        };
      for (let k = 0; k < s.length; k++) s[k] /= r.deltaCum;
    }
    return { row: { key, att: norm ? r.att / r.deltaCum : r.att, se: Math.sqrt(dot(s, s)), switchers: r.count }, s };
  };

  const effects: DcdhRow[] = [];
  const effectsU: (Float64Array | null)[] = [];
  const raw: (LongDiff | null)[] = [];
  for (let l = 1; l <= o.effects; l++) {
    const r = effectDiff(l);
    raw.push(r);
    const { row, s } = rowOf(l, r, l, false);
    effects.push(row);
    effectsU.push(s);
  }
  const placebos: DcdhRow[] = [];
  const placebosU: (Float64Array | null)[] = [];
  // trends_lin: the package computes min(its placebo count, the effects asked for) placebos.
  const plCap = trendsLin ? Math.min(trendsLinPlaceboCap(d, keepDir), o.effects) : Infinity;
  for (let l = 1; l <= o.placebo; l++) {
    if (l > plCap) {
      placebos.push({
        key: -l,
        att: null,
        se: null,
        switchers: 0,
        reason: `trends_lin: did_multiplegt_dyn computes ${plCap} placebo(s) here (at most the effects asked for, and one fewer than the switchers' pre-periods as the differenced data start a period later)`,
      });
      placebosU.push(null);
      continue;
    }
    const { row, s } = rowOf(-l, placeboDiff(l), l, true);
    placebos.push(row);
    placebosU.push(s);
  }
  const all = [...placebosU.slice().reverse(), ...effectsU];
  const vcov = all.map((a) => all.map((b) => (a && b ? dot(a, b) : null)));
  const average = trendsLin
    ? {
        att: null,
        se: null,
        switchers: 0,
        reason: 'trends_lin: the package defines no average total effect with unit-specific linear trends',
      }
    : averageTotalEffect(raw, code, count);
  return { effects, placebos, average, vcov, messages };
}

/** Average total effect: Σ_ℓ N_ℓ DID_ℓ / Σ_ℓ N_ℓ δ_ℓ (un-normalized DID_ℓ), influence terms alike. */
function averageTotalEffect(raw: readonly (LongDiff | null)[], code: Int32Array, count: number): DcdhResult['average'] {
  let den = 0,
    total = 0;
  for (const r of raw)
    if (r) {
      den += r.N * r.delta;
      total += r.count;
    }
  if (total === 0 || den === 0) return { att: null, se: null, switchers: 0, reason: 'no effect DID_ℓ is identified' };
  const agg = new Float64Array(count);
  let att = 0;
  for (const r of raw) {
    if (!r) continue;
    const w = r.N / den;
    att += w * r.att;
    const s = clusterSum(r.u, code, count);
    for (let k = 0; k < count; k++) agg[k] += w * s[k];
  }
  return { att, se: Math.sqrt(dot(agg, agg)), switchers: total };
}
