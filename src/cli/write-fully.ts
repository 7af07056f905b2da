/**
 * Write all of a text to a file descriptor synchronously, whatever kind of file it is. Standard output
 * can be a non-blocking pipe (Node opens it so once `process.stdout` is used): a write to a full pipe
 * then fails with EAGAIN, or writes only part, while the reader (`| wc -l`, `| head`) catches up. Both
 * are waited out here, 1 ms at a time, instead of ending the export with an error.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

export function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
