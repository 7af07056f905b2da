/**
 * Write one draw's panel as long CSV, `id,period,first_treat,y,<covariates…>`: the shape
 * `stagger estimate --data panel.csv --id id --time period --group first_treat --outcome y` and R `did`
 * read. Numbers are written with JavaScript's shortest round-trip form, so the same draw gives the
 * same bytes on every machine. A scenario with several outcomes adds one column `y_<name>` per further
 * outcome after `y` (which is the first outcome), e.g. `y_social_assistance`. A clusters panel (cell
 * means) adds `n` and `ss` last: the people measured in each cluster-period cell and their within-cell
 * sum of squares (of the first outcome), which `stagger estimate --cell-size n --cell-ss ss` reads back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Panel } from '../panel/panel.js';

/** The cell-level columns a clusters panel adds last (`n`, `ss`), with their names. */
export function cellColumns(p: Panel): { names: string[]; values: Float64Array[] } {
  const values = p.cellSize ? [p.cellSize, ...(p.cellSS ? [p.cellSS] : [])] : [];
  return { names: ['n', 'ss'].slice(0, values.length), values };
}

/** The panel's columns in the order the CSV (and the external protocol's binary frame) holds them. */
export function panelColumnNames(p: Panel, more: readonly { name: string }[] = []): string[] {
  return ['id', 'period', 'first_treat', 'y', ...more.map((m) => `y_${m.name}`), ...Object.keys(p.covariates), ...cellColumns(p).names];
}

export function writePanelCsv(file: string, p: Panel, more: readonly { name: string; y: Float64Array }[] = []): void {
  const covNames = Object.keys(p.covariates);
  for (const m of more)
    if (m.y.length !== p.y.length) throw new Error(`outcome ${m.name}: ${m.y.length} cells for a panel of ${p.y.length}`);
  const covs = covNames.map((k) => p.covariates[k]);
  const fd = openSync(file, 'w');
  try {
    const cells = cellColumns(p).values;
    writeSync(fd, `${panelColumnNames(p, more).join(',')}\n`);
    let buf = '';
    for (let i = 0; i < p.nUnits; i++) {
      const unit = `${p.ids[i]},`;
      const tail = `,${p.group[i]},`;
      const cov = covs.length > 0 ? `,${covs.map((c) => String(c[i])).join(',')}` : '';
      for (let t = 0; t < p.nPeriods; t++) {
        const c = t * p.nUnits + i;
        let ys = String(p.y[c]);
        for (const m of more) ys += `,${m.y[c]}`;
        let cell = '';
        for (const a of cells) cell += `,${a[c]}`;
        buf += `${unit + p.periods[t] + tail + ys + cov + cell}\n`;
      }
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}
