/**
 * deploy/slurm/submit.sh on a real one-node Slurm, started by scripts/test-cluster.sh (npm run
 * test:cluster), which sets SLURM_CONF and STAGGER_CLUSTER_TMP. One array of 3 shards; task 2 is
 * cancelled mid-run: none of its processes may survive; the merge (afterany) must run and refuse,
 * naming shard 2; task 2 resubmitted with the same script continues with --resume; the merged result
 * must equal a single-machine run with the same seed and draws byte for byte.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/src/cli/main.js');
const scenario = join(root, 'scenarios/teach-twfe-bias.yaml');
const DRAWS = 240; // 80 per shard: long enough (a few seconds) to cancel a task mid-run
const SHARDS = 3;
const SEED = '16';

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, seconds: number, f: () => T | undefined): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(100);
  }
}

/** JobState of a job (finished jobs stay visible: MinJobAge=600). */
function jobState(id: string): string {
  const m = /JobState=(\S+)/.exec(sh('scontrol', ['show', 'job', id]));
  assert.ok(m, `scontrol show job ${id}: no JobState`);
  return m[1];
}
const finished = (id: string) =>
  /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY)$/.test(jobState(id)) ? jobState(id) : undefined;
/** Gone from squeue: Slurm has seen all of its processes end (COMPLETING lasts until they have). */
const leftQueue = (id: string) => (sh('squeue', ['-h', '-j', id, '-o', '%T']).trim() === '' ? true : undefined);

/** Processes whose command line ends in --out <dir> (pid, process name). */
function processesOf(dir: string): { pid: number; comm: string }[] {
  return sh('ps', ['-eo', 'pid=,comm=,args='])
    .split('\n')
    .filter((l) => l.trimEnd().endsWith(` ${dir}`))
    .map((l) => {
      const [pid, comm] = l.trim().split(/\s+/);
      return { pid: Number(pid), comm };
    });
}

test('submit.sh: cancel a running task, the merge refuses, resubmit with --resume, merged = single run byte for byte', {
  timeout: 240_000,
}, async () => {
  const tmp = process.env.STAGGER_CLUSTER_TMP;
  assert.ok(process.env.SLURM_CONF && tmp, 'run through scripts/test-cluster.sh (npm run test:cluster), which starts the cluster');
  const out = join(tmp, 'run');
  const single = join(tmp, 'single');

  // the single-machine run, alongside the cluster's (same seed and draws, other workers)
  const singleRun = new Promise<number | null>((res) => {
    const p = spawn(
      process.execPath,
      [main, 'run', scenario, '--draws', String(DRAWS), '--seed', SEED, '--workers', '1', '--quiet', '--out', single],
      { stdio: 'ignore' },
    );
    p.on('exit', (code) => res(code));
  });

  // submitted from another directory: the jobs must not depend on where they were submitted from
  const elsewhere = join(tmp, 'elsewhere');
  mkdirSync(elsewhere);
  const sub = spawnSync(
    join(root, 'deploy/slurm/submit.sh'),
    [scenario, '--draws', String(DRAWS), '--shards', String(SHARDS), '--seed', SEED, '--out', out],
    { cwd: elsewhere, encoding: 'utf8' },
  );
  assert.equal(sub.status, 0, sub.stderr);
  const array = /^array (\d+)$/m.exec(sub.stdout)?.[1];
  const merge = /^merge (\d+)$/m.exec(sub.stdout)?.[1];
  assert.ok(array && merge, `submit.sh printed no job ids: ${sub.stdout}`);
  const task2 = `${array}_2`;
  const shard2 = join(out, 'shard-2');

  // task 2 running and some draws in: its draws file has grown 3 times since first seen
  let size = -1;
  let grown = 0;
  await until('task 2 to run and write draws', 90, () => {
    const p = join(shard2, 'draws');
    if (!existsSync(p)) return undefined;
    const now = statSync(p).size;
    if (size >= 0 && now > size) grown++;
    size = now;
    return grown >= 3 ? true : undefined;
  });
  const procs = processesOf(shard2);
  assert.ok(procs.length >= 1, `no process of task 2 found running with --out ${shard2}`);
  // the process Slurm tracks is node itself (npx's "npm exec …" is what proctrack/linuxproc cannot parse)
  assert.deepEqual([...new Set(procs.map((p) => p.comm))], ['node']);

  sh('scancel', [task2]);
  await until('task 2 to leave the queue', 60, () => leftQueue(task2));
  assert.equal(jobState(task2), 'CANCELLED');
  // nothing has been resubmitted yet, so any process working on shard 2 is a survivor of the cancelled task
  assert.deepEqual(processesOf(shard2), [], 'processes of the cancelled task still run outside Slurm');
  for (const p of procs) assert.throws(() => process.kill(p.pid, 0), `pid ${p.pid} (${p.comm}) of the cancelled task is alive`);

  // the merge starts once the last task ends (afterany), and refuses, naming the unfinished shard
  const mergeState = await until('the first merge to finish', 120, () => finished(merge));
  assert.equal(mergeState, 'FAILED');
  const mergeErr = readFileSync(join(out, 'logs/merge.err'), 'utf8');
  assert.match(mergeErr, new RegExp(`${shard2}\\b`), `merge.err does not name ${shard2}: ${mergeErr}`);
  assert.equal(existsSync(join(out, 'diagnosis.csv')), false, 'a refused merge left a result');
  assert.equal(jobState(`${array}_1`), 'COMPLETED');
  assert.equal(jobState(`${array}_3`), 'COMPLETED');

  // resubmit task 2 with the same script, then the merge again
  const again = sh('sbatch', ['--parsable', '--array=2', join(out, 'slurm/shard.sbatch')])
    .trim()
    .split(';')[0];
  const merge2 = sh('sbatch', ['--parsable', `--dependency=afterany:${again}`, join(out, 'slurm/merge.sbatch')])
    .trim()
    .split(';')[0];
  assert.equal(
    await until('the second merge to finish', 120, () => finished(merge2)),
    'COMPLETED',
    readFileSync(join(out, 'logs/merge.err'), 'utf8'),
  );
  assert.equal(jobState(`${again}_2`), 'COMPLETED');

  // it resumed: some, not all, of shard 2's draws were done before the cancel
  const err2 = readFileSync(join(out, 'logs/shard-2.err'), 'utf8');
  const m = /resuming: (\d+) of (\d+) draws already done/.exec(err2);
  assert.ok(m, `task 2's log has no resume line: ${err2}`);
  assert.ok(Number(m[1]) > 0 && Number(m[1]) < Number(m[2]), `resumed at ${m[1]} of ${m[2]}`);

  // logs under --out/logs, none in the submit directory
  assert.deepEqual(readdirSync(join(out, 'logs')).sort(), [
    'merge.err',
    'merge.out',
    'shard-1.err',
    'shard-1.out',
    'shard-2.err',
    'shard-2.out',
    'shard-3.err',
    'shard-3.out',
  ]);
  assert.deepEqual(readdirSync(elsewhere), []);

  assert.equal(await singleRun, 0, 'the single-machine run failed');
  for (const f of ['draws', 'diagnosis.csv', 'diagnosis.json']) {
    assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(single, f))), `${f}: merged shards differ from the single run`);
  }
});
