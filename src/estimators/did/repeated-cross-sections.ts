/**
 * ATT(g,t) on long data, as R did 2.5.1 (pre_process_did2 + compute.att_gt2, its default
 * faster_mode) computes them when the data are not a balanced panel:
 *
 * - repeated cross-sections (panel = FALSE): every row is its own unit; each 2×2 uses the rows of
 *   the treated and comparison groups observed in period t or in the base period, and DRDID's *_rc
 *   estimators (two-by-two-rc.ts). ψ is scaled by n / n1 (n rows in all, n1 in the cell).
 * - an unbalanced panel (allow_unbalanced_panel = TRUE): the same row-level 2×2 (R did runs it "as
 *   repeated cross-sections" with the unit ids kept), ψ scaled by n_units / n1 and then summed over
 *   each unit's rows, so the standard errors are clustered by unit. When the panel turns out to be
 *   balanced R did says so and uses the panel estimators: estimateDidLong (index.ts) does the same.
 *
 * The units are then ordered by start group into contiguous cohorts as prepare.ts orders them, so the
 * aggregations, the Wald pre-test and the bootstrap work unchanged on the cells made here.
 */
import type { LongPanel } from '../../panel/long.js';
import type { Cell } from './att-gt.js';
import type { DidOptions } from './options.js';
import { DidInputError, DATA_NOT_IDENTIFIED as DATA, lastGroupAsComparison, type StartGroupBlock, type Prepared } from './prepare.js';
import { lastPreIndex } from '../../estimands/cells.js';
import { twoByTwoRc } from './two-by-two-rc.js';
import { fitLogit } from '../../linalg/logistic.js';
import { invert, rcondFromInverse, MACHINE_EPS } from '../../linalg/small.js';

export interface PreparedRc extends Prepared {
  /** 'rc': each row its own unit; 'unbalanced': rows grouped into units by id. */
  kind: 'rc' | 'unbalanced';
  nRows: number;
  /** Row → kept period index. */
  rowPeriod: Int32Array;
  /** Row → sorted unit index (0 … n − 1). */
  rowUnit: Int32Array;
  /** Row → start group (+∞ = never treated). */
  rowGroup: Float64Array;
  /** Outcome per row (also `y`). */
  rowY: Float64Array;
  /** Covariates per row. */
  rowCovariates: Float64Array[];
}

function fmt(g: number): string {
  return Number.isFinite(g) ? String(g) : '0 (never treated)';
}

/** An unbalanced panel that is balanced after R did's filters: its rows, for the panel estimators. */
export interface BalancedAfterAll {
  balanced: true;
  /** Rows kept (input row numbers) and the periods they cover (indices into data.periods). */
  rows: number[];
  periodIdx: number[];
  /** The first-period drop, which the panel path cannot repeat on rows already dropped. */
  messages: string[];
}

/**
 * @returns the prepared rows, or the kept rows when an unbalanced panel was asked for but every unit
 *   is seen in every period (R did: "You have a balanced panel. Setting allow_unbalanced_panel = FALSE.")
 */
