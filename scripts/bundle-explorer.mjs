#!/usr/bin/env node
/**
 * The explorer's two browser scripts, built by esbuild into dist/src/explore/ and inlined by `stagger
 * explore` into the page it writes: explorer-page.js (src/explore/browser/page-main.ts: the page, the
 * diagnosis it streams, chart.js) and explorer-worker.js (worker-main.ts: the generator, the
 * estimators, the simulation, for the page's Web Workers). Node's built-ins are replaced by the small
 * stand-ins in src/explore/browser/shims/ (the page has no file system). Run by scripts/setup.sh and
 * scripts/build.mjs after tsc.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'src', 'explore');
const shims = join(root, 'src', 'explore', 'browser', 'shims');

const nodeShims = {
  name: 'node-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: join(shims, `${a.path.slice(5)}.ts`) }));
    // External estimators start programs over pipes (Node only): the page gets a module that refuses them.
    b.onResolve({ filter: /\/external\/index\.js$/ }, (a) =>
      a.importer.includes('/src/') ? { path: join(shims, 'external-estimator.ts') } : undefined,
    );
    // zod re-exports all its ~50 locales as z.locales (half of the workers' script, and half of their
    // start-up); Stagger's messages are its own and English, which zod's schemas import directly.
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) =>
      a.importer.includes('/node_modules/zod/') ? { path: join(shims, 'zod-locales.ts') } : undefined,
    );
  },
};

mkdirSync(outDir, { recursive: true });
for (const [entry, name] of [
  ['page-main.ts', 'explorer-page.js'],
  ['worker-main.ts', 'explorer-worker.js'],
]) {
  await build({
    entryPoints: [join(root, 'src', 'explore', 'browser', entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    outfile: join(outDir, name),
    define: { 'process.env': '{}', 'process.env.NODE_ENV': '"production"' },
    plugins: [nodeShims],
    logLevel: 'warning',
  });
}
