/** The files of a finished run (or merge) in its out directory. */
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisRow } from '../diagnosis/diagnosis.js';
import { diagnosisCsv, diagnosisJson } from '../diagnosis/tidy.js';
import type { DrawsMeta } from './draws-file.js';

export const FILES = { draws: 'draws', csv: 'diagnosis.csv', json: 'diagnosis.json', run: 'run.json' } as const;

/** Write through a temporary name, so a kill never leaves half a file under the real name. */
export function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function writeDiagnosis(outDir: string, meta: DrawsMeta, rows: DiagnosisRow[], draws: number): void {
  writeAtomic(join(outDir, FILES.csv), diagnosisCsv(rows, meta.points));
  writeAtomic(
    join(outDir, FILES.json),
    diagnosisJson(rows, meta.points, { alpha: meta.alpha, draws, seed: meta.seed, estimators: meta.estimators, ...(meta.outcomes ? { outcomes: meta.outcomes } : {}) }),
  );
}

export interface RunRecord {
  status: 'running' | 'complete';
  /** With --set: the settings as given and the file's own sha256 (sha256 covers file and settings). */
  scenario: { path: string | null; sha256: string; set?: string[]; file_sha256?: string };
  seed: string;
  draws: number;
  /** Draws [from, to) of every design point that this directory holds. */
  draw_range: [number, number];
  shard: { index: number; count: number } | null;
  design_points: number;
  estimators: string[];
  alpha: number;
  workers: number;
  versions: Record<string, string>;
  timings: { started: string; finished: string | null; seconds: number | null; draws_per_second: number | null; resumed_at_draw_unit: number | null };
  merged_from?: string[];
}

export function writeRunRecord(outDir: string, rec: RunRecord): void {
  writeAtomic(join(outDir, FILES.run), JSON.stringify(rec, null, 2) + '\n');
}
