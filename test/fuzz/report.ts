/** The suite's summary as text: counts per class and per input kind, and the distinct failures. */
import { CLASSES } from './oracle.js';
import type { Summary } from './suite.js';

function table(title: string, rows: Record<string, Record<string, number | undefined>>): string[] {
  const cols = CLASSES.filter((c) => Object.values(rows).some((r) => r[c]));
  const width = Math.max(title.length, ...Object.keys(rows).map((k) => k.length));
  const head = `| ${title.padEnd(width)} | ${cols.join(' | ')} |`;
  const sep = `|${'-'.repeat(width + 2)}|${cols.map((c) => '-'.repeat(c.length + 2)).join('|')}|`;
  const body = Object.keys(rows)
    .sort()
    .map((k) => `| ${k.padEnd(width)} | ${cols.map((c) => String(rows[k][c] ?? 0).padStart(c.length)).join(' | ')} |`);
  return [head, sep, ...body];
}

export function formatSummary(s: Summary, command: string): string {
  const failures = [...s.failures.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const total: Record<string, number> = {};
  for (const c of s.checks) total[c.verdict.cls] = (total[c.verdict.cls] ?? 0) + 1;
  return [
    `${command}: ${s.cases} cases, ${s.checks.length} checks in ${s.seconds.toFixed(0)} s; ${CLASSES.filter((c) => total[c])
      .map((c) => `${c} ${total[c]}`)
      .join(', ')}`,
    '',
    ...table('checks', s.byFamily as Record<string, Record<string, number>>),
    '',
    ...table('input kind', s.byKind as Record<string, Record<string, number>>),
    '',
    `distinct failures: ${failures.length}`,
    ...failures.map(([sig, f]) => `- ${sig}  [×${f.count}; ${f.check.kind}]\n    ${f.check.repro}`),
  ].join('\n');
}
