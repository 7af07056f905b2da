/** The cells of the hh reference datasets (test/fixtures/hh/reference.json) as cluster panels. */
import { makePanel, type Panel } from '../../src/panel/panel.js';

/** One dataset's cells as R wrote them: cluster, period, treatment, mean, people, within-cell SS. */
export interface Cells {
  cluster: number[];
  period: number[];
  trt: number[];
  mean: number[];
  n: number[];
  ss: number[];
}

/** The cluster panel of a reference dataset (start = first treated period, 0 = never). */
export function panelOf(c: Cells, sized = true): Panel {
  const G = Math.max(...c.cluster),
    T = Math.max(...c.period);
  const y = new Float64Array(G * T),
    n = new Float64Array(G * T),
    ss = new Float64Array(G * T);
  const group = new Float64Array(G);
  for (let k = 0; k < c.cluster.length; k++) {
    const i = c.cluster[k] - 1,
      t = c.period[k] - 1;
    y[t * G + i] = c.mean[k];
    n[t * G + i] = c.n[k];
    ss[t * G + i] = c.ss[k];
    if (c.trt[k] === 1 && (group[i] === 0 || c.period[k] < group[i])) group[i] = c.period[k];
  }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y,
    ...(sized ? { cellSize: n, cellSS: ss } : {}),
  });
}
