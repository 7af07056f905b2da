import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { availableCpus, cpuLimit, cpuMaxLimit, type CpuSources } from '../../src/engine/available-cpus.js';

/** A machine described by its files: anything not listed cannot be read. */
function machine(o: { cpus: number; env?: Record<string, string>; files?: Record<string, string> }): CpuSources {
  return { env: o.env ?? {}, readFile: (p) => o.files?.[p], parallelism: () => o.cpus };
}

test('cpu.max: quota/period rounded up, "max" is no limit, junk is no limit', () => {
  assert.equal(cpuMaxLimit('max 100000\n'), undefined);
  assert.equal(cpuMaxLimit('200000 100000\n'), 2);
  assert.equal(cpuMaxLimit('150000 100000'), 2); // 1.5 CPUs: two threads use it
  assert.equal(cpuMaxLimit('50000 100000'), 1); // half a CPU: still one worker
  assert.equal(cpuMaxLimit('-1 100000'), undefined); // cgroup v1's "no quota"
  assert.equal(cpuMaxLimit('abc'), undefined);
});

test('no limits: the affinity mask', () => {
  assert.deepEqual(cpuLimit(machine({ cpus: 16 })), { cpus: 16, source: 'affinity' });
});

test('SLURM_CPUS_PER_TASK caps a node with more cores (task/none binds nothing)', () => {
  assert.deepEqual(cpuLimit(machine({ cpus: 64, env: { SLURM_CPUS_PER_TASK: '4' } })), { cpus: 4, source: 'SLURM_CPUS_PER_TASK' });
  // never more than the CPUs the process may run on
  assert.equal(availableCpus(machine({ cpus: 2, env: { SLURM_CPUS_PER_TASK: '4' } })), 2);
  // malformed: Slurm writes a whole number, so this is not Slurm's and sets no limit
  assert.equal(availableCpus(machine({ cpus: 8, env: { SLURM_CPUS_PER_TASK: '4x' } })), 8);
  assert.equal(availableCpus(machine({ cpus: 8, env: { SLURM_CPUS_PER_TASK: '0' } })), 8);
});

test('cgroup v2 in its own namespace (a Kubernetes limits.cpu: 3)', () => {
  const m = machine({ cpus: 32, files: { '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '300000 100000\n' } });
  assert.deepEqual(cpuLimit(m), { cpus: 3, source: 'cgroup /sys/fs/cgroup/cpu.max' });
});

test("cgroup v2 without a namespace: the process's own cgroup and its ancestors, the smallest wins", () => {
  const files = {
    '/proc/self/cgroup': '0::/system.slice/job_7/step_batch\n',
    '/sys/fs/cgroup/system.slice/job_7/step_batch/cpu.max': 'max 100000\n',
    '/sys/fs/cgroup/system.slice/job_7/cpu.max': '250000 100000\n',
    '/sys/fs/cgroup/system.slice/cpu.max': '800000 100000\n',
  };
  assert.deepEqual(cpuLimit(machine({ cpus: 32, files })), { cpus: 3, source: 'cgroup /sys/fs/cgroup/system.slice/job_7/cpu.max' });
  // with SLURM_CPUS_PER_TASK smaller still
  assert.equal(availableCpus(machine({ cpus: 32, files, env: { SLURM_CPUS_PER_TASK: '2' } })), 2);
});

test('cgroup v1 cfs quota (hybrid hierarchy); -1 is no quota', () => {
  const self = '4:memory:/x\n2:cpu,cpuacct:/docker/abc\n0::/\n';
  const limited = {
    '/proc/self/cgroup': self,
    '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '100000\n',
    '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
  };
  assert.deepEqual(cpuLimit(machine({ cpus: 8, files: limited })), {
    cpus: 1,
    source: 'cgroup /sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us',
  });
  const unlimited = { ...limited, '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '-1\n' };
  assert.equal(availableCpus(machine({ cpus: 8, files: unlimited })), 8);
});

test('this process: at least 1, at most os.availableParallelism()', async () => {
  const { availableParallelism } = await import('node:os');
  const n = availableCpus();
  assert.ok(Number.isInteger(n) && n >= 1 && n <= availableParallelism(), `got ${n}`);
});
