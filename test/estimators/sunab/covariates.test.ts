/**
 * Sun & Abraham with covariates and anticipation: the saturated regression with the
 * covariate solved by dense least squares, the regression path equal to the closed form when the
 * covariate drops out, and anticipation δ equal to moving every start group δ periods earlier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateSunab } from '../../../src/estimators/sunab/index.js';
import { makePanel } from '../../../src/panel/panel.js';
import { denseOls, near, synthPanel, withCovariate } from '../helpers.js';

const groups = [0, 0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 5, 5, 0, 3, 5];
const grow = (g: number, e: number) => 1 + 0.4 * e * (g % 3);

describe('sunab with covariates', () => {
  it('δ̂_{e,ℓ} and the covariate coefficient equal dense least squares with cell dummies and x (1e-9)', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-cov', groups, T: 6, effect: grow }), 'sa-cov-x');
    const r = estimateSunab(p, { covariates: ['x'] });
    const cells = r.att_gt;
    const x = p.covariates.x,
      n = p.nUnits;
    const fns: Array<(i: number, t: number) => number> = cells.map(
      (c) => (i: number, t: number) => (p.group[i] === c.group && p.periods[t] === c.time ? 1 : 0),
    );
    fns.push((i, t) => x[t * n + i]);
    const ref = denseOls(
      p,
      fns,
      Array.from(groups, (_, i) => i),
    );
    cells.forEach((c, j) => near(c.att, ref.beta[j], 1e-9, `δ(${c.group},${c.time})`));
    near(r.covariates![0].coef, ref.beta[cells.length], 1e-9, 'γ');
    assert.ok(Math.abs(r.covariates![0].coef - 0.8) < 0.3, 'γ near the 0.8 the panel was made with');
  });

  it('a covariate constant within units drops out with a message, and the regression path then equals the closed form (estimates and SEs, 1e-10)', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-flat', groups, T: 6, effect: grow }), 'sa-flat-x');
    const a = estimateSunab(p, { covariates: ['flat'] }),
      b = estimateSunab(p);
    assert.match(a.messages.join(' '), /flat is constant within every unit/);
    a.att_gt.forEach((c, j) => {
      near(c.att, b.att_gt[j].att!, 1e-10, 'cell');
      near(c.se, b.att_gt[j].se!, 1e-10, 'cell se');
    });
    for (const k of ['simple', 'group', 'dynamic'] as const) {
      near(a.aggregates[k]!.att, b.aggregates[k]!.att!, 1e-10, k);
      near(a.aggregates[k]!.se, b.aggregates[k]!.se!, 1e-10, `${k} se`);
    }
  });

  it('refuses a covariate the panel does not have, naming it and the columns', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-miss', groups, T: 6, effect: grow }), 'sa-miss-x');
    assert.throws(
      () => estimateSunab(p, { covariates: ['z'] }),
      /sunab: covariate "z" is not a column of the panel \(covariate columns: x, flat\)/,
    );
  });
});

describe('sunab with anticipation', () => {
  it('anticipation δ = 1 equals starting every cohort one period earlier (base period e − 2), cells and SEs 1e-10', () => {
    const p = synthPanel({ seed: 'sa-ant', groups, T: 7, effect: grow });
    const a = estimateSunab(p, { anticipation: 1 });
    const shifted = makePanel({ periods: p.periods, group: Array.from(p.group, (g) => (g > 0 ? g - 1 : 0)), y: p.y });
    const b = estimateSunab(shifted);
    assert.equal(a.att_gt.length, b.att_gt.length);
    for (const c of a.att_gt) {
      const d = b.att_gt.find((x) => x.group === c.group - 1 && x.time === c.time)!;
      near(c.att, d.att!, 1e-10, `δ(${c.group},${c.time})`);
      near(c.se, d.se!, 1e-10, `se(${c.group},${c.time})`);
    }
    const ref = a.aggregates.dynamic!.detail!.find((d) => d.att === 0)!;
    assert.equal(ref.key, -2, 'reference event time −1 − δ');
    // The overall averages ℓ ≥ 0 only; the anticipation row ℓ = −1 is estimated, not averaged.
    assert.ok(a.aggregates.dynamic!.detail!.some((d) => d.key === -1 && d.se !== null));
    assert.throws(() => estimateSunab(p, { anticipation: -1 }), /sunab: anticipation must be a whole number/);
  });
});
