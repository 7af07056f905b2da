/**
 * `stagger merge`: combine the out directories of `--shard i/N` runs into exactly the single run's
 * result. Shards are read in draw order and their draws re-encoded through one RunSink, so the merged
 * draws file, diagnosis.csv and diagnosis.json are byte for byte those of the unsharded run.
 */
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisRow } from '../diagnosis/diagnosis.js';
import { readDrawsMeta, scanDrawsFile, type DrawsMeta } from './draws-file.js';
import { FILES, writeDiagnosis, writeRunRecord, type RunRecord } from './outputs.js';
import { RunSink } from './sink.js';
import { versions } from './versions.js';

function readRecord(dir: string): RunRecord {
  const p = join(dir, FILES.run);
  if (!existsSync(p)) throw new Error(`${dir}: no ${FILES.run}; is it the --out of a stagger run?`);
  return JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
}

/** Check the shards are complete slices of one run that together cover every draw once. */
function checkCover(shards: { dir: string; rec: RunRecord }[]): void {
  const first = shards[0].rec;
  let next = 0;
  for (const { dir, rec } of shards) {
    if (rec.status !== 'complete') throw new Error(`${dir}: the run did not finish (status ${rec.status}); finish it with --resume first`);
    if (rec.seed !== first.seed || rec.scenario.sha256 !== first.scenario.sha256 || rec.draws !== first.draws) {
      throw new Error(`${dir}: seed, scenario or --draws differ from ${shards[0].dir}; only shards of one run can be merged`);
    }
    if (rec.draw_range[0] !== next) {
      throw new Error(
        `draws ${next}–${rec.draw_range[0] - 1} are ${rec.draw_range[0] > next ? 'missing' : 'in two shards'}: ` +
          shards.map((s) => `${s.dir} has [${s.rec.draw_range.join(', ')})`).join('; '),
      );
    }
    next = rec.draw_range[1];
  }
  if (next !== first.draws) throw new Error(`draws ${next}–${first.draws - 1} are missing: no shard covers them`);
}

export function mergeRuns(dirs: readonly string[], outDir: string): { meta: DrawsMeta; rows: DiagnosisRow[]; record: RunRecord } {
  if (dirs.length === 0) throw new Error('name the shard directories to merge, e.g. stagger merge out/r1/shard-*');
  const shards = dirs.map((dir) => ({ dir, rec: readRecord(dir) })).sort((a, b) => a.rec.draw_range[0] - b.rec.draw_range[0]);
  checkCover(shards);
  const meta = readDrawsMeta(join(shards[0].dir, FILES.draws));
  mkdirSync(outDir, { recursive: true });
  const sink = RunSink.create(join(outDir, FILES.draws), meta);
  try {
    for (const { dir } of shards) {
      const path = join(dir, FILES.draws);
      if (JSON.stringify(readDrawsMeta(path)) !== JSON.stringify(meta)) {
        throw new Error(`${path}: design grid, estimators or seed differ from ${shards[0].dir}`);
      }
      const scan = scanDrawsFile(path, (d) => sink.add(d.point, d.draw, d.records, d.recruitment));
      if (!scan.meta || scan.truncatedTail) throw new Error(`${path} ends in a torn record: resume that shard before merging`);
    }
  } finally {
    sink.close();
  }
  const first = shards[0].rec;
  const rows = sink.diagnosis.rows();
  writeDiagnosis(outDir, meta, rows, first.draws);
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
  writeRunRecord(outDir, record);
  return { meta, rows, record };
}
