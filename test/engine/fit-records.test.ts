/**
 * Propensity fits that do not converge reach the diagnosis (engine/fit-records.ts): the row
 * `NAME|fit`, estimand `propensity`, diagnosand `not_converged` is the share of draws with at least
 * one non-converged fit, with its binomial MC SE √(p(1 − p)/n) and the fit's reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEngine } from '../../src/engine/run.js';
import { moduleSpec, scenarioSpec } from '../../src/engine/spec.js';
import { parseSetting } from '../../src/engine/settings.js';
import { assertSameFiles, tempDir } from './helpers.js';

const MODULE = new URL('./fakes/nonconverged-sim.js', import.meta.url).href;
const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;

test('half the draws on a non-converged fit: not_converged 0.5 (MC SE √(0.25/8)), with the reason, the same for 0 and 2 workers', async () => {
  const dirs = [tempDir('fit-w0'), tempDir('fit-w2')];
  const [res] = [await runEngine({ ...moduleSpec(MODULE, {}), seed: '1', draws: 8, workers: 0, outDir: dirs[0] })];
  await runEngine({ ...moduleSpec(MODULE, {}), seed: '1', draws: 8, workers: 2, outDir: dirs[1] });
  assertSameFiles(dirs[0], dirs[1], (x, m) => assert.ok(x, m));
  const fit = res.rows.filter((r) => r.estimator === 'cs_ipw|fit');
  assert.equal(fit.length, 1, 'one row: not_converged');
  assert.deepEqual(
    { estimand: fit[0].estimand, diagnosand: fit[0].diagnosand, value: fit[0].value, n: fit[0].n },
    { estimand: 'propensity', diagnosand: 'not_converged', value: 0.5, n: 8 },
  );
  assert.ok(Math.abs(fit[0].mcSe - Math.sqrt(0.25 / 8)) < 1e-15);
  assert.deepEqual(fit[0].reasons, [{ reason: 'the propensity-score fit did not converge after 25 iterations', count: 4 }]);
  // The estimates themselves are kept (R's glm warns and goes on): every draw is identified.
  assert.equal(res.rows.find((r) => r.estimator === 'cs_ipw' && r.diagnosand === 'not_identified')!.value, 0);
});

test('a scenario did entry with covariates gets its NAME|fit row (0 when every fit converges); without covariates none', async () => {
  const go = async (cov: string) =>
    (
      await runEngine({
        ...scenarioSpec(SMALL, { set: ['analysis.estimands=[simple]', `analysis.estimators.0.covariates=${cov}`].map(parseSetting) }),
        seed: '4',
        draws: 3,
        workers: 0,
        outDir: tempDir('fit-scenario'),
      })
    ).rows;
  const fit = (await go('[woman]')).filter((r) => r.estimator === 'cs_dr|fit');
  assert.deepEqual(
    fit.map((r) => [r.estimand, r.diagnosand, r.value, r.n]),
    [['propensity', 'not_converged', 0, 3]],
  );
  assert.ok((await go('[]')).every((r) => !r.estimator.endsWith('|fit')));
});
