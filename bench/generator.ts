/**
 * Generator speed: ms per draw and MB held by one draw, for an ISF-sized draw (R1: ~541 analysed × 114
 * months; target ≤ 5 ms) and a Malmökraften-sized draw (12,000 × 114; target ≤ 150 ms). The large
 * one is R1's design with referrals scaled up until ~12,000 are analysed (R2's quota design is not
 * built yet). Run: npx tsc -p . && node --expose-gc dist/bench/generator.js
 */
import { fileURLToPath } from 'node:url';
import { expandGrid, generateDraw, loadScenario, type DesignPoint } from '../src/generate.js';

function bench(label: string, point: DesignPoint, draws: number, targetMs: number): void {
  for (let d = 0; d < 3; d++) generateDraw(point, 1, 1000 + d); // warm up the JIT
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers; // typed arrays live outside the heap
  const before = used();
  const t0 = performance.now();
  let held = generateDraw(point, 1, 0);
  for (let d = 1; d < draws; d++) held = generateDraw(point, 1, d);
  const ms = (performance.now() - t0) / draws;
  gc?.();
  const mb = (used() - before) / 2 ** 20;
  const p = held.panel;
  console.log(`${label.padEnd(28)} ${p.nUnits} × ${p.nPeriods}: ${ms.toFixed(1)} ms/draw (target ≤ ${targetMs}), one draw held ${mb.toFixed(1)} MB${gc ? '' : ' (run with --expose-gc for MB)'}`);
}

const file = fileURLToPath(new URL('../../scenarios/r1-isf-waitlist.yaml', import.meta.url));
const r1 = expandGrid(loadScenario(file))[0];
bench('ISF (R1)', r1, 40, 5);
const s = structuredClone(r1.scenario);
if (s.design.type === 'waitlist') {
  s.design.recruitment.referrals = 55 * 22.5;
  s.design.recruitment.target = null;
  s.design.recruitment.target_cut = undefined;
}
bench('Malmökraften-sized (R1 ×22)', { index: 0, settings: {}, scenario: s }, 5, 150);
