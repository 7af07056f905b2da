/**
 * dcdh (de Chaisemartin & D'Haultfœuille 2024 DID_ℓ) on R did's mpdta (../shared/reference/did/).
 *
 * No printed did_multiplegt_dyn output on data we hold was found (searched the package repository,
 * its vignettes and the web pages corpus), so the checks are exact identities with published R output:
 * - In a binary absorbing staggered design with one unit per group, DID_ℓ is Callaway & Sant'Anna's
 *   ATT(g, g − 1 + ℓ) against units untreated at g − 1 + ℓ, averaged over cohorts by size: R did
 *   2.5.1's dynamic aggregate at e = ℓ − 1 (mpdta.json entry 12: reg/dr, notyettreated, universal base,
 *   no covariates; entry 4: nevertreated, for `control: 'never'` = only_never_switchers).
 * - The average total effect Σ N_ℓ DID_ℓ / Σ N_ℓ weights every post-period (g, t) cell by its cohort's
 *   size: R did's simple aggregate of the same entries.
 * - Placebo ℓ with never-treated controls is CS's universal-base ATT(g, g − 1 − ℓ): placebo 1 is the
 *   dynamic e = −2 row of entry 4 (both cohorts 2006, 2007 have it); placebo 2 only cohort 2006 has
 *   (its effect 2 must exist too), so it is ATT(2006, 2003) of entry 4's att_gt.
 * - SEs: with one switching cohort and never-treated controls the package's influence-function variance
 *   (cohort-demeaned, DOF √(n/(n−1))) is the Welch two-sample SE of the long differences: R 4.2
 *   `t.test(dy[s], dy[!s])$stderr` on mpdta's cohort 2004 + never treated (20 + 309 counties):
 *     d <- read.csv("mpdta.csv"); d <- d[d$first_treat %in% c(0, 2004), ]; w <- reshape(..., direction = "wide")
 *     dℓ = y.(2003+ℓ) − y.2003, avg = (d1 + d2 + d3 + d4)/4
 *   printed (estimate, stderr):
 *     ℓ=1 -0.0105032462209624 0.0237557605679585
 *     ℓ=2 -0.0704231581031467 0.0317056589989576
 *     ℓ=3 -0.137258738889403  0.0372408751739715
 *     ℓ=4 -0.100811363085404  0.0351004237277422
 *     avg -0.0797491265747291 0.0269512161354299
 *   and for the placebos, cohort 2006 + never treated (40 + 309), p1 = y.2004 − y.2005, p2 = y.2003 − y.2005:
 *     p1 0.00275081875051882  0.0197661321022305
 *     p2 -0.0037692936737142  0.0317031650347378
 *   On the whole of mpdta (never-treated controls) only cohort 2004 has ℓ = 3, 4: the same two SEs.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { loadReference } from '../../../test/helpers/reference.js';

function near(a: number | null | undefined, b: number, tol: number, what: string) {
  assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

function subset(p: Panel, keep: (g: number) => boolean): Panel {
  const units = [...Array(p.nUnits).keys()].filter((i) => keep(p.group[i]));
  const y = new Float64Array(units.length * p.nPeriods);
  for (let t = 0; t < p.nPeriods; t++) units.forEach((i, j) => (y[t * units.length + j] = p.y[t * p.nUnits + i]));
  return makePanel({ periods: p.periods, group: units.map((i) => p.group[i]), y, ids: units.map((i) => p.ids[i]) });
}

const { panel, entries } = loadReference('mpdta');

it('DID_ℓ = R did dynamic ATT(e = ℓ − 1) and the average total effect = R did simple ATT (notyet and never controls)', () => {
  for (const [control, idx] of [
    ['notyet', 12],
    ['never', 4],
  ] as const) {
    const ref = entries[idx];
    assert.equal(ref.options.base_period, 'universal');
    assert.equal(ref.options.control_group, control === 'notyet' ? 'notyettreated' : 'nevertreated');
    const e = estimateDcdh(panel, { control });
    const rows = e.aggregates.dynamic!.detail!;
    for (const l of [1, 2, 3, 4]) {
      const r = ref.dynamic.detail.find((d) => d.key === l - 1)!;
      near(rows.find((d) => d.key === l - 1)!.att, r.att, 1e-12, `${control} DID_${l}`);
    }
    near(e.aggregates.simple!.att, ref.simple.att, 1e-12, `${control} average total effect`);
  }
});

it('placebos with never-treated controls = R did universal-base ATTs before the start', () => {
  const ref = entries[4];
  const e = estimateDcdh(panel, { control: 'never' });
  const rows = e.aggregates.dynamic!.detail!;
  near(rows.find((d) => d.key === -2)!.att, ref.dynamic.detail.find((d) => d.key === -2)!.att, 1e-12, 'placebo 1');
  near(rows.find((d) => d.key === -3)!.att, ref.att_gt.find((c) => c.group === 2006 && c.time === 2003)!.att!, 1e-12, 'placebo 2');
  assert.equal(
    rows.find((d) => d.key === -4),
    undefined,
    'no switcher has placebo 3 and effect 3',
  );
});

it('SEs: Welch two-sample SEs of R t.test on one cohort against the never treated', () => {
  const one = subset(panel, (g) => g === 0 || g === 2004);
  const e = estimateDcdh(one, { control: 'never' });
  const rows = e.aggregates.dynamic!.detail!;
  const printed = [
    [-0.0105032462209624, 0.0237557605679585],
    [-0.0704231581031467, 0.0317056589989576],
    [-0.137258738889403, 0.0372408751739715],
    [-0.100811363085404, 0.0351004237277422],
  ];
  printed.forEach(([att, se], k) => {
    const r = rows.find((d) => d.key === k)!;
    near(r.att, att, 1e-12, `DID_${k + 1}`);
    near(r.se, se, 1e-12, `SE DID_${k + 1}`);
  });
  near(e.aggregates.simple!.att, -0.0797491265747291, 1e-12, 'average total effect');
  near(e.aggregates.simple!.se, 0.0269512161354299, 1e-12, 'SE average total effect');
  // The whole panel with never-treated controls: ℓ = 3, 4 only have cohort 2004 (notyet would add cohort 2007 as a control at 2006).
  const all = estimateDcdh(panel, { control: 'never' }).aggregates.dynamic!.detail!;
  near(all.find((d) => d.key === 2)!.se, 0.0372408751739715, 1e-12, 'SE DID_3 on all of mpdta');
  near(all.find((d) => d.key === 3)!.se, 0.0351004237277422, 1e-12, 'SE DID_4 on all of mpdta');
});

it('placebo SEs: Welch two-sample SEs of R t.test on cohort 2006 against the never treated', () => {
  const one = subset(panel, (g) => g === 0 || g === 2006);
  const rows = estimateDcdh(one, { control: 'never' }).aggregates.dynamic!.detail!;
  const p1 = rows.find((d) => d.key === -2)!,
    p2 = rows.find((d) => d.key === -3)!;
  near(p1.att, 0.00275081875051882, 1e-12, 'placebo 1');
  near(p1.se, 0.0197661321022305, 1e-12, 'SE placebo 1');
  near(p2.att, -0.0037692936737142, 1e-12, 'placebo 2');
  near(p2.se, 0.0317031650347378, 1e-12, 'SE placebo 2');
});
