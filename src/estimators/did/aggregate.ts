/**
 * Aggregations of ATT(g,t) (Callaway & Sant'Anna 2021, section 3; R did's compute.aggte):
 *   simple   θ = Σ_{t≥g} P(G=g) ATT(g,t) / Σ P(G=g)                         (eq. 3.5 type weights)
 *   group    θ(g) = mean_{t≥g} ATT(g,t), θ = Σ_g P(G=g) θ(g) / Σ P(G=g)      (eq. 3.6)
 *   dynamic  θ(e) = Σ_g P(G=g | t−g=e) ATT(g, g+e), θ = mean_{e≥0} θ(e)     (eq. 3.4)
 *   calendar θ(t) = Σ_{g≤t} P(G=g | g≤t) ATT(g,t),  θ = mean_t θ(t)          (eq. 3.7)
 * Cells that are not identified are left out (R did's na.rm = TRUE). Each influence function is
 * ψ · w plus the estimation effect of the weights P(G=g) (addWeightEffect), as R did's
 * get_agg_inf_func(…, wif) computes it. The narrowed overall figures (estimands/averages.ts) reuse the
 * same pieces: dynamic_avg over [from, to] is the mean of those θ(e) (R did's aggte with min_e = from,
 * max_e = to), dynamic_pre_avg the mean of pre-period θ(e), both with the mean of their influence
 * functions; group_avg without some groups re-weights the rest with the weight effect of theirs.
 */
import { averagesLabel, within, type AverageOptions } from '../../estimands/averages.js';
import { Float64Arena } from '../../linalg/arena.js';
import type { AggregateEstimate, DetailEstimate } from '../types.js';
import type { Cell } from './att_gt.js';
import { addWeightEffect, cohortShares, combine, combineDense, seFromInf, type SparseColumn } from './influence.js';
import type { DidOptions } from './options.js';
import type { Prepared } from './prepare.js';

/** An aggregate with the influence functions behind it (kept for the bootstrap). */
export interface AggregateWithInf {
  estimate: AggregateEstimate;
  overallInf: Float64Array | null;
  detailInf: Array<Float64Array | null>;
  /** The influence function of the dynamic_pre_avg row, when asked for. */
  preInf?: Float64Array | null;
}

interface Usable {
  cells: Cell[];
  cols: Array<SparseColumn | null>;
  pg: number[];
  /** Where the aggregates' influence functions live. */
  mem: Float64Arena;
}

function usableCells(p: Prepared, cells: Cell[], mem: Float64Arena): Usable {
  const ok = cells.filter((c) => c.att !== null);
  const sizes = cohortShares(p);
  return {
    cells: ok,
    cols: ok.map((c) => (c.idx && c.inf ? { idx: c.idx, inf: c.inf } : null)),
    pg: ok.map((c) => sizes.get(c.group)!),
    mem,
  };
}

/** Weighted average of a subset of cells, its influence function, with or without the weight effect. */
function weightedCells(p: Prepared, u: Usable, which: number[], withWeightEffect: boolean) {
  const spg = which.reduce((s, k) => s + u.pg[k], 0);
  const w = which.map((k) => u.pg[k] / spg);
  const att = which.reduce((s, k, j) => s + w[j] * u.cells[k].att!, 0);
  const inf = combine(p.n, which.map((k) => u.cols[k]), w, u.mem.take(p.n));
  if (withWeightEffect) {
    addWeightEffect(inf, p.cohorts, which.map((k) => u.cells[k].group), which.map((k) => u.pg[k]), which.map((k) => u.cells[k].att!), p.weights);
  }
  return { att, inf };
}

/** Indices of the cells by a key (cells whose key is null are left out), in cell order. */
function indexBy(cells: Cell[], key: (c: Cell, k: number) => number | null): Map<number, number[]> {
  const out = new Map<number, number[]>();
  cells.forEach((c, k) => {
    const v = key(c, k);
    if (v === null) return;
    const list = out.get(v);
    if (list) list.push(k);
    else out.set(v, [k]);
  });
  return out;
}

