/**
 * Store faults through the command line: exit codes and one-line messages for damaged, missing and
 * foreign stores; merges that refuse to destroy or silently shorten; a merge and an mde killed with
 * SIGKILL; a full disk and a read-only output (tmpfs mounts: the tests run as root in CI; without
 * mount permission the full disk is simulated with /dev/full and the read-only test is skipped).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runEngine } from '../../src/engine/run.js';
import { mergeRuns } from '../../src/engine/merge.js';
import { moduleSpec } from '../../src/engine/spec.js';
import { OutputError } from '../../src/engine/store-errors.js';
import { CLI, EXACT_FILES, FAKE_ARGS, FAKE_MODULE, assertSameFiles, tempDir } from './helpers.js';

const same = (x: boolean, msg: string): void => assert.ok(x, msg);
const stagger = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const simArgs = (over: object = {}) => ({ ...FAKE_ARGS, ...over });
const runCli = (out: string, draws: number, extra: string[] = [], over: object = {}): string[] => [
  'run',
  '--simulation',
  FAKE_MODULE,
  '--simulation-args',
  JSON.stringify(simArgs(over)),
  '--draws',
  String(draws),
  '--seed',
  '3',
  '--out',
  out,
  '--quiet',
  '--workers',
  '0',
  ...extra,
];

/** The run `stagger run` makes, made in this process (no report: faster). */
async function engineRun(out: string, draws: number, shard?: { index: number; count: number }, resume = false): Promise<void> {
  const r = moduleSpec(FAKE_MODULE, simArgs());
  await runEngine({ spec: r.spec, scenario: r.scenario, seed: '3', draws, workers: 0, outDir: out, shard, resume, onNotice: () => {} });
}

