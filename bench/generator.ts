/**
 * Generator speed (issue 4): ms per draw and MB held by one draw, for an ISF-sized draw (R1: ~541
 * analysed × 114 months; target ≤ 5 ms) and a Malmökraften-sized draw (R2: ~12,000 × 108 months;
 * target ≤ 150 ms). A draw is everything `generateDraw` does: cohort, potential outcomes, observed
 * panel, sample truth with subgroups. Run: npm run bench generator (or node --expose-gc dist/bench/run.js generator).
 */
import { fileURLToPath } from 'node:url';
import { expandGrid, generateDraw, loadScenario, type DesignPoint, type Draw } from '../src/generate.js';

/** Bytes of the typed arrays a draw holds (Y(0), Y(1), the panel, subgroup masks). */
function drawBytes(d: Draw): number {
  const p = d.panel;
  let b = d.y0.byteLength + d.y1.byteLength + p.y.byteLength + p.group.byteLength + p.periods.byteLength;
  for (const x of Object.values(p.covariates)) b += x.byteLength;
  for (const x of Object.values(d.subgroups)) b += x.byteLength;
  return b;
}

export function bench(label: string, point: DesignPoint, draws: number, targetMs: number): void {
  for (let d = 0; d < 5; d++) generateDraw(point, 1, 1000 + d); // warm up the JIT
  const ts: number[] = [];
  for (let d = 1; d <= draws; d++) {
    const t0 = performance.now();
    generateDraw(point, 1, d);
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const median = ts[Math.floor(ts.length / 2)];
  // Memory: what one draw holds, measured (heap + array buffers after a collection) and counted.
  const gc = (globalThis as { gc?: () => void }).gc;
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers; // typed arrays live outside the heap
  gc?.();
  const before = used();
  const held = generateDraw(point, 1, 0);
  gc?.();
  const mb = (used() - before) / 2 ** 20;
  const p = held.panel;
  const cells = p.nUnits * p.nPeriods;
  console.log(
    `${label.padEnd(26)} ${String(p.nUnits).padStart(6)} × ${p.nPeriods}: median ${median.toFixed(1).padStart(6)} ms/draw (min ${ts[0].toFixed(1)}; target ≤ ${targetMs}); ` +
      `one draw holds ${(drawBytes(held) / 2 ** 20).toFixed(1)} MB of arrays (${(drawBytes(held) / cells).toFixed(0)} bytes a cell)` +
      (gc ? `, measured ${mb.toFixed(1)} MB` : ' (run with --expose-gc to measure)'),
  );
}

const scenario = (name: string) => expandGrid(loadScenario(fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url))))[0];

export function benchGenerator(): void {
  bench('ISF-sized (R1)', scenario('r1-isf-waitlist.yaml'), 101, 5);
  bench('Malmökraften-sized (R2)', scenario('r2-malmo-quota.yaml'), 15, 150);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchGenerator();
