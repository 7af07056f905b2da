/**
 * How many CPUs this process may use: the default of `--workers`. The smallest of
 *   - the CPUs it may run on (os.availableParallelism(): the affinity mask, so taskset, Slurm's
 *     task/affinity and cpusets are honoured),
 *   - the cgroup CPU quota, ⌈quota / period⌉ (cgroup v2 `cpu.max` of the process's cgroup and each
 *     ancestor; cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`): a Kubernetes `limits.cpu` or a
 *     container's `--cpus`, which the affinity mask does not show,
 *   - `SLURM_CPUS_PER_TASK`, the job's allocation: under Slurm's task/none or proctrack/linuxproc
 *     nothing binds the job to its CPUs, so the machine's count would oversubscribe a shared node.
 * Rounded up, as a quota of 1.5 CPUs is best used by 2 threads; never below 1.
 * Reads go through injected functions so the rules are tested without a cgroup or Slurm.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';

export interface CpuSources {
  env: Readonly<Record<string, string | undefined>>;
  /** The text of a file, or undefined when it cannot be read (absent: no such limit). */
  readFile: (path: string) => string | undefined;
  /** CPUs in the affinity mask. */
  parallelism: () => number;
}

export interface CpuLimit {
  cpus: number;
  /** What set the limit: 'affinity', 'cgroup <file>' or 'SLURM_CPUS_PER_TASK'. */
  source: string;
}

function positiveInteger(s: string | undefined): number | undefined {
  if (s === undefined || !/^\s*[1-9][0-9]*\s*$/.test(s)) return undefined;
  return Number(s);
}

/** `max 100000` → no limit; `150000 100000` → 2 (⌈1.5⌉). */
export function cpuMaxLimit(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max') return undefined;
  const q = positiveInteger(quota);
  const p = positiveInteger(period);
  return q !== undefined && p !== undefined ? Math.max(1, Math.ceil(q / p)) : undefined;
}

/** The cgroup path of a controller in /proc/self/cgroup ('' is the v2 unified line `0::/path`). */
function cgroupPath(procSelfCgroup: string, controller: string): string | undefined {
  for (const line of procSelfCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line); // id:controllers:path (the path may hold ':')
    if (!m) continue;
    if (controller === '' ? m[1] === '0' && m[2] === '' : m[2].split(',').includes(controller)) return m[3];
  }
  return undefined;
}

/** The directory and its ancestors up to the root: a parent's quota limits its children too. */
function withAncestors(root: string, path: string): string[] {
  const dirs: string[] = [];
  for (let p = posix.normalize(path); ; p = posix.dirname(p)) {
    dirs.push(posix.join(root, p));
    if (p === '/' || p === '.') return dirs;
  }
}

function cgroupLimits(src: CpuSources): CpuLimit[] {
  const limits: CpuLimit[] = [];
  const self = src.readFile('/proc/self/cgroup') ?? '';
  // v2: inside a container with its own cgroup namespace the path is '/', so /sys/fs/cgroup/cpu.max is the container's.
  const v2 = cgroupPath(self, '') ?? '/';
  for (const dir of withAncestors('/sys/fs/cgroup', v2)) {
    const file = posix.join(dir, 'cpu.max');
    const text = src.readFile(file);
    const n = text === undefined ? undefined : cpuMaxLimit(text);
    if (n !== undefined) limits.push({ cpus: n, source: `cgroup ${file}` });
  }
  const v1 = cgroupPath(self, 'cpu') ?? '/';
  for (const root of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    for (const dir of withAncestors(root, v1)) {
      const quota = src.readFile(posix.join(dir, 'cpu.cfs_quota_us'));
      const period = src.readFile(posix.join(dir, 'cpu.cfs_period_us'));
      if (quota === undefined || period === undefined) continue;
      const n = cpuMaxLimit(`${quota.trim()} ${period.trim()}`); // quota -1 = no limit: not a positive integer, so undefined
      if (n !== undefined) limits.push({ cpus: n, source: `cgroup ${posix.join(dir, 'cpu.cfs_quota_us')}` });
    }
  }
  return limits;
}

/** The smallest limit and what set it. A malformed SLURM_CPUS_PER_TASK (Slurm writes a whole number) sets none. */
export function cpuLimit(src: CpuSources): CpuLimit {
  const limits: CpuLimit[] = [{ cpus: Math.max(1, src.parallelism()), source: 'affinity' }, ...cgroupLimits(src)];
  const slurm = positiveInteger(src.env.SLURM_CPUS_PER_TASK);
  if (slurm !== undefined) limits.push({ cpus: slurm, source: 'SLURM_CPUS_PER_TASK' });
  return limits.reduce((a, b) => (b.cpus < a.cpus ? b : a));
}

export const processCpuSources: CpuSources = {
  env: process.env,
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  parallelism: availableParallelism,
};

/** The default of `--workers`. */
export function availableCpus(src: CpuSources = processCpuSources): number {
  return cpuLimit(src).cpus;
}
