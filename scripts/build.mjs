#!/usr/bin/env node
/**
 * npm's `prepare` (npm install in a checkout, npm install -g <checkout>, npm link, npm pack, installs
 * from git): compile TypeScript to dist/. When TypeScript is not installed (a checkout whose `npm
 * install` has not run yet), say what to do instead of npm's bare "tsc: not found"; a checkout that
 * is already built is used as it is.
 * `--clean` (npm's `prepack`): remove dist/src first, so a tarball never carries the compiled output
 * of a source file that has since been renamed or removed (prepare then builds it afresh).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

if (process.argv.includes('--clean')) {
  rmSync(join(root, 'dist', 'src'), { recursive: true, force: true });
  rmSync(join(root, 'dist', '.built'), { force: true });
  process.exit(0);
}

let tsc;
try {
  tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  if (existsSync(built)) {
    process.stderr.write('stagger: TypeScript is not installed here; using the existing build in dist/\n');
    process.exit(0);
  }
  process.stderr.write(
    `stagger: ${root}: cannot build dist/: TypeScript is not installed; run \`npm install\` in this folder first, then \`npm install -g .\` (or \`npm link\`)\n`,
  );
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
// The command file is run directly (its #! line) by npx, npm link and tools such as did_compare.py.
if (r.status === 0) chmodSync(built, 0o755);
if (r.status !== 0) process.exit(r.status ?? 1);
// The explorer's browser bundle (dist/src/explore/explorer-bundle.js), which the package carries.
const b = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-explorer.mjs')], { stdio: 'inherit', cwd: root });
process.exit(b.status ?? 1);
