#!/usr/bin/env node
/**
 * The explorer's browser bundle: src/explore/browser/main.ts and everything it imports (the generator,
 * the estimators, the diagnosis, chart.js), built by esbuild into dist/src/explore/explorer-bundle.js,
 * which `stagger explore` inlines into the page it writes. Node's built-ins are replaced by the small
 * stand-ins in src/explore/browser/shims/ (the page has no file system). Run by scripts/setup.sh and
 * scripts/build.mjs after tsc; `--check` only says whether the bundle is older than its sources.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'src', 'explore', 'explorer-bundle.js');
const shims = join(root, 'src', 'explore', 'browser', 'shims');

const nodeShims = {
  name: 'node-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: join(shims, `${a.path.slice(5)}.ts`) }));
  },
};

mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'explore', 'browser', 'main.ts')],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  outfile: out,
  define: { 'process.env': '{}', 'process.env.NODE_ENV': '"production"' },
  plugins: [nodeShims],
  logLevel: 'warning',
});
