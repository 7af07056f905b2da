/**
 * A panel whose treatment is a column of the data (`stagger estimate --treatment COL`), not a start
 * group: D_{i,t} may switch on and off. The column is read like a covariate (csv.ts) and moved here
 * into `panel.treatment`; `group` becomes each unit's first treated period (0 = never treated), so the
 * panel still describes itself to the summaries that read start groups.
 */
import { makePanel, type Panel } from './panel.js';
import { PanelCsvError } from './csv.js';

/**
 * @throws {PanelCsvError} when the column holds text or a value other than 0 and 1, naming the column
 *   and the values found (discrete and continuous treatments are not implemented)
 */
export function withTreatmentColumn(panel: Panel, column: string, file: string): Panel {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const col = panel.covariates[column];
  if (!col)
    throw new PanelCsvError(`${file}, column "${column}" (the treatment): it holds text; the treatment must be 0 or 1 on every row`);
  // A column constant within every unit arrives unit-level: spread it over the periods.
  const D = col.length === n ? Float64Array.from({ length: n * T }, (_, k) => col[k % n]) : Float64Array.from(col);
  const values = new Set<number>(D);
  const other = [...values].filter((v) => v !== 0 && v !== 1);
  if (other.length > 0) {
    const shown = [...values].sort((a, b) => a - b);
    throw new PanelCsvError(
      `${file}, column "${column}" (the treatment): takes the values ${shown.slice(0, 10).join(', ')}${shown.length > 10 ? ', …' : ''}; only a binary 0/1 treatment is implemented (discrete and continuous treatments are not)`,
    );
  }
  const group = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    while (t < T && D[t * n + i] !== 1) t++;
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
  });
}
