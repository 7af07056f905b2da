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
import { makePanel } from '../../../src/panel/panel.js';
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
  assert.ok(w.sigma_fe_all! > w.sigma_fe!, 'Corollary 1 (ii) asks for more heterogeneity than (i)');
  assert.ok(e.messages[0].includes(`${w.negative.count} negative`));
});

it('one adoption date with never-treated controls: equal weights, σ_fe null; no switch: null with a reason', () => {
  const e = estimateTwfeWeights(noiseless(cohorts({ 4: 3, 0: 5 }), 6, tau));
  const w = e.twfe_weights!;
  for (const c of w.cells) assert.ok(Math.abs(c.weight - 1 / 9) < 1e-12);
  assert.equal(w.negative.count, 0);
  assert.equal(w.sigma_fe, null);
  assert.equal(w.sigma_fe_all, null, 'Corollary 1 (ii) needs a negative weight');
  assert.match(w.sigma_fe_all_reason!, /no treated cell has a negative weight/);
  const none = estimateTwfeWeights(noiseless(cohorts({ 0: 5 }), 4, tau));
  assert.equal(none.twfe_weights, null);
  assert.equal(none.aggregates.simple!.att, null);
  assert.match(none.aggregates.simple!.reason!, /no unit changes treatment/);
});

it('a treatment column that switches on and off (and a dose of 2): β_TWFE = Σ w_it Δ_it (Theorem 1) to 1e-12, Σ w = 1', () => {
  // y_it = α_i + λ_t + Δ_it·D_it with an effect Δ_it per unit of dose: β = Σ εy / Σ εD = Σ w Δ, w = εD / Σ εD.
  const n = 12,
    T = 7;
  const D = new Float64Array(n * T),
    y = new Float64Array(n * T),
    x = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const delta = (i: number, t: number) => 0.5 + 0.3 * Math.sin(i + 2 * t);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      D[k] = i < 3 || (i + t) % 4 === 0 || t < i % 5 ? 0 : i === 5 && t > 3 ? 2 : 1;
      y[k] = Math.sin(3 * i) * 4 + Math.cos(1.3 * t) + delta(i, t) * D[k];
    }
  const panel = makePanel({
    periods: Array.from({ length: T }, (_, t) => 2001 + t),
    group: new Array(n).fill(0),
    y,
    treatment: D,
    covariates: { x },
  });
  const e = estimateTwfeWeights(panel, { randomWeights: ['x'] });
  const w = e.twfe_weights!;
  let sum = 0,
    total = 0;
  for (const c of w.cells) {
    sum += c.weight * delta(Number(c.unit) - 1, c.time - 2001);
    total += c.weight;
  }
  assert.ok(Math.abs(w.beta - sum) < 1e-12, `β ${w.beta}, Σ wΔ ${sum}`);
  assert.ok(Math.abs(total - 1) < 1e-12, `Σ w = ${total}`);
  assert.equal(w.treated_cells, [...D].filter((v) => v !== 0).length);
  assert.equal(w.cells.length, w.treated_cells, 'one cell per treated unit-period');
  assert.ok(Math.abs(e.aggregates.simple!.att! - w.beta) < 1e-12, 'the within regression on the column gives the same β');
  assert.ok(e.aggregates.simple!.se! > 0);
  // The random-weights slope: ν-weighted least squares of x on W = w/ν (ν = D/ΣD), by its normal equations.
  const sumD = [...D].reduce((s, v) => s + v, 0);
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    t0 = 0,
    t1 = 0;
  for (const c of w.cells) {
    const i = Number(c.unit) - 1,
      nu = D[(c.time - 2001) * n + i] / sumD,
      W = c.weight / nu;
    s0 += nu;
    s1 += nu * W;
    s2 += nu * W * W;
    t0 += nu * x[i];
    t1 += nu * W * x[i];
  }
  const slope = (s0 * t1 - s1 * t0) / (s0 * s2 - s1 * s1);
  const rw = w.random_weights![0];
  assert.ok(Math.abs(rw.coef - slope) < 1e-9, `random-weights slope ${rw.coef} vs ${slope}`);
  assert.ok(Math.abs(rw.t - rw.coef / rw.se) < 1e-12);
  assert.throws(
    () => estimateTwfeWeights(panel, { randomWeights: ['nope'] }),
    /random-weights column "nope" is not in the panel \(it has: x\)/,
  );
});
