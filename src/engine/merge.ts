/**
 * `stagger merge`: combine the out directories of `--shard i/N` runs into exactly the single run's
 * result. Shards are read in draw order and their draws re-encoded through one RunSink, so the merged
 * draws file, diagnosis.csv and diagnosis.json are byte for byte those of the unsharded run.
 */
import { existsSync, readFileSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DiagnosisRow } from '../diagnosis/diagnosis.js';
import { readDrawsMeta, scanDrawsFile, type DrawsMeta } from './draws-file.js';
import { FILES, writeDiagnosis, writeRunRecord, type RunRecord } from './outputs.js';
import { lockRunDir } from './run-lock.js';
import { shardDraws } from './shard.js';
import { RunSink } from './sink.js';
import { checkStore } from './store-check.js';
import { StoreError, makeDir, writing } from './store-errors.js';
import { versions } from './versions.js';

interface ShardDir {
  dir: string;
  rec: RunRecord;
}

/** The real path of a directory that may not exist yet (its nearest existing parent resolved). */
function realPath(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realPath(parent), basename(abs));
}

const name = (s: ShardDir): string => (s.rec.shard ? `${s.dir} (shard ${s.rec.shard.index}/${s.rec.shard.count})` : s.dir);

/**
 * Read and check every shard before anything is written: each must exist, have finished, and hold
 * whole (store-check.ts) the draws its run.json promises. Every problem is named at once.
 */
