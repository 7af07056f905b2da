/**
 * A long-running child process spoken to synchronously: the bridge between the engine's synchronous
 * draw (Simulation.runDraw, in a worker thread or the main thread) and a child's asynchronous pipes.
 *
 * Design. A thread blocked in a synchronous call cannot run its own event loop, so it cannot read a
 * child's stdout. Each external process therefore gets a small helper thread (io-thread.ts) that owns
 * the child and its pipes. The two threads share
 *   - a MessageChannel: requests go to the helper, replies come back on `port`;
 *   - one Int32 in a SharedArrayBuffer, the flag, 0 while a reply is pending, 1 once it is queued.
 * A call resets the flag, posts the request and blocks in Atomics.wait(flag, 0, 0, limit). The helper,
 * whose event loop runs freely, writes the request line, awaits the answer line (or the child's exit,
 * or the time-out), posts the reply on the port and only then raises the flag and notifies. The caller
 * wakes and takes the reply with receiveMessageOnPort, which reads a port's queue synchronously.
 * Atomics.wait is allowed in Node's main thread as in workers; the helper is unref'd, so it never
 * keeps a finished program alive. The wait's own limit is the time-out plus a margin: a helper that
 * never answers still frees the draw.
 *
 * Clean-up. The panel files live in a temporary folder per process (os.tmpdir()/stagger-external-
 * PID-…), which also holds the child's pid. Every thread removes its folders and kills its children
 * when it exits; the main thread also removes every folder of this PID on exit and on SIGINT/SIGTERM
 * (a signal reaches the main thread only), so an interrupted run leaves nothing behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { IoReply, IoRequest, IoStart } from './io-thread.js';

/** Extra wait beyond the time-out before the caller gives up on the helper itself. */
const MARGIN_MS = 5000;

const PREFIX = () => `stagger-external-${process.pid}-`;

/** Folders of this thread's processes, removed when the thread exits. */
const live = new Set<SyncProcess>();
let hooked = false;

/** Remove this thread's folders (and, in the main thread, every thread's) when it exits or is interrupted. */
export function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live) p.dispose();
    if (isMainThread) removeAllFolders();
  });
  if (isMainThread) {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = () => {
        for (const p of live) p.dispose();
        removeAllFolders();
        // Then the signal's usual end.
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      };
      process.on(sig, onSignal);
    }
  }
}

/** Every folder of this process's external estimators (any thread's): kill the child named in it, remove it. */
export function removeAllFolders(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(PREFIX())) continue;
    const dir = join(tmpdir(), n);
    try {
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // no child, or gone already
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one exchange gave: the reply's kind with its text, exit status, or the helper's silence. */
export type Exchange = IoReply | { kind: 'lost'; seq: number; pid: null; stderr: string[] };

export class SyncProcess {
  /** The temporary folder of this process's panel files. */
  readonly folder: string;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private readonly worker: Worker;
  private disposed = false;
  private seq = 0;

  constructor(program: string, args: readonly string[], cwd: string) {
    hookExit();
    this.folder = mkdtempSync(join(tmpdir(), PREFIX()));
    this.flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const start: IoStart = { port: port2, flag: this.flag, program, args: [...args], cwd };
    this.worker = new Worker(new URL('./io-thread.js', import.meta.url), { workerData: start, transferList: [port2] });
    this.worker.unref();
    live.add(this);
  }

  /** Send one request line and wait for the answer line, the child's end or the time-out. */
  request(line: string, timeoutMs: number): Exchange {
    const r = this.call({ seq: 0, op: 'request', line, timeoutMs }, timeoutMs + MARGIN_MS);
    if (r.pid !== null && !this.disposed) writeFileSync(join(this.folder, 'pid'), String(r.pid));
    return r;
  }

  /** End the child (stdin closed, killed if it lingers); the next request starts a fresh one. */
  restart(): void {
    this.call({ seq: 0, op: 'close' }, MARGIN_MS);
    rmSync(join(this.folder, 'pid'), { force: true });
  }

  private call(req: IoRequest, limitMs: number): Exchange {
    const seq = ++this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...req, seq });
    const deadline = Date.now() + limitMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'lost', seq, pid: null, stderr: [] };
      Atomics.wait(this.flag, 0, 0, Math.min(left, 50));
      // Replies to an earlier call the caller gave up on are dropped.
      for (let got = receiveMessageOnPort(this.port); got; got = receiveMessageOnPort(this.port)) {
        if ((got.message as IoReply).seq === seq) return got.message as IoReply;
      }
      Atomics.store(this.flag, 0, 0);
    }
  }

  /** Kill the child, stop the helper, remove the folder. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    try {
      const pidFile = join(this.folder, 'pid');
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // gone already
    }
    rmSync(this.folder, { recursive: true, force: true });
    void this.worker.terminate();
    this.port.close();
  }
}
