/**
 * Worker-thread entry: builds its own Simulation from the spec, then runs whole draws on request and
 * posts their records back. Workers own whole draws; the main thread only merges, in draw order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSimulation, type SimulationSpec } from './simulation.js';
import { runUnit, serializeError } from './unit.js';

const { spec, seed } = workerData as { spec: SimulationSpec; seed: string };
const port = parentPort!;

try {
  const sim = await loadSimulation(spec);
  port.on('message', (msg: { units: number[] }) => {
    for (const unit of msg.units) {
      try {
        port.postMessage({ unit, ...runUnit(sim, seed, unit) });
      } catch (err) {
        port.postMessage({ unit, error: serializeError(err) });
      }
    }
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ unit: -1, error: serializeError(err) });
}
