// The latent index of world/latent.ts against its stated parameters (η_it = Σβ(x − Ex) + unit_sd·level
// + (slope + Σb·x)·t + e_it, e AR(1) stationary from the first period), d3-random style: 20,000 units
// from fixed seeds, each moment within 4 MC SEs. Units are independent, so a moment over units at
// fixed periods has an SE from that cross-section: sd/√n for means, σ²√(2/n) for a normal variance,
// the influence-function SE for a correlation (≈ (1 − ρ²)/√n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatentRows } from '../../src/world/latent.js';
import { drawPeople } from '../../src/world/covariates.js';
import { seeded, UnitStreams } from '../../src/random/stream.js';
import { drawAdoptionWorld, meanSe, pearson, sd, withinSe, worldPoint } from '../helpers/world.js';

const N = 20000;

/** η for T periods (rows t·n … ) of a population and outcome given as YAML fragments. */
function latentPanel(population: string, outcome: string, T: number, seed: string) {
  const s = worldPoint({ population, outcome });
  const people = drawPeople(seeded(`people ${seed}`), s.population, N);
  const rows = new LatentRows(new UnitStreams(seeded(`units ${seed}`), N), s.outcome, s.population, people.covariates, people.level);
  const eta = Array.from({ length: T }, () => new Float64Array(N));
  for (const r of eta) rows.next(r);
  return { eta, people };
}

test('AR(1) noise: corr(e_t, e_{t+k}) = ρ^k for k = 1, 3, 6 and the stationary variance noise_sd² in the first and last period', () => {
  // Continuous outcome without a unit effect or covariates: η = e exactly.
  const rho = 0.7;
  const noise = 0.8;
  const { eta } = latentPanel('{size: 10}', `{type: continuous, mean: 0, sd: 1, unit_sd: 0, noise_sd: ${noise}, rho: ${rho}}`, 12, 'ar1');
  for (const k of [1, 3, 6]) {
    const { r, se } = pearson(eta[4], eta[4 + k]);
    withinSe(r, rho ** k, se, `lag ${k}`);
  }
  for (const t of [0, 11]) withinSe(sd(eta[t]) ** 2, noise * noise, noise * noise * Math.sqrt(2 / N), `variance in period ${t}`);
});

test('AR(1) through the outcome: a continuous Y(0) has sd `sd`, lag-1 autocorrelation ρ and lag-2 ρ²', () => {
  const s = worldPoint({
    periods: '{first: 1, count: 6}',
    population: `{size: ${N}}`,
    outcome: '{type: continuous, mean: 50, sd: 4, unit_sd: 0, noise_sd: 0.5, rho: 0.6}',
  });
  const w = drawAdoptionWorld(s, 'ar1 outcome');
  const row = (t: number) => w.y0.subarray(t * w.n, (t + 1) * w.n);
  withinSe(meanSe(row(2)).mean, 50, 4 / Math.sqrt(N), 'mean');
  withinSe(sd(row(2)) ** 2, 16, 16 * Math.sqrt(2 / N), 'variance sd²');
  const a = pearson(row(2), row(3));
  withinSe(a.r, 0.6, a.se, 'lag 1');
  const b = pearson(row(2), row(4));
  withinSe(b.r, 0.36, b.se, 'lag 2');
});

test('unit effect: Var η = unit_sd² + noise_sd², corr(η_t, η_{t+k}) = (u² + s²ρ^k)/(u² + s²), the between-unit share u²/(u² + s²) at long lags', () => {
  const u = 1.2;
  const s = 0.8;
  const rho = 0.5;
  const { eta } = latentPanel('{size: 10}', `{type: continuous, mean: 0, sd: 1, unit_sd: ${u}, noise_sd: ${s}, rho: ${rho}}`, 24, 'unit');
  const v = u * u + s * s;
  withinSe(sd(eta[0]) ** 2, v, v * Math.sqrt(2 / N), 'Var η');
  const near = pearson(eta[1], eta[3]);
  withinSe(near.r, (u * u + s * s * rho ** 2) / v, near.se, 'lag 2');
  const far = pearson(eta[1], eta[23]);
  withinSe(far.r, (u * u) / v, far.se, 'lag 22: the unit effect share (ρ^22 ≈ 2e-7)');
});

test('covariate effects and calendar trends: E[η_t | x] = β(x − Ex) + (slope + b·x)·t', () => {
  // A binary x (p 0.4: β 0.5, trend b 0.03) and a normal z (mean 10, sd 2: β −0.2, trend b −0.004),
  // uncorrelated, overall slope 0.02 a period. Over 10 periods.
  const { eta, people } = latentPanel(
    '{size: 10, covariates: {x: {type: binary, p: 0.4}, z: {type: normal, mean: 10, sd: 2}}}',
    '{type: continuous, mean: 0, sd: 1, unit_sd: 0.6, noise_sd: 0.5, rho: 0.7, covariate_effects: {x: 0.5, z: -0.2}, trend: {slope: 0.02, by: {x: 0.03, z: -0.004}}}',
    10,
    'trend',
  );
  const { x, z } = people.covariates;
  for (const t of [0, 9]) {
    // Group means by x: the difference is β_x + b_x·t; within x the normal z averages out (E z = 10).
    const g1 = meanSe(eta[t].filter((_, i) => x[i] === 1));
    const g0 = meanSe(eta[t].filter((_, i) => x[i] === 0));
    withinSe(g1.mean - g0.mean, 0.5 + 0.03 * t, Math.hypot(g1.se, g0.se), `x gap in period ${t}`);
    // The overall mean: β terms are centred; trends add (slope + b_x·p + b_z·E z)·t.
    const all = meanSe(eta[t]);
    withinSe(all.mean, (0.02 + 0.03 * 0.4 - 0.004 * 10) * t, all.se, `mean in period ${t}`);
    // The slope of η on z (z is independent of x): β_z + b_z·t, SE from the regression's residual sd.
    const zc = Float64Array.from(z, (v) => v - 10);
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < N; i++) {
      sxy += zc[i] * eta[t][i];
      sxx += zc[i] * zc[i];
    }
    const slope = sxy / sxx;
    const resid = Float64Array.from(eta[t], (v, i) => v - slope * zc[i]);
    withinSe(slope, -0.2 - 0.004 * t, sd(resid) / Math.sqrt(sxx), `slope on z in period ${t}`);
  }
  assert.ok(Math.abs(meanSe(eta[9]).mean - meanSe(eta[0]).mean) > 0.05, 'the trends move the mean');
});