export function prepareRc(data: LongPanel, o: DidOptions): PreparedRc | BalancedAfterAll {
  const kind = o.unbalanced ? 'unbalanced' : 'rc';
  const messages: string[] = [];
  for (const c of o.covariates) {
    if (!(c in data.covariates)) {
      throw new DidInputError(
        `covariate "${c}" is not in the data (it has: ${Object.keys(data.covariates).join(', ') || 'no covariates'})`,
      );
    }
  }
  const delta = o.anticipation;
  const allPeriods = data.periods;
  const maxT = allPeriods[allPeriods.length - 1];
  const N = data.nRows;
  const g0 = new Float64Array(N);
  for (let r = 0; r < N; r++) {
    const g = data.group[r];
    g0[r] = g === 0 || g > maxT + delta ? Infinity : g;
  }
  let keepRow = new Uint8Array(N).fill(1);
  const hasNever = g0.some((g) => g === Infinity);
  let latestG = -Infinity;
  for (const g of g0) if (Number.isFinite(g) && g > latestG) latestG = g;
  if (!Number.isFinite(latestG))
    throw new DidInputError('no unit is ever treated: the start-group column has only 0 (never treated)', DATA);
  let excludeFromGlist: number | null = null;
  if (!hasNever) {
    const rule = lastGroupAsComparison(g0, latestG, delta, o.control, messages);
    for (let r = 0; r < N; r++) if (allPeriods[data.period[r]] >= rule.cutoff) keepRow[r] = 0;
    excludeFromGlist = rule.excludeFromGlist;
  }
  let first = Infinity;
  for (let r = 0; r < N; r++) if (keepRow[r] && allPeriods[data.period[r]] < first) first = allPeriods[data.period[r]];
  // Rows of groups already treated in the first period (+ δ) have no pre-period: dropped.
  const droppedUnits = new Set<number>();
  let droppedRows = 0;
  for (let r = 0; r < N; r++) {
    if (keepRow[r] && Number.isFinite(g0[r]) && g0[r] <= first + delta) {
      keepRow[r] = 0;
      droppedRows++;
      droppedUnits.add(data.unit[r]);
    }
  }
  if (droppedRows > 0) {
    const count = kind === 'rc' ? droppedRows : droppedUnits.size;
    messages.push(
      `Dropped ${count} units that were already treated in the first period${delta > 0 ? ` (accounting for anticipation = ${delta})` : ''}.`,
    );
  }
  // Periods left (R did recomputes tlist from the rows kept).
  const present = new Uint8Array(allPeriods.length);
  for (let r = 0; r < N; r++) if (keepRow[r]) present[data.period[r]] = 1;
  const keptIdx: number[] = [];
  present.forEach((p, t) => {
    if (p) keptIdx.push(t);
  });
  if (keptIdx.length < 2)
    throw new DidInputError(
      `after dropping periods without a comparison group, ${keptIdx.length} period(s) remain; at least two are needed`,
      DATA,
    );
  const newIdx = new Int32Array(allPeriods.length).fill(-1);
  keptIdx.forEach((t, j) => {
    newIdx[t] = j;
  });
  const periods = Float64Array.from(keptIdx, (t) => allPeriods[t]);
  const T = periods.length;

  const rows: number[] = [];
  for (let r = 0; r < N; r++) if (keepRow[r]) rows.push(r);
  keepRow = new Uint8Array(0);
  // Units: ids (unbalanced) or rows (rc), in order of first appearance, then sorted by start group.
  const unitOfRow = new Int32Array(rows.length);
  const unitGroup: number[] = [];
  const unitSource: number[] = [];
  if (kind === 'rc') {
    rows.forEach((r, j) => {
      unitOfRow[j] = j;
      unitGroup.push(g0[r]);
      unitSource.push(r);
    });
  } else {
    const code = new Map<number, number>();
    rows.forEach((r, j) => {
      let u = code.get(data.unit[r]);
      if (u === undefined) {
        u = unitGroup.length;
        code.set(data.unit[r], u);
        unitGroup.push(g0[r]);
        unitSource.push(data.unit[r]);
      }
      unitOfRow[j] = u;
    });
    // R did's check_balance: rows = units × periods (each (id, t) is unique).
    if (rows.length === unitGroup.length * T) {
      return { balanced: true, rows, periodIdx: keptIdx, messages: messages.filter((m) => m.startsWith('Dropped')) };
    }
    messages.push('You have an unbalanced panel. Proceeding as such (R did: allow_unbalanced_panel = TRUE).');
  }
  const nU = unitGroup.length;
  const order = Array.from({ length: nU }, (_, u) => u);
  order.sort((a, b) => unitGroup[a] - unitGroup[b] || a - b || 0);
  const rank = new Int32Array(nU);
  order.forEach((u, j) => {
    rank[u] = j;
  });
  const group = Float64Array.from(order, (u) => unitGroup[u]);
  const cohorts: StartGroupBlock[] = [];
  for (let j = 0; j < nU; j++) {
    const last = cohorts[cohorts.length - 1];
    if (last && last.value === group[j]) last.end = j + 1;
    else cohorts.push({ value: group[j], start: j, end: j + 1 });
  }
  const glist = cohorts.map((c) => c.value).filter((g) => Number.isFinite(g) && g > first + delta && g !== excludeFromGlist);
  if (glist.length === 0) {
    throw new DidInputError(
      'no start group can be estimated: every treated group starts in the first period (or has no comparison period)',
      DATA,
    );
  }
  // Small groups: R did counts rows per group divided by the number of periods.
  const reqsize = o.covariates.length + 5;
  const rowsOf = new Map<number, number>();
  for (const r of rows) rowsOf.set(g0[r], (rowsOf.get(g0[r]) ?? 0) + 1);
  const small = [...rowsOf]
    .filter(([, c]) => c / T < reqsize)
    .map(([g]) => g)
    .sort((a, b) => a - b);
  if (small.length > 0) {
    messages.push(
      `Some groups have very few observations (fewer than ${reqsize} per period), which may cause estimation problems: ${small.map(fmt).join(', ')}.`,
    );
    if (o.control === 'never' && small.includes(Infinity)) {
      throw new DidInputError(
        'the never-treated group is too small to serve as a comparison; use --control notyet to add not-yet-treated units',
        DATA,
      );
    }
  }
  const nR = rows.length;
  const rowPeriod = Int32Array.from(rows, (r) => newIdx[data.period[r]]);
  const rowUnit = Int32Array.from(unitOfRow, (u) => rank[u]);
  const rowGroup = Float64Array.from(rows, (r) => g0[r]);
  const rowY = Float64Array.from(rows, (r) => data.y[r]);
  const rowCovariates = o.covariates.map((name) => Float64Array.from(rows, (r) => data.covariates[name][r]));
  let cluster: Int32Array | null = null;
  if (data.cluster) {
    const perUnit = new Float64Array(nU);
    rows.forEach((r, j) => {
      perUnit[rowUnit[j]] = data.cluster![r];
    });
    const codes = new Map<number, number>();
    cluster = Int32Array.from(perUnit, (c) => {
      let k = codes.get(c);
      if (k === undefined) {
        k = codes.size;
        codes.set(c, k);
      }
      return k;
    });
  }
  return {
    kind,
    nRows: nR,
    rowPeriod,
    rowUnit,
    rowGroup,
    rowY,
    rowCovariates,
    n: nU,
    T,
    periods,
    y: rowY,
    group,
    cohorts,
    glist,
    covariates: [],
    covariateNames: [...o.covariates],
    cluster,
    weights: null,
    order: Int32Array.from(order, (u) => unitSource[u]),
    messages,
  };
}

