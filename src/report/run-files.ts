/**
 * A finished run's files, as the report reads them: run.json, diagnosis.json, the draws file's
 * header, mde.json when `stagger mde` ran, and the scenario's text (the copy kept beside the results,
 * else the file run.json names, when its hash still matches).
 */
import type { WholeAnswer } from '../diagnosis/power-curve.js';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import type { DrawsMeta } from '../engine/draws-file.js';
import { FILES, type RunRecord } from '../engine/outputs.js';
import { settingsApplied } from '../engine/settings.js';
import { RESOLVED_COPY, settingsOf, settingsPhrase, sha256 } from './resolved-scenario.js';
import { checkStore } from '../engine/store-check.js';

/** The scenario copy the report keeps with the run's files, so `stagger report` works later. */
export const SCENARIO_COPY = 'scenario.yaml';

export interface DiagnosisFileRow {
  point: number;
  estimator: string;
  estimand: string;
  target: string | null;
  /** The outcome's name (absent in runs made before outcomes were named). */
  outcome?: string;
  diagnosand: string;
  value: number | null;
  mc_se: number | null;
  n: number;
  reasons?: { reason: string; count: number }[];
}

export interface DiagnosisFile {
  alpha: number;
  seed: string;
  draws: number;
  estimators: string[];
  /** The outcomes' names in scenario order (absent in older runs). */
  outcomes?: string[];
  points: DesignPointInfo[];
  rows: DiagnosisFileRow[];
}

export interface MdeFile {
  axis: string;
  /** The outcome searched (absent: the first). */
  outcome?: string;
  estimator: string;
  estimand: string;
  draws: number;
  seed: string;
  curves: {
    group: { fixed: Record<string, number | string>; xs: number[]; points: number[] };
    result: {
      value: number | null;
      status: string;
      target: number;
      curve: { value: number; power: number; mcSe: number }[];
      mcSe: number | null;
      interval: [number, number] | null;
      notReached: number;
      /** On a whole-number axis (clusters, waves, people): the whole-number answer (diagnosis/power-curve.ts). */
      whole?: WholeAnswer;
    };
  }[];
}

export interface RunFiles {
  dir: string;
  record: RunRecord;
  diagnosis: DiagnosisFile;
  meta: DrawsMeta;
  drawsPath: string;
  mde: MdeFile | null;
  /** The scenario's YAML, or null with the reason in scenarioNote. */
  scenarioText: string | null;
  scenarioNote: string;
}

function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${what}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/**
 * Find the scenario text: the resolved scenario of a run with --set (kept beside the results, or
 * rebuilt from the file when its own hash is still the one run.json records), else the copy in the
 * run directory, else the original file when its hash is the run's (a plain run), or the run's hash
 * is of that file plus the run's extra arguments (an mde run changes one axis; its hash covers both).
 * Copies what it found beside the results.
 */
function scenarioText(dir: string, rec: RunRecord): { text: string | null; note: string } {
  const path = rec.scenario.path;
  const set = rec.scenario.set ?? [];
  const resolved = join(dir, RESOLVED_COPY);
  const withSet = `${path} ${settingsPhrase(set)}`;
  if (set.length && existsSync(resolved))
    return { text: readFileSync(resolved, 'utf8'), note: `${withSet} (the resolved scenario, ${RESOLVED_COPY} in the run directory)` };
  const copy = join(dir, SCENARIO_COPY);
  if (!set.length && existsSync(copy)) return { text: readFileSync(copy, 'utf8'), note: `${SCENARIO_COPY} in the run directory` };
  if (!path || path.startsWith('file:') || !existsSync(path)) {
    return { text: null, note: path ? `the scenario file ${path} is no longer there` : 'the run names no scenario file' };
  }
  const bytes = readFileSync(path);
  const own = sha256(bytes);
  if (set.length) {
    if (rec.scenario.file_sha256 !== own)
      return { text: null, note: `the scenario file ${path} has changed since the run (its sha256 differs from the one run.json records)` };
    const text = settingsApplied(path, settingsOf(set));
    try {
      writeFileSync(resolved, text);
    } catch {
      // A read-only run directory: the report still describes the resolved scenario.
    }
    return { text, note: `${withSet} (the file is unchanged since the run; the settings applied to it)` };
  }
  const extended = rec.scenario.sha256 !== own;
  if (extended && !existsSync(join(dir, 'mde.json'))) {
    return { text: null, note: `the scenario file ${path} has changed since the run (its sha256 differs)` };
  }
  try {
    copyFileSync(path, copy);
  } catch {
    // A read-only run directory: the report still uses the original.
  }
  return { text: bytes.toString('utf8'), note: extended ? `${path} (with the axis stagger mde scanned)` : path };
}

/** Read a finished run's directory. @throws Error naming the missing or broken file */
export function readRunFiles(dir: string): RunFiles {
  const record = readJson<RunRecord>(join(dir, FILES.run), 'is this the --out directory of a stagger run?');
  if (record.status !== 'complete')
    throw new Error(`${dir}: the run did not finish (status ${record.status}); finish it with --resume first`);
  const diagnosis = readJson<DiagnosisFile>(join(dir, FILES.json), 'the run did not write its diagnosis');
  const drawsPath = join(dir, FILES.draws);
  if (!existsSync(drawsPath)) throw new Error(`${drawsPath} is missing: the report needs the run's draws`);
  // A damaged or incomplete draws file is an error naming the draws, never a smaller run's report.
  const meta = checkStore(dir).meta;
  const mdePath = join(dir, 'mde.json');
  const mde = existsSync(mdePath) ? readJson<MdeFile>(mdePath, '') : null;
  const sc = scenarioText(dir, record);
  return { dir, record, diagnosis, meta, drawsPath, mde, scenarioText: sc.text, scenarioNote: sc.note };
}
