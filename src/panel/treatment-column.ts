/**
 * A panel whose treatment is a column of the data (`stagger estimate --treatment COL`), not a start
 * group: D_{i,t} may switch on and off and take any numeric value (dcdh reads binary and discrete
 * treatments). The column is read like a covariate (csv.ts) and moved here into `panel.treatment`;
 * `group` becomes each unit's first period with a non-zero treatment (0 = never), so the panel still
 * describes itself to the summaries that read start groups.
 */
import { makePanel, type Panel } from './panel.js';
import { PanelCsvError } from './csv.js';

/**
 * @throws {PanelCsvError} when the column holds text, naming the column
 */
export function withTreatmentColumn(panel: Panel, column: string, file: string): Panel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const col = panel.covariates[column];
  if (!col)
    throw new PanelCsvError(`${file}, column "${column}" (the treatment): it holds text; the treatment must be a number on every row`);
  // A column constant within every unit arrives unit-level: spread it over the periods.
  // (A panel read with its gaps: an absent row has no treatment.)
  const obs = panel.observed;
  const D = col.length === n ? Float64Array.from({ length: n * T }, (_, k) => (obs && !obs[k] ? NaN : col[k % n])) : Float64Array.from(col);
  const group = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    while (t < T && (D[t * n + i] === 0 || Number.isNaN(D[t * n + i]))) t++;
    group[i] = t < T ? panel.periods[t] : 0;
  }
  const covariates: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(panel.covariates)) if (k !== column) covariates[k] = v;
  return makePanel({
    periods: panel.periods,
    ids: panel.ids,
    group,
    y: panel.y,
    covariates,
    cluster: panel.cluster,
    weights: panel.weights,
    cellSize: panel.cellSize,
    cellSS: panel.cellSS,
    treatment: D,
    observed: panel.observed,
    cellWeights: panel.cellWeights,
  });
}
