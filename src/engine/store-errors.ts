/**
 * The two ways a run's store can fail a command, each with its exit code (main.ts honours `exitCode`):
 *  - StoreError (2): what is on disk is not what the command needs: a damaged, incomplete, missing or
 *    foreign draws file, shards that do not make one run, an output that is one of the inputs;
 *  - OutputError (1): a write failed (full disk, read-only or unwritable output, a file where a
 *    directory should be). The message names the file and says how to continue.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class StoreError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export class OutputError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputError';
  }
}

/** What a failed write's errno means, in words (the errno kept for searching). */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file of that name is in the way',
  ENOENT: 'a directory on its path is missing',
  EIO: 'input/output error from the device',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBADF: 'the file was closed under us',
};

/** The errno of a failed write we can explain, else null (then the error is a bug and keeps its stack). */
export function writeFailureCode(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in WRITE_FAILURES ? code : null;
}

/**
 * A failed write of `path` as an OutputError (`path: could not write (what, CODE); hint`), or the error
 * itself when it is not a write failure we can explain.
 */
export function writeFailure(path: string, err: unknown, hint: string): Error {
  if (err instanceof OutputError) return err;
  const code = writeFailureCode(err);
  if (!code) return err instanceof Error ? err : new Error(String(err));
  return new OutputError(`${path}: could not write (${WRITE_FAILURES[code]}, ${code}); ${hint}`, { cause: err });
}

/** Run `f`, turning a failed write of `path` into an OutputError with `hint`. */
export function writing<T>(path: string, hint: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw writeFailure(path, err, hint);
  }
}

/**
 * mkdir -p that says why it failed: a recursive mkdir reports ENOENT on a read-only file system, so
 * the last step is tried alone to get the real reason (EROFS, EACCES).
 */
export function makeDir(path: string, hint: string): void {
  // Level by level from the nearest existing ancestor: Node's recursive mkdir spins for ever where
  // the kernel refuses with ENOENT inside a pseudo file system (/proc/x/y), and one level at a time
  // names the level that failed.
  const missing: string[] = [];
  for (let d = resolve(path); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(d).isDirectory()) continue;
      throw writeFailure(d, err, hint);
    }
  }
}
