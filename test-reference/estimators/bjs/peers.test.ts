/**
 * BJS without covariates on didimputation's df_het (../shared/reference/peers/, a panel didimputation
 * ships, so it is not copied into the project): the numbers didimputation's README prints.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { sharedFile } from '../../../test/helpers/reference.js';

describe("BJS on didimputation's df_het", () => {
  it('static and event-study estimates and SEs as the didimputation README prints them', () => {
    // kylebutts/didimputation README.md: did_imputation(df_het, "dep_var", "g", "year", "unit") →
    // treat 2.26 (0.0314); with horizon = TRUE: 0 → 1.51 (0.0755), 1 → 1.66, 2 → 1.86, 3 → 1.92, 4 → 1.87
    // (3 significant digits: tolerance half a unit of the last digit). The README's SEs for horizons
    // after the first (0.0841 at 1, …) are not compared: that version re-sorts `data` (rbind of the
    // split by g × event time) inside the loop over horizons while v* stays in the original row order,
    // so from the second horizon on v and τ̂ belong to different rows.
    const { panel } = readPanelCsv(sharedFile('peers', 'didimputation_df_het.csv'), {
      id: 'unit',
      time: 'year',
      group: 'g',
      outcome: 'dep_var',
    });
    const out = estimateBjs(panel);
    const ok = (v: number | null, ref: number, half: number) => v !== null && Math.abs(v - ref) <= half;
    assert.ok(
      ok(out.aggregates.simple!.att, 2.26, 0.005) && ok(out.aggregates.simple!.se, 0.0314, 0.00005),
      JSON.stringify(out.aggregates.simple),
    );
    for (const [e, att] of [
      [0, 1.51],
      [1, 1.66],
      [2, 1.86],
      [3, 1.92],
      [4, 1.87],
    ]) {
      const d = out.aggregates.dynamic!.detail!.find((x) => x.key === e)!;
      assert.ok(ok(d.att, att, 0.005), `e=${e}: ${JSON.stringify(d)}`);
    }
    assert.ok(ok(out.aggregates.dynamic!.detail!.find((x) => x.key === 0)!.se, 0.0755, 0.00005), 'e=0 se');
  });
});
