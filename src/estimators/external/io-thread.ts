/**
 * The helper thread of an external estimator (see sync-process.ts for the whole design): it owns the
 * child process and does its asynchronous I/O, which the estimating thread cannot do because a
 * Simulation's draw is synchronous. For each request message it (re)starts the child if there is
 * none, writes the request line to the child's stdin and waits for the first of: a line on stdout,
 * the child's exit, the time-out. It then posts the reply on its port and wakes the estimating
 * thread through the shared flag (Atomics.notify). A child that timed out, exited or answered out of
 * step is killed, so the next request starts a fresh one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { workerData, type MessagePort } from 'node:worker_threads';

export interface IoStart {
  port: MessagePort;
  /** Int32Array view over a SharedArrayBuffer: [0] is 1 when a reply is waiting. */
  flag: Int32Array;
  program: string;
  args: string[];
  cwd: string;
}

/** A request: write `line`, wait at most `timeoutMs` for the answer line. `close`: end the child. */
export type IoRequest = { seq: number } & ({ op: 'request'; line: string; timeoutMs: number } | { op: 'close' });

/** What came back: a line, the child's end, the time-out, or a child that could not start. */
export type IoReply = { seq: number; pid: number | null; stderr: string[] } & IoOutcome;
export type IoOutcome =
  | { kind: 'line'; text: string }
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'timeout' }
  | { kind: 'spawn-error'; message: string }
  | { kind: 'closed' };

/** Lines of stderr kept for the reason of a failed draw. */
const STDERR_LINES = 20;

const { port, flag, program, args, cwd } = workerData as IoStart;

/** The running child and what it has said; each start has its own, so a killed child's late events touch only its own. */
interface Proc {
  c: ChildProcessWithoutNullStreams;
  lines: string[];
  partial: string;
  ended: { code: number | null; signal: string | null } | null;
  spawnError: string | null;
}

let proc: Proc | null = null;
let stderr: string[] = [];
let errPartial = '';
/** Set while a request waits: called on each event that may end it. */
let wake: (() => void) | null = null;

function start(): Proc {
  const c = spawn(program, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const p: Proc = { c, lines: [], partial: '', ended: null, spawnError: null };
  c.stdout.setEncoding('utf8');
  c.stderr.setEncoding('utf8');
  c.stdout.on('data', (s: string) => {
    const parts = (p.partial + s).split('\n');
    p.partial = parts.pop()!;
    p.lines.push(...parts.map((l) => l.replace(/\r$/, '')));
    if (proc === p) wake?.();
  });
  c.stderr.on('data', (s: string) => {
    if (proc !== p) return;
    const parts = (errPartial + s).split('\n');
    errPartial = parts.pop()!;
    stderr.push(...parts.filter((l) => l.trim() !== ''));
    if (stderr.length > STDERR_LINES) stderr = stderr.slice(-STDERR_LINES);
    wake?.();
  });
  // A write to a child that has gone: its exit is the reply.
  c.stdin.on('error', () => {});
  c.on('error', (err) => {
    p.spawnError = err.message;
    if (proc === p) wake?.();
  });
  c.on('close', (code, signal) => {
    p.ended = { code, signal };
    if (proc === p) wake?.();
  });
  return p;
}

function kill(): void {
  if (proc && proc.c.exitCode === null && proc.c.signalCode === null) proc.c.kill('SIGKILL');
  proc = null;
}

function reply(seq: number, r: IoOutcome, pid: number | null): void {
  const tail = errPartial.trim() !== '' ? [...stderr, errPartial] : stderr;
  port.postMessage({ ...r, seq, pid, stderr: tail.slice(-STDERR_LINES) });
  // The message is queued on the port before the flag is raised: the waiting thread reads it at once.
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function serve(req: IoRequest): Promise<void> {
  if (req.op === 'close') {
    if (proc) {
      const c = proc.c;
      c.stdin.end();
      setTimeout(() => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'), 1000).unref();
    }
    proc = null;
    reply(req.seq, { kind: 'closed' }, null);
    return;
  }
  stderr = [];
  errPartial = '';
  proc ??= start();
  const p = proc;
  // Lines printed outside an answer are not answers to this request.
  p.lines = [];
  p.c.stdin.write(`${req.line}\n`);
  const outcome = await new Promise<IoOutcome>((done) => {
    const timer = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    function finish(r: IoOutcome) {
      clearTimeout(timer);
      wake = null;
      done(r);
    }
    wake = () => {
      if (p.spawnError !== null) finish({ kind: 'spawn-error', message: p.spawnError });
      else if (p.lines.length > 0) finish({ kind: 'line', text: p.lines.shift()! });
      // Exit: 'close' comes after the last stdout and stderr data, so they are in.
      else if (p.ended) finish({ kind: 'exit', code: p.ended.code, signal: p.ended.signal });
    };
    wake();
  });
  if (outcome.kind !== 'line') kill();
  reply(req.seq, outcome, p.c.pid ?? null);
}

// One request at a time: the estimating thread waits for each reply before it sends the next.
let queue = Promise.resolve();
port.on('message', (req: IoRequest) => {
  queue = queue.then(() => serve(req));
});
