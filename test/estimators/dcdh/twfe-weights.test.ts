/**
 * twowayfeweights (de Chaisemartin & D'Haultfœuille 2020, Theorem 1): on a noiseless panel with known
 * cell effects Δ_it = τ(g, t − g), the static TWFE coefficient — from the `twfe` regression, itself
 * checked against fixest in test-reference/estimators/twfe — equals Σ_{D=1} W_it Δ_it exactly, the
 * weights sum to 1, and a design without never-treated units puts negative weight on the periods
 * after the last adoption. With one adoption date and never-treated controls every weight is equal
 * (the canonical 2×2), so σ_fe is not defined (null).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateTwfeWeights } from '../../../src/estimators/dcdh/twfe-weights-estimator.js';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { cohorts, noiseless } from './noiseless.js';

const tau = (g: number, e: number) => 1 + 0.8 * e - 0.1 * g;

it('noiseless: β_TWFE (the twfe regression) = Σ W_gt Δ_gt to 1e-12; weights sum to 1; negative weights without never treated', () => {
  const groups = cohorts({ 2: 7, 4: 5, 6: 9 });
  const panel = noiseless(groups, 8, tau);
  const e = estimateTwfeWeights(panel);
  const w = e.twfe_weights!;
  const twfe = estimateTwfe(panel, { eventStudy: false }).aggregates.simple!.att!;
  const sum = w.cells.reduce((s, c) => s + c.units * c.weight * tau(c.group, c.time - c.group), 0);
  assert.ok(Math.abs(sum - twfe) < 1e-12, `Σ WΔ = ${sum}, twfe ${twfe}`);
  assert.ok(Math.abs(w.beta - twfe) < 1e-12);
  assert.ok(Math.abs(e.aggregates.simple!.att! - twfe) < 1e-12);
  assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
  assert.ok(w.negative.count > 0 && w.negative.sum < 0, 'the early cohort late periods weigh negatively');
  assert.equal(w.positive.count + w.negative.count, 7 * 7 + 5 * 5 + 9 * 3);
  const neg = w.cells.filter((c) => c.weight < 0);
  // Negative weights sit in the periods after the last adoption (6–8), where most units are treated.
  assert.ok(neg.length > 0 && neg.every((c) => c.time >= 6) && neg.some((c) => c.group === 2), JSON.stringify(neg));
  assert.ok(w.sigma_fe! > 0);
  assert.ok(e.messages[0].includes(`${w.negative.count} negative`));
});

it('one adoption date with never-treated controls: equal weights, σ_fe null; no switch: null with a reason', () => {
  const e = estimateTwfeWeights(noiseless(cohorts({ 4: 3, 0: 5 }), 6, tau));
  const w = e.twfe_weights!;
  for (const c of w.cells) assert.ok(Math.abs(c.weight - 1 / 9) < 1e-12);
  assert.equal(w.negative.count, 0);
  assert.equal(w.sigma_fe, null);
  const none = estimateTwfeWeights(noiseless(cohorts({ 0: 5 }), 4, tau));
  assert.equal(none.twfe_weights, null);
  assert.equal(none.aggregates.simple!.att, null);
  assert.match(none.aggregates.simple!.reason!, /no unit changes treatment/);
});
