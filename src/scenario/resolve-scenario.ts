/**
 * What a user names as a scenario → the file to read. One rule for every command that takes a scenario
 * (run, mde, simulate, validate, calibrate) and for the library: a path that exists wins; otherwise a
 * bundled scenario's name (`r1-isf-waitlist`, `teach-twfe-bias.yaml`, or `scenarios/<name>` as the
 * README writes it) is the file shipped in the package's scenarios/ folder, so it works from any
 * directory once installed. Files a bundled scenario names (scenarios/data/…) are relative to the
 * scenario file itself (load.ts), so they are found too.
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { bundledFiles } from './bundled.js';
import { ScenarioError } from './errors.js';
import { editDistance } from './nearest-name.js';

/** A bundled scenario: its name (the file name without .yaml) and its absolute path. */
export interface BundledScenario {
  name: string;
  file: string;
}

/** The scenarios shipped with the package, sorted by name. */
export function bundledScenarios(): BundledScenario[] {
  return bundledFiles().map((file) => ({ name: basename(file, extname(file)), file }));
}

/** `name`, `name.yaml`, `scenarios/name.yaml`, `./scenarios/name` → `name`; undefined for any other path. */
export function bundledKey(given: string): string | undefined {
  const parts = given.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.length > 2 || (parts.length === 2 && parts[0] !== 'scenarios')) return undefined;
  if (/^[/\\]/.test(given)) return undefined; // an absolute path is never a name
  const file = parts[parts.length - 1];
  return /\.ya?ml$/i.test(file) ? file.replace(/\.ya?ml$/i, '') : file;
}

/** The `count` bundled names nearest to `name` (Levenshtein distance, then name order). */
export function nearestBundled(name: string, count = 3): string[] {
  return bundledScenarios()
    .map((b) => ({ name: b.name, d: editDistance(name.toLowerCase(), b.name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, count)
    .map((b) => b.name);
}

/**
 * The scenario file a user means: `given` itself when it exists, else the bundled scenario of that name.
 * @returns a path to read (as given when it exists; absolute for a bundled scenario)
 * @throws {ScenarioError} when it is neither, naming the nearest bundled scenarios
 */
export function resolveScenarioFile(given: string): string {
  if (existsSync(given)) return given;
  const key = bundledKey(given);
  const hit = key === undefined ? undefined : bundledScenarios().find((b) => b.name === key);
  if (hit) return hit.file;
  // A path (a folder other than scenarios/) gets no name hint: the user meant their own file.
  if (key === undefined) {
    throw new ScenarioError(given, [{ path: '', expected: 'a readable scenario file', found: 'no such file' }]);
  }
  const near = nearestBundled(key);
  const found = `no such file and no bundled scenario "${key}"`;
  const hint = near.length ? `; did you mean '${near[0]}'? (nearest bundled: ${near.join(', ')}; stagger scenarios lists them all)` : '';
  throw new ScenarioError(given, [{ path: '', expected: 'a scenario file or the name of a bundled scenario', found: found + hint }]);
}
