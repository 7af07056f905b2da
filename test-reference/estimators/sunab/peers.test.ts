/**
 * Sun & Abraham with a covariate on fixest's base_stagg (../shared/reference/peers/, a panel fixest
 * ships, so it is not copied into the project): fixest's own published output for
 * `feols(y ~ x1 + sunab(year_treated, year) | id + year, base_stagg)`.
 */
import { describe, it } from 'node:test';
import { estimateSunab } from '../../../src/estimators/sunab/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { near } from '../../../test/estimators/helpers.js';
import { sharedFile } from '../../../test/helpers/reference.js';

describe('sunab with covariates on fixest base_stagg', () => {
  it('fixest base_stagg: x1, its CR1 SE, the ATT and its SE, and cohort × period coefficients as fixest prints them', () => {
    // Expected: the knitted R output of `res_sa20 = feols(y ~ x1 + sunab(year_treated, year) | id + year,
    // base_stagg); summary(res_sa20, agg = "att")` and `summary(res_sa20, agg = c("att" = "year::[^-]"))`
    // (fixest; printed in mikenguyen13/data_analysis, "A Guide on Data Analysis", ch. 30 difference-in-
    // differences): x1 0.994678 (0.018378), ATT −1.133749 (0.205070), year::-9:cohort::10 0.351766
    // (0.359073), year::-2:cohort::5 −1.574086 (0.525563), year::-4:cohort::8 −0.895195 (0.374901).
    // The x1 coefficient is also the peers README's 0.994678310857 (full two-way regression).
    const STAGG = sharedFile('peers', 'fixest_base_stagg.csv');
    const { panel } = readPanelCsv(STAGG, { id: 'id', time: 'year', group: 'year_treated', outcome: 'y', covariates: ['x1'] });
    const r = estimateSunab(panel, { covariates: ['x1'] });
    near(r.covariates![0].coef, 0.994678310857, 1e-11, 'x1 (peers README, 12 digits)');
    near(r.covariates![0].se, 0.018378, 5e-7, 'x1 CR1 SE');
    near(r.aggregates.simple!.att, -1.133749, 5e-7, 'ATT');
    near(r.fixest_att!.se, 0.20507, 5e-7, 'ATT SE as fixest computes it (shares known, CR1)');
    // fixest's cell SEs are CR1 of the regression: our influence-function SE × √(G/(G−1)·(N−1)/(N−K)),
    // G = 95 units, N = 950, K = 81 cells + x1 + 10 years.
    const cr1 = Math.sqrt((95 / 94) * (949 / (950 - 92)));
    for (const [g, t, att, se] of [
      [10, 1, 0.351766, 0.359073],
      [5, 3, -1.574086, 0.525563],
      [8, 4, -0.895195, 0.374901],
    ]) {
      const c = r.att_gt.find((x) => x.group === g && x.time === t)!;
      near(c.att, att, 5e-7, `δ(${g},${t})`);
      near(c.se! * cr1, se, 5e-7, `se(${g},${t})`);
    }
    // Frisch–Waugh–Lovell: sunab without covariates on y_fwl = y − 0.994678310857·x1 gives the same ATT.
    const fwl = readPanelCsv(STAGG, { id: 'id', time: 'year', group: 'year_treated', outcome: 'y_fwl' }).panel;
    near(estimateSunab(fwl).aggregates.simple!.att, r.aggregates.simple!.att!, 1e-9, 'ATT on y_fwl');
  });
});