/** R did's overlap_check_fail: an unweighted logit of D on X whose largest p̂ reaches 0.999. */
function overlapFails(cols: Float64Array[], d: Uint8Array): string | null {
  if (cols.length === 1) {
    let s = 0;
    for (const v of d) s += v;
    const pbar = s / d.length;
    return pbar >= 0.999 ? `no overlap: the treated share of the cell is ${pbar.toFixed(4)} (≥ 0.999)` : null;
  }
  const fit = fitLogit(cols, d);
  if (!fit) return 'propensity-score model is singular (covariates collinear in this comparison)';
  let mx = 0;
  for (const p of fit.fitted) if (p > mx) mx = p;
  return mx >= 0.999 ? `no overlap: a propensity score reaches ${mx.toFixed(4)} (≥ 0.999)` : null;
}

/** R did's rcond_check_fail: rcond(X_cᵀX_c) over the comparison rows below machine epsilon. */
function comparisonSingular(cols: Float64Array[], d: Uint8Array): boolean {
  const k = cols.length;
  if (k === 1) return false; // some comparison row exists (checked before)
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < d.length; i++) if (d[i] === 0) s += cols[a][i] * cols[b][i];
      g[a * k + b] = s;
    }
  return rcondFromInverse(g, invert(g, k), k) < MACHINE_EPS;
}

function notIdentified(group: number, time: number, post: boolean, reason: string): Cell {
  return {
    group,
    time,
    post,
    att: null,
    reason,
    reference: undefined,
    idx: undefined,
    inf: undefined,
    nTreated: undefined,
    nComparison: undefined,
  };
}

