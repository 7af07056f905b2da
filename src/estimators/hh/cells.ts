/**
 * The cluster-period cells the Hussey & Hughes model is fitted to, read once from a Panel whose units
 * are clusters: cell means, people per cell, the pooled within-cell sum of squares, the period column
 * and the treatment indicator X_jt = 1{period_t ≥ start_j} (start 0 = never). Cells with no people
 * (cellSize 0) or no outcome are left out, and so is a period column without any cell.
 */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';

export interface HhCells {
  /** Clusters with at least one cell. */
  G: number;
  /** Cells of cluster j: start[j] .. start[j + 1] − 1. */
  start: Int32Array;
  /** Per cell: fixed-effect period column (0 .. P − 1), period index (for decay lags), treatment 0/1. */
  col: Int32Array;
  lag: Int32Array;
  x: Float64Array;
  /** Per cell: mean outcome and people (1 when the panel has no cell sizes). */
  y: Float64Array;
  n: Float64Array;
  /** Period columns kept (periods with at least one cell). */
  P: number;
  /** Cells, people (Σ n) and the pooled within-cell sum of squares (0 without cellSS). */
  C: number;
  N: number;
  W: number;
  /** Largest number of cells in one cluster (workspace size). */
  maxCells: number;
  /** Whether the panel gave people per cell. */
  sized: boolean;
}

/** Not identified: a refusal the data forced (a not-identified draw in a simulation). */
export function notIdentified(why: string): EstimatorInputError {
  return new EstimatorInputError(`hh: not identified: ${why}`, { notIdentified: true });
}

/**
 * The cells of a cluster panel.
 * @param needSS the individual-level model: cellSize and cellSS are required.
 * @throws {EstimatorInputError} on missing cell columns (input) or a design without a treated/control contrast (not identified).
 */
export function hhCells(panel: Panel, needSS: boolean): HhCells {
  const { nUnits: G0, nPeriods: T } = panel;
  if (needSS && (!panel.cellSize || !panel.cellSS))
    throw new EstimatorInputError(
      `hh: data: individual needs people per cell and the within-cell sum of squares (the panel has ${panel.cellSize ? 'cell sizes but no cellSS' : 'no cell sizes'}); ` +
        'give them (--cell-size COL --cell-ss COL, or a clusters design) or use data: means',
    );
  const size = panel.cellSize;
  const ss = needSS ? panel.cellSS : undefined;
  const keep = (t: number, i: number) => Number.isFinite(panel.y[t * G0 + i]) && (!size || size[t * G0 + i] > 0);
  const periodCol = new Int32Array(T).fill(-1);
  let P = 0;
  for (let t = 0; t < T; t++) {
    let any = false;
    for (let i = 0; i < G0 && !any; i++) any = keep(t, i);
    if (any) periodCol[t] = P++;
  }
  const starts: number[] = [0];
  const col: number[] = [],
    lag: number[] = [],
    x: number[] = [],
    y: number[] = [],
    n: number[] = [];
  let N = 0,
    W = 0,
    maxCells = 0;
  for (let i = 0; i < G0; i++) {
    const g = panel.group[i];
    const before = col.length;
    for (let t = 0; t < T; t++) {
      if (!keep(t, i)) continue;
      const k = t * G0 + i;
      const m = size ? size[k] : 1;
      if (needSS && !(ss![k] >= 0))
        throw new EstimatorInputError(
          `hh: cellSS of cluster ${panel.ids[i]}, period ${panel.periods[t]} is ${ss![k]}; expected a sum of squares ≥ 0`,
        );
      col.push(periodCol[t]);
      lag.push(t);
      x.push(g > 0 && panel.periods[t] >= g ? 1 : 0);
      y.push(panel.y[k]);
      n.push(m);
      N += m;
      if (ss) W += ss[k];
    }
    if (col.length > before) {
      starts.push(col.length);
      maxCells = Math.max(maxCells, col.length - before);
    }
  }
  const C = col.length;
  const G = starts.length - 1;
  if (G < 2) throw notIdentified(`${G} cluster${G === 1 ? '' : 's'} with data; the model needs at least 2`);
  let treated = 0;
  for (const v of x) treated += v;
  if (treated === 0) throw notIdentified('no treated cells (no cluster starts within the panel)');
  if (treated === C) throw notIdentified('no control cells (every cluster is treated in every period)');
  // X = [period dummies, X_jt] has full rank iff some period holds both treated and untreated cells.
  const mix = new Int8Array(P);
  for (let k = 0; k < C; k++) mix[col[k]] |= x[k] ? 1 : 2;
  if (!mix.some((v) => v === 3))
    throw notIdentified(
      'no period has both treated and untreated clusters, so the treatment indicator is collinear with the period effects (every cluster switches at the same period)',
    );
  return {
    G,
    start: Int32Array.from(starts),
    col: Int32Array.from(col),
    lag: Int32Array.from(lag),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    n: Float64Array.from(n),
    P,
    C,
    N,
    W,
    maxCells,
    sized: size !== undefined,
  };
}
