/**
 * Draws an estimator could not answer, in one table: propensity fits that did not converge (the
 * `NAME|fit` pseudo-estimator's `not_converged` row, engine/fit-records.ts), every one shown even when
 * none failed, and every estimand with a non-zero not-identified share, each with its reasons. The
 * same rows are in diagnosis.csv/json; the report must not hide them.
 */
import { FIT_SUFFIX, isFitEstimator } from '../engine/fit-records.js';
import { pct, pm } from './format.js';
import type { DiagnosisFileRow } from './run-files.js';
import type { DiagnosisIndex, Table } from './tables.js';

const MAX_REASONS = 3;

function reasonsText(r: DiagnosisFileRow): string {
  const rs = r.reasons ?? [];
  if (!rs.length) return '—';
  const shown = rs.slice(0, MAX_REASONS).map((x) => `${x.reason} (${x.count})`);
  return shown.join('; ') + (rs.length > MAX_REASONS ? `; ${rs.length - MAX_REASONS} more in diagnosis.json` : '');
}

/** Draws failed: how many of n, from the share (value = failed / n). */
const failed = (r: DiagnosisFileRow): number => Math.round((r.value ?? 0) * r.n);

/** The table, or null when the run has no fit rows and every estimate was identified in every draw. */
export function failuresTable(ix: DiagnosisIndex): Table | null {
  const rows: string[][] = [];
  for (const r of ix.file.rows) {
    const fit = r.diagnosand === 'not_converged' && isFitEstimator(r.estimator);
    const unidentified = r.diagnosand === 'not_identified' && !isFitEstimator(r.estimator) && (r.value ?? 0) > 0;
    if (!fit && !unidentified) continue;
    rows.push([
      String(r.point),
      fit ? r.estimator.slice(0, -FIT_SUFFIX.length) : r.estimator,
      fit ? 'propensity fits' : r.estimand,
      fit ? 'a fit did not converge' : 'not identified',
      `${failed(r)} of ${r.n}`,
      pm(r.value, r.mc_se),
      reasonsText(r),
    ]);
  }
  if (!rows.length) return null;
  return {
    id: 'failures',
    title: 'Fits not converged and estimates not identified',
    caption:
      `Per design point and estimator: draws with a propensity-score fit that did not converge (the estimate is kept, as R's glm keeps it with a warning), and estimands not identified in some draws (left out of bias and coverage; counted as not rejecting in power), with the share ± MC SE and the commonest reasons. ` +
      `A share of ${pct(0.05)} or more deserves a look at the design before its power is believed.`,
    head: ['point', 'estimator', 'estimand', 'what', 'draws', 'share', 'reasons'],
    rows,
    textCols: 4,
    folded: rows.length > 20,
  };
}
