// Stated effect sizes realised in the draws, positive and negative, for every outcome type: the mean of
// Y(1) − Y(0) over treated units at the plateau (event periods 2..8 after a 2-period ramp) against the
// stated size, within 4 MC SEs (SE from per-unit means over the plateau: units are independent, a
// unit's periods are not). 10,000 units, half start in period 4 of 12; fixed seeds.
//
// Where the expected value is not τ by construction it is computed exactly and shown to be τ:
// - binary, earnings, count (a probability shift τ/E[amount] on the extensive margin): the expected
//   change is E_η[A·(clamp₀₁(Φ(c + η) + τ/A) − Φ(c + η))], η ~ N(0, Var η) (no covariates or trend, so
//   η is normal in every period), by quadrature; the settings keep clamping at 0 or 1 below 0.5 SE.
// - scale (rounded to 0..10): E[clamp(round(m + sη + τ))] − E[clamp(round(m + sη))], summed over the
//   integer answers with Φ, which is τ up to the rounding and the clamp at the ends.
// The old amount rule (Φ⁻¹ of u's position within [0, p0)) moved the top earners out of work, so a
// negative effect on earnings or counts came out 2–3× its size; these tests fail on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeModel } from '../../src/world/outcome.js';
import { latentVariance } from '../../src/world/latent.js';
import { normalCdf } from '../../src/random/phi.js';
import { drawAdoptionWorld, meanSe, withinSe, worldPoint } from '../helpers/world.js';

const RAMP = 2;
function plateauEffect(outcome: string, size: number, effectExtra = '') {
  const s = worldPoint({
    periods: '{first: 1, count: 12}',
    population: '{size: 10000}',
    outcome,
    effect: `{size: ${size}, ramp: ${RAMP}${effectExtra}}`,
    design: '{type: adoption, schedule: [{period: 4, members: 5000}]}',
  });
  const w = drawAdoptionWorld(s, `plateau ${outcome} ${size}`);
  const unitMeans: number[] = [];
  for (let i = 0; i < w.n; i++) {
    const st = w.cohort.start[i];
    if (!Number.isFinite(st)) continue;
    let sum = 0;
    let k = 0;
    for (let t = 0; t < w.T; t++)
      if (w.periods[t] - st >= RAMP) {
        sum += w.y1[t * w.n + i] - w.y0[t * w.n + i];
        k++;
      }
    unitMeans.push(sum / k);
  }
  assert.equal(unitMeans.length, 5000);
  return { s, ...meanSe(unitMeans) };
}

/** ∫ f(η) dN(0, v), trapezoid on ±9 sd (error far below any SE here). */
function overEta(v: number, f: (eta: number) => number): number {
  const sdv = Math.sqrt(v);
  const m = 4000;
  let acc = 0;
  for (let j = 0; j <= m; j++) {
    const z = -9 + (18 * j) / m;
    const w = (j === 0 || j === m ? 0.5 : 1) * Math.exp((-z * z) / 2);
    acc += w * f(sdv * z);
  }
  return (acc * (18 / m)) / Math.sqrt(2 * Math.PI);
}
function extensiveExpected(s: ReturnType<typeof worldPoint>, tau: number): number {
  const m = outcomeModel(s.outcome, s.population);
  const A = s.outcome.type === 'binary' ? 1 : m.meanAmount;
  return overEta(latentVariance(s.outcome, s.population), (eta) => {
    const p0 = normalCdf(m.c + eta);
    return A * (Math.min(1, Math.max(0, p0 + tau / A)) - p0);
  });
}

const latent = 'unit_sd: 0.4, noise_sd: 0.4, rho: 0.6';
const cases: [string, string, number][] = [
  ['binary', `{type: binary, p: 0.4, ${latent}}`, 0.05],
  ['earnings', `{type: earnings, mean: 2000, share_any: 0.3, sdlog: 0.9, ${latent}}`, 250],
  ['count', `{type: count, mean: 5, share_any: 0.3, max: 30, sd_any: 6, ${latent}}`, 0.6],
];
for (const [type, outcome, size] of cases) {
  for (const tau of [size, -size]) {
    test(`${type}: effect ${tau} realised at the plateau (extensive margin, clamping negligible)`, () => {
      const r = plateauEffect(outcome, tau);
      const exact = extensiveExpected(r.s, tau);
      assert.ok(
        Math.abs(exact - tau) < 0.5 * r.se,
        `${type}: the setting is clamp-free enough: exact ${exact} vs stated ${tau} (SE ${r.se})`,
      );
      withinSe(r.mean, tau, r.se, `${type} τ=${tau}`);
    });
  }
}

test("earnings: a negative effect takes its size from everyone's amounts, not the top earners' (R1-like, −300)", () => {
  // R1's own settings but a latent variance small enough that nobody's probability hits 0: the old rule
  // gave about −2.3× the size here.
  const r = plateauEffect('{type: earnings, mean: 1990, share_any: 0.28, sdlog: 0.9, unit_sd: 0.3, noise_sd: 0.3, rho: 0.85}', -300);
  withinSe(r.mean, -300, r.se, 'earnings −300');
});

for (const tau of [0.7, -0.7]) {
  test(`scale 0–10: effect ${tau} realised as the exact expectation of the rounded, clamped answers`, () => {
    const outcome = `{type: scale, mean: 5, sd: 2, ${latent}}`;
    const r = plateauEffect(outcome, tau);
    // The answer is clamp(round(5 + X)) with X ~ N(0, 2²) (scale = sd/sd(η)).
    const expect = (shift: number) => {
      let e = 0;
      for (let k = 0; k <= 10; k++) {
        const lo = k === 0 ? 0 : normalCdf((k - 0.5 - 5 - shift) / 2);
        const hi = k === 10 ? 1 : normalCdf((k + 0.5 - 5 - shift) / 2);
        e += k * (hi - lo);
      }
      return e;
    };
    const exact = expect(tau) - expect(0);
    assert.ok(Math.abs(exact - tau) < 0.01, `rounding and clamping cost little here: ${exact} vs ${tau}`);
    withinSe(r.mean, exact, r.se, `scale τ=${tau}`);
  });
}

for (const [type, outcome, size] of [
  ['continuous', `{type: continuous, mean: 10, sd: 3, ${latent}}`, 1.5],
  ['share', '{type: share, p: 0.4, unit_size: {median: 2000, sdlog: 0.3}, unit_sd: 0.2, noise_sd: 0.2}', 0.02],
] as const) {
  for (const tau of [size, -size]) {
    test(`${type}: effect ${tau} realised at the plateau (Y(1) = Y(0) + τ·unit multiplier, mean 1)`, () => {
      // Unit multipliers with sd 0.3 make the per-unit effects vary; their mean over the treated is 1.
      const r = plateauEffect(outcome, tau, ', unit_sd: 0.3');
      assert.ok(r.se > 0, 'the multipliers vary');
      withinSe(r.mean, tau, r.se, `${type} τ=${tau}`);
    });
  }
}
