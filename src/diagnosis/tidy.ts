/**
 * Writers for the diagnosis: a tidy CSV (one row per design point × outcome × estimator × estimand ×
 * target × diagnosand, the grid settings as columns, readable by R's read.csv and pandas' read_csv as is) and
 * the same content as JSON. Both are pure functions of the rows, so equal runs give equal bytes.
 */
import type { DesignPointInfo, DiagnosisRow } from './diagnosis.js';
import { parseEstimandId } from './estimand-id.js';

/** Shortest round-trip decimal; non-finite values become NA (R and pandas read NA as missing). */
export function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'NA';
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Grid-axis names in a fixed order: as the first design point lists them. */
export function axisNames(points: readonly DesignPointInfo[]): string[] {
  const names: string[] = [];
  for (const p of points) for (const k of Object.keys(p.settings)) if (!names.includes(k)) names.push(k);
  return names;
}

export function diagnosisCsv(rows: readonly DiagnosisRow[], points: readonly DesignPointInfo[]): string {
  const axes = axisNames(points);
  const byIndex = new Map(points.map((p) => [p.index, p]));
  const header = [
    'point',
    ...axes,
    'outcome',
    'estimator',
    'estimand',
    'key',
    'subgroup',
    'target',
    'diagnosand',
    'value',
    'mc_se',
    'n',
    'reasons',
  ];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    const settings = byIndex.get(r.point)?.settings ?? {};
    const e = parseEstimandId(r.estimand);
    const reasons = r.reasons?.map((x) => `${x.reason} (${x.count})`).join('; ') ?? '';
    const cells = [
      String(r.point),
      ...axes.map((a) => (a in settings ? String(settings[a]) : 'NA')),
      r.outcome ?? '',
      r.estimator,
      e.type,
      e.key,
      e.subgroup,
      r.target,
      r.diagnosand,
      csvNumber(r.value),
      csvNumber(r.mcSe),
      String(r.n),
      reasons,
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function diagnosisJson(
  rows: readonly DiagnosisRow[],
  points: readonly DesignPointInfo[],
  meta: { alpha: number; draws: number; seed: string; estimators: readonly string[]; outcomes?: readonly string[] },
): string {
  const body = {
    alpha: meta.alpha,
    seed: meta.seed,
    draws: meta.draws,
    estimators: meta.estimators,
    ...(meta.outcomes ? { outcomes: meta.outcomes } : {}),
    points,
    rows: rows.map((r) => ({
      point: r.point,
      outcome: r.outcome ?? '',
      estimator: r.estimator,
      estimand: r.estimand,
      target: r.target || null,
      diagnosand: r.diagnosand,
      value: jsonNumber(r.value),
      mc_se: jsonNumber(r.mcSe),
      n: r.n,
      ...(r.reasons ? { reasons: r.reasons } : {}),
    })),
  };
  return `${JSON.stringify(body, null, 1)}\n`;
}
