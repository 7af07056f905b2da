/**
 * The report as one self-contained HTML file: inline CSS, charts as data: URIs, no scripts and no
 * network. Every piece of text that comes from a file (scenario, settings, estimator names, reasons)
 * is escaped here and only here.
 */
import { esc } from './format.js';
import type { ChartOut, ReportModel } from './report.js';
import type { Table } from './tables.js';

const CSS = `
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --band: #f5f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Arial, sans-serif; color: var(--ink); background: #fff; }
header { background: #0b3b5c; color: #fff; padding: 28px 40px 22px; }
header h1 { margin: 0 0 6px; font-size: 28px; line-height: 1.2; }
header p { margin: 4px 0; color: #d6e4ef; max-width: 70em; }
nav { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 8px 40px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 18px; white-space: nowrap; }
main { padding: 8px 40px 48px; max-width: 1400px; }
h2 { font-size: 22px; margin: 36px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 18px; margin: 24px 0 6px; }
p.lead { font-size: 17px; }
.headline { background: #eef5fb; border-left: 4px solid var(--accent); padding: 10px 16px; margin: 18px 0; }
.headline p { margin: 4px 0; }
.note { color: var(--muted); font-size: 14px; }
.warn { background: #fff4e5; border-left: 4px solid #D55E00; padding: 10px 16px; margin: 12px 0; }
figure { margin: 18px 0 28px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 14px; max-width: 960px; margin-top: 6px; }
.missing { width: 100%; max-width: 960px; padding: 24px; border: 1px dashed #D55E00; background: #fffaf5; color: #8a3b00; }
table { border-collapse: collapse; margin: 8px 0 6px; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: right; vertical-align: top; white-space: nowrap; }
th { background: var(--band); font-weight: 600; white-space: normal; vertical-align: bottom; }
td:first-child, th:first-child { text-align: left; }
td.text, th.text { text-align: left; white-space: normal; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.scroll { overflow-x: auto; max-width: 100%; }
details summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; color: var(--muted); margin: 6px 0 0; }
dl.settings dt { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
dl.settings dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 14px 28px; }
.card h3 { margin-top: 12px; }
footer { color: var(--muted); font-size: 13px; padding: 18px 40px 32px; border-top: 1px solid var(--line); }
@media print { nav { display: none; } header { background: #fff; color: #000; } header p { color: #333; } figure, table { break-inside: avoid; } }
`;

