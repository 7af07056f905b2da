/**
 * The report's family-wise table across a run's outcomes: for every design point × estimator and the
 * overall estimands (simple, group_avg, dynamic_avg), each outcome's power unadjusted, after Bonferroni
 * and after Holm, and the share of draws where at least one / every outcome rejects after adjustment
 * (diagnosis/familywise.ts), each ± its Monte Carlo SE.
 */
import type { DiagnosisFile, DiagnosisFileRow } from './run-files.js';
import { pm } from './format.js';
import { pointLabel, type Table } from './tables.js';

const OVERALL = ['simple', 'group_avg', 'dynamic_avg'];

export function familywiseTables(d: DiagnosisFile): Table[] {
  const outcomes = d.outcomes ?? [];
  if (outcomes.length < 2) return [];
  const family = outcomes.join('+');
  const at = new Map<string, DiagnosisFileRow>();
  for (const r of d.rows) at.set(`${r.point}\0${r.outcome ?? ''}\0${r.estimator}\0${r.estimand}\0${r.diagnosand}`, r);
  const cell = (p: number, o: string, e: string, est: string, diag: string) => {
    const r = at.get(`${p}\0${o}\0${e}\0${est}\0${diag}`);
    return r ? pm(r.value, r.mc_se) : '—';
  };
  const rows: string[][] = [];
  for (const p of d.points) {
    for (const e of d.estimators) {
      for (const est of OVERALL) {
        if (!at.has(`${p.index}\0${family}\0${e}\0${est}\0familywise_any_holm`)) continue;
        rows.push([
          d.points.length > 1 ? `${p.index}${pointLabel(p) ? ` (${pointLabel(p)})` : ''}` : '—',
          e,
          est,
          ...outcomes.flatMap((o) => ['power', 'power_bonferroni', 'power_holm'].map((x) => cell(p.index, o, e, est, x))),
          ...['familywise_any_bonferroni', 'familywise_any_holm', 'familywise_all_bonferroni', 'familywise_all_holm'].map((x) =>
            cell(p.index, family, e, est, x),
          ),
        ]);
      }
    }
  }
  if (rows.length === 0) return [];
  return [
    {
      id: 'familywise',
      title: `Family-wise power across the outcomes (${outcomes.join(', ')})`,
      caption:
        `Each outcome's power unadjusted, after Bonferroni (p ≤ α/${outcomes.length}) and after Holm's step-down adjustment, and the share of draws in which at least one outcome, or every outcome, ` +
        `rejects after adjustment, at family-wise α = ${d.alpha}. p-values are two-sided normal from each draw's estimate and SE; a draw not identified for an outcome counts as not rejecting it. ± Monte Carlo SE.`,
      head: [
        'point',
        'estimator',
        'estimand',
        ...outcomes.flatMap((o) => [`${o} power`, `${o} Bonferroni`, `${o} Holm`]),
        'any (Bonferroni)',
        'any (Holm)',
        'all (Bonferroni)',
        'all (Holm)',
      ],
      rows,
      textCols: 3,
    },
  ];
}
