/**
 * Is a run directory's store whole? Every command that reads stored draws (diagnose, draws, report,
 * merge) asks first, so damaged data is never read as a smaller run: the draws file must hold, in
 * order and checksum-valid, exactly the draws [from, to) × every design point that run.json promises,
 * and nothing else. Otherwise a StoreError says which draws are damaged or missing and how to recover.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { surveyDrawsFile, type DrawsMeta, type Survey } from './draws-file.js';
import { FILES, type RunRecord } from './outputs.js';
import { StoreError } from './store-errors.js';

export interface StoreState {
  dir: string;
  path: string;
  record: RunRecord | null;
  meta: DrawsMeta;
  /** Draws per design point the store holds: [from, to). */
  range: [number, number];
}

/** Ranges of draw numbers as people read them: "3, 7–12, 40". */
export function drawRanges(draws: readonly number[], limit = 8): string {
  const parts: string[] = [];
  for (let i = 0; i < draws.length; ) {
    let j = i;
    while (j + 1 < draws.length && draws[j + 1] === draws[j] + 1) j++;
    parts.push(i === j ? String(draws[i]) : `${draws[i]}–${draws[j]}`);
    i = j + 1;
  }
  return parts.length > limit ? `${parts.slice(0, limit).join(', ')}, … (${parts.length - limit} more ranges)` : parts.join(', ');
}

/** What to run to repair the store in `dir` (recomputing only what is missing). */
export function recoveryHint(dir: string, rec: RunRecord | null): string {
  if (!rec) return `rerun the command that made ${dir} with --resume (it recomputes only the missing draws)`;
  const run = `stagger run ${rec.scenario.path ?? 'SCENARIO'} --seed ${rec.seed} --draws ${rec.draws}${rec.shard ? ` --shard ${rec.shard.index}/${rec.shard.count}` : ''} --out ${dir} --resume`;
  const same = ' (with the same --set options, if any; it recomputes only the missing draws and gives the undamaged result byte for byte)';
  if (rec.merged_from?.length)
    return `merge the shards again (stagger merge ${rec.merged_from.join(' ')} --out ${dir}), or recompute: ${run}${same}`;
  if (existsSync(join(dir, 'mde.json'))) return `rerun the same stagger mde command with --resume${same}`;
  return `${run}${same}`;
}

function readRecord(dir: string): RunRecord | null {
  const p = join(dir, FILES.run);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
  } catch (err) {
    throw new StoreError(
      `${p}: expected the run's record as JSON, found a damaged file (${(err as Error).message}); ${recoveryHint(dir, null)}`,
    );
  }
}

/**
 * Check the store of a run directory (or of a draws file, whose run.json is looked for beside it).
 * Reads the whole draws file once (checksums only, flat memory but one byte a draw).
 * @throws StoreError naming what is missing or damaged and how to recover
 */
export function checkStore(dirOrFile: string): StoreState {
  if (!existsSync(dirOrFile))
    throw new StoreError(`${dirOrFile}: no such directory: expected the --out directory of stagger run, mde or merge`);
  const isDir = statSync(dirOrFile).isDirectory();
  const dir = isDir ? dirOrFile : dirname(dirOrFile);
  const path = isDir ? join(dir, FILES.draws) : dirOrFile;
  const record = readRecord(dir);
  if (!existsSync(path)) {
    throw new StoreError(
      `${dir}: no draws file (${path}): expected the --out directory of stagger run, mde or merge${record ? `; ${recoveryHint(dir, record)}` : ''}`,
    );
  }
  if (isDir && !record) {
    throw new StoreError(
      `${dir}: no ${FILES.run}: the run or merge that wrote it did not finish (or this is not a run directory); ${recoveryHint(dir, null)}`,
    );
  }
  if (record && record.status !== 'complete') {
    throw new StoreError(`${dir}: the run did not finish (run.json: status ${record.status}); continue it: ${recoveryHint(dir, record)}`);
  }

  const P = record?.design_points ?? 0;
  const [from, to] = record ? record.draw_range : [0, 0];
  const seen = new Uint8Array(P && to > from ? (to - from) * P : 0);
  let lastUnit = -1;
  const foreign: string[] = [];
  const survey: Survey = surveyDrawsFile(path, (d) => {
    if (!record) return;
    const u = (d.draw - from) * P + d.point;
    if (d.point >= P || d.draw < from || d.draw >= to || seen[u]) foreign.push(`draw ${d.draw} of point ${d.point}`);
    else if (u <= lastUnit) foreign.push(`draw ${d.draw} of point ${d.point} out of order`);
    else {
      seen[u] = 1;
      lastUnit = u;
    }
  });
  if (survey.size === 0)
    throw new StoreError(
      `${path}: the draws file is empty (0 bytes): the run was stopped before it wrote a draw; ${recoveryHint(dir, record)}`,
    );
  const damage = survey.damaged.map(([a, b]) =>
    b === survey.size && a === survey.damaged[survey.damaged.length - 1][0]
      ? `bytes ${a}–${b} (the end of the file) are cut or damaged`
      : `bytes ${a}–${b} fail their checksum`,
  );
  if (!survey.meta) {
    throw new StoreError(
      `${path}: the draws file's header (meta frame) is ${survey.metaDamaged ? 'damaged (its checksum fails)' : 'cut short'}, so its draws cannot be read; ${recoveryHint(dir, record)}`,
    );
  }
  const meta = survey.meta;
  if (!record) {
    // A bare draws file: whole frames only, nothing dropped.
    if (survey.damaged.length || survey.dropped)
      throw new StoreError(
        `${path}: damaged: ${damage.join('; ')}; no run.json beside it says which draws it should hold; ${recoveryHint(dir, null)}`,
      );
    return { dir, path, record, meta, range: [0, 0] };
  }
  if (meta.seed !== record.seed || meta.points.length !== P) {
    throw new StoreError(
      `${path}: belongs to another run than ${join(dir, FILES.run)} (seed ${meta.seed}, ${meta.points.length} design points; run.json: seed ${record.seed}, ${P} design points)`,
    );
  }
  const missing = new Set<number>();
  let missingUnits = 0;
  for (let u = 0; u < seen.length; u++) {
    if (!seen[u]) {
      missing.add(from + Math.floor(u / P));
      missingUnits += 1;
    }
  }
  if (missing.size || foreign.length || survey.damaged.length) {
    const expected = (to - from) * P;
    const what = [
      missing.size
        ? `${missingUnits} of ${expected} draw results (${P} design point${P === 1 ? '' : 's'} × draws ${from}–${to - 1}) are missing or unreadable: draws ${drawRanges([...missing].sort((a, b) => a - b))}`
        : '',
      ...damage,
      foreign.length
        ? `${foreign.length} frame(s) that are not this run's (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})`
        : '',
    ].filter(Boolean);
    throw new StoreError(`${path} is damaged, so none of it was used: ${what.join('; ')}. Recover: ${recoveryHint(dir, record)}`);
  }
  return { dir, path, record, meta, range: [from, to] };
}
