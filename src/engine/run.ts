/**
 * `stagger run` without the command line: run draws [from, to) of every design point on a worker pool,
 * write the draws file as results arrive (in draw order), fold the diagnosis, write the outputs.
 * Resumes a killed run from its draws file: finished draws are kept and never redone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnosis, type DiagnosisRow } from '../diagnosis/diagnosis.js';
import { DRAWS_FORMAT, surveyDrawsFile, type DecodedDraw, type DrawsMeta } from './draws-file.js';
import { FILES, writeDiagnosis, writeRunRecord, type RunRecord } from './outputs.js';
import { runUnits } from './pool.js';
import { shardDraws, type Shard } from './shard.js';
import { RunSink } from './sink.js';
import { loadSimulation, type DrawRecord, type DrawRecruitment, type SimulationSpec } from './simulation.js';
import { lockRunDir } from './run-lock.js';
import { StoreError, makeDir } from './store-errors.js';
import { unitOf } from './unit.js';
import { versions } from './versions.js';

export interface RunOptions {
  spec: SimulationSpec;
  scenario: { path: string | null; sha256: string };
  seed: string;
  draws: number;
  workers: number;
  outDir: string;
  resume?: boolean;
  shard?: Shard;
  /** Called after each finished unit (one draw of one design point). */
  onProgress?: (done: number, total: number) => void;
  /** Called once the work is known, before any draw runs (e.g. to say how many draws a resume skips). */
  onStart?: (info: { totalUnits: number; doneUnits: number; points: number }) => void;
  /** Told what a resume found and did (damage repaired, a stale lock taken over); default: standard error. */
  onNotice?: (message: string) => void;
}

export interface RunResult {
  meta: DrawsMeta;
  rows: DiagnosisRow[];
  record: RunRecord;
}

export async function runEngine(o: RunOptions): Promise<RunResult> {
  const started = new Date();
  const t0 = performance.now();
  const sim = await loadSimulation(o.spec);
  const P = sim.points.length;
  sim.points.forEach((p, i) => {
    // Units map to points by position; the draws file stores the index. Keep them one and the same.
    if (p.index !== i) throw new Error(`simulation: design point at position ${i} has index ${p.index}; indices must be 0, 1, 2, …`);
  });
  const meta: DrawsMeta = {
    format: DRAWS_FORMAT,
    ...(sim.outcomes ? { outcomes: [...sim.outcomes] } : {}),
    seed: o.seed,
    scenarioSha256: o.scenario.sha256,
    alpha: sim.alpha,
    estimators: [...sim.estimators],
    points: sim.points.map((p) => ({ index: p.index, settings: p.settings })),
    ...(sim.analytic?.length ? { analytic: [...sim.analytic] } : {}),
  };
  const range = shardDraws(o.draws, o.shard);
  const firstUnit = range.from * P;
  const lastUnit = range.to * P;
  makeDir(o.outDir, 'choose an --out where a directory can be made');
  const drawsPath = join(o.outDir, FILES.draws);
  const notice = o.onNotice ?? ((m: string) => process.stderr.write(`stagger: ${m}\n`));
  const lock = lockRunDir(o.outDir, 'stagger run', notice);
  try {
    return await runLocked(o, sim, meta, { range, firstUnit, lastUnit, drawsPath, notice, started, t0 });
  } finally {
    lock.release();
  }
}

