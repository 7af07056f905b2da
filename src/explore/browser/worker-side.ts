/**
 * The explorer's Web Worker: builds the Simulation from the scenario's text (the code `stagger run`'s
 * worker threads run: engine/scenario-simulation.ts) and runs whole draws on request, posting each
 * draw's records back. A `configure` message starts a new generation: answers of an older one are
 * dropped by the page, so a slider moved mid-run never mixes two scenarios.
 */
import { simulationOf } from '../../engine/scenario-simulation.js';
import type { Simulation } from '../../engine/simulation.js';
import { runUnit } from '../../engine/unit.js';
import { parseScenario } from '../../scenario/load.js';
import { scenarioTextFor } from '../controls.js';
import type { RunMeta } from '../live-run.js';

export type ToWorker = { type: 'configure'; gen: number; request: RunRequest } | { type: 'run'; gen: number; units: number[] };

/** What the page asks for: the scenario as bundled, and the controls moved from it. */
export interface RunRequest {
  text: string;
  label: string;
  values: Record<string, number | string>;
  off: string[];
  seed: string;
  draws: number;
}

/** Where a worker's start went (ms since the worker began): for the bench and data-* attributes of the page. */
export interface WorkerTiming {
  /** The script compiled and run up to waiting for work. */
  loaded: number;
  /** The configure message arrived. */
  configure: number;
  /** The simulation was built. */
  ready: number;
}

export type FromWorker =
  | { type: 'ready'; gen: number; meta: RunMeta; text: string; timing: WorkerTiming }
  | { type: 'error'; gen: number; message: string }
  | { type: 'draw'; gen: number; unit: number; out: import('../../engine/simulation.js').DrawOutput }
  | { type: 'fail'; gen: number; unit: number; message: string };

interface Scope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(m: FromWorker): void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function serveWorker(scope: Scope): void {
  const loaded = performance.now();
  let gen = -1;
  let sim: Simulation | undefined;
  let seed = '';
  scope.onmessage = (ev: MessageEvent) => {
    const m = ev.data as ToWorker;
    if (m.type === 'configure') {
      gen = m.gen;
      sim = undefined;
      const configure = performance.now();
      try {
        const r = m.request;
        // The scenario text `stagger run` would be given: the page's "Download scenario" writes it.
        const text = scenarioTextFor(r.text, r.label, r.values, r.off, r.seed, r.draws);
        sim = simulationOf(parseScenario(text, r.label, '.'), r.label);
        seed = r.seed;
        const meta: RunMeta = {
          points: sim.points.map((p) => ({ index: p.index, settings: { ...p.settings } })),
          estimators: [...sim.estimators],
          outcomes: [...(sim.outcomes ?? [])],
          alpha: sim.alpha,
          analytic: [...(sim.analytic ?? [])],
        };
        scope.postMessage({ type: 'ready', gen, meta, text, timing: { loaded, configure, ready: performance.now() } });
      } catch (err) {
        scope.postMessage({ type: 'error', gen, message: messageOf(err) });
      }
      return;
    }
    if (m.gen !== gen || !sim) return;
    for (const unit of m.units) {
      try {
        scope.postMessage({ type: 'draw', gen, unit, out: runUnit(sim, seed, unit) });
      } catch (err) {
        scope.postMessage({ type: 'fail', gen, unit, message: messageOf(err) });
      }
    }
  };
}
