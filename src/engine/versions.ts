/** Versions recorded in run.json, so a result can be traced to the code that made it. */
import { readFileSync } from 'node:fs';

export function versions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return { stagger: pkg.version, node: process.version, v8: process.versions.v8, platform: `${process.platform}-${process.arch}` };
}
