/**
 * hh (Hussey & Hughes 2007 LMM by REML): parity with R lme4 1.1.31 / nlme 3.1.162 / glmmTMB 1.1.5
 * (test/fixtures/hh/make-reference.R → reference.json), and identities of the model.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fitHh, type HhOptions } from '../../src/estimators/hh/index.js';
import { type Cells, panelOf } from '../helpers/hh-reference.js';

type Fit = Record<string, unknown> & { theta: number; se: number; logLik?: number };
const REF = JSON.parse(readFileSync(new URL('../../../test/fixtures/hh/reference.json', import.meta.url), 'utf8')) as Record<
  string,
  { cells: Cells; fits: Record<string, Fit> }
>;

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-3), `${what}: got ${got}, R ${want} (rel tol ${rel})`);

const CASES: [string, Partial<HhOptions>, boolean][] = [
  ['individual_exchangeable', { data: 'individual' }, true],
  ['means_exchangeable', { data: 'means' }, true],
  ['means_exchangeable_nlme', { data: 'means' }, true],
  ['unweighted_exchangeable', { data: 'means' }, false],
  ['individual_block', { data: 'individual', correlation: 'block' }, true],
  ['individual_decay', { data: 'individual', correlation: 'decay' }, true],
];

for (const [set, { cells, fits }] of Object.entries(REF)) {
  if (set === 'versions') continue;
  for (const [key, opts, sized] of CASES) {
    const want = fits[key];
    if (!want) continue;
    test(`hh ${key} on ${set} equals R (θ̂ 1e-6, SE 1e-4, logLik, variance components)`, () => {
      const { fit } = fitHh(panelOf(cells, sized), opts);
      close(fit.theta, want.theta, 1e-6, 'theta');
      close(fit.se, want.se, 1e-4, 'se');
      if (want.logLik !== undefined) close(fit.logLik, want.logLik, 1e-6, 'logLik');
      // Variance components (lme4's VarCorr, nlme's getVarCov and sigma, glmmTMB's VarCorr) to 1e-4.
      const vc = (want.vc ?? {}) as Record<string, number>;
      const tau2 = (want.tau2 as number | undefined) ?? vc.cluster;
      const sigma2 = (want.sigma2 as number | undefined) ?? vc.Residual;
      assert.ok(Math.abs(fit.tau2 - tau2) <= 1e-4 * Math.max(tau2, 1e-3), `tau2: got ${fit.tau2}, R ${tau2}`);
      close(fit.sigma2, sigma2, 1e-4, 'sigma2');
      if (vc['cluster:period'] !== undefined) close(fit.omega2, vc['cluster:period'], 1e-4, 'omega2');
      if (want.r !== undefined) close(fit.r, want.r as number, 1e-4, 'r');
    });
  }
}
