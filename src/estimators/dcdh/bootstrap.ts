/**
 * did_multiplegt_dyn's `bootstrap = B` (did_multiplegt_bootstrap.R): the groups, or the clusters with
 * `cluster`, are drawn with replacement B times, every estimate is recomputed on each draw, and the
 * effects', placebos' and average total effect's SEs become the standard deviations (R's sd, n − 1)
 * across the replications; the intervals are the normal ones from those SEs. The package's resample
 * keeps each group's id, so a group drawn k times collapses into one group of weight k (its collapse
 * sums weight_XX): here a replication is the estimate on the drawn units (the others leave the panel,
 * as from the package's resampled data) with the unit weights N_g × k_g; the degrees-of-freedom
 * factors count each group once, as there. The joint
 * tests keep the analytic covariance, as the package's. The draws come from the estimate's own stream.
 */
import type { Panel } from '../../panel/panel.js';
import { selectUnits } from '../../panel/select-units.js';
import type { Rng } from '../../random/stream.js';
import { clusterCodes } from '../twfe/start-groups.js';
import type { Estimate } from '../types.js';

/** Standard deviation (n − 1) of the finite values; null with fewer than two. */
function sd(xs: readonly number[]): number | null {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length < 2) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Covariance (n − 1) over the replications where both are finite; null with fewer than two. */
function cov(a: readonly number[], b: readonly number[]): number | null {
  const pairs = a.map((x, k) => [x, b[k]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pairs.length < 2) return null;
  const ma = pairs.reduce((s, [x]) => s + x, 0) / pairs.length;
  const mb = pairs.reduce((s, [, y]) => s + y, 0) / pairs.length;
  return pairs.reduce((s, [x, y]) => s + (x - ma) * (y - mb), 0) / (pairs.length - 1);
}

/** One replication's unit weights: N_g times the number of times g's cluster is drawn (0: not drawn). */
export function bootstrapWeights(panel: Panel, byColumn: boolean, rng: Rng): Float64Array {
  const { code, count } = clusterCodes(panel, byColumn);
  const drawn = new Int32Array(count);
  for (let k = 0; k < count; k++) drawn[Math.min(count - 1, Math.floor(rng() * count))]++;
  return Float64Array.from(code, (c, i) => (panel.weights ? panel.weights[i] : 1) * drawn[c]);
}

/**
 * @param estimate the estimate without the bootstrap, on a panel with the replication's weights
 */
export function withBootstrap(
  panel: Panel,
  base: Estimate,
  B: number,
  byColumn: boolean,
  rng: Rng,
  estimate: (p: Panel) => Estimate,
): Estimate {
  const dyn = base.aggregates.dynamic;
  const keys = (dyn?.detail ?? []).map((r) => r.key);
  const rows: number[][] = keys.map(() => []);
  const simple: number[] = [];
  const average: number[] = [];
  let failed = 0;
  for (let b = 0; b < B; b++) {
    const weights = bootstrapWeights(panel, byColumn, rng);
    const drawn: number[] = [];
    for (let i = 0; i < panel.nUnits; i++) if (weights[i] > 0) drawn.push(i);
    let e: Estimate | null = null;
    try {
      e = estimate(
        selectUnits(
          panel,
          drawn,
          Float64Array.from(drawn, (i) => weights[i]),
        ),
      );
    } catch {
      failed++;
    }
    const detail = e?.aggregates.dynamic?.detail ?? [];
    keys.forEach((key, j) => rows[j].push(detail.find((r) => r.key === key)?.att ?? Number.NaN));
    simple.push(e?.aggregates.simple?.att ?? Number.NaN);
    average.push(e?.aggregates.dynamic?.att ?? Number.NaN);
  }
  const why = `fewer than two of the ${B} bootstrap replications identify it`;
  const detail = (dyn?.detail ?? []).map((r, j) => {
    if (r.att === null) return r;
    const se = sd(rows[j]);
    return se === null ? { ...r, se: null, reason: why } : { ...r, se };
  });
  const vcov = keys.map((_, i) => keys.map((__, j) => (detail[i].att === null || detail[j].att === null ? null : cov(rows[i], rows[j]))));
  const s = base.aggregates.simple;
  const simpleSe = sd(simple);
  const dynSe = sd(average);
  const out: Estimate = {
    ...base,
    aggregates: {
      ...base.aggregates,
      ...(s ? { simple: s.att === null ? s : simpleSe === null ? { ...s, se: null, reason: why } : { ...s, se: simpleSe } } : {}),
      ...(dyn
        ? {
            dynamic: {
              ...dyn,
              ...(dyn.att === null ? {} : dynSe === null ? { se: null, reason: why } : { se: dynSe }),
              detail,
              vcov,
            },
          }
        : {}),
    },
    messages: [
      ...base.messages,
      `SEs from ${B} bootstrap replications drawing ${byColumn ? 'clusters' : 'units'} with replacement (did_multiplegt_dyn's bootstrap)${failed ? `; ${failed} replication(s) failed and are left out` : ''}; the joint tests keep the analytic covariance.`,
    ],
  };
  return out;
}