function tableHtml(t: Table): string {
  const cls = (i: number) => (i < (t.textCols ?? 1) ? ' class="text"' : '');
  const head = `<thead><tr>${t.head.map((h, i) => `<th${cls(i)} scope="col">${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`).join('\n')}</tbody>`;
  const table = `<div class="scroll"><table id="table-${esc(t.id)}" data-table="${esc(t.id)}">${head}${body}</table></div>`;
  const inner = `<p class="note">${esc(t.caption)}</p>${table}`;
  const h = t.title ? `<h3>${esc(t.title)}</h3>` : '';
  return t.folded ? `${h}<details><summary>Show the ${t.rows.length} rows</summary>${inner}</details>` : `${h}${inner}`;
}

function chartHtml(c: ChartOut): string {
  const body = c.png
    ? `<img src="data:image/png;base64,${c.png.toString('base64')}" alt="${esc(c.title)}" width="960" height="480">`
    : `<div class="missing" data-chart-missing="${esc(c.id)}"><strong>${esc(c.title)}: not drawn.</strong> ${esc(c.error ?? 'unknown reason')}</div>`;
  return `<figure id="chart-${esc(c.id)}">${body}<figcaption>${esc(c.caption)}</figcaption></figure>`;
}

const SECTIONS: { id: ChartOut['section']; title: string; intro: string }[] = [
  { id: 'power', title: 'Power', intro: 'How often the evaluation would detect the effect.' },
  {
    id: 'accuracy',
    title: 'Bias and coverage',
    intro: 'Whether the estimates are centred on the truth and the intervals cover it as often as they claim.',
  },
  { id: 'event', title: 'Event study', intro: 'The effect over time since start, as the estimator sees it across draws.' },
  {
    id: 'sampling',
    title: 'Sampling distributions',
    intro: 'What one evaluation could report: the spread of the overall estimate across draws.',
  },
  {
    id: 'recruitment',
    title: 'Recruitment',
    intro: 'What the data strategy delivered in the draws: accrual against the plan, consent and exclusions, start groups.',
  },
];

export function reportHtml(m: ReportModel): string {
  const w = m.words;
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">`,
  );
  parts.push(`<title>${esc(m.title)} · Stagger report</title>\n<style>${CSS}</style>\n</head>\n<body>`);
  parts.push(
    `<header><h1>${esc(m.title)}</h1>${w?.description ? `<p>${esc(w.description)}</p>` : ''}<p>Stagger report · ${esc(m.dir)}</p></header>`,
  );
  const nav = [
    ['summary', 'Summary'],
    ['scenario', 'Scenario'],
    ['grid', 'Design grid'],
    ...SECTIONS.filter((s) => m.charts.some((c) => c.section === s.id)).map((s) => [s.id, s.title]),
    ['tables', 'Tables'],
    ['provenance', 'Provenance'],
  ];
  parts.push(`<nav>${nav.map(([id, t]) => `<a href="#${id}">${esc(t)}</a>`).join('')}</nav>\n<main>`);

  parts.push(`<section id="summary"><h2>Summary</h2>`);
  if (m.headline.length) parts.push(`<div class="headline">${m.headline.map((h) => `<p>${esc(h)}</p>`).join('')}</div>`);
  parts.push(
    `<p class="note">Figures are written value ± Monte Carlo SE: the simulation's own uncertainty, which more draws shrink. ${esc(m.detailNote)}</p>`,
  );
  if (m.chartsNote)
    parts.push(
      `<div class="warn" id="charts-missing"><strong>Charts were not drawn.</strong> ${esc(m.chartsNote)} The tables below are complete.</div>`,
    );
  parts.push(`</section>`);

  parts.push(`<section id="scenario"><h2>The scenario</h2>`);
  if (w) {
    parts.push(
      `<p class="lead">${esc(w.name ? `Scenario ${w.name}` : 'The scenario')}${w.span ? `: a panel of ${esc(w.span)}` : ''}.</p><div class="cards">`,
    );
    for (const s of w.sections) {
      parts.push(
        `<div class="card" id="scenario-${esc(s.title.toLowerCase())}"><h3>${esc(s.title)}</h3>${s.sentences.map((x) => `<p>${esc(x)}</p>`).join('')}`,
      );
      parts.push(
        `<details><summary>All ${esc(s.title.toLowerCase())} settings</summary><dl class="settings">${s.settings.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></details></div>`,
      );
    }
    parts.push(`</div><p class="note">Read from ${esc(m.scenarioNote)}.</p>`);
  } else {
    parts.push(`<div class="warn">The scenario is not described: ${esc(m.scenarioNote)}. The results below do not depend on it.</div>`);
  }
  parts.push(`</section>`);

  parts.push(`<section id="grid"><h2>Design grid</h2>${tableHtml({ ...m.grid, title: '' })}</section>`);

  for (const s of SECTIONS) {
    const cs = m.charts.filter((c) => c.section === s.id);
    if (!cs.length) continue;
    parts.push(`<section id="${s.id}"><h2>${esc(s.title)}</h2><p>${esc(s.intro)}</p>${cs.map(chartHtml).join('\n')}</section>`);
  }

  parts.push(
    `<section id="tables"><h2>Diagnosand tables</h2><p class="note">Every diagnosand for every estimand is in diagnosis.csv (tidy, one row per design point × estimator × estimand × target × diagnosand).</p>`,
  );
  for (const t of m.tables) parts.push(tableHtml(t));
  parts.push(`</section>`);

  parts.push(
    `<section id="provenance"><h2>Provenance</h2><p class="note">Re-run with the same scenario file, seed and draws to get the same numbers byte for byte.</p>`,
  );
  parts.push(
    tableHtml({ id: 'provenance', title: 'This run', caption: 'From run.json.', head: ['item', 'value'], rows: m.provenance, textCols: 2 }),
  );
  parts.push(
    `</section>\n</main>\n<footer>Made by Stagger from the run's files (diagnosis.json, draws, run.json). Rebuild with <code>stagger report ${esc(m.dir)}</code>.</footer>\n</body>\n</html>\n`,
  );
  return parts.join('\n');
}
