/**
 * A run with --set simulates the scenario file as changed by its settings, not the file itself: its
 * run.json records the settings and the file's own sha256 (settingsRecord), and the resolved YAML is
 * kept beside the results (RESOLVED_COPY), so the report describes what ran ("scenario X with --set
 * a=b, c=d") and says the file has changed only when the file's own hash really differs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../engine/outputs.js';
import { settingsApplied, type Setting } from '../engine/settings.js';

export const RESOLVED_COPY = 'scenario.resolved.yaml';

/** What run.json's `scenario` adds for a run with --set: the settings as given, and the file's own sha256. */
export interface SettingsRecord {
  set: string[];
  file_sha256: string;
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export function settingsRecord(file: string, settings: readonly Setting[]): SettingsRecord {
  return { set: settings.map((s) => `${s.path}=${s.value}`), file_sha256: sha256(readFileSync(file)) };
}

/** "with --set a=b, c=d" */
export function settingsPhrase(set: readonly string[]): string {
  return `with --set ${set.join(', ')}`;
}

/** Back from run.json's strings to settings (the value may contain `=`). */
export function settingsOf(set: readonly string[]): Setting[] {
  return set.map((s) => {
    const at = s.indexOf('=');
    return { path: s.slice(0, at), value: s.slice(at + 1) };
  });
}

/** Write the resolved scenario beside a run's results; returns its path. */
export function keepResolvedScenario(dir: string, file: string, settings: readonly Setting[]): string {
  const path = join(dir, RESOLVED_COPY);
  writeAtomic(path, settingsApplied(file, settings));
  return path;
}
