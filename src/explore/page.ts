/**
 * The explorer page as one self-contained HTML file: the styles, the scenario and its controls (JSON),
 * and the two browser scripts (the page with chart.js; the engine for its Web Workers, as text;
 * scripts/bundle-explorer.mjs), all inline, so it opens from disk with no network and no server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { scenarioWords } from '../report/scenario-words.js';
import { versions } from '../engine/versions.js';
import { controlsOf } from './controls.js';
import { lessonFor } from './lessons.js';
import type { ExplorerConfig } from './browser/page-app.js';

export interface ExplorerScripts {
  page: string;
  worker: string;
}

/** The two scripts' text (scripts/bundle-explorer.mjs). @throws when they were never built (a checkout whose build did not run it) */
export function explorerScripts(): ExplorerScripts {
  const read = (name: string): string => {
    const url = new URL(`./${name}`, import.meta.url);
    if (!existsSync(url)) {
      throw new Error(
        `${url.pathname}: the explorer's browser script is missing; build it with \`node scripts/bundle-explorer.mjs\` (npm run setup does)`,
      );
    }
    return readFileSync(url, 'utf8');
  };
  return { page: read('explorer-page.js'), worker: read('explorer-worker.js') };
}

/** What the page embeds about the scenario (controls, lesson, units). */
export function explorerConfig(text: string, label: string): ExplorerConfig {
  const raw = parse(text) as Record<string, unknown>;
  const words = scenarioWords(text);
  return {
    label,
    name: String(raw.name ?? ''),
    title: String(raw.title ?? raw.name ?? label),
    description: String(raw.description ?? ''),
    text,
    controls: controlsOf(text, label),
    lesson: lessonFor(String(raw.name ?? '')),
    // The scenario's own units; never the bare words "outcome units" (a file that states none: the outcome's name).
    units: {
      effect: words.effectUnit === 'outcome units' ? `units of ${words.outcomeName}` : words.effectUnit,
      per: words.periods?.unit ?? 'month',
      who: words.unitNoun.many,
    },
    periods: words.periods,
    version: versions().stagger,
  };
}

/** Text inside <script>: no "</script" can end the element early (nor "<!--" start a comment state). */
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
/** JSON inside <script>: every "<" escaped, so nothing in the scenario's text can close the element. */
const jsonSafe = (s: string): string => s.replace(/</g, '\\u003c');
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const STYLE = `
:root { --fg: #111; --muted: #555; --line: #ddd; --accent: #0072B2; --bg: #fff; --flash: #F0E442; font-size: 15px; }
body.large { font-size: 22px; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 0.6rem 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.35rem; margin: 0 0 0.4rem; }
h2 { font-size: 1.1rem; margin: 0.2rem 0 0.4rem; }
.bar { display: flex; flex-wrap: wrap; gap: 0.8rem; align-items: center; }
.bar input[type=text], .bar input[type=number] { font-size: 1rem; width: 6rem; }
button, select, input { font-size: 1rem; }
.status { font-weight: bold; }
.rate { color: var(--muted); }
.messages p { margin: 0.3rem 1rem; padding: 0.4rem 0.6rem; background: #fdecea; border-left: 4px solid #D55E00; white-space: pre-wrap; }
.cols { display: grid; grid-template-columns: minmax(18rem, 26rem) 1fr; gap: 1rem; padding: 0.6rem 1rem; }
aside { max-height: calc(100vh - 7rem); overflow-y: auto; padding-right: 0.4rem; }
.lesson { background: #eef6fb; border-left: 4px solid var(--accent); padding: 0.4rem 0.8rem; margin-bottom: 0.8rem; }
.lesson li { margin: 0.35rem 0; }
.group { margin-bottom: 0.6rem; border: 1px solid var(--line); border-radius: 4px; padding: 0.3rem 0.6rem; }
.group summary { font-weight: bold; cursor: pointer; }
.control { margin: 0.45rem 0; }
.control label { display: block; }
.control small { color: var(--muted); margin-left: 0.4rem; font-size: 0.8em; }
.control .range { display: flex; gap: 0.4rem; align-items: center; font-size: 0.8em; color: var(--muted); }
.control input[type=range] { flex: 1; }
.control output { font-weight: bold; }
.control.flash { background: var(--flash); transition: background 0.3s; }
.truth { font-size: 1.25rem; font-weight: bold; margin: 0.2rem 0 0.5rem; padding: 0.3rem 0.6rem; border-left: 6px solid #000; }
table.figures { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
table.figures caption { text-align: left; color: var(--muted); font-size: 0.85em; padding-bottom: 0.3rem; }
table.figures th, table.figures td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.8rem; text-align: right; }
table.figures th:first-child { text-align: left; }
.chart { position: relative; height: 26rem; margin-bottom: 1rem; }
.foot { color: var(--muted); font-size: 0.8em; }
@media (max-width: 60rem) { .cols { grid-template-columns: 1fr; } aside { max-height: none; } }
`;

/**
 * The first Web Worker starts before the page's own script is even parsed: it spends most of its first
 * few hundred ms compiling the engine, and that should overlap the page's start (the first figures
 * within 1 s). The others (one per further core the browser offers, at most 16 in all) start once the
 * first has built its simulation, so on a 2-core machine the first does not share its core with a
 * second compiling the same script. The page takes the script's URL and the first worker from
 * window.__stagger.
 */
const START_WORKERS = `(function () {
  var src = document.getElementById('stagger-worker').textContent;
  var url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  window.__stagger = { url: url, first: new Worker(url) };
})();`;

/** The whole page. */
export function explorerHtml(cfg: ExplorerConfig, scripts = explorerScripts()): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:; connect-src blob:">
<title>${esc(cfg.title)} — Stagger explorer</title>
<style>${STYLE}</style>
</head>
<body>
<noscript>The Stagger explorer runs the simulation in the page: it needs JavaScript.</noscript>
<div id="app"></div>
<script id="stagger-config" type="application/json">${jsonSafe(JSON.stringify(cfg))}</script>
<script id="stagger-worker" type="text/plain">${scriptSafe(scripts.worker)}</script>
<script>${START_WORKERS}</script>
<script>${scriptSafe(scripts.page)}</script>
</body>
</html>
`;
}
