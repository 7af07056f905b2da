/**
 * A panel of some of a panel's units, in the order given (a bootstrap replication's drawn units):
 * every periods × units array and every unit-level column is cut to them, the periods unchanged.
 */
import { makePanel, type Panel } from './panel.js';

export function selectUnits(panel: Panel, units: readonly number[], weights?: Float64Array): Panel {
  const n = panel.nUnits,
    T = panel.nPeriods,
    m = units.length;
  const cut = (v: Float64Array): Float64Array => {
    if (v.length === n) return Float64Array.from(units, (i) => v[i]);
    const out = new Float64Array(m * T);
    for (let t = 0; t < T; t++) for (let k = 0; k < m; k++) out[t * m + k] = v[t * n + units[k]];
    return out;
  };
  const covariates: Record<string, Float64Array> = {};
  for (const [name, c] of Object.entries(panel.covariates)) covariates[name] = cut(c);
  return makePanel({
    periods: panel.periods,
    ids: units.map((i) => panel.ids[i]),
    group: cut(panel.group),
    y: cut(panel.y),
    covariates,
    ...(panel.cluster ? { cluster: cut(panel.cluster) } : {}),
    ...(weights ? { weights } : panel.weights ? { weights: cut(panel.weights) } : {}),
    ...(panel.cellSize ? { cellSize: cut(panel.cellSize) } : {}),
    ...(panel.cellSS ? { cellSS: cut(panel.cellSS) } : {}),
    ...(panel.treatment ? { treatment: cut(panel.treatment) } : {}),
  });
}
