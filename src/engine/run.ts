/**
 * `stagger run` without the command line: run draws [from, to) of every design point on a worker pool,
 * write the draws file as results arrive (in draw order), fold the diagnosis, write the outputs.
 * Resumes a killed run from its draws file: finished draws are kept and never redone.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisRow } from '../diagnosis/diagnosis.js';
import { DRAWS_FORMAT, type DrawsMeta } from './draws-file.js';
import { FILES, writeDiagnosis, writeRunRecord, type RunRecord } from './outputs.js';
import { runUnits } from './pool.js';
import { shardDraws, type Shard } from './shard.js';
import { RunSink } from './sink.js';
import { loadSimulation, type SimulationSpec } from './simulation.js';
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
  };
  const range = shardDraws(o.draws, o.shard);
  const firstUnit = range.from * P;
  const lastUnit = range.to * P;
  mkdirSync(o.outDir, { recursive: true });
  const drawsPath = join(o.outDir, FILES.draws);

  let sink: RunSink;
  if (existsSync(drawsPath) && o.resume) {
    sink = RunSink.resume(drawsPath, meta, (d, i) => {
      const want = unitOf(firstUnit + i, P);
      if (d.point !== want.point || d.draw !== want.draw) {
        throw new Error(`${drawsPath}: draw frame ${i} is draw ${d.draw} of point ${d.point}, expected draw ${want.draw} of point ${want.point}: not this run's file (another --shard?)`);
      }
    });
    if (firstUnit + sink.units > lastUnit) {
      throw new Error(`${drawsPath} holds more draws than --draws ${o.draws} asks for; resume with at least as many draws`);
    }
  } else if (existsSync(drawsPath)) {
    throw new Error(`${o.outDir} already holds a run: add --resume to continue it, or choose another --out`);
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
    for await (const r of runUnits({ spec: o.spec, seed: o.seed, workers: o.workers, from: startUnit, to: lastUnit })) {
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
