/**
 * The explorer page's script (scripts/bundle-explorer.mjs: explorer-page.js): reads the embedded
 * configuration and starts the page. The engine is not in this script: it is in the workers' script,
 * embedded as text (never parsed by the page itself), from which a first small script made the Web
 * Workers (a Blob URL), so the HTML file needs no server and no network, and the page is ready at once.
 */
import { startPage, type ExplorerConfig } from './page-app.js';
import type { WorkerLike } from './draw-pool.js';

const cfg = JSON.parse(document.getElementById('stagger-config')!.textContent!) as ExplorerConfig;
// The first worker was started by the page's first script (src/explore/page.ts), so it compiles the
// engine meanwhile; the others, one per further core (at most 16 in all), start once it is ready.
const boot = (window as unknown as { __stagger: { url: string; first: WorkerLike } }).__stagger;
const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 16));
startPage(cfg, boot.first, () => new Worker(boot.url) as unknown as WorkerLike, cores);
