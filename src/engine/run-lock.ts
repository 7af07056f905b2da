/**
 * One writer per run directory: `run.lock` holds the writer's pid, host and start time, created with
 * O_EXCL so two `run --resume` (or a run and a merge) on one --out cannot interleave their draws. A
 * lock whose process is gone (killed: SIGKILL leaves it) is taken over, with a notice; one held by a
 * live process, or by another host (whose processes we cannot see), is refused.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { StoreError, writeFailure, writing } from './store-errors.js';

export const LOCK_FILE = 'run.lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

export interface RunLock {
  release(): void;
}

/**
 * Take the lock of `dir` for `command` (e.g. "stagger run").
 * @param notice told when a stale lock is taken over
 * @throws StoreError when another live process holds it
 */
export function lockRunDir(dir: string, command: string, notice: (msg: string) => void): RunLock {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2)
        throw writeFailure(path, err, 'the output directory must be writable');
      const held = readLock(path);
      const who = held ? `process ${held.pid} on ${held.host} (${held.command}, since ${held.started})` : 'an unreadable lock';
      if (held && held.host === mine.host && held.pid !== process.pid && !alive(held.pid)) {
        // Move it aside before removing it, so of two processes taking over at once only one succeeds.
        const aside = `${path}.stale-${process.pid}`;
        try {
          renameSync(path, aside);
          unlinkSync(aside);
          notice(`${dir}: taking over the lock of ${who}, which is no longer running`);
        } catch {
          // Another process took it over first: try again, and see its lock.
        }
        continue;
      }
      throw new StoreError(
        `${dir} is being written by ${who}: two writers would mix their draws. Wait for it to finish, stop it, or use another --out` +
          (held && held.host !== mine.host
            ? `; if it is gone, delete ${path}`
            : held
              ? ''
              : `; delete ${path} if no stagger is running there`),
      );
    }
    writing(path, 'the output directory must be writable', () => {
      writeSync(fd, `${JSON.stringify(mine)}\n`);
      closeSync(fd);
    });
    return {
      release(): void {
        try {
          if (readLock(path)?.pid === process.pid) unlinkSync(path);
        } catch {
          // Already gone (the directory removed under us): nothing to release.
        }
      },
    };
  }
}
