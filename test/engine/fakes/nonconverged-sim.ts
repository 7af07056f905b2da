/**
 * A simulation whose even draws fit a propensity score that does not converge: the panel of
 * test/estimators/did/convergence.test.ts (sampling weights of 0 on the overlapping units leave the
 * weighted logit completely separated, so it reaches glm's maxit of 25), and on odd draws the same
 * panel with every weight 1 (the units overlap, the fit converges). The records and the `NAME|fit`
 * record are made as engine/scenario-simulation.ts makes them (recordsFor, fitRecord).
 */
import type { DrawRecord, Simulation } from '../../../src/engine/simulation.js';
import { fitRecord } from '../../../src/engine/fit-records.js';
import { recordsFor } from '../../../src/engine/records.js';
import { streamFor } from '../../../src/random/stream.js';
import { didEstimator } from '../../../src/estimators/did/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';

function panel(separated: boolean): Panel {
  const n = 200;
  const d = new Float64Array(n),
    x = new Float64Array(n),
    w = new Float64Array(n),
    y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    d[i] = i < 100 ? 1 : 0;
    const weighted = i % 100 < 80;
    const u = ((i * 37) % 100) / 100 + 0.01;
    x[i] = weighted === (d[i] === 1) ? u : -u;
    w[i] = weighted || !separated ? 1 : 0;
    y[i] = x[i];
    y[n + i] = x[i] + d[i] + 0.1 * ((i * 13) % 7);
  }
  return makePanel({ periods: [1, 2], group: Array.from(d, (v) => (v ? 2 : 0)), y, covariates: { x }, weights: w });
}

export function createSimulation(): Simulation {
  const panels = [panel(true), panel(false)];
  const est = didEstimator({ name: 'cs_ipw', method: 'ipw', covariates: ['x'], aggregations: ['simple'] });
  return {
    points: [{ index: 0, settings: {} }],
    estimators: ['cs_ipw', 'cs_ipw|fit'],
    alpha: 0.05,
    runDraw(seed, _point, draw): DrawRecord[] {
      const e = est.estimate(panels[draw % 2], streamFor(seed, 0, draw, 'estimate:cs_ipw'));
      return [...recordsFor('cs_ipw', ['simple'], e, e, null), fitRecord('cs_ipw', [{ where: '', est: e }])];
    },
  };
}
