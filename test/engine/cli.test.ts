/** The command line end to end: SIGKILL mid-run then --resume, and the merge command. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, FAKE_ARGS, FAKE_MODULE, assertSameFiles, tempDir } from './helpers.js';

const args = JSON.stringify({ ...FAKE_ARGS, busyMs: 2 });
const runArgs = (out: string, extra: string[] = [], simArgs = args): string[] => [
  CLI,
  'run',
  '--simulation',
  FAKE_MODULE,
  '--simulation-args',
  simArgs,
  '--draws',
  '200',
  '--seed',
  '11',
  '--out',
  out,
  '--quiet',
  ...extra,
];
// Slow enough draws (8 ms) that a second writer can start while the first is still running.
const slow = JSON.stringify({ ...FAKE_ARGS, busyMs: 8 });
const same = (x: boolean, msg: string): void => assert.ok(x, msg);

test('a run killed with SIGKILL and resumed gives the uninterrupted run byte for byte; one writer at a time', async () => {
  const full = tempDir('cli-full');
  const r = spawnSync(process.execPath, runArgs(full, ['--workers', '2'], slow), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const cut = tempDir('cli-cut');
  const child = spawn(process.execPath, runArgs(cut, ['--workers', '1'], slow), { stdio: 'ignore' });
  const drawsFile = join(cut, 'draws');
  const fullSize = statSync(join(full, 'draws')).size;
  // Kill once a good part, but not all, of the draws file is written.
  for (let i = 0; i < 400 && !(existsSync(drawsFile) && statSync(drawsFile).size > fullSize / 4); i++) await sleep(5);
  // A second writer of the same --out while the first runs is refused, naming the holder.
  const second = spawnSync(process.execPath, runArgs(cut, ['--workers', '0', '--resume'], slow), { encoding: 'utf8' });
  assert.equal(second.status, 2, second.stderr);
  assert.match(
    second.stderr,
    new RegExp(`^stagger: ${cut} is being written by process ${child.pid} on .*two writers would mix their draws`),
  );
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  const killedAt = statSync(drawsFile).size;
  assert.ok(killedAt > 0 && killedAt < fullSize, `killed at ${killedAt} of ${fullSize} bytes`);
  assert.ok(!existsSync(join(cut, 'diagnosis.csv')));
  // The killed run's lock is left behind; its process is gone, so the resume takes it over.
  assert.equal(JSON.parse(readFileSync(join(cut, 'run.lock'), 'utf8')).pid, child.pid);

  const resumed = spawnSync(process.execPath, runArgs(cut, ['--workers', '2', '--resume'], slow), { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`taking over the lock of process ${child.pid} .*which is no longer running`));
  assertSameFiles(full, cut, same);
  assert.ok(!existsSync(join(cut, 'run.lock')), 'the lock is released at the end');
});

test('stagger merge on shard directories, and its errors', () => {
  const full = tempDir('cli-m-full');
  assert.equal(spawnSync(process.execPath, runArgs(full, ['--workers', '0'])).status, 0);
  const shards = [1, 2].map((i) => {
    const d = tempDir(`cli-m-${i}`);
    const r = spawnSync(process.execPath, runArgs(d, ['--workers', '1', '--shard', `${i}/2`]), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return d;
  });
  const merged = tempDir('cli-merged');
  const m = spawnSync(process.execPath, [CLI, 'merge', ...shards, '--out', merged], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  assert.match(m.stdout, /merged 2 shards, 200 draws per design point/);
  assertSameFiles(full, merged, same);
  const bad = spawnSync(process.execPath, [CLI, 'merge', shards[1], '--out', tempDir('cli-bad')], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /1 of 2 shards missing: shard 1\/2 \(draws 0–99\)/);
});

test('a run without --seed picks one and prints it', () => {
  const d = tempDir('cli-seed');
  const r = spawnSync(
    process.execPath,
    runArgs(d)
      .filter((a, i, all) => a !== '--seed' && all[i - 1] !== '--seed')
      .concat(['--workers', '0']),
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /no --seed given; using --seed \d+/);
});

test('stagger mde writes the power curve and the answer with its MC uncertainty', () => {
  const d = tempDir('cli-mde');
  const pts = [1, 2, 3, 4].map((mu) => ({ mu, sigma: 1 }));
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'mde',
      '--simulation',
      FAKE_MODULE,
      '--simulation-args',
      JSON.stringify({ points: pts, crn: true }),
      '--over',
      'effects.size',
      '--power',
      '0.8',
      '--draws',
      '300',
      '--seed',
      '5',
      '--workers',
      '0',
      '--out',
      d,
      '--quiet',
      '--replicates',
      '200',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /effects\.size for 80 % power: 2\.\d+ \(MC SE 0\.\d+, 95 % MC interval/);
  const out = JSON.parse(readFileSync(join(d, 'mde.json'), 'utf8'));
  assert.equal(out.curves[0].result.curve.length, 4);
  assert.equal(readFileSync(join(d, 'power-curve.csv'), 'utf8').split('\n')[0], 'sigma,effects.size,power,mc_se');
  const bad = spawnSync(
    process.execPath,
    [
      CLI,
      'mde',
      '--simulation',
      FAKE_MODULE,
      '--simulation-args',
      JSON.stringify({ points: pts }),
      '--over',
      'nope',
      '--draws',
      '10',
      '--seed',
      '5',
      '--workers',
      '0',
      '--out',
      tempDir('cli-mde-bad'),
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  assert.match(bad.stderr, /--over nope: not an axis of this grid \(axes: effects\.size, sigma\)/);
});
