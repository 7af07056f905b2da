/**
 * The explorer's Web Worker script (scripts/bundle-explorer.mjs: explorer-worker.js): the generator,
 * the estimators and the simulation, serving draws to the page (worker-side.ts).
 */
import { config } from 'zod';
import { serveWorker } from './worker-side.js';

// zod's fast path compiles validators with new Function, which the page's Content-Security-Policy
// (no eval: the page runs nothing it did not bring) refuses; the plain path gives the same answers.
config({ jitless: true });
serveWorker(self as unknown as Parameters<typeof serveWorker>[0]);
