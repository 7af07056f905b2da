/**
 * The placebo rollout of a calibration's fit table: half the units, chosen with the seed, start in
 * three equal groups spread over the last quarter of the periods (start indices T − Q, T − Q + ⌊Q/3⌋,
 * T − Q + ⌊2Q/3⌋, Q = ⌊T/4⌋); the SE of Callaway & Sant'Anna's simple ATT (not-yet-treated comparison,
 * no covariates, analytic SE) on that rollout is the precision the panel offers a real evaluation.
 */
import { estimateDid } from '../estimators/did/index.js';
import { makePanel, type Panel } from '../panel/panel.js';
import { seeded } from '../random/stream.js';

/** Start index (0-based period) per unit; −1 for the half that never starts. */
export function placeboStarts(seed: number | string, n: number, T: number): Int32Array {
  const rng = seeded(`${seed}\0calibrate-placebo`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const half = Math.floor(n / 2);
  for (let i = 0; i < half; i++) {
    const j = i + Math.floor(rng() * (n - i)); // partial Fisher–Yates: the first `half` are a uniform sample
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const Q = Math.max(1, Math.floor(T / 4));
  const starts = [0, 1, 2].map((g) => Math.max(1, T - Q + Math.floor((g * Q) / 3)));
  const out = new Int32Array(n).fill(-1);
  for (let k = 0; k < half; k++) out[order[k]] = starts[Math.floor((k * 3) / half)];
  return out;
}

/** SE of the simple ATT on the panel's outcome with the placebo starts; null with a reason otherwise. */
export function placeboSe(panel: Panel, starts: Int32Array): { se: number | null; reason?: string } {
  const group = Float64Array.from(starts, (s) => (s < 0 ? 0 : panel.periods[s]));
  const p = makePanel({ periods: panel.periods, ids: panel.ids, group, y: panel.y });
  const est = estimateDid(p, { control: 'notyet', aggregations: ['simple'], pretest: false });
  const simple = est.aggregates.simple;
  return simple && simple.se !== null ? { se: simple.se } : { se: null, reason: simple?.reason ?? 'no simple aggregate' };
}
