/**
 * twfe's few-cluster options (vcov: cr2, df: cluster | satterthwaite, wild: B): the static coefficient's
 * and the event study's rows re-inferred on the same two-way fit (estimators/few-cluster/). The wild
 * cluster bootstrap is applied to the static coefficient only; event-study rows take the vcov and df
 * choice (a bootstrap with test inversion per event time would multiply the cost by the window's width).
 */
import type { Panel } from '../../panel/panel.js';
import type { Rng } from '../../random/stream.js';
import { contrastInference, type FewClusterOptions } from '../few-cluster/inference.js';
import { twoWayDesign } from '../few-cluster/two-way-design.js';
import type { RowInference } from '../types.js';
import { clusterCodes, type StartGroups } from './start-groups.js';

export interface InferredRow extends RowInference {
  att: number | null;
  se: number | null;
  reason?: string;
}

/**
 * Set se, p, ci and inference of each row from its contrast of the fit on the cohort-period regressors.
 * @param rows the rows with their contrast vectors over the regressors (rows with att null are skipped).
 */
export function inferRows(
  rng: Rng,
  panel: Panel,
  cohorts: StartGroups,
  regressors: Float64Array[],
  byColumn: boolean,
  use: Uint8Array | undefined,
  o: FewClusterOptions,
  rows: { row: InferredRow; contrast: ArrayLike<number>; wild: boolean }[],
): void {
  const T = panel.nPeriods;
  const live = rows.filter((r) => r.row.att !== null);
  if (live.length === 0) return;
  const units: number[] = [];
  for (let i = 0; i < panel.nUnits; i++) if (!use || use[cohorts.of[i]] === 1) units.push(i);
  const cols = regressors.map((x) => (i: number, t: number) => x[cohorts.of[i] * T + t]);
  const fit = twoWayDesign(panel, cols, units, clusterCodes(panel, byColumn).code);
  if (!fit) {
    for (const { row } of live) {
      row.se = null;
      row.reason = 'the observation-level refit for few-cluster inference found the regressors collinear';
    }
    return;
  }
  const out = contrastInference(
    rng,
    fit,
    live.map((r) => r.contrast),
    o,
    (_, j) => live[j].wild,
  );
  live.forEach(({ row }, j) => {
    const r = out[j];
    // No p-value from the chosen inference (no SE, undefined df): no SE either, with the reason, so
    // the row never falls back to a normal Wald test silently.
    if (r.se === null || r.p === null) {
      row.se = null;
      row.reason = r.reason ?? 'no standard error';
      return;
    }
    row.se = r.se;
    row.p = r.p;
    if (r.ci) row.ci = r.ci;
    row.inference = r.inference;
  });
}
