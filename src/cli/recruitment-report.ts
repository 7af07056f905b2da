/** The recruitment summary `stagger simulate` prints: totals, per-start-group sizes, notes. */
import type { RecruitmentSummary } from '../design/recruited-sample.js';

export function formatRecruitment(r: RecruitmentSummary): string {
  const lines = [`recruitment (${r.design})`];
  lines.push(
    `  ${Object.entries(r.totals)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push(`  start groups: ${r.groups.map((g) => `${g.group === 0 ? 'never' : `g=${g.group}`} ${g.size}`).join(', ')}`);
  const notes = Object.entries(r.notes);
  if (notes.length > 0)
    lines.push(`  ${notes.map(([k, v]) => `${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
