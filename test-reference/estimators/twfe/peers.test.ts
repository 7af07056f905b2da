/**
 * TWFE's CR1 factor as fixest's default ssc() counts it (K = 1 + T), on did2s's df_het
 * (../shared/reference/peers/, a panel did2s ships, so it is not copied into the project), against a
 * brute-force observation-level within regression.
 */
import { describe, it } from 'node:test';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { near } from '../../../test/estimators/helpers.js';
import { sharedFile } from '../../../test/helpers/reference.js';

describe('TWFE CR1 as fixest', () => {
  it('did2s df_het, static TWFE by unit: (G/(G−1))·(N−1)/(N−K) with K = 1 + T equals a brute-force within regression (1e-10)', () => {
    // No printed TWFE numbers on df_het exist (the did2s and didimputation READMEs only plot theirs):
    // the check is a brute-force observation-level regression written here, with fixest's K.
    const { panel } = readPanelCsv(sharedFile('peers', 'did2s_df_het.csv'), { id: 'unit', time: 'year', group: 'g', outcome: 'dep_var' });
    const n = panel.nUnits,
      T = panel.nPeriods,
      N = n * T;
    const d = new Float64Array(N),
      y = new Float64Array(N);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < T; t++) {
        d[i * T + t] = panel.group[i] > 0 && panel.periods[t] >= panel.group[i] ? 1 : 0;
        y[i * T + t] = panel.y[t * n + i];
      }
    const demean = (v: Float64Array) => {
      const row = new Float64Array(n),
        col = new Float64Array(T);
      let g = 0;
      for (let i = 0; i < n; i++)
        for (let t = 0; t < T; t++) {
          row[i] += v[i * T + t] / T;
          col[t] += v[i * T + t] / n;
          g += v[i * T + t] / N;
        }
      return Float64Array.from(v, (x, m) => x - row[Math.floor(m / T)] - col[m % T] + g);
    };
    const dt = demean(d),
      yt = demean(y);
    let sdd = 0,
      sdy = 0;
    for (let m = 0; m < N; m++) {
      sdd += dt[m] * dt[m];
      sdy += dt[m] * yt[m];
    }
    const beta = sdy / sdd;
    let meat = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += dt[i * T + t] * (yt[i * T + t] - beta * dt[i * T + t]);
      meat += s * s;
    }
    const se = Math.sqrt((meat / (sdd * sdd)) * (n / (n - 1)) * ((N - 1) / (N - (1 + T))));
    const out = estimateTwfe(panel, { eventStudy: false });
    near(out.aggregates.simple!.att, beta, 1e-10, 'β');
    near(out.aggregates.simple!.se, se, 1e-10, 'CR1 SE, K = 1 + T');
  });
});
