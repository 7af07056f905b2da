/**
 * Sun & Abraham with covariates and anticipation: fixest's own published output for
 * `feols(y ~ x1 + sunab(year_treated, year) | id + year, base_stagg)`, the saturated regression with the
 * covariate solved by dense least squares, the regression path equal to the closed form when the
 * covariate drops out, and anticipation δ equal to moving every start group δ periods earlier.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateSunab } from '../../../src/estimators/sunab/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { makePanel } from '../../../src/panel/panel.js';
import { denseOls, hasPeers, near, PEERS, synthPanel, withCovariate } from '../helpers.js';

const STAGG = resolve(PEERS, 'fixest_base_stagg.csv');

const groups = [0, 0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 5, 5, 0, 3, 5];
const grow = (g: number, e: number) => 1 + 0.4 * e * (g % 3);

describe('sunab with covariates', () => {
  it('fixest base_stagg: x1, its CR1 SE, the ATT and its SE, and cohort × period coefficients as fixest prints them', { skip: !hasPeers && 'no ../shared/reference/peers' }, () => {
    // Expected: the knitted R output of `res_sa20 = feols(y ~ x1 + sunab(year_treated, year) | id + year,
    // base_stagg); summary(res_sa20, agg = "att")` and `summary(res_sa20, agg = c("att" = "year::[^-]"))`
    // (fixest; printed in mikenguyen13/data_analysis, "A Guide on Data Analysis", ch. 30 difference-in-
    // differences): x1 0.994678 (0.018378), ATT −1.133749 (0.205070), year::-9:cohort::10 0.351766
    // (0.359073), year::-2:cohort::5 −1.574086 (0.525563), year::-4:cohort::8 −0.895195 (0.374901).
    // The x1 coefficient is also the peers README's 0.994678310857 (full two-way regression).
    const { panel } = readPanelCsv(STAGG, { id: 'id', time: 'year', group: 'year_treated', outcome: 'y', covariates: ['x1'] });
    const r = estimateSunab(panel, { covariates: ['x1'] });
    near(r.covariates![0].coef, 0.994678310857, 1e-11, 'x1 (peers README, 12 digits)');
    near(r.covariates![0].se, 0.018378, 5e-7, 'x1 CR1 SE');
    near(r.aggregates.simple!.att, -1.133749, 5e-7, 'ATT');
    near(r.fixest_att!.se, 0.20507, 5e-7, 'ATT SE as fixest computes it (shares known, CR1)');
    // fixest's cell SEs are CR1 of the regression: our influence-function SE × √(G/(G−1)·(N−1)/(N−K)),
    // G = 95 units, N = 950, K = 81 cells + x1 + 10 years.
    const cr1 = Math.sqrt((95 / 94) * (949 / (950 - 92)));
    for (const [g, t, att, se] of [[10, 1, 0.351766, 0.359073], [5, 3, -1.574086, 0.525563], [8, 4, -0.895195, 0.374901]]) {
      const c = r.att_gt.find((x) => x.group === g && x.time === t)!;
      near(c.att, att, 5e-7, `δ(${g},${t})`);
      near(c.se! * cr1, se, 5e-7, `se(${g},${t})`);
    }
    // Frisch–Waugh–Lovell: sunab without covariates on y_fwl = y − 0.994678310857·x1 gives the same ATT.
    const fwl = readPanelCsv(STAGG, { id: 'id', time: 'year', group: 'year_treated', outcome: 'y_fwl' }).panel;
    near(estimateSunab(fwl).aggregates.simple!.att, r.aggregates.simple!.att!, 1e-9, 'ATT on y_fwl');
  });

  it('δ̂_{e,ℓ} and the covariate coefficient equal dense least squares with cell dummies and x (1e-9)', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-cov', groups, T: 6, effect: grow }), 'sa-cov-x');
    const r = estimateSunab(p, { covariates: ['x'] });
    const cells = r.att_gt;
    const x = p.covariates.x, n = p.nUnits;
    const fns: Array<(i: number, t: number) => number> = cells.map((c) => (i: number, t: number) => (p.group[i] === c.group && p.periods[t] === c.time ? 1 : 0));
    fns.push((i, t) => x[t * n + i]);
    const ref = denseOls(p, fns, Array.from(groups, (_, i) => i));
    cells.forEach((c, j) => near(c.att, ref.beta[j], 1e-9, `δ(${c.group},${c.time})`));
    near(r.covariates![0].coef, ref.beta[cells.length], 1e-9, 'γ');
    assert.ok(Math.abs(r.covariates![0].coef - 0.8) < 0.3, 'γ near the 0.8 the panel was made with');
  });

  it('a covariate constant within units drops out with a message, and the regression path then equals the closed form (estimates and SEs, 1e-10)', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-flat', groups, T: 6, effect: grow }), 'sa-flat-x');
    const a = estimateSunab(p, { covariates: ['flat'] }), b = estimateSunab(p);
    assert.match(a.messages.join(' '), /flat is constant within every unit/);
    a.att_gt.forEach((c, j) => { near(c.att, b.att_gt[j].att!, 1e-10, 'cell'); near(c.se, b.att_gt[j].se!, 1e-10, 'cell se'); });
    for (const k of ['simple', 'group', 'dynamic'] as const) {
      near(a.aggregates[k]!.att, b.aggregates[k]!.att!, 1e-10, k);
      near(a.aggregates[k]!.se, b.aggregates[k]!.se!, 1e-10, `${k} se`);
    }
  });

  it('refuses a covariate the panel does not have, naming it and the columns', () => {
    const p = withCovariate(synthPanel({ seed: 'sa-miss', groups, T: 6, effect: grow }), 'sa-miss-x');
    assert.throws(() => estimateSunab(p, { covariates: ['z'] }), /sunab: covariate "z" is not a column of the panel \(covariate columns: x, flat\)/);
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
