/**
 * deploy/slurm/submit.sh without Slurm: its refusals of bad input (exit 2, one line naming the option),
 * and the jobs it writes and submits, seen through a fake `sbatch` that records its arguments. The real
 * cluster run (cancel, resubmit, merge) is test-cluster/slurm-submit.test.ts (npm run test:cluster).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const root = resolve(import.meta.dirname, '../../..');
const submit = join(root, 'deploy/slurm/submit.sh');
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'stagger-submit-')));
after(() => rmSync(tmp, { recursive: true, force: true }));

// a fake sbatch: job ids 101, 102, …; each call's arguments on one line of calls.txt
const bin = join(tmp, 'bin');
mkdirSync(bin);
writeFileSync(
  join(bin, 'sbatch'),
  `#!/bin/sh\ncase "$*" in *merge.sbatch) [ -n "$FAIL_MERGE" ] && { echo "sbatch: error: Batch job submission failed" >&2; exit 1; } ;; esac\n` +
    `n=$(cat ${tmp}/n 2>/dev/null || echo 100); n=$((n + 1)); echo $n > ${tmp}/n\necho "$*" >> ${tmp}/calls.txt\necho "$n;cluster"\n`,
);
chmodSync(join(bin, 'sbatch'), 0o755);
const PATH = `${bin}:/usr/bin:/bin`;

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', [submit, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env: { PATH: `${join(tmp, 'bin')}:${process.env.PATH}`, ...env },
  });
}
const good = ['scenarios/teach-twfe-bias.yaml', '--draws', '120', '--shards', '3', '--seed', '5', '--out'];

test('submit.sh refuses bad input with one line naming it (exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [['--draws', '10'], /^submit\.sh: SCENARIO: expected a scenario file or bundled name, found none/],
    [[...good.slice(0, 2), 'abc', ...good.slice(3), 'o'], /^submit\.sh: --draws: expected a positive whole number, found 'abc'$/m],
    [[...good.slice(0, 4), '0', ...good.slice(5), 'o'], /--shards: expected a positive whole number, found '0'/],
    [['x.yaml', '--draws', '2', '--shards', '3', '--seed', '1', '--out', 'o'], /--shards: expected at most --draws \(2\) shards, found 3/],
    [[...good, 'o', '--cpus', '1.5'], /--cpus: expected a positive whole number, found '1.5'/],
    [[...good.slice(0, 5)], /--seed: expected a seed/],
    [[...good, 'o', '--sede', '1'], /--sede: expected one of --draws --shards --seed --out/],
    [[...good, 'a b'], /--out: expected a path without blanks, found 'a b'/],
    [[...good, 'o', '--time'], /--time: expected a value, found the end of the command line/],
    [['nope.yaml', 'other.yaml'], /other\.yaml: expected one scenario, found a second/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test("submit.sh writes an array of exec'd shard runs and an afterany merge naming every shard", () => {
  const out = join(tmp, 'run');
  const r = run([join(root, good[0]), ...good.slice(1), out, '--cpus', '2', '--partition', 'short', '--time', '01:00:00'], { PATH });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'array 101\nmerge 102\n');
  const calls = readFileSync(join(tmp, 'calls.txt'), 'utf8').trim().split('\n');
  assert.deepEqual(calls, [`--parsable ${out}/slurm/shard.sbatch`, `--parsable --dependency=afterany:101 ${out}/slurm/merge.sbatch`]);
  const shard = readFileSync(join(out, 'slurm/shard.sbatch'), 'utf8');
  for (const line of [
    '#SBATCH --array=1-3',
    '#SBATCH --cpus-per-task=2',
    `#SBATCH --chdir=${out}`,
    `#SBATCH --output=${out}/logs/shard-%a.out`,
    `#SBATCH --error=${out}/logs/shard-%a.err`,
    '#SBATCH --partition=short',
    '#SBATCH --time=01:00:00',
    '#SBATCH --open-mode=append',
  ]) {
    assert.ok(shard.split('\n').includes(line), `shard.sbatch lacks ${line}:\n${shard}`);
  }
  // node itself, on this checkout's main.js (no stagger on this PATH), never npx
  assert.match(
    shard,
    new RegExp(
      `^exec \\S*node --single-threaded ${root}/dist/src/cli/main\\.js run ${root}/scenarios/teach-twfe-bias\\.yaml --draws 120 --seed 5 --quiet --resume`,
      'm',
    ),
  );
  assert.match(
    shard,
    /--workers "\$\{SLURM_CPUS_PER_TASK:-1\}" --shard "\$\{SLURM_ARRAY_TASK_ID\}\/3" --out ".*\/run\/shard-\$\{SLURM_ARRAY_TASK_ID\}"$/m,
  );
  assert.doesNotMatch(shard, /npx/);
  const merge = readFileSync(join(out, 'slurm/merge.sbatch'), 'utf8');
  assert.match(merge, new RegExp(`main\\.js merge ${out}/shard-1 ${out}/shard-2 ${out}/shard-3 --out ${out} +--quiet$`, 'm'));
  // the shard script runs as a task would: with SLURM_ARRAY_TASK_ID set, a fake node shows the command
  writeFileSync(join(bin, 'node'), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
  chmodSync(join(bin, 'node'), 0o755);
  const task = spawnSync(
    'bash',
    ['-c', `${readFileSync(join(out, 'slurm/shard.sbatch'), 'utf8').replace(/exec \S*node/, `exec ${bin}/node`)}`],
    { encoding: 'utf8', env: { SLURM_ARRAY_TASK_ID: '2', SLURM_CPUS_PER_TASK: '2' } },
  );
  assert.equal(task.status, 0, task.stderr);
  assert.deepEqual(task.stdout.trim().split('\n').slice(-6), ['--workers', '2', '--shard', '2/3', '--out', `${out}/shard-2`]);
});

test('submit.sh: a merge that cannot be submitted says how to submit it (exit 1)', () => {
  const out = join(tmp, 'nomerge');
  const r = run([join(root, good[0]), ...good.slice(1), out], { PATH, FAIL_MERGE: '1' });
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `the array is job \\d+, but its merge could not be submitted; submit it with: sbatch --dependency=afterany:\\d+ ${out}/slurm/merge\\.sbatch`,
    ),
  );
});

test('submit.sh prefers the installed stagger on PATH, by its real path', () => {
  const pkg = join(tmp, 'prefix/lib/node_modules/stagger/dist/src/cli');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'main.js'), '#!/usr/bin/env node\n');
  chmodSync(join(pkg, 'main.js'), 0o755);
  const pbin = join(tmp, 'prefix/bin');
  mkdirSync(pbin);
  spawnSync('ln', ['-s', '../lib/node_modules/stagger/dist/src/cli/main.js', join(pbin, 'stagger')]);
  const out = join(tmp, 'installed');
  const r = run(['r1-isf-waitlist', '--draws', '10', '--shards', '2', '--seed', '1', '--out', out], { PATH: `${pbin}:${PATH}` });
  assert.equal(r.status, 0, r.stderr);
  const shard = readFileSync(join(out, 'slurm/shard.sbatch'), 'utf8');
  // a bundled name (not a file here) is passed on as it is
  assert.match(shard, new RegExp(`^exec ${pkg}/main\\.js run r1-isf-waitlist --draws 10 --seed 1 `, 'm'));
});
