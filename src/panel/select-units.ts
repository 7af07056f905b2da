/**
 * A panel of some of a panel's units, in the order given (a bootstrap replication's drawn units):
 * every periods × units array and every unit-level column is cut to them, the periods unchanged.
 */
import { makePanel, type Panel } from './panel.js';

/**
 * Time-varying weights of the drawn units: each unit's N_{g,t} times its multiplicity (the unit-level
 * `weights` given over the panel's own unit weights, which a bootstrap's draw already carries).
 */
function cellWeightsOf(
  cw: Float64Array,
  units: readonly number[],
  weights: Float64Array | undefined,
  own: Float64Array | undefined,
): Float64Array {
  if (!weights) return cw;
  const m = units.length;
  for (let k = 0; k < cw.length; k++) cw[k] *= weights[k % m] / (own ? own[units[k % m]] : 1);
  return cw;
}

export function selectUnits(panel: Panel, units: readonly number[], weights?: Float64Array): Panel {
  const n = panel.nUnits,
    T = panel.nPeriods,
    m = units.length;
  const cut = <A extends Float64Array | Uint8Array>(v: A): A => {
    if (v.length === n)
      return v.constructor === Uint8Array ? (Uint8Array.from(units, (i) => v[i]) as A) : (Float64Array.from(units, (i) => v[i]) as A);
    const out = (v.constructor === Uint8Array ? new Uint8Array(m * T) : new Float64Array(m * T)) as A;
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
    ...(panel.observed ? { observed: cut(panel.observed) } : {}),
    ...(panel.cellWeights ? { cellWeights: cellWeightsOf(cut(panel.cellWeights), units, weights, panel.weights) } : {}),
  });
}
