/** The files of a finished run (or merge) in its out directory. */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisRow } from '../diagnosis/diagnosis.js';
import { diagnosisCsv, diagnosisJson } from '../diagnosis/tidy.js';
import type { DrawsMeta } from './draws-file.js';
import { writeFailure } from './store-errors.js';

export const FILES = { draws: 'draws', csv: 'diagnosis.csv', json: 'diagnosis.json', run: 'run.json' } as const;

/** What to do after a failed write of a run's outputs: the draws are kept, so --resume finishes it. */
export const RESUME_HINT = 'the draws computed so far are kept: make room (or fix the permissions) and run the same command with --resume';

/**
 * Write through a temporary name, so a kill never leaves half a file under the real name.
 * @throws OutputError naming the file when the write fails (full disk, read-only, a directory in the way)
 */
export function writeAtomic(path: string, text: string, hint = RESUME_HINT): void {
  try {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  } catch (err) {
    try {
      rmSync(`${path}.tmp`, { force: true });
    } catch {
      // Not ours to remove (a directory of that name): the error below names the file.
    }
    throw writeFailure(path, err, hint);
  }
}

export function writeDiagnosis(outDir: string, meta: DrawsMeta, rows: DiagnosisRow[], draws: number, hint = RESUME_HINT): void {
  writeAtomic(join(outDir, FILES.csv), diagnosisCsv(rows, meta.points), hint);
  writeAtomic(
    join(outDir, FILES.json),
    diagnosisJson(rows, meta.points, {
      alpha: meta.alpha,
      draws,
      seed: meta.seed,
      estimators: meta.estimators,
      ...(meta.outcomes ? { outcomes: meta.outcomes } : {}),
    }),
    hint,
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
  timings: {
    started: string;
    finished: string | null;
    seconds: number | null;
    draws_per_second: number | null;
    resumed_at_draw_unit: number | null;
  };
  merged_from?: string[];
}

export function writeRunRecord(outDir: string, rec: RunRecord): void {
  writeAtomic(join(outDir, FILES.run), `${JSON.stringify(rec, null, 2)}\n`);
}
