/**
 * hh (Hussey & Hughes 2007 LMM by REML): parity with R lme4 1.1.31 / nlme 3.1.162 / glmmTMB 1.1.5
 * (test/fixtures/hh/make-reference.R → reference.json), and identities of the model.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { estimateHh, fitHh, type HhOptions } from '../../src/estimators/hh/index.js';
import { makePanel, type Panel } from '../../src/panel/panel.js';

interface Cells {
  cluster: number[];
  period: number[];
  trt: number[];
  mean: number[];
  n: number[];
  ss: number[];
}
type Fit = Record<string, unknown> & { theta: number; se: number; logLik?: number };
const REF = JSON.parse(readFileSync(new URL('../../../test/fixtures/hh/reference.json', import.meta.url), 'utf8')) as Record<
  string,
  { cells: Cells; fits: Record<string, Fit> }
>;

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

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-3), `${what}: got ${got}, R ${want} (rel tol ${rel})`);

const CASES: [string, Partial<HhOptions>, boolean][] = [
  ['individual_exchangeable', { data: 'individual' }, true],
  ['means_exchangeable', { data: 'means' }, true],
  ['unweighted_exchangeable', { data: 'means' }, false],
  ['individual_block', { data: 'individual', correlation: 'block' }, true],
  ['individual_decay', { data: 'individual', correlation: 'decay' }, true],
];

for (const [set, { cells, fits }] of Object.entries(REF)) {
  if (set === 'versions') continue;
  for (const [key, opts, sized] of CASES) {
    const want = fits[key];
    if (!want) continue;
    test(`hh ${key} on ${set} equals R (θ̂ 1e-6, SE 1e-4, logLik)`, () => {
      const { fit } = fitHh(panelOf(cells, sized), opts);
      close(fit.theta, want.theta, 1e-6, 'theta');
      close(fit.se, want.se, 1e-4, 'se');
      if (want.logLik !== undefined) close(fit.logLik, want.logLik, 1e-6, 'logLik');
      console.log(set, key, fit, want);
    });
  }
}
