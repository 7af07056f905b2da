/**
 * The explorer page's script (scripts/bundle-explorer.mjs: explorer-page.js): reads the embedded
 * configuration and starts the page. The engine is not in this script: it is in the workers' script,
 * embedded as text (never parsed by the page itself), from which a first small script made the Web
 * Workers (a Blob URL), so the HTML file needs no server and no network, and the page is ready at once.
 */
import { startPage, type ExplorerConfig } from './page-app.js';
import type { WorkerLike } from './draw-pool.js';

const cfg = JSON.parse(document.getElementById('stagger-config')!.textContent!) as ExplorerConfig;
// Started by the page's first script (src/explore/page.ts), so they compile the engine meanwhile.
const workers = (window as unknown as { __staggerWorkers: WorkerLike[] }).__staggerWorkers;
startPage(cfg, workers);
