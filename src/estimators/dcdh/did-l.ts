/**
 * de Chaisemartin & D'Haultfœuille (2024, REStat) event-study estimators DID_ℓ, their placebos and
 * the average total effect, for a binary absorbing (staggered) treatment with one unit per group —
 * the panels Stagger generates and reads — as R/Stata DIDmultiplegtDYN computes them.
 *
 * For a switcher g (first treated period F_g, 1-based period index) and ℓ ≥ 1, with t = F_g − 1 + ℓ:
 *   DID_{g,ℓ} = (Y_{g,t} − Y_{g,F_g−1}) − mean_{g' ∈ C_t} (Y_{g',t} − Y_{g',F_g−1})       (paper eq. 3)
 * where C_t are the units with the same baseline treatment (untreated) still untreated at t (F_{g'} > t;
 * with `control: 'never'` the never treated only, the package's only_never_switchers). A switcher
 * enters DID_ℓ when t ≤ T_g, the last period at which some untreated-at-baseline unit is still
 * untreated. DID_ℓ = (1/N_ℓ) Σ_g DID_{g,ℓ} over those N_ℓ switchers (eq. 4, all N_{g,t} = 1).
 * Placebo ℓ compares Y_{F_g−1−ℓ} − Y_{F_g−1} of the same switchers (those of DID_ℓ with F_g − 1 − ℓ ≥ 1)
 * to the same controls C_t. The average total effect (Section 3.3) is Σ_ℓ w_ℓ DID_ℓ, w_ℓ = N_ℓ / Σ N_ℓ
 * (a binary absorbing treatment changes by 1 at every ℓ, so δ^D_ℓ = 1).
 *
 * Variance (the paper's Section 4 and DIDmultiplegtDYN's default, conservative "cohort" SE): each unit
 * has an influence term
 *   U_g = (1/N_ℓ) Σ_t [1{g switcher at t} − (N_t / N^c_t) 1{g ∈ C_t}] · DOF_gt · (ΔY_{g,t} − Ê_gt)
 * with ΔY_{g,t} = Y_{g,t} − Y_{g,t−ℓ}, N_t the switchers at t, N^c_t = |C_t|; Ê_gt demeans a switcher's
 * ΔY within its cohort (same F_g) and a control's within C_t, DOF_gt = √(n/(n−1)) for that cell's n; a
 * cell of one unit (one cluster) is demeaned within the union of switchers and controls at t instead,
 * and left undemeaned when that union is one unit too. σ̂² = Σ_clusters (Σ_{g ∈ k} U_g)², SE = σ̂.
 * With clusters, the n of each demeaning cell counts distinct clusters, as the package does.
 */
import type { Panel } from '../../panel/panel.js';

export type DcdhControl = 'notyet' | 'never';

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
}

/** One long difference of one estimator (an effect or a placebo): the cells it uses. */
interface Cells {
  /** Switcher units and their period index t (0-based) and ΔY. */
  sw: { i: number; t: number; dy: number; F: number }[];
  /** Per period t (0-based): control units and their ΔY. */
  ctrl: Map<number, { i: number; dy: number }[]>;
}

function distinct(units: number[], code: Int32Array): number {
  return new Set(units.map((i) => code[i])).size;
}