/** Draws already in the file, kept by a resume: its undamaged prefix (replayed) and draws rescued past damage. */
function reopen(
  o: RunOptions,
  meta: DrawsMeta,
  P: number,
  firstUnit: number,
  lastUnit: number,
  drawsPath: string,
  notice: (m: string) => void,
): { sink: RunSink; rescued: Map<number, DecodedDraw> } {
  const diagnosis = new Diagnosis(meta.alpha, meta.estimators, meta.outcomes, meta.analytic);
  const rescued = new Map<number, DecodedDraw>();
  let n = 0;
  let beyond = 0;
  const survey = surveyDrawsFile(drawsPath, (d, inPrefix) => {
    const u = d.draw * P + d.point;
    if (inPrefix) {
      const want = unitOf(firstUnit + n, P);
      if (d.point !== want.point || d.draw !== want.draw) {
        throw new StoreError(
          `${drawsPath}: draw frame ${n} is draw ${d.draw} of point ${d.point}, expected draw ${want.draw} of point ${want.point}: not this run's file (another --shard?)`,
        );
      }
      n += 1;
      diagnosis.pushDraw(d.point, d.records);
    } else if (d.point < P && u >= firstUnit && u < lastUnit) rescued.set(u, d);
    else if (u >= lastUnit) beyond += 1;
  });
  const stored = survey.prefixDraws + rescued.size;
  if (!survey.meta && stored > 0) {
    // The header is damaged: only run.json can say whose draws these are. Never discard them unasked.
    const rec = readRecord(o.outDir);
    const differs = !rec
      ? [`there is no ${FILES.run} to say which run they belong to`]
      : [
          rec.seed !== o.seed ? `seed ${rec.seed} (this run: ${o.seed})` : '',
          rec.scenario.sha256 !== o.scenario.sha256
            ? `scenario sha256 ${rec.scenario.sha256.slice(0, 12)}… (this run: ${o.scenario.sha256.slice(0, 12)}…)`
            : '',
          rec.draw_range[0] !== firstUnit / P || rec.design_points !== P
            ? `draws from ${rec.draw_range[0]} of ${rec.design_points} design points (this run: from ${firstUnit / P} of ${P}; another --shard?)`
            : '',
          JSON.stringify(rec.estimators) !== JSON.stringify(meta.estimators)
            ? `estimators ${rec.estimators.join(', ')} (this run: ${meta.estimators.join(', ')})`
            : '',
        ].filter(Boolean);
    if (differs.length) {
      throw new StoreError(
        `${drawsPath}: its header (meta frame) is damaged and ${rec ? `${FILES.run} says another run: ${differs.join('; ')}` : differs[0]}: ` +
          `resuming would discard its ${stored} finished draws. Resume with that run's own options, or start over with another --out (or delete ${drawsPath} to discard them)`,
      );
    }
    notice(`${drawsPath}: its header was damaged; ${FILES.run} says it is this run's, so its header is written again`);
  } else if (survey.meta && JSON.stringify(survey.meta) !== JSON.stringify(meta)) {
    throw new StoreError(
      `${drawsPath} belongs to another run: ${metaDifferences(survey.meta, meta).join('; ')}. Use another --out, or delete ${drawsPath} to start over (its draws are lost)`,
    );
  }
  if (beyond > 0 || firstUnit + survey.prefixDraws > lastUnit) {
    throw new StoreError(`${drawsPath} holds more draws than --draws ${o.draws} asks for; resume with at least as many draws`);
  }
  if (survey.damaged.length) {
    const lost = lastUnit - firstUnit - stored;
    const where = survey.damaged.map(([a, b]) => `${a}–${b}`).join(', ');
    if (survey.damaged.length > 1 || survey.damaged[0][1] !== survey.size || survey.dropped > 0) {
      notice(`${drawsPath}: bytes ${where} were damaged; keeping ${stored} whole draws, computing the other ${lost}`);
    }
  }
  return { sink: RunSink.resume(drawsPath, meta, survey, diagnosis), rescued };
}

/** What differs between a draws file's meta and this run's, in words. */
function metaDifferences(file: DrawsMeta, run: DrawsMeta): string[] {
  const d: string[] = [];
  if (file.format !== run.format)
    d.push(`it is draws format ${file.format}, this version writes format ${run.format} (finish it with the Stagger that started it)`);
  if (file.seed !== run.seed) d.push(`seed ${file.seed} (this run: ${run.seed})`);
  if (file.scenarioSha256 !== run.scenarioSha256)
    d.push(`scenario sha256 ${file.scenarioSha256.slice(0, 12)}… (this run: ${run.scenarioSha256.slice(0, 12)}…)`);
  if (JSON.stringify(file.estimators) !== JSON.stringify(run.estimators))
    d.push(`estimators ${file.estimators.join(', ')} (this run: ${run.estimators.join(', ')})`);
  if (file.alpha !== run.alpha) d.push(`alpha ${file.alpha} (this run: ${run.alpha})`);
  if (JSON.stringify(file.points) !== JSON.stringify(run.points))
    d.push(`design grid of ${file.points.length} points (this run: ${run.points.length})`);
  if (JSON.stringify(file.outcomes) !== JSON.stringify(run.outcomes))
    d.push(`outcomes ${file.outcomes?.join(', ') ?? 'unnamed'} (this run: ${run.outcomes?.join(', ') ?? 'unnamed'})`);
  return d.length ? d : ['its header differs'];
}

