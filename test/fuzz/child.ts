/**
 * Run the CLI in a child process with a heap cap and a timeout (the whole process group is killed on
 * timeout, so a hung worker thread or grandchild cannot outlive its case), and a tiny pool that keeps
 * at most N children at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (this file is dist/test/fuzz/child.js). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
/** Every child's V8 heap cap (MB): beyond it the child dies with "heap out of memory" = MEMORY. */
export const HEAP_MB = 512;
const KEEP = 1 << 20; // characters of stdout/stderr kept

export interface ChildResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Killed on purpose by the caller (a fault), not a crash. */
  killed: boolean;
  ms: number;
}

export interface Started {
  child: ChildProcess;
  done: Promise<ChildResult>;
  /** SIGKILL the child's whole process group (a fault injection). */
  kill(): void;
}

/** The shell command that reproduces a run of the CLI with these arguments. */
export function commandLine(args: string[]): string {
  const q = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return ['node', `--max-old-space-size=${HEAP_MB}`, 'dist/src/cli/main.js', ...args].map(q).join(' ');
}

/** Process groups of the children still running: killed if the harness itself is stopped. */
const live = new Set<number>();
/** SIGKILL every child still running (the harness got SIGINT/SIGTERM). */
export function killAll(): void {
  for (const pid of live)
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  live.clear();
}

/** Start `node dist/src/cli/main.js ...args` from the repository root. */
export function start(args: string[], timeoutMs: number, stdin?: string): Started {
  const t0 = Date.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, MAIN, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let stdout = '',
    stderr = '',
    timedOut = false,
    killed = false;
  live.add(child.pid as number);
  child.stdout?.on('data', (d: Buffer) => {
    if (stdout.length < KEEP) stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < KEEP) stderr += d.toString();
  });
  child.stdin?.on('error', () => {});
  child.stdin?.end(stdin ?? '');
  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child.pid as number);
      resolve({ args, code, signal, stdout, stderr, timedOut, killed, ms: Date.now() - t0 });
    });
  });
  return {
    child,
    done,
    kill: () => {
      killed = true;
      killGroup();
    },
  };
}

/** Run the CLI to the end (or the timeout). */
export function run(args: string[], timeoutMs: number): Promise<ChildResult> {
  return start(args, timeoutMs).done;
}

/**
 * Run tasks with at most `width` in flight, starting none after `deadline` (ms since epoch).
 * @returns the results of the tasks that started, in task order.
 */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number, deadline = Infinity): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < tasks.length && Date.now() < deadline) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, lane));
  return out.filter((x) => x !== undefined);
}
