/** One unit of work (one draw of one design point), run the same way in a worker or in the main thread. */
import { DrawError, step, type DrawOutput, type Simulation } from './simulation.js';

export function unitOf(u: number, nPoints: number): { point: number; draw: number } {
  return { point: u % nPoints, draw: Math.floor(u / nPoints) };
}

export function runUnit(sim: Simulation, seed: string, u: number): DrawOutput {
  const { point, draw } = unitOf(u, sim.points.length);
  const info = sim.points[point];
  return step('draw', { point: info, draw, seed }, () =>
    sim.runDrawOutput ? sim.runDrawOutput(seed, info.index, draw) : { records: sim.runDraw(seed, info.index, draw) },
  );
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  drawError?: { step: string; point: number; draw: number; seed: string };
  cause?: { name: string; message: string; stack?: string };
}

/** Errors cross the thread boundary as plain data; the cause is kept (structured clone may drop it). */
export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const c = e.cause instanceof Error ? e.cause : e.cause === undefined ? undefined : new Error(String(e.cause));
  return {
    name: e.name,
    message: e.message,
    stack: e.stack,
    drawError: e instanceof DrawError ? { step: e.step, point: e.point, draw: e.draw, seed: e.seed } : undefined,
    cause: c ? { name: c.name, message: c.message, stack: c.stack } : undefined,
  };
}

export function deserializeError(s: SerializedError): Error {
  const cause = s.cause ? Object.assign(new Error(s.cause.message), { name: s.cause.name, stack: s.cause.stack }) : undefined;
  const e = new Error(s.message, cause ? { cause } : undefined);
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  if (s.drawError) Object.assign(e, s.drawError);
  return e;
}
