/**
 * A synthetic panel with a discrete treatment (0 … 3) for the dcdh parity with the package's own R
 * source: 240 units × 9 periods, baselines 0, 1 and 2, first changes at periods 2 … 8 or never, up or
 * down, some paths moving on after the first change and a few going both above and below their
 * baseline (Design Restriction 2); y = unit + period effects + 0.4·D + 0.15·D·t/9 + a time-varying
 * covariate x and noise; a cluster column of 12 clusters and a weight column. Deterministic (seeded), so
 * the CSV the R source read is rebuilt here at test time; nothing is committed but this generator.
 */
import { writeFileSync } from 'node:fs';
import { seeded } from '../../../src/random/stream.js';

export const DISCRETE_UNITS = 240;
export const DISCRETE_PERIODS = 9;

export function discreteCsv(file: string): void {
  const rng = seeded('dcdh-discrete-panel');
  const normal = () => {
    const u = Math.max(rng(), 1e-12),
      v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const lines = ['id,t,y,d,x,cl,w'];
  const lambda = Array.from({ length: DISCRETE_PERIODS }, () => normal());
  for (let i = 0; i < DISCRETE_UNITS; i++) {
    const base = i % 3; // 0, 1, 2
    const F = 2 + Math.floor(rng() * 9); // first change at period F = 2 … 9 (1-based); 10 = never
    const step = base === 0 ? 1 + Math.floor(rng() * 2) : rng() < 0.5 ? -1 : 1;
    const later = rng();
    const alpha = normal();
    const cl = i % 12;
    const w = 1 + Math.floor(rng() * 4);
    let d = base;
    for (let t = 0; t < DISCRETE_PERIODS; t++) {
      if (t === F - 1) d = Math.min(3, Math.max(0, base + step));
      else if (t === F && later < 0.3) d = Math.min(3, Math.max(0, d + (later < 0.1 ? -2 * step : step)));
      const x = 0.3 * t * (base === 0 ? 1 : -0.5) + normal();
      const y = alpha + lambda[t] + 0.4 * d + (0.15 * d * t) / DISCRETE_PERIODS - 0.6 * x + 0.5 * normal();
      lines.push(`${i + 1},${t + 1},${y.toPrecision(17)},${d},${x.toPrecision(17)},${cl},${w}`);
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
