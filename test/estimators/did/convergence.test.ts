/**
 * A propensity fit that does not converge is reported, never used silently: the estimate is kept (R's
 * glm warns and goes on, and so does DRDID), the cell says converged: false with the reason, and the
 * estimate's messages say how many cells rest on such a fit. The case: sampling weights of 0 on the
 * units that overlap leave the weighted logit completely separated (its slope runs off for 25
 * iterations, glm.control's maxit), while R did's unweighted overlap guard passes.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { makePanel } from '../../../src/panel/panel.js';

it('a cell on a non-converged propensity fit keeps its estimate, with converged: false and a message', () => {
  const n = 200;
  const d = new Float64Array(n),
    x = new Float64Array(n),
    w = new Float64Array(n),
    y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    d[i] = i < 100 ? 1 : 0;
    const weighted = i % 100 < 80;
    const u = ((i * 37) % 100) / 100 + 0.01;
    x[i] = weighted === (d[i] === 1) ? u : -u; // weighted units separated by the sign of x, the others not
    w[i] = weighted ? 1 : 0;
    y[i] = x[i];
    y[n + i] = x[i] + d[i] + 0.1 * ((i * 13) % 7);
  }
  const panel = makePanel({ periods: [1, 2], group: Array.from(d, (v) => (v ? 2 : 0)), y, covariates: { x }, weights: w });
  for (const method of ['dr', 'ipw'] as const) {
    const out = estimateDid(panel, { method, covariates: ['x'] });
    const cell = out.att_gt[0];
    assert.ok(Number.isFinite(cell.att) && cell.se! > 0, `${method}: estimate kept`);
    assert.equal(cell.converged, false);
    assert.match(cell.reason!, /propensity-score fit did not converge after 25 iterations \(g=2, t=2\)/);
    assert.match(out.messages.join('\n'), /1 of 1 ATT\(g,t\) cells rest on a propensity-score fit that did not converge/);
  }
  // reg fits no propensity score: nothing to report.
  const reg = estimateDid(panel, { method: 'reg', covariates: ['x'] });
  assert.equal(reg.att_gt[0].converged, undefined);
});
