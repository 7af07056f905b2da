/** The scenario files shipped in the package's scenarios/ folder. */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** scenarios/ at the package root (this file runs from dist/src/scenario/). */
export function bundledDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scenarios');
}

export function bundledFiles(): string[] {
  const dir = bundledDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}
