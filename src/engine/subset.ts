/** A panel restricted to the units of a 0/1 mask (for subgroup estimates), columns copied once. */
import { makePanel, type Panel } from '../panel/panel.js';

export function subsetPanel(p: Panel, mask: Uint8Array): Panel {
  const keep: number[] = [];
  for (let i = 0; i < p.nUnits; i++) if (mask[i]) keep.push(i);
  const m = keep.length;
  const y = new Float64Array(p.nPeriods * m);
  const treatment = p.treatment ? new Float64Array(p.nPeriods * m) : undefined;
  for (let t = 0; t < p.nPeriods; t++) {
    const src = t * p.nUnits;
    const dst = t * m;
    for (let k = 0; k < m; k++) y[dst + k] = p.y[src + keep[k]];
    if (treatment) for (let k = 0; k < m; k++) treatment[dst + k] = p.treatment![src + keep[k]];
  }
  const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (i) => a[i]);
  const covariates: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(p.covariates)) covariates[name] = pick(col);
  return makePanel({
    periods: p.periods,
    ids: keep.map((i) => p.ids[i]),
    group: pick(p.group),
    y,
    covariates,
    cluster: p.cluster ? pick(p.cluster) : undefined,
    treatment,
  });
}