function readRecord(dir: string): RunRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, FILES.run), 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}

/**
 * Units [from, to) in order: rescued draws as they are, the rest computed on the pool (one pool per
 * stretch of missing units; damage is rare, so stretches are few).
 */
async function* unitsToAdd(
  o: RunOptions,
  from: number,
  to: number,
  rescued: Map<number, DecodedDraw>,
): AsyncGenerator<{ unit: number; records: DrawRecord[]; recruitment?: DrawRecruitment }> {
  let u = from;
  while (u < to) {
    const r = rescued.get(u);
    if (r) {
      rescued.delete(u);
      yield { unit: u, records: r.records, ...(r.recruitment ? { recruitment: r.recruitment } : {}) };
      u += 1;
      continue;
    }
    let end = u;
    while (end < to && !rescued.has(end)) end++;
    yield* runUnits({ spec: o.spec, seed: o.seed, workers: o.workers, from: u, to: end });
    u = end;
  }
}

interface Plan {
  range: { from: number; to: number };
  firstUnit: number;
  lastUnit: number;
  drawsPath: string;
  notice: (m: string) => void;
  started: Date;
  t0: number;
}

async function runLocked(o: RunOptions, sim: Awaited<ReturnType<typeof loadSimulation>>, meta: DrawsMeta, plan: Plan): Promise<RunResult> {
  const { range, firstUnit, lastUnit, drawsPath, started, t0 } = plan;
  const P = sim.points.length;
  let sink: RunSink;
  let rescued = new Map<number, DecodedDraw>();
  if (existsSync(drawsPath) && o.resume) {
    ({ sink, rescued } = reopen(o, meta, P, firstUnit, lastUnit, drawsPath, plan.notice));
  } else if (existsSync(drawsPath)) {
    throw new StoreError(`${o.outDir} already holds a run: add --resume to continue it, or choose another --out`);
  } else {
    sink = RunSink.create(drawsPath, meta);
  }
  const resumedAt = o.resume && sink.units > 0 ? sink.units : null;

  const record: RunRecord = {
    status: 'running',
    scenario: o.scenario,
    seed: o.seed,
    draws: o.draws,
    draw_range: [range.from, range.to],
    shard: o.shard ?? null,
    design_points: P,
    estimators: meta.estimators,
    alpha: meta.alpha,
    workers: o.workers,
    versions: versions(),
    timings: { started: started.toISOString(), finished: null, seconds: null, draws_per_second: null, resumed_at_draw_unit: resumedAt },
  };
  writeRunRecord(o.outDir, record);

  const total = lastUnit - firstUnit;
  o.onStart?.({ totalUnits: total, doneUnits: sink.units, points: P });
  const startUnit = firstUnit + sink.units;
  try {
    for await (const r of unitsToAdd(o, startUnit, lastUnit, rescued)) {
      const { point, draw } = unitOf(r.unit, P);
      sink.add(sim.points[point].index, draw, r.records, r.recruitment);
      o.onProgress?.(r.unit - firstUnit + 1, total);
    }
  } finally {
    sink.close();
  }

  const rows = sink.diagnosis.rows();
  writeDiagnosis(o.outDir, meta, rows, range.to - range.from);
  const seconds = (performance.now() - t0) / 1000;
  record.status = 'complete';
  record.timings.finished = new Date().toISOString();
  record.timings.seconds = seconds;
  record.timings.draws_per_second = (lastUnit - startUnit) / seconds;
  writeRunRecord(o.outDir, record);
  return { meta, rows, record };
}