/** The ATT(g,t) cells on long data (R did's compute.att_gt2, repeated-cross-section branch). */
export function computeAttGtRc(p: PreparedRc, o: DidOptions): Cell[] {
  const { periods, T, rowPeriod, rowGroup, rowY, rowUnit, nRows } = p;
  const delta = o.anticipation;
  const varying = o.basePeriod === 'varying';
  const tfac = varying ? 1 : 0;
  const cells: Cell[] = [];
  for (const g of p.glist) {
    const pretG = lastPreIndex(periods, g, delta);
    for (let ti = 0; ti + tfac < T; ti++) {
      const cur = ti + tfac;
      const time = periods[cur];
      const post = g <= time;
      const base = varying && !post ? ti : pretG;
      if (base < 0) {
        cells.push(notIdentified(g, time, post, `no pre-treatment period for group ${g}`));
        continue;
      }
      if (!varying && base === cur) {
        cells.push({
          group: g,
          time,
          post,
          att: 0,
          reason: 'reference period (universal base): 0 by construction',
          reference: true,
          idx: undefined,
          inf: undefined,
          nTreated: undefined,
          nComparison: undefined,
        });
        continue;
      }
      const cutoff = periods[Math.max(ti, base) + tfac] + delta;
      // Rows in the cell: the treated group's and the comparison's rows observed in t or the base period.
      const sel: number[] = [];
      const dl: number[] = [];
      for (let r = 0; r < nRows; r++) {
        const tp = rowPeriod[r];
        if (tp !== cur && tp !== base) continue;
        const gr = rowGroup[r];
        if (gr === g) {
          sel.push(r);
          dl.push(1);
        } else if (gr === Infinity || (o.control === 'notyet' && gr > cutoff)) {
          sel.push(r);
          dl.push(0);
        }
      }
      const n1 = sel.length;
      const d = Uint8Array.from(dl);
      const postFlag = Uint8Array.from(sel, (r) => (rowPeriod[r] === cur ? 1 : 0));
      let dPost = 0,
        dPre = 0,
        cPost = 0,
        cPre = 0;
      for (let j = 0; j < n1; j++) {
        if (d[j]) {
          if (postFlag[j]) dPost++;
          else dPre++;
        } else if (postFlag[j]) cPost++;
        else cPre++;
      }
      if (dPost + dPre === 0 || cPost + cPre === 0) {
        cells.push(notIdentified(g, time, post, `no comparison units for g=${g}, t=${time}`));
        continue;
      }
      const empty =
        dPost === 0
          ? `no rows of group ${g} in period ${time}`
          : dPre === 0
            ? `no rows of group ${g} in period ${periods[base]}`
            : cPost === 0
              ? `no comparison rows in period ${time} (g=${g})`
              : cPre === 0
                ? `no comparison rows in period ${periods[base]} (g=${g})`
                : null;
      if (empty) {
        cells.push(notIdentified(g, time, post, empty));
        continue;
      }
      const cols = [new Float64Array(n1).fill(1), ...p.rowCovariates.map((v) => Float64Array.from(sel, (r) => v[r]))];
      const counts = { nTreated: dPost + dPre, nComparison: cPost + cPre };
      if (o.method !== 'reg') {
        const why = overlapFails(cols, d);
        if (why) {
          cells.push({ ...notIdentified(g, time, post, `${why} (g=${g}, t=${time})`), ...counts });
          continue;
        }
      }
      if (o.method !== 'ipw' && comparisonSingular(cols, d)) {
        cells.push({
          ...notIdentified(
            g,
            time,
            post,
            `outcome regression is singular: the covariates are collinear (or constant) among the comparison rows (g=${g}, t=${time})`,
          ),
          ...counts,
        });
        continue;
      }
      const res = twoByTwoRc(o.method, { cols, y: Float64Array.from(sel, (r) => rowY[r]), post: postFlag, d });
      if (res.failure !== undefined || !Number.isFinite(res.att)) {
        cells.push({
          ...notIdentified(g, time, post, `${res.failure ?? 'the 2×2 estimate is not finite'} (g=${g}, t=${time})`),
          ...counts,
        });
        continue;
      }
      // ψ to the whole sample: n / n1 (rows), then summed over each unit's rows (one row per unit in rc).
      const scale = p.n / n1;
      const acc = new Map<number, number>();
      for (let j = 0; j < n1; j++) {
        const u = rowUnit[sel[j]];
        acc.set(u, (acc.get(u) ?? 0) + scale * res.psi[j]);
      }
      const units = [...acc.keys()].sort((a, b) => a - b);
      cells.push({
        group: g,
        time,
        post,
        att: res.att,
        reason: undefined,
        reference: undefined,
        idx: Int32Array.from(units),
        inf: Float64Array.from(units, (u) => acc.get(u)!),
        ...counts,
      });
    }
  }
  return cells;
}
