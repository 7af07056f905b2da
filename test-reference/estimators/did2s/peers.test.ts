/**
 * did2s on its own df_het (../shared/reference/peers/did2s_df_het.csv, did2s 1.2.0 data/df_het.rda): the
 * static estimate the did2s README prints (kylebutts/did2s README.md, "Estimate Two-stage
 * Difference-in-Differences": did2s(df_het, yname = "dep_var", first_stage = ~ 0 | state + year,
 * second_stage = ~ i(treat, ref = FALSE), treatment = "treat", cluster_var = "state") →
 * `treat = TRUE    2.152*** (0.0476)`). The README's event study is only plotted (no printed numbers).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDid2s } from '../../../src/estimators/did2s/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { sharedFile } from '../../../test/helpers/reference.js';

describe("did2s on did2s's df_het", () => {
  it('static 2.152 (0.0476) with state and year fixed effects, clustered by state', () => {
    const { panel } = readPanelCsv(sharedFile('peers', 'did2s_df_het.csv'), {
      id: 'unit',
      time: 'year',
      group: 'g',
      outcome: 'dep_var',
      cluster: 'state',
    });
    const s = estimateDid2s(panel, { fixedEffects: 'column', cluster: 'column' }).aggregates.simple!;
    // Printed digits: half a unit of the last one.
    assert.ok(s.att !== null && Math.abs(s.att - 2.152) <= 0.0005, `att ${s.att}`);
    assert.ok(s.se !== null && Math.abs(s.se - 0.0476) <= 0.00005, `se ${s.se}`);
  });
});
