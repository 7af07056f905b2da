/**
 * deploy/k8s/indexed-job.yaml and merge-job.yaml, without a cluster: the manifests parse and agree
 * with each other (completions = SHARDS, same OUT, seed, volume), and the commands they run, executed
 * here by `sh -c` with JOB_COMPLETION_INDEX = 0 … SHARDS−1 as Kubernetes sets it, give shards whose
 * merge equals a single run byte for byte. SHARDS, DRAWS, SCENARIO and OUT are replaced by small
 * local ones (20 node processes would take a minute); SEED and the commands are the manifests' own.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';

const root = resolve(import.meta.dirname, '../../..');
const main = join(root, 'dist/src/cli/main.js');

interface Container {
  command: string[];
  env: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
}
function load(file: string): Record<string, any>[] {
  const docs = parseAllDocuments(readFileSync(join(root, 'deploy/k8s', file), 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors, [], `${file}: ${d.errors.join('; ')}`);
  return docs.map((d) => d.toJS());
}
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));
const volumeClaim = (job: Record<string, any>) =>
  job.spec.template.spec.volumes.find((v: any) => v.name === 'out').persistentVolumeClaim.claimName;

test('k8s manifests: an Indexed Job of SHARDS pods and a merge on the same claim', () => {
  const [pvc, shards] = load('indexed-job.yaml');
  const [merge] = load('merge-job.yaml');
  assert.equal(pvc.kind, 'PersistentVolumeClaim');
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany']);
  assert.equal(shards.kind, 'Job');
  assert.equal(shards.spec.completionMode, 'Indexed');
  const c: Container = shards.spec.template.spec.containers[0];
  const m: Container = merge.spec.template.spec.containers[0];
  assert.equal(shards.spec.completions, Number(envOf(c).SHARDS));
  assert.equal(envOf(m).SHARDS, envOf(c).SHARDS);
  assert.equal(envOf(m).OUT, envOf(c).OUT);
  assert.equal(volumeClaim(shards), pvc.metadata.name);
  assert.equal(volumeClaim(merge), pvc.metadata.name);
  for (const x of [c, m])
    assert.ok(envOf(x).OUT.startsWith(`${x.volumeMounts.find((v) => v.name === 'out')?.mountPath}/`), 'OUT is on the shared volume');
  assert.equal(shards.spec.template.spec.restartPolicy, 'OnFailure');
  assert.match(c.command[2], /--resume/);
  assert.doesNotMatch(`${c.command} ${m.command}`, /npx/);
});

/** Run a command to its end: exit status and stderr. */
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (status) => res({ status, stderr }));
  });
}

test('k8s commands run as Kubernetes runs them: the shards merge into the single run, byte for byte', async () => {
  const [, shards] = load('indexed-job.yaml');
  const [merge] = load('merge-job.yaml');
  const c: Container = shards.spec.template.spec.containers[0];
  const m: Container = merge.spec.template.spec.containers[0];
  const tmp = mkdtempSync(join(tmpdir(), 'stagger-k8s-'));
  try {
    // `stagger` on PATH, as in the image
    mkdirSync(join(tmp, 'bin'));
    writeFileSync(
      join(tmp, 'bin/stagger'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --single-threaded ${JSON.stringify(main)} "$@"\n`,
    );
    chmodSync(join(tmp, 'bin/stagger'), 0o755);
    const SHARDS = 3;
    const draws = 14; // uneven shards: 4, 5, 5 draws
    const local = {
      SHARDS: String(SHARDS),
      SCENARIO: join(root, 'scenarios/teach-twfe-bias.yaml'),
      DRAWS: String(draws),
      OUT: join(tmp, 'out/run'),
    };
    const sh = (container: Container, extra: Record<string, string>) => {
      const [cmd, ...args] = container.command;
      return exec(cmd, args, { ...process.env, PATH: `${join(tmp, 'bin')}:${process.env.PATH}`, ...envOf(container), ...local, ...extra });
    };
    // before any shard has run, the merge refuses and names shard 1
    const early = await sh(m, {});
    assert.notEqual(early.status, 0);
    assert.match(early.stderr, new RegExp(`${local.OUT}/shard-1\\b`));
    // the pods run side by side, with the single run
    const single = join(tmp, 'single');
    const singleRun = exec(process.execPath, [
      main,
      'run',
      local.SCENARIO,
      '--draws',
      local.DRAWS,
      '--seed',
      envOf(c).SEED,
      '--quiet',
      '--workers',
      '0',
      '--out',
      single,
    ]);
    const pods = await Promise.all(Array.from({ length: SHARDS }, (_, i) => sh(c, { JOB_COMPLETION_INDEX: String(i) })));
    pods.forEach((r, i) => {
      assert.equal(r.status, 0, `index ${i}: ${r.stderr}`);
      assert.equal(JSON.parse(readFileSync(join(local.OUT, `shard-${i + 1}/run.json`), 'utf8')).shard.index, i + 1);
    });
    const merged = await sh(m, {});
    assert.equal(merged.status, 0, merged.stderr);
    const r = await singleRun;
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['draws', 'diagnosis.csv', 'diagnosis.json']) {
      assert.ok(readFileSync(join(local.OUT, f)).equals(readFileSync(join(single, f))), `${f}: merged shards differ from the single run`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
