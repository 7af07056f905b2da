/**
 * The analytic cross-check in the report (issue 15): beside the simulated power of an `hh` estimator
 * at a cluster design point, the Hussey & Hughes power of the planned design (diagnosis rows
 * `analytic_power`). Scenarios without such rows are shown exactly as before.
 */
import { num } from './format.js';
import type { DiagnosisIndex } from './tables.js';

export const ANALYTIC_COLUMN = 'analytic power (HH)';

/** Whether the run has any analytic power row. */
export function hasAnalytic(ix: DiagnosisIndex): boolean {
  return ix.file.rows.some((r) => r.diagnosand === 'analytic_power');
}

/** The analytic power of one point × estimator on the overall ATT, as a table cell ('—' when it has none). */
export function analyticCell(ix: DiagnosisIndex, point: number, estimator: string): string {
  const r = ix.get(point, estimator, 'simple', 'analytic_power');
  if (!r) return '—';
  return r.value === null ? 'not identified' : num(r.value);
}

export const ANALYTIC_SENTENCE =
  'Analytic power (HH): the Hussey & Hughes (2007) power of the planned design from the ICC, the cluster correlation and the cluster sizes (no Monte Carlo error); ' +
  'with a continuous outcome, no lag and no heterogeneity it should agree with the simulated power of hh within its MC interval, and binary outcomes, lags, heterogeneity, unequal sizes and few clusters make the two part.';