function detailRow(key: number, att: number, inf: Float64Array, n: number): DetailEstimate {
  return { key, att, se: seFromInf(inf, n) };
}

function meanOf(p: Prepared, mem: Float64Arena, atts: number[], infs: Float64Array[]) {
  const w = atts.map(() => 1 / atts.length);
  const inf = combineDense(p.n, infs, w, mem.take(p.n));
  return { att: atts.reduce((s, a) => s + a, 0) / atts.length, inf };
}

function notIdentified(reason: string): AggregateWithInf {
  return { estimate: { att: null, se: null, reason, detail: [] }, overallInf: null, detailInf: [] };
}

/** Each aggregation takes `mem`, where its influence functions are kept (default: their own memory). */
export function aggregateSimple(p: Prepared, cells: Cell[], mem = new Float64Arena()): AggregateWithInf {
  const u = usableCells(p, cells, mem);
  const keep = u.cells.map((c, k) => (c.group <= c.time ? k : -1)).filter((k) => k >= 0);
  if (keep.length === 0) return notIdentified('no identified post-treatment ATT(g,t)');
  const { att, inf } = weightedCells(p, u, keep, true);
  return { estimate: { att, se: seFromInf(inf, p.n) }, overallInf: inf, detailInf: [] };
}

/** @param left labels of the start groups left out of the overall figure (analysis.group_avg_exclude) */
export function aggregateGroup(p: Prepared, cells: Cell[], mem = new Float64Arena(), left: ReadonlySet<number> = new Set(), averages?: AverageOptions): AggregateWithInf {
  const u = usableCells(p, cells, mem);
  const groups = [...new Set(u.cells.map((c) => c.group))].sort((a, b) => a - b);
  const detail: DetailEstimate[] = [];
  const detailInf: Array<Float64Array | null> = [];
  const kept: { g: number; att: number; inf: Float64Array; pg: number }[] = [];
  const postOf = indexBy(u.cells, (c) => (c.group <= c.time ? c.group : null));
  for (const g of groups) {
    const which = postOf.get(g) ?? [];
    if (which.length === 0) {
      detail.push({ key: g, att: null, se: null, reason: `no identified post-treatment ATT(g,t) for group ${g}` });
      detailInf.push(null);
      continue;
    }
    // Within a group the weights P(G=g) are equal: θ(g) is the plain mean, with no weight effect.
    const { att, inf } = weightedCells(p, u, which, false);
    detail.push(detailRow(g, att, inf, p.n));
    detailInf.push(inf);
    if (!left.has(g)) kept.push({ g, att, inf, pg: u.pg[which[0]] });
  }
  const label = averagesLabel('group', averages);
  const tag = label ? { averages: label } : {};
  if (kept.length === 0) {
    const reason = label ? `no group (${label}) has an identified post-treatment ATT(g,t)` : 'no group has an identified post-treatment ATT(g,t)';
    return { ...notIdentified(reason), estimate: { att: null, se: null, reason, detail, ...tag } };
  }
  const spg = kept.reduce((s, k) => s + k.pg, 0);
  const w = kept.map((k) => k.pg / spg);
  const att = kept.reduce((s, k, j) => s + w[j] * k.att, 0);
  const inf = combineDense(p.n, kept.map((k) => k.inf), w, mem.take(p.n));
  addWeightEffect(inf, p.cohorts, kept.map((k) => k.g), kept.map((k) => k.pg), kept.map((k) => k.att), p.weights);
  return { estimate: { att, se: seFromInf(inf, p.n), detail, ...tag }, overallInf: inf, detailInf };
}