/** Point estimate and influence terms (variance version) of one long difference. */
function estimateCells(cells: Cells, n: number, code: Int32Array): { att: number; N: number; u: Float64Array } | null {
  const N = cells.sw.length;
  if (N === 0) return null;
  const nt = new Map<number, number>();
  for (const s of cells.sw) nt.set(s.t, (nt.get(s.t) ?? 0) + 1);
  // Point estimate: mean over switchers of ΔY_s − mean ΔY of its controls.
  const ctrlMean = new Map<number, number>();
  for (const [t, cs] of cells.ctrl) ctrlMean.set(t, cs.reduce((a, c) => a + c.dy, 0) / cs.length);
  let att = 0;
  for (const s of cells.sw) att += s.dy - ctrlMean.get(s.t)!;
  att /= N;

  // Demeaning cells: switchers by cohort (F), controls by period; the union by period as fallback.
  const byCohort = new Map<number, Cells['sw']>();
  for (const s of cells.sw) {
    const list = byCohort.get(s.F) ?? [];
    list.push(s);
    byCohort.set(s.F, list);
  }
  const swAt = new Map<number, { i: number; dy: number }[]>();
  for (const s of cells.sw) {
    const list = swAt.get(s.t) ?? [];
    list.push(s);
    swAt.set(s.t, list);
  }
  const mean = (xs: { dy: number }[]) => xs.reduce((a, x) => a + x.dy, 0) / xs.length;
  const unionAt = (t: number) => {
    const u = [...(swAt.get(t) ?? []), ...(cells.ctrl.get(t) ?? [])];
    const k = distinct(
      u.map((x) => x.i),
      code,
    );
    return { k, m: mean(u) };
  };
  /** (Ê, DOF) of a cell with `k` clusters and mean m, falling back to the union at t. */
  const demean = (k: number, m: number, t: number): [number, number] => {
    if (k >= 2) return [m, Math.sqrt(k / (k - 1))];
    const un = unionAt(t);
    if (un.k >= 2) return [un.m, Math.sqrt(un.k / (un.k - 1))];
    return [0, 1];
  };

  const u = new Float64Array(n);
  for (const [, list] of byCohort) {
    const k = distinct(
      list.map((x) => x.i),
      code,
    );
    const m = mean(list);
    for (const s of list) {
      const [e, dof] = demean(k, m, s.t);
      u[s.i] += (dof * (s.dy - e)) / N;
    }
  }
  for (const [t, cs] of cells.ctrl) {
    const w = (nt.get(t) ?? 0) / cs.length;
    if (w === 0) continue;
    const k = distinct(
      cs.map((x) => x.i),
      code,
    );
    const [e, dof] = demean(k, mean(cs), t);
    for (const c of cs) u[c.i] -= (w * dof * (c.dy - e)) / N;
  }
  return { att, N, u };
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
 * DID_ℓ (ℓ = 1..effects), placebos (1..placebo) and the average total effect with their SEs.
 * Units treated from the first period (always treated) have another baseline treatment: they are
 * neither switchers nor controls of the untreated-at-baseline switchers, and are left out.
 */
export function dcdhEstimates(panel: Panel, o: DcdhInput): DcdhResult {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const y = panel.y;
  // F (0-based index of the first treated period): T = never treated (or after the panel), 0 = always.
  const F = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = panel.group[i];
    let t = 0;
    if (g === 0 || g > panel.periods[T - 1]) t = T;
    else while (t < T && panel.periods[t] < g) t++;
    F[i] = t;
  }
  const messages: string[] = [];
  const always = F.reduce((a, f) => a + (f === 0 ? 1 : 0), 0);
  if (always > 0) messages.push(`${always} unit(s) treated from the first period (another baseline treatment) are left out.`);
  // T_g: last period index at which an untreated-at-baseline unit is still untreated.
  let maxF = -1;
  for (let i = 0; i < n; i++) if (F[i] > 0) maxF = Math.max(maxF, F[i]);
  const Tg = maxF - 1;
  const isCtrl = (i: number, t: number) => F[i] > 0 && F[i] > t && (o.control === 'notyet' || F[i] === T);
  const { code, count } = o.cluster;

  const build = (l: number, placebo: boolean): Cells => {
    const sw: Cells['sw'] = [];
    const ctrl: Cells['ctrl'] = new Map();
    const ctrlAt = (t: number) => {
      let cs = ctrl.get(t);
      if (cs) return cs;
      cs = [];
      for (let i = 0; i < n; i++) {
        if (!isCtrl(i, t)) continue;
        const dy = placebo ? y[(t - 2 * l) * n + i] - y[(t - l) * n + i] : y[t * n + i] - y[(t - l) * n + i];
        cs.push({ i, dy });
      }
      ctrl.set(t, cs);
      return cs;
    };
    for (let i = 0; i < n; i++) {
      const f = F[i];
      if (f <= 0 || f >= T) continue;
      const t = f - 1 + l;
      if (t > Tg) continue;
      if (placebo && t - 2 * l < 0) continue;
      if (ctrlAt(t).length === 0) continue;
      const dy = placebo ? y[(t - 2 * l) * n + i] - y[(t - l) * n + i] : y[t * n + i] - y[(t - l) * n + i];
      sw.push({ i, t, dy, F: f });
    }
    // Keep only the control periods some switcher uses.
    const used = new Set(sw.map((s) => s.t));
    for (const t of [...ctrl.keys()]) if (!used.has(t)) ctrl.delete(t);
    return { sw, ctrl };
  };

  const why = (l: number, placebo: boolean) =>
    placebo
      ? `no switcher has ${l} period(s) before its start and ${l} after it with a comparison unit`
      : `no switcher is observed ${l - 1} period(s) after its start while a comparison unit is still untreated`;

  const effectsU: (Float64Array | null)[] = [];
  const effects: DcdhRow[] = [];
  const Ns: number[] = [];
  const atts: number[] = [];
  for (let l = 1; l <= o.effects; l++) {
    const r = estimateCells(build(l, false), n, code);
    if (!r) {
      effects.push({ key: l, att: null, se: null, switchers: 0, reason: why(l, false) });
      effectsU.push(null);
      continue;
    }
    const s = clusterSum(r.u, code, count);
    effects.push({ key: l, att: r.att, se: Math.sqrt(dot(s, s)), switchers: r.N });
    effectsU.push(s);
    Ns.push(r.N);
    atts.push(r.att);
  }
  const placebos: DcdhRow[] = [];
  const placebosU: (Float64Array | null)[] = [];
  for (let l = 1; l <= o.placebo; l++) {
    const r = estimateCells(build(l, true), n, code);
    if (!r) {
      placebos.push({ key: -l, att: null, se: null, switchers: 0, reason: why(l, true) });
      placebosU.push(null);
      continue;
    }
    const s = clusterSum(r.u, code, count);
    placebos.push({ key: -l, att: r.att, se: Math.sqrt(dot(s, s)), switchers: r.N });
    placebosU.push(s);
  }
  const all = [...placebosU.slice().reverse(), ...effectsU];
  const vcov = all.map((a) => all.map((b) => (a && b ? dot(a, b) : null)));

  let average: DcdhResult['average'];
  const total = Ns.reduce((a, b) => a + b, 0);
  if (total === 0) {
    average = { att: null, se: null, switchers: 0, reason: 'no effect DID_ℓ is identified' };
  } else {
    const agg = new Float64Array(count);
    let att = 0,
      k = 0;
    for (const s of effectsU) {
      if (!s) continue;
      const w = Ns[k] / total;
      att += w * atts[k];
      for (let c = 0; c < count; c++) agg[c] += w * s[c];
      k++;
    }
    average = { att, se: Math.sqrt(dot(agg, agg)), switchers: total };
  }
  return { effects, placebos, average, vcov, messages };
}
