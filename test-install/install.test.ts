// The package as a user installs it (npm run test:install; minutes, not in npm test): `npm pack`, then
// `npm install -g --prefix TMP stagger-*.tgz` (dependencies from the npm cache, or the registry when
// it lacks them), then TMP/bin/stagger run from a directory outside the checkout, by a bundled
// scenario's name. Its diagnosis must be the checkout's, byte for byte (same scenario, seed and draws),
// and the installed copy must import by package name. Packs the built dist/ as it is (--ignore-scripts),
// so run it after a build.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tmp = mkdtempSync(join(tmpdir(), 'stagger-install-'));
const prefix = join(tmp, 'prefix');
const away = join(tmp, 'work');
mkdirSync(away);
after(() => rmSync(tmp, { recursive: true, force: true })); // the prefix holds every dependency: ~100 MB

test('npm pack + npm install -g into a prefix: stagger runs a bundled scenario by name from anywhere', () => {
  const t0 = performance.now();
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp, '--loglevel=error'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');
  const t1 = performance.now();
  execFileSync(
    npm,
    ['install', '-g', '--prefix', prefix, join(tmp, tarball), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: away,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const t2 = performance.now();
  process.stderr.write(`npm pack ${((t1 - t0) / 1000).toFixed(1)} s, npm install -g ${((t2 - t1) / 1000).toFixed(1)} s\n`);
  const bin = join(prefix, process.platform === 'win32' ? 'stagger.cmd' : join('bin', 'stagger'));
  assert.ok(existsSync(bin), `${bin} is missing`);

  const out = execFileSync(bin, ['run', 'teach-twfe-bias', '--draws', '5', '--seed', '1', '--workers', '0', '--out', 'installed'], {
    cwd: away,
    encoding: 'utf8',
  });
  assert.match(out, /installed\/: diagnosis\.csv/);
  const record = JSON.parse(readFileSync(join(away, 'installed', 'run.json'), 'utf8'));
  assert.equal(record.status, 'complete');
  assert.ok(record.scenario.path.startsWith(join(prefix, 'lib', 'node_modules', 'stagger', 'scenarios')), record.scenario.path);

  // The checkout's own CLI on the same scenario file, seed and draws.
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  execFileSync(
    process.execPath,
    [
      main,
      'run',
      join(root, 'scenarios', 'teach-twfe-bias.yaml'),
      '--draws',
      '5',
      '--seed',
      '1',
      '--workers',
      '0',
      '--out',
      'checkout',
      '--quiet',
    ],
    { cwd: away },
  );
  assert.equal(
    readFileSync(join(away, 'installed', 'diagnosis.csv'), 'utf8'),
    readFileSync(join(away, 'checkout', 'diagnosis.csv'), 'utf8'),
  );

  // The installed copy by package name: a module beside the global node_modules resolves 'stagger'.
  const probe = join(prefix, 'lib', 'probe.mjs');
  writeFileSync(
    probe,
    "import { bundledScenarios, loadScenario } from 'stagger';\nconsole.log(bundledScenarios().map((b) => loadScenario(b.file).name).join(','));\n",
  );
  const names = execFileSync(process.execPath, [probe], { cwd: away, encoding: 'utf8' }).trim().split(',');
  assert.ok(names.includes('teach_twfe_bias') && names.includes('example_from_panel'), names.join(','));
});
