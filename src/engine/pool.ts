/**
 * Runs units [from, to) on worker threads (or in this thread with workers = 0) and yields their records
 * strictly in unit order. Out-of-order results wait in a reorder buffer whose size is capped (a worker
 * is only given units within `ahead` of the oldest unfinished one), so memory does not grow with draws.
 */
import { Worker } from 'node:worker_threads';
import { loadSimulation, type DrawOutput, type DrawRecord, type DrawRecruitment, type SimulationSpec } from './simulation.js';
import { deserializeError, runUnit, type SerializedError } from './unit.js';

export interface UnitResult extends DrawOutput {
  unit: number;
}

export interface PoolOptions {
  spec: SimulationSpec;
  seed: string;
  workers: number;
  from: number;
  to: number;
  /**
   * Units a worker may hold at once: one running and one queued keeps it busy while the main thread
   * merges (well under a millisecond a draw), and leaves at most one queued draw a worker at the end of
   * a run, where a deeper queue would leave the other workers idle while one works through its backlog.
   */
  depth?: number;
}

type Msg = { ready?: true; unit: number; records?: DrawRecord[]; recruitment?: DrawRecruitment; error?: SerializedError };

export async function* runUnits(o: PoolOptions): AsyncGenerator<UnitResult> {
  if (o.workers <= 0) {
    yield* runInThread(o);
    return;
  }
  const depth = o.depth ?? 2;
  const url = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: o.workers }, () => new Worker(url, { workerData: { spec: o.spec, seed: o.seed } }));
  const held = workers.map(() => 0);
  const done = new Map<number, Msg>();
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let next = o.from;
  let expect = o.from;
  const ahead = depth * o.workers * 2;

  const feed = (w: number): void => {
    const units: number[] = [];
    while (held[w] + units.length < depth && next < o.to && next - expect < ahead) units.push(next++);
    if (units.length) {
      held[w] += units.length;
      workers[w].postMessage({ units });
    }
  };
  const ready = workers.map(
    (w, i) =>
      new Promise<void>((resolve) => {
        w.on('message', (m: Msg) => {
          if (m.ready) return resolve();
          if (m.unit < 0) failure = deserializeError(m.error!);
          else {
            held[i] -= 1;
            done.set(m.unit, m);
          }
          resolve();
          wake?.();
        });
        w.on('error', (err) => {
          failure = err;
          resolve();
          wake?.();
        });
      }),
  );
  try {
    await Promise.all(ready);
    while (expect < o.to) {
      if (failure) throw failure;
      workers.forEach((_, i) => feed(i));
      const m = done.get(expect);
      if (!m) {
        await new Promise<void>((r) => (wake = r));
        wake = null;
        continue;
      }
      done.delete(expect);
      if (m.error) throw deserializeError(m.error);
      expect += 1;
      yield { unit: m.unit, records: m.records!, recruitment: m.recruitment };
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function* runInThread(o: PoolOptions): AsyncGenerator<UnitResult> {
  const sim = await loadSimulation(o.spec);
  for (let u = o.from; u < o.to; u++) {
    yield { unit: u, ...runUnit(sim, o.seed, u) };
    // Let timers (the progress bar, signal handlers) run between draws.
    if ((u - o.from) % 16 === 15) await new Promise((r) => setImmediate(r));
  }
}
