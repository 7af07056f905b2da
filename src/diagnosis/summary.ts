/**
 * The terminal summary of a diagnosis: one line per design point × estimator for the overall ATT, with
 * each figure's Monte Carlo SE in brackets. The full detail is in diagnosis.csv.
 */
import type { DesignPointInfo, DiagnosisRow } from './diagnosis.js';

const COLUMNS: { diagnosand: string; target: string; label: string }[] = [
  { diagnosand: 'power', target: '', label: 'power' },
  { diagnosand: 'bias', target: 'sample', label: 'bias' },
  { diagnosand: 'rmse', target: 'sample', label: 'RMSE' },
  { diagnosand: 'coverage', target: 'sample', label: 'coverage' },
  { diagnosand: 'se_sd_ratio', target: '', label: 'SE/SD' },
  { diagnosand: 'not_identified', target: '', label: 'not ident.' },
];

/** 3 significant digits, enough for a figure known to ± its MC SE. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return 'NA';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1000 || a < 0.001 ? x.toPrecision(3) : Number(x.toPrecision(3)).toString();
}

export function summaryTable(
  rows: readonly DiagnosisRow[],
  points: readonly DesignPointInfo[],
  estimand = 'simple',
  maxLines = 40,
): string {
  const axes = [...new Set(points.flatMap((p) => Object.keys(p.settings)))];
  const byKey = new Map<string, Map<string, DiagnosisRow>>();
  for (const r of rows) {
    if (r.estimand !== estimand || r.diagnosand.startsWith('familywise_')) continue;
    const k = `${r.point}\0${r.outcome ?? ''}\0${r.estimator}`;
    if (!byKey.has(k)) byKey.set(k, new Map());
    byKey.get(k)!.set(`${r.diagnosand}\0${r.target}`, r);
  }
  // An outcome column only when there are several (a single-outcome summary reads as before).
  const several = new Set(rows.map((r) => r.outcome ?? '')).size > 1;
  const header = ['point', ...axes, ...(several ? ['outcome'] : []), 'estimator', ...COLUMNS.map((c) => c.label)];
  const lines: string[][] = [header];
  for (const [k, m] of byKey) {
    if (lines.length > maxLines) break;
    const [point, outcome, estimator] = k.split('\0');
    const settings = points.find((p) => String(p.index) === point)?.settings ?? {};
    lines.push([
      point,
      ...axes.map((a) => String(settings[a] ?? '')),
      ...(several ? [outcome] : []),
      estimator,
      ...COLUMNS.map((c) => {
        const r = m.get(`${c.diagnosand}\0${c.target}`);
        return r ? `${fmt(r.value)} (${fmt(r.mcSe)})` : '';
      }),
    ]);
  }
  const widths = header.map((_, j) => Math.max(...lines.map((l) => l[j].length)));
  const text = lines.map((l) => l.map((c, j) => c.padStart(widths[j])).join('  ')).join('\n');
  const more = byKey.size > lines.length - 1 ? `\n… ${byKey.size - (lines.length - 1)} more lines in diagnosis.csv` : '';
  return `Overall ATT (${estimand}); Monte Carlo SEs in brackets; bias, RMSE and coverage against each draw's sample ATT.\n${text}${more}\n`;
}