/** A one-line error with the exit code, never a stack trace. */
function assertError(r: ReturnType<typeof stagger>, code: number, message: RegExp): void {
  assert.equal(r.status, code, `exit ${r.status}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at |Run with --help/);
  assert.match(r.stderr, message);
}

function mount(t: TestContext, opts: string): string | null {
  const d = tempDir('tmpfs');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', d]).status !== 0) return null;
  t.after(() => {
    spawnSync('umount', ['-l', d]);
  });
  return d;
}

test('a damaged, missing, empty or foreign store: diagnose, draws and report exit 2 with one clear line', async () => {
  const d = tempDir('cli-damaged');
  await engineRun(d, 40);
  const size = statSync(join(d, 'draws')).size;
  truncateSync(join(d, 'draws'), Math.floor(size / 2));
  for (const args of [
    ['diagnose', d, '--out', tempDir('cli-dx')],
    ['draws', d],
    ['draws', d, '--csv'],
    ['report', d],
  ]) {
    assertError(
      stagger(args),
      2,
      new RegExp(
        `^stagger: ${d}/draws is damaged, so none of it was used: \\d+ of 120 draw results .* draws \\d+–39; .*Recover: stagger run .* --seed 3 --draws 40 --out ${d} --resume`,
      ),
    );
  }
  // --csv to a file: nothing is written when the store is damaged.
  const csv = join(tempDir('cli-csv'), 'x.csv');
  assertError(stagger(['draws', d, '--csv', '--out', csv]), 2, /is damaged/);
  assert.ok(!existsSync(csv));
  assertError(stagger(['draws', join(d, 'nope')]), 2, /nope: no such directory/);
  writeFileSync(join(d, 'draws'), '');
  assertError(stagger(['diagnose', d, '--out', tempDir('cli-dy')]), 2, /draws file is empty \(0 bytes\)/);
  writeFileSync(join(d, 'draws'), 'PK\u0003\u0004 a zip file');
  assertError(stagger(['draws', d]), 2, /not a Stagger draws file \(expected it to start with "STAGGERD", found "PK\.\. a z"\)/);
});

test('merge refuses --out equal to a shard, and leaves the shard untouched', async () => {
  const s = [1, 2].map((i) => tempDir(`m-eq-${i}`));
  for (const [i, d] of s.entries()) await engineRun(d, 20, { index: i + 1, count: 2 });
  const before = readFileSync(join(s[0], 'draws'));
  assertError(stagger(['merge', s[0], s[1], '--out', s[0]]), 2, /--out .* is one of the shards being merged .*would destroy it/);
  // The same directory by another spelling (a trailing slash, a symlink) is the same directory.
  const link = join(tempDir('m-link'), 'alias');
  symlinkSync(s[0], link);
  assertError(stagger(['merge', s[0], s[1], '--out', `${link}/`]), 2, /is one of the shards being merged/);
  assert.ok(readFileSync(join(s[0], 'draws')).equals(before), 'shard 1 was changed');
  assert.equal(JSON.parse(readFileSync(join(s[0], 'run.json'), 'utf8')).status, 'complete');
});

test('merge names the missing, incomplete and silently shortened shards, and writes nothing', async () => {
  const s = [1, 2, 3].map((i) => tempDir(`m-miss-${i}`));
  for (const [i, d] of s.entries()) await engineRun(d, 30, { index: i + 1, count: 3 });
  const out = join(tempDir('m-out'), 'merged');
  // Shard 2 never ran (a Slurm task that failed): the glob simply does not list it.
  assertError(stagger(['merge', s[0], s[2], '--out', out]), 2, /1 of 3 shards missing: shard 2\/3 \(draws 10–19\)/);
  assertError(stagger(['merge', s[0], join(s[1], 'gone'), s[2], '--out', out]), 2, /gone: no such directory \(a shard that never ran\?\)/);
  // Shard 2 cut at a draw boundary while its run.json says complete.
  const drawsFile = join(s[1], 'draws');
  const whole = readFileSync(drawsFile);
  const boundary = cutAtDraw(whole, 5 * 3); // draws 10–14 of the shard's 10–19
  writeFileSync(drawsFile, whole.subarray(0, boundary));
  assertError(stagger(['merge', ...s, '--out', out]), 2, new RegExp(`${s[1]} \\(shard 2/3\\): .*draws 15–19`));
  writeFileSync(drawsFile, whole);
  // Shard 3 unfinished.
  const rec = JSON.parse(readFileSync(join(s[2], 'run.json'), 'utf8'));
  writeFileSync(join(s[2], 'run.json'), JSON.stringify({ ...rec, status: 'running' }));
  assertError(stagger(['merge', ...s, '--out', out]), 2, new RegExp(`${s[2]} \\(shard 3/3\\) did not finish \\(status running\\)`));
  assert.ok(!existsSync(out) || !existsSync(join(out, 'draws')), 'a refused merge wrote its output');
});

/** The byte offset just after the D frame of unit `units - 1` (draws-file.ts layout). */
function cutAtDraw(buf: Buffer, units: number): number {
  let n = 0;
  for (let pos = 8; pos < buf.length; ) {
    const end = pos + buf.readUInt32LE(pos + 1) + 9;
    if (buf[pos] === 0x44 && ++n === units) return end;
    pos = end;
  }
  throw new Error('fewer draws than asked');
}

test('a merge killed with SIGKILL leaves no directory that reads as a run; merging again gives the single run', async () => {
  const draws = 3000;
  const full = tempDir('mk-full');
  await engineRun(full, draws);
  const s = [1, 2].map((i) => tempDir(`mk-${i}`));
  for (const [i, d] of s.entries()) await engineRun(d, draws, { index: i + 1, count: 2 });
  const out = tempDir('mk-out');
  const child = spawn(process.execPath, [CLI, 'merge', ...s, '--out', out, '--quiet'], { stdio: 'ignore' });
  // Kill once the merge is writing its draws (in its temporary directory).
  const writing = (): boolean =>
    readdirSync(out).some((f) => f.startsWith('.merge-') && (statSync(join(out, f, 'draws'), { throwIfNoEntry: false })?.size ?? 0) > 0);
  for (let i = 0; i < 2000 && !writing(); i++) await sleep(2);
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  assert.ok(!existsSync(join(out, 'run.json')), 'the killed merge left a run.json');
  assertError(
    stagger(['diagnose', out, '--out', tempDir('mk-dx')]),
    2,
    /no run\.json: the run or merge that wrote it did not finish|no draws file/,
  );
  // Merging again (the stale lock and temporary directory of the killed merge are cleared).
  mergeRuns(s, out, () => {});
  assertSameFiles(full, out, same);
  assert.deepEqual(
    readdirSync(out).filter((f) => f.startsWith('.merge-') || f === 'run.lock'),
    [],
  );
});

test('an mde killed with SIGKILL and resumed gives the uninterrupted answer byte for byte', async () => {
  const pts = [1, 2, 3, 4].map((mu) => ({ mu, sigma: 1 }));
  const mdeArgs = (out: string, extra: string[] = []) => [
    'mde',
    '--simulation',
    FAKE_MODULE,
    '--simulation-args',
    JSON.stringify({ points: pts, crn: true, busyMs: 3 }),
    '--over',
    'effects.size',
    '--power',
    '0.8',
    '--draws',
    '150',
    '--seed',
    '5',
    '--workers',
    '1',
    '--out',
    out,
    '--quiet',
    '--replicates',
    '100',
    '--refine',
    '1',
    ...extra,
  ];
  const full = tempDir('mde-full');
  assertError(stagger(mdeArgs(full)), 0, /.*/);
  const cut = tempDir('mde-cut');
  const child = spawn(process.execPath, [CLI, ...mdeArgs(cut)], { stdio: 'ignore' });
  const fullSize = statSync(join(full, 'draws')).size;
  for (let i = 0; i < 2000 && !(existsSync(join(cut, 'draws')) && statSync(join(cut, 'draws')).size > fullSize / 3); i++) await sleep(5);
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  assert.ok(!existsSync(join(cut, 'mde.json')), 'killed after it finished');
  assertError(stagger(mdeArgs(cut, ['--resume'])), 0, /.*/);
  for (const f of [...EXACT_FILES, 'mde.json', 'power-curve.csv'])
    assert.ok(readFileSync(join(full, f)).equals(readFileSync(join(cut, f))), `${f} differs`);
});

test('a full disk: run --quiet exits 1 naming the file, and the run resumes to the same bytes', async (t) => {
  const full = tempDir('disk-full-ref');
  await engineRun(full, 60);
  const fs = mount(t, 'size=64k');
  if (fs) {
    const out = join(fs, 'run');
    assertError(
      stagger(runCli(out, 60)),
      1,
      new RegExp(`^stagger: ${out}/(draws|diagnosis\\.\\w+): could not write \\(no space left on the device, ENOSPC\\); .*--resume`),
    );
    assert.equal(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status, 'running');
    assert.equal(spawnSync('mount', ['-o', 'remount,size=8m', fs]).status, 0);
    await engineRun(join(fs, 'run'), 60, undefined, true);
  }
  // Without a mount (or besides it): /dev/full answers every write with ENOSPC.
  const d = tempDir('devfull');
  await engineRun(d, 60);
  truncateSync(join(d, 'draws'), 3000);
  const rec = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8'));
  writeFileSync(join(d, 'run.json'), JSON.stringify({ ...rec, status: 'running' }));
  symlinkSync('/dev/full', join(d, 'diagnosis.csv.tmp'));
  const r = moduleSpec(FAKE_MODULE, simArgs());
  await assert.rejects(
    runEngine({ spec: r.spec, scenario: r.scenario, seed: '3', draws: 60, workers: 0, outDir: d, resume: true, onNotice: () => {} }),
    (e: Error) =>
      e instanceof OutputError &&
      e.exitCode === 1 &&
      new RegExp(`^${d}/diagnosis\\.csv: could not write \\(no space left on the device, ENOSPC\\)`).test(e.message),
  );
  assert.equal(JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')).status, 'running', 'a failed run must not say complete');
  await engineRun(d, 60, undefined, true);
  if (fs) assertSameFiles(full, join(fs, 'run'), same);
  assertSameFiles(full, d, same);
});

test('a report that does not fit on the disk fails the command (exit 1), naming the file', async (t) => {
  const fs = mount(t, 'size=400k');
  assert.ok(fs, 'mount -t tmpfs must be permitted (the suite runs as root, as CI does)');
  const d = join(fs, 'run');
  mkdirSync(d);
  const src = tempDir('rep-src');
  await engineRun(src, 100);
  for (const f of [...EXACT_FILES, 'run.json']) cpSync(join(src, f), join(d, f));
  // The issue's case: `run --quiet` whose draws and diagnosis fit but whose report does not.
  const fs2 = mount(t, 'size=400k');
  assert.ok(fs2);
  assertError(
    stagger(runCli(join(fs2, 'run'), 100)),
    1,
    /\.(png|html): could not write \(no space left on the device, ENOSPC\); the run's results are complete/,
  );
  assertSameFiles(src, join(fs2, 'run'), same);
  assertError(
    stagger(['report', d]),
    1,
    new RegExp(
      `^stagger: ${d}/[\\w./-]+\\.(png|html): could not write \\(no space left on the device, ENOSPC\\); the run's results are complete.*stagger report ${d}`,
    ),
  );
});