function readShards(dirs: readonly string[], outDir: string): ShardDir[] {
  const out = realPath(outDir);
  const problems: string[] = [];
  const shards: ShardDir[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(`${dir}: no such directory (a shard that never ran?)`);
      continue;
    }
    if (realpathSync(dir) === out) {
      throw new StoreError(
        `--out ${outDir} is one of the shards being merged (${dir}): merging into it would destroy it. Choose another --out, e.g. ${join(dirname(resolve(dir)), 'merged')}`,
      );
    }
    const p = join(dir, FILES.run);
    if (!existsSync(p)) {
      problems.push(`${dir}: no ${FILES.run} (the shard never started, or this is not the --out of a stagger run)`);
      continue;
    }
    let rec: RunRecord;
    try {
      rec = JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
    } catch (err) {
      problems.push(`${p}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    const s = { dir, rec };
    if (rec.status !== 'complete') {
      problems.push(`${name(s)} did not finish (status ${rec.status}): finish it with the same stagger run command and --resume`);
      continue;
    }
    try {
      checkStore(dir);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      problems.push(`${name(s)}: ${err.message}`);
      continue;
    }
    shards.push(s);
  }
  if (problems.length)
    throw new StoreError(
      `cannot merge: ${problems.length} shard${problems.length === 1 ? ' is' : 's are'} incomplete or missing:\n  ${problems.join('\n  ')}`,
    );
  return shards.sort((a, b) => a.rec.draw_range[0] - b.rec.draw_range[0]);
}

/** Check the shards are complete slices of one run that together cover every draw once. */
function checkCover(shards: ShardDir[]): void {
  const first = shards[0];
  for (const s of shards) {
    const { rec } = s;
    if (rec.seed !== first.rec.seed || rec.scenario.sha256 !== first.rec.scenario.sha256 || rec.draws !== first.rec.draws) {
      throw new StoreError(
        `${s.dir}: seed, scenario or --draws differ from ${first.dir} (seed ${rec.seed} vs ${first.rec.seed}, --draws ${rec.draws} vs ${first.rec.draws}); only shards of one run can be merged`,
      );
    }
  }
  // Name the missing shards by number when the shards say how many there are.
  const count = first.rec.shard?.count;
  if (count && shards.every((s) => s.rec.shard?.count === count)) {
    const have = new Set(shards.map((s) => s.rec.shard?.index));
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
    if (missing.length) {
      const ranges = missing.map((i) => {
        const r = shardDraws(first.rec.draws, { index: i, count });
        return `shard ${i}/${count} (draws ${r.from}–${r.to - 1})`;
      });
      throw new StoreError(
        `cannot merge: ${missing.length} of ${count} shards missing: ${ranges.join(', ')}; draws ${ranges.length === 1 ? 'it holds are' : 'they hold are'} missing. Run ${missing.length === 1 ? 'it' : 'them'} (stagger run … --shard i/${count}) and merge again`,
      );
    }
  }
  let next = 0;
  for (const { rec } of shards) {
    if (rec.draw_range[0] !== next) {
      throw new StoreError(
        `draws ${Math.min(next, rec.draw_range[0])}–${Math.max(next, rec.draw_range[0]) - 1} are ${rec.draw_range[0] > next ? 'missing' : 'in two shards'}: ` +
          shards.map((s) => `${s.dir} has [${s.rec.draw_range.join(', ')})`).join('; '),
      );
    }
    next = rec.draw_range[1];
  }
  if (next !== first.rec.draws) throw new StoreError(`draws ${next}–${first.rec.draws - 1} are missing: no shard covers them`);
}

/**
 * Merge shard directories into outDir. Nothing is written until every shard checks out; the merge is
 * written in a temporary directory inside outDir and moved into place file by file, run.json last
 * (after the old one is removed), so a merge killed mid-way leaves no directory that reads as a run.
 */
export function mergeRuns(
  dirs: readonly string[],
  outDir: string,
  notice: (m: string) => void = (m) => process.stderr.write(`stagger: ${m}\n`),
): { meta: DrawsMeta; rows: DiagnosisRow[]; record: RunRecord } {
  if (dirs.length === 0) throw new StoreError('name the shard directories to merge, e.g. stagger merge out/r1/shard-* --out out/r1');
  const shards = readShards(dirs, outDir);
  checkCover(shards);
  const meta = readDrawsMeta(join(shards[0].dir, FILES.draws));
  for (const { dir } of shards) {
    const path = join(dir, FILES.draws);
    if (JSON.stringify(readDrawsMeta(path)) !== JSON.stringify(meta))
      throw new StoreError(`${path}: design grid, estimators or seed differ from ${shards[0].dir}`);
  }
  const hint = 'the shards are untouched: make room (or fix the permissions) and merge again';
  makeDir(outDir, hint);
  const lock = lockRunDir(outDir, 'stagger merge', notice);
  try {
    // Temporary directories of merges killed before (their process is gone: we hold the lock).
    for (const f of readdirSync(outDir)) if (f.startsWith('.merge-')) rmSync(join(outDir, f), { recursive: true, force: true });
    const tmp = join(outDir, `.merge-${process.pid}`);
    writing(tmp, hint, () => mkdirSync(tmp));
    const result = writeMerge(shards, meta, tmp);
    const into = (f: string) => writing(join(outDir, f), hint, () => renameSync(join(tmp, f), join(outDir, f)));
    writing(join(outDir, FILES.run), hint, () => rmSync(join(outDir, FILES.run), { force: true }));
    into(FILES.draws);
    into(FILES.csv);
    into(FILES.json);
    into(FILES.run);
    rmSync(tmp, { recursive: true, force: true });
    return result;
  } finally {
    lock.release();
  }
}

function writeMerge(shards: ShardDir[], meta: DrawsMeta, tmp: string): { meta: DrawsMeta; rows: DiagnosisRow[]; record: RunRecord } {
  const sink = RunSink.create(join(tmp, FILES.draws), meta);
  try {
    for (const { dir } of shards) {
      const path = join(dir, FILES.draws);
      const scan = scanDrawsFile(path, (d) => sink.add(d.point, d.draw, d.records, d.recruitment));
      if (!scan.meta || scan.truncatedTail)
        throw new StoreError(`${path} changed while it was merged (it ends in a torn frame): is a run still writing it?`);
    }
  } finally {
    sink.close();
  }
  const first = shards[0].rec;
  const rows = sink.diagnosis.rows();
  writeDiagnosis(tmp, meta, rows, first.draws);
  const seconds = shards.reduce((s, x) => s + (x.rec.timings.seconds ?? 0), 0);
  const record: RunRecord = {
    ...first,
    status: 'complete',
    draw_range: [0, first.draws],
    shard: null,
    workers: first.workers,
    versions: versions(),
    timings: {
      started: shards.map((s) => s.rec.timings.started).sort()[0],
      finished: new Date().toISOString(),
      seconds,
      draws_per_second: seconds > 0 ? (first.draws * meta.points.length) / seconds : null,
      resumed_at_draw_unit: null,
    },
    merged_from: shards.map((s) => s.dir),
  };
  writeRunRecord(tmp, record);
  return { meta, rows, record };
}