export function aggregateDynamic(p: Prepared, cells: Cell[], o: DidOptions, mem = new Float64Arena()): AggregateWithInf {
  const u = usableCells(p, cells, mem);
  const ev = u.cells.map((c) => c.time - c.group);
  let include = u.cells.map(() => true);
  let eseq = [...new Set(ev)].sort((a, b) => a - b);
  if (o.balanceE !== null) {
    // R did's balance_e: keep groups observed at least balance_e periods after treatment.
    const maxT = Math.max(...u.cells.map((c) => c.time));
    const minTG = Math.min(p.periods[0], ...u.cells.map((c) => c.group));
    include = u.cells.map((c) => maxT - c.group >= o.balanceE!);
    eseq = [...new Set(ev.filter((_, k) => include[k]))].sort((a, b) => a - b)
      .filter((e) => e <= o.balanceE! && e >= o.balanceE! - maxT + minTG);
  }
  eseq = eseq.filter((e) => e >= o.minE && e <= o.maxE);
  if (eseq.length === 0) return notIdentified('no event time falls within the requested window (min_e, max_e, balance_e)');
  const detail: DetailEstimate[] = [];
  const detailInf: Float64Array[] = [];
  const cellsAt = indexBy(u.cells, (_, k) => (include[k] ? ev[k] : null));
  for (const e of eseq) {
    const which = cellsAt.get(e)!;
    const { att, inf } = weightedCells(p, u, which, true);
    detail.push(detailRow(e, att, inf, p.n));
    detailInf.push(inf);
  }
  const o2 = o.averages ?? {};
  const rowsIn = (keep: (e: number) => boolean) => eseq.map((e, j) => (keep(e) ? j : -1)).filter((j) => j >= 0);
  // dynamic_pre_avg: the mean of the pre-period θ(e) in its window, as the overall averages the post ones.
  let pre: AggregateEstimate['pre'];
  let preInf: Float64Array | null | undefined;
  const pw = o2.dynamicPreAvg;
  if (pw) {
    const preIdx = rowsIn((e) => e < 0 && within(e, pw));
    if (preIdx.length === 0) {
      pre = { att: null, se: null, reason: `no pre-period event time in ${pw[0]}..${pw[1]} has an identified ATT(g,t)` };
      preInf = null;
    } else {
      const m = meanOf(p, mem, preIdx.map((j) => detail[j].att!), preIdx.map((j) => detailInf[j]));
      pre = { att: m.att, se: seFromInf(m.inf, p.n) };
      preInf = m.inf;
    }
  }
  const dw = o2.dynamicAvg;
  const label = averagesLabel('dynamic', o2);
  const tag = { ...(label ? { averages: label } : {}), ...(pre ? { pre } : {}) };
  const postIdx = rowsIn((e) => e >= 0 && (!dw || within(e, dw)));
  if (postIdx.length === 0) {
    const reason = dw ? `no event time in ${dw[0]}..${dw[1]} in the window` : 'no event time ≥ 0 in the window';
    return { estimate: { att: null, se: null, reason, detail, ...tag }, overallInf: null, detailInf, preInf };
  }
  const { att, inf } = meanOf(p, mem, postIdx.map((j) => detail[j].att!), postIdx.map((j) => detailInf[j]));
  return { estimate: { att, se: seFromInf(inf, p.n), detail, ...tag }, overallInf: inf, detailInf, preInf };
}

export function aggregateCalendar(p: Prepared, cells: Cell[], mem = new Float64Arena()): AggregateWithInf {
  const u = usableCells(p, cells, mem);
  if (u.cells.length === 0) return notIdentified('no identified ATT(g,t)');
  const minG = Math.min(...u.cells.map((c) => c.group));
  const postAt = indexBy(u.cells, (c) => (c.group <= c.time ? c.time : null));
  const times = [...new Set(u.cells.map((c) => c.time))].sort((a, b) => a - b).filter((t) => t >= minG && postAt.has(t));
  if (times.length === 0) return notIdentified('no calendar period has an identified post-treatment ATT(g,t)');
  const detail: DetailEstimate[] = [];
  const detailInf: Float64Array[] = [];
  for (const t of times) {
    const which = postAt.get(t)!;
    const { att, inf } = weightedCells(p, u, which, true);
    detail.push(detailRow(t, att, inf, p.n));
    detailInf.push(inf);
  }
  const { att, inf } = meanOf(p, mem, detail.map((d) => d.att!), detailInf);
  return { estimate: { att, se: seFromInf(inf, p.n), detail }, overallInf: inf, detailInf };
}
