/**
 * The explorer's one bundle (scripts/bundle-explorer.mjs): in the page it starts the explorer; in a Web
 * Worker it serves draws. The page makes its workers from this same script's text (a Blob URL), so the
 * written HTML file carries the engine once and needs no server and no network.
 */
import { config } from 'zod';
import { startPage, type ExplorerConfig } from './page-app.js';
import { serveWorker } from './worker-side.js';
import type { WorkerLike } from './draw-pool.js';

// zod's fast path compiles validators with new Function, which the page's Content-Security-Policy
// (no eval: the page runs nothing it did not bring) refuses; the plain path gives the same answers.
config({ jitless: true });

if (typeof document === 'undefined') {
  serveWorker(self as unknown as Parameters<typeof serveWorker>[0]);
} else {
  const cfg = JSON.parse(document.getElementById('stagger-config')!.textContent!) as ExplorerConfig;
  const source = document.getElementById('stagger-bundle')!.textContent!;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const make = (): WorkerLike => new Worker(url) as unknown as WorkerLike;
  startPage(cfg, make, navigator.hardwareConcurrency || 2);
}
