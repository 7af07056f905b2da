/**
 * Group-time average treatment effects ATT(g,t) (Callaway & Sant'Anna 2021, eq. 2.6 / Theorem 1) on a
 * balanced panel, cell by cell as R `did` 2.5.1 (compute.att_gt2) defines the cells: which periods,
 * which base period (varying or universal, with anticipation δ), which comparison units (never
 * treated, or not yet treated by max(t, base) + δ), and which covariate period (the earlier of the two).
 *
 * Each cell keeps its influence function as (unit indices, ψ scaled by n / n1) so that standard errors
 * and aggregations are influence-function algebra in one place (aggregate.ts, inference.ts).
 */
import { lastPreIndex } from '../../estimands/cells.js';
import { Float64Arena } from '../../linalg/arena.js';
import { buildComparisonSet, type ComparisonSet } from './comparison-set.js';
import type { DidOptions } from './options.js';
import type { Prepared } from './prepare.js';
import { twoByTwo } from './two-by-two.js';

export interface Cell {
  group: number;
  time: number;
  /** t ≥ g (R did's post-treatment indicator). */
  post: boolean;
  att: number | null;
  reason?: string;
  /** The universal base period's own cell: ATT ≡ 0 by construction, no sampling variance. */
  reference?: boolean;
  /** Influence function: units (sorted-panel indices) and ψ_i · n / n1; absent when not identified. */
  idx?: Int32Array;
  inf?: Float64Array;
  /** Units in the 2×2 (treated, comparison). */
  nTreated?: number;
  nComparison?: number;
  /** false when the propensity-score fit stopped at its iteration cap (the estimate is kept, as R's
   *  glm keeps it with a warning); `note` then says so. */
  converged?: boolean;
  note?: string;
}

/** Every cell has the same fields (one hidden class for the code that reads them). */
function cell(group: number, time: number, post: boolean, att: number | null, extra: Partial<Cell> = {}): Cell {
  return {
    group,
    time,
    post,
    att,
    reason: extra.reason,
    reference: extra.reference,
    idx: extra.idx,
    inf: extra.inf,
    nTreated: extra.nTreated,
    nComparison: extra.nComparison,
    converged: extra.converged,
    note: extra.note,
  };
}

/** The comparison sets' arrays: needed only while the cells are computed, so reused call after call. */
const setMemory = new Float64Arena();

/** @param mem where the cells' influence functions live (as long as the caller keeps them). */
export function computeAttGt(p: Prepared, o: DidOptions, mem: Float64Arena = new Float64Arena()): Cell[] {
  const { n, T, periods, cohorts, y } = p;
  const delta = o.anticipation;
  const varying = o.basePeriod === 'varying';
  const tfac = varying ? 1 : 0;
  const timeVarying = p.covariates.some((c) => c.length !== n);
  // A set is keyed by (treated cohort, first comparison cohort, covariate period).
  const sets = new Map<number, ComparisonSet>();
  const setKey = (gi: number, firstControl: number, covPeriod: number) =>
    (gi * (cohorts.length + 1) + firstControl) * (T + 1) + covPeriod + 1;
  const cells: Cell[] = [];
  setMemory.reset();
  let dy = new Float64Array(0);

  for (const g of p.glist) {
    const gi = cohorts.findIndex((c) => c.value === g);
    const treated = cohorts[gi];
    // Last period with t + δ < g: the base period of every post-treatment cell (and all cells if universal).
    let lastPs: Float64Array | undefined;
    const pretG = lastPreIndex(periods, g, delta);
    for (let ti = 0; ti + tfac < T; ti++) {
      const cur = ti + tfac;
      const time = periods[cur];
      const post = g <= time;
      const base = varying && !post ? ti : pretG;
      if (base < 0) {
        cells.push(cell(g, time, post, null, { reason: `no pre-treatment period for group ${g}` }));
        continue;
      }
      if (!varying && base === cur) {
        cells.push(cell(g, time, post, 0, { reference: true, reason: 'reference period (universal base): 0 by construction' }));
        continue;
      }
      // Comparison cohorts: never treated, or (not yet treated) starting after max(t, base) + δ.
      let firstControl: number;
      if (o.control === 'never') {
        firstControl = cohorts.length - 1;
        if (cohorts[firstControl].value !== Infinity) firstControl = cohorts.length;
      } else {
        const cutoff = periods[Math.max(ti, base) + tfac] + delta;
        firstControl = cohorts.findIndex((c) => c.value > cutoff);
        if (firstControl < 0) firstControl = cohorts.length;
      }
      // The treated cohort is never its own comparison: starting the comparison at it or just after it
      // is the same set (one key, one fit).
      if (firstControl === gi) firstControl = gi + 1;
      let nc = 0;
      for (let c = firstControl; c < cohorts.length; c++) if (c !== gi) nc += cohorts[c].end - cohorts[c].start;
      const nt = treated.end - treated.start;
      if (nc === 0) {
        cells.push(cell(g, time, post, null, { reason: `no comparison units for g=${g}, t=${time}` }));
        continue;
      }
      const covPeriod = Math.min(base, ti);
      const key = setKey(gi, firstControl, timeVarying ? covPeriod : -1);
      let set = sets.get(key);
      if (!set) {
        const idx = new Int32Array(nt + nc);
        let j = 0;
        for (let u = treated.start; u < treated.end; u++) idx[j++] = u;
        for (let c = firstControl; c < cohorts.length; c++) {
          if (c !== gi) for (let u = cohorts[c].start; u < cohorts[c].end; u++) idx[j++] = u;
        }
        set = buildComparisonSet(setMemory, o.method, idx, nt, p.covariates, covPeriod * n, lastPs, p.weights);
        if (set.psBeta) lastPs = set.psBeta;
        sets.set(key, set);
      }
      if (set.failure) {
        cells.push(cell(g, time, post, null, { reason: `${set.failure} (g=${g}, t=${time})`, nTreated: nt, nComparison: nc }));
        continue;
      }
      const { idx, n1 } = set;
      if (dy.length < n1) dy = new Float64Array(n1);
      const rowT = cur * n,
        rowB = base * n;
      for (let j = 0; j < n1; j++) dy[j] = y[rowT + idx[j]] - y[rowB + idx[j]];
      // ψ is rescaled from the 2×2 sample (n1 units) to the whole panel (n units): R did's n / n1.
      const res = twoByTwo(set, dy, n / n1, mem.take(n1));
      if (!Number.isFinite(res.att)) {
        cells.push(
          cell(g, time, post, null, { reason: `the 2×2 estimate is not finite (g=${g}, t=${time})`, nTreated: nt, nComparison: nc }),
        );
        continue;
      }
      const doubt = set.note ? { converged: false, note: `${set.note} (g=${g}, t=${time})` } : {};
      cells.push(cell(g, time, post, res.att, { idx, inf: res.psi, nTreated: nt, nComparison: nc, ...doubt }));
    }
  }
  return cells;
}