test('a read-only output, and a directory where a file goes, are clear errors found before any work (exit 2)', async (t) => {
  const src = tempDir('ro-src');
  await engineRun(src, 20);
  const dir = tempDir('isdir');
  mkdirSync(join(dir, 'x.csv'));
  // Found before any work (src/cli/preflight.ts): bad input, exit 2.
  assertError(
    stagger(['draws', src, '--csv', '--out', join(dir, 'x.csv')]),
    2,
    new RegExp(`^stagger: --out ${dir}/x\\.csv: is a directory, expected a file name to write`),
  );
  writeFileSync(join(dir, 'file'), 'a file');
  assertError(stagger(runCli(join(dir, 'file'), 5)), 2, /^stagger: --out .*file: is a file, expected a directory for the outputs/);
  const ro = mount(t, 'size=1m,ro');
  assert.ok(ro, 'mount -t tmpfs -o ro must be permitted (the suite runs as root, as CI does)');
  // A read-only place is found before any work (src/cli/preflight.ts): exit 2. (Write failures during
  // the work, exit 1, are the full-disk tests above.)
  assertError(stagger(runCli(join(ro, 'run'), 5)), 2, new RegExp(`^stagger: --out ${ro}/run: permission denied`));
  assertError(stagger(['diagnose', src, '--out', join(ro, 'dx')]), 2, new RegExp(`^stagger: --out ${ro}/dx: permission denied`));
});
