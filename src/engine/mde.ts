/**
 * `stagger mde` without the command line: run the scenario over a numeric axis with common random
 * numbers (a normal run, so it is resumable and shardable too), read each draw's rejection from the
 * draws file, and find where power reaches the target along the axis, for every combination of the
 * other grid settings.
 */
import { join } from 'node:path';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import { criticalValue } from '../diagnosis/normal.js';
import { mde, type MdeResult } from '../diagnosis/power-curve.js';
import { streamFor } from '../random/stream.js';
import { scanDrawsFile, type DrawsMeta } from './draws-file.js';
import { FILES } from './outputs.js';

export interface CurveGroup {
  /** The other axes' settings this curve holds fixed. */
  fixed: Record<string, number | string>;
  xs: number[];
  /** Point index of each x. */
  points: number[];
}

/** Split the grid into curves along `axis`, values ascending. */
export function curveGroups(points: readonly DesignPointInfo[], axis: string): CurveGroup[] {
  const groups = new Map<string, CurveGroup>();
  for (const p of points) {
    if (!(axis in p.settings)) throw new Error(`--over ${axis}: not an axis of this grid (axes: ${Object.keys(p.settings).join(', ') || 'none'})`);
    const x = Number(p.settings[axis]);
    if (!Number.isFinite(x)) throw new Error(`--over ${axis}: value ${p.settings[axis]} is not a number`);
    const fixed = Object.fromEntries(Object.entries(p.settings).filter(([k]) => k !== axis));
    const key = JSON.stringify(fixed);
    if (!groups.has(key)) groups.set(key, { fixed, xs: [], points: [] });
    const g = groups.get(key)!;
    g.xs.push(x);
    g.points.push(p.index);
  }
  for (const g of groups.values()) {
    const order = [...g.xs.keys()].sort((a, b) => g.xs[a] - g.xs[b]);
    g.xs = order.map((i) => g.xs[i]);
    g.points = order.map((i) => g.points[i]);
  }
  return [...groups.values()];
}

export interface MdeQuery {
  axis: string;
  target: number;
  estimator: string;
  estimand: string;
  replicates?: number;
}

/**
 * Rejections (not identified counts as not rejecting: a design that cannot estimate cannot detect)
 * for every curve, streamed from the draws file of a finished run in `outDir`.
 */
export function mdeFromRun(outDir: string, meta: DrawsMeta, draws: number, q: MdeQuery): { group: CurveGroup; result: MdeResult }[] {
  if (!meta.estimators.includes(q.estimator)) throw new Error(`--estimator ${q.estimator}: the scenario's estimators are ${meta.estimators.join(', ')}`);
  const z = criticalValue(meta.alpha);
  const groups = curveGroups(meta.points, q.axis);
  const where = new Map<number, { g: number; v: number }>();
  groups.forEach((g, gi) => g.points.forEach((p, v) => where.set(p, { g: gi, v })));
  const matrices = groups.map((g) => new Uint8Array(draws * g.xs.length));
  let seen = false;
  scanDrawsFile(join(outDir, FILES.draws), (d) => {
    const at = where.get(d.point)!;
    for (const r of d.records) {
      if (r.estimator !== q.estimator || r.estimand !== q.estimand) continue;
      seen = true;
      const rej = r.estimate !== null && r.se !== null && Math.abs(r.estimate) > z * r.se;
      matrices[at.g][d.draw * groups[at.g].xs.length + at.v] = rej ? 1 : 0;
    }
  });
  if (!seen) throw new Error(`--estimand ${q.estimand}: no draw has it (estimands look like simple, group:7, dynamic:3, simple@women)`);
  const rng = streamFor(meta.seed, 0, 0, 'mde bootstrap');
  return groups.map((group, gi) => ({ group, result: mde(matrices[gi], draws, group.xs, q.target, rng, q.replicates ?? 1000) }));
}
