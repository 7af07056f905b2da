// What `npm pack` puts in the tarball (package.json `files`): everything `stagger` and `import … from
// 'stagger'` need (the bin, the exports' files and their declarations, every bundled scenario and the
// data files they name), and none of the tests, benchmarks or source maps. Packs the built dist/ as it
// is (--ignore-scripts: the prepack clean and prepare build must not rewrite dist/ under other tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const listing = JSON.parse(
  execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }),
);
const files = new Set<string>(listing[0].files.map((f: { path: string }) => f.path));
const strip = (p: string) => p.replace(/^\.\//, '');

test('the bin, main, types and every exports target are in the tarball', () => {
  const targets = [pkg.bin.stagger, pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default, pkg.exports['./package.json']];
  for (const t of targets) assert.ok(files.has(strip(t)), `${t} is not in the tarball`);
  assert.equal(strip(pkg.exports['.'].types), 'dist/src/index.d.ts');
  assert.match(readFileSync(join(root, pkg.bin.stagger), 'utf8'), /^#!\/usr\/bin\/env -S node/);
});

test('every compiled module ships with its declaration, none of tests, benchmarks or maps', () => {
  const js = [...files].filter((f) => f.endsWith('.js'));
  assert.ok(js.length > 100, `only ${js.length} modules`);
  // The explorer's two browser scripts (esbuild bundles that `stagger explore` inlines) are not modules to import.
  const bundles = ['dist/src/explore/explorer-page.js', 'dist/src/explore/explorer-worker.js'];
  for (const b of bundles) assert.ok(files.has(b), `${b} is not in the tarball`);
  for (const f of js) {
    assert.ok(f.startsWith('dist/src/'), `${f} is outside dist/src`);
    if (bundles.includes(f)) continue;
    assert.ok(files.has(f.replace(/\.js$/, '.d.ts')), `${f} has no declaration`);
  }
  const stray = [...files].filter((f) => /^(dist\/(test|bench|test-reference)|test|bench|src)\//.test(f) || f.endsWith('.map'));
  assert.deepEqual(stray, []);
});

test('every bundled scenario and every data file beside them ships', () => {
  const dir = join(root, 'scenarios');
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) assert.ok(files.has(`scenarios/${f}`), `scenarios/${f} is missing`);
  for (const f of readdirSync(join(dir, 'data'))) assert.ok(files.has(`scenarios/data/${f}`), `scenarios/data/${f} is missing`);
  assert.ok(files.has('README.md'));
});
