/** The readable terminal table of one Estimate: ATT(g,t), then the four aggregates, with SEs and CIs. */
import type { Estimate } from '../estimators/types.js';
import { tidyRows } from './tidy.js';

function num(v: number | null, digits = 4): string {
  if (v === null) return 'NA';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(3);
  return v.toFixed(digits);
}

const TITLES: Record<string, string> = {
  att_gt: 'Group-time average treatment effects ATT(g,t)',
  simple: 'Overall ATT (simple weighted average of post-treatment cells)',
  group: 'By start group',
  dynamic: 'By event time (t − g)',
  calendar: 'By calendar period',
};

export function estimateTable(est: Estimate, alpha = 0.05): string {
  const rows = tidyRows(est, alpha);
  const lines: string[] = [];
  const level = `${Math.round((1 - alpha) * 100)}% CI`;
  let current = '';
  for (const r of rows) {
    if (r.type !== current) {
      current = r.type;
      // The simple aggregate is a group-share-weighted mean of post-treatment cells only for did.
      const title =
        r.type === 'simple' && !est.estimator.startsWith('did') ? `Overall estimate (${est.estimator})` : (TITLES[r.type] ?? r.type);
      lines.push('', title);
      lines.push(`  ${'term'.padEnd(22)} ${'estimate'.padStart(12)} ${'std.error'.padStart(11)}   ${level}`);
    }
    const ci = r['conf.low'] === null ? '' : `[${num(r['conf.low'])}, ${num(r['conf.high'])}]`;
    const sig = r['conf.low'] !== null && (r['conf.low']! > 0 || r['conf.high']! < 0) ? ' *' : '';
    const note = r.note && r.estimate === null ? `  (${r.note})` : '';
    lines.push(`  ${r.term.padEnd(22)} ${num(r.estimate).padStart(12)} ${num(r['std.error']).padStart(11)}   ${ci}${sig}${note}`);
  }
  // The overall figure's own test (twfe's few-cluster options, a Fisher test): say which it is.
  const s = est.aggregates.simple;
  if (s?.inference && s.p !== undefined) lines.push('', `Overall estimate: p = ${num(s.p)}, interval and p from ${s.inference}`);
  const w = est.wald_pretest;
  if (w) {
    lines.push(
      '',
      w.W === null
        ? `Wald pre-test of parallel trends: not computed (${w.reason})`
        : `Wald pre-test of parallel trends: W = ${w.W.toFixed(3)}, df = ${w.df}, p = ${w.p!.toFixed(4)}`,
    );
  }
  for (const t of est.tests ?? [])
    lines.push(
      t.W === null
        ? `Test that ${t.label}: not computed (${t.reason})`
        : `Test that ${t.label}: W = ${t.W.toFixed(3)}, df = ${t.df}, p = ${t.p!.toFixed(4)}`,
    );
  if (est.heterogeneity?.length) {
    lines.push('', 'Heterogeneity of the effects (predict_het: HC1 SEs, t intervals; F test that all covariates are 0)');
    lines.push(
      `  ${'effect'.padEnd(8)} ${'covariate'.padEnd(14)} ${'estimate'.padStart(12)} ${'std.error'.padStart(11)}   ${'95% CI'.padEnd(22)} ${'N'.padStart(6)}  F-test p`,
    );
    for (const h of est.heterogeneity) {
      const what = h.effect > 0 ? `ℓ = ${h.effect}` : `pl. ${-h.effect}`;
      const ci = h.lb === null ? '' : `[${num(h.lb)}, ${num(h.ub)}]`;
      const tail = h.estimate === null ? `  (${h.reason})` : num(h.pF);
      lines.push(
        `  ${what.padEnd(8)} ${h.covariate.padEnd(14)} ${num(h.estimate).padStart(12)} ${num(h.se).padStart(11)}   ${ci.padEnd(22)} ${String(h.n).padStart(6)}  ${tail}`,
      );
    }
  }
  lines.push('', '* the confidence interval excludes 0');
  for (const m of est.messages) lines.push(`Note: ${m}`);
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}
