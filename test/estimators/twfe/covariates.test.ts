/**
 * TWFE with covariates and anticipation, and its CR1 factor: dense OLS with unit and period dummies
 * plus the covariate (an independent computation), K = k + T as fixest's default ssc() counts it
 * (checked on the did2s df_het panel in test-reference/estimators/twfe/peers.test.ts),
 * and anticipation δ equal to moving every start group δ periods earlier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { makePanel } from '../../../src/panel/panel.js';
import { cr1Scale, denseOls, near, synthPanel, withCovariate } from '../helpers.js';

const groups = [0, 0, 0, 0, 3, 3, 3, 4, 4, 5, 5, 5, 0, 4];
const grow = (g: number, e: number) => 1 + 0.5 * e + 0.2 * g;
const byUnit = Array.from(groups, (_, i) => i);

describe('TWFE with covariates', () => {
  const p = withCovariate(synthPanel({ seed: 'twfe-cov', groups, T: 6, effect: grow }), 'twfe-cov-x');
  const x = p.covariates.x,
    n = p.nUnits;
  const xf = (i: number, t: number) => x[t * n + i];

  it('static: β, γ and their CR1 SEs (K = 2 + T) equal dense OLS with D and x (1e-10)', () => {
    const d = (i: number, t: number) => (groups[i] > 0 && t + 1 >= groups[i] ? 1 : 0);
    const ref = denseOls(p, [d, xf], byUnit);
    const out = estimateTwfe(p, { eventStudy: false, covariates: ['x'] });
    const scale = cr1Scale(14, 84, 2, 6);
    near(out.aggregates.simple!.att, ref.beta[0], 1e-10, 'β');
    near(out.aggregates.simple!.se, Math.sqrt(ref.sandwich[0] * scale), 1e-10, 'CR1 SE of β');
    near(out.covariates![0].coef, ref.beta[1], 1e-10, 'γ');
    near(out.covariates![0].se, Math.sqrt(ref.sandwich[3] * scale), 1e-10, 'CR1 SE of γ');
  });

  it('event study: coefficients and CR1 SEs equal dense OLS with the binned dummies and x (1e-9)', () => {
    const keys = [-2, 0, 1];
    const bin = (e: number) => Math.min(1, Math.max(-2, e));
    const fns = keys.map((k) => (i: number, t: number) => (groups[i] > 0 && bin(t + 1 - groups[i]) === k ? 1 : 0));
    const ref = denseOls(p, [...fns, xf], byUnit);
    const dyn = estimateTwfe(p, { minE: -2, maxE: 1, covariates: ['x'] }).aggregates.dynamic!;
    const scale = cr1Scale(14, 84, 4, 6);
    keys.forEach((k, j) => {
      const row = dyn.detail!.find((r) => r.key === k)!;
      near(row.att, ref.beta[j], 1e-9, `β e=${k}`);
      near(row.se, Math.sqrt(ref.sandwich[j * 4 + j] * scale), 1e-9, `se e=${k}`);
    });
  });

  it('a covariate constant within units is absorbed by the unit effects: left out with a message, estimate unchanged', () => {
    const a = estimateTwfe(p, { covariates: ['flat'] }),
      b = estimateTwfe(p);
    assert.match(a.messages.join(' '), /flat is constant within every unit/);
    near(a.aggregates.simple!.att, b.aggregates.simple!.att!, 1e-10, 'att');
    near(a.aggregates.simple!.se, b.aggregates.simple!.se!, 1e-10, 'se');
  });
});

describe('TWFE with anticipation', () => {
  const p = synthPanel({ seed: 'twfe-ant', groups, T: 7, effect: grow });
  const shifted = makePanel({ periods: p.periods, group: Array.from(p.group, (g) => (g > 0 ? g - 1 : 0)), y: p.y });

  it('δ = 1: D_it = 1{t ≥ g − 1}, the static estimate of the shifted start groups (1e-12)', () => {
    const a = estimateTwfe(p, { anticipation: 1, eventStudy: false }),
      b = estimateTwfe(shifted, { eventStudy: false });
    near(a.aggregates.simple!.att, b.aggregates.simple!.att!, 1e-12, 'att');
    near(a.aggregates.simple!.se, b.aggregates.simple!.se!, 1e-12, 'se');
  });

  it('δ = 1: reference −2, the e = −1 coefficient estimated, the pre-test without it', () => {
    const a = estimateTwfe(p, { anticipation: 1, minE: -3, maxE: 2 });
    const b = estimateTwfe(shifted, { minE: -2, maxE: 3 });
    const dyn = a.aggregates.dynamic!.detail!;
    assert.equal(dyn.find((r) => r.att === 0 && r.se === null)!.key, -2);
    for (const r of dyn) {
      if (r.key === -2) continue;
      near(r.att, b.aggregates.dynamic!.detail!.find((d) => d.key === r.key + 1)!.att!, 1e-10, `e=${r.key}`);
    }
    assert.equal(a.wald_pretest!.df, 1, 'only e = −3 is tested (−1 is an anticipation period)');
    assert.throws(
      () => estimateTwfe(p, { anticipation: 1, reference: -1 }),
      /twfe: with anticipation 1 the reference event time must be ≤ -2/,
    );
    assert.throws(() => estimateTwfe(p, { anticipation: 1.5 }), /twfe: anticipation must be a whole number of periods ≥ 0, got 1.5/);
  });
});
