// Family-wise power across outcomes: Bonferroni and Holm against hand-computed examples, the
// accumulator's rates and MC SEs, and the Diagnosis's rows for draws with several outcomes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bonferroni, FamilywiseAccumulator, holm, twoSidedP } from '../../src/diagnosis/familywise.js';
import { Diagnosis } from '../../src/diagnosis/diagnosis.js';

test('Bonferroni and Holm on hand-computed p-values (α = 0.05, m = 3: thresholds 0.0167, 0.025, 0.05)', () => {
  // Holm: sorted 0.01 ≤ 0.05/3 ✓, 0.02 ≤ 0.05/2 ✓, 0.04 ≤ 0.05 ✓ → all three; Bonferroni: only 0.01.
  assert.deepEqual(holm([0.04, 0.01, 0.02], 0.05), [true, true, true]);
  assert.deepEqual(bonferroni([0.04, 0.01, 0.02], 0.05), [false, true, false]);
  // Holm stops at the first failure: 0.01 ✓, 0.03 > 0.025 ✗ → 0.04 is not tested though it is ≤ 0.05.
  assert.deepEqual(holm([0.03, 0.01, 0.04], 0.05), [false, true, false]);
  // Nothing below α/m: neither rejects anything.
  assert.deepEqual(holm([0.02, 0.03, 0.5], 0.05), [false, false, false]);
  assert.deepEqual(bonferroni([0.0166, 0.0167, 0.5], 0.05), [true, false, false]);
  // m = 2 (thresholds 0.025, 0.05): Holm rejects both, Bonferroni one.
  assert.deepEqual(holm([0.045, 0.02], 0.05), [true, true]);
  assert.deepEqual(bonferroni([0.045, 0.02], 0.05), [false, true]);
});

test('p-values are two-sided normal; not identified is p = 1', () => {
  // |z| = 1.959964 → p = 0.05 (qnorm(0.975)).
  assert.ok(Math.abs(twoSidedP({ estimate: -1.959963985, se: 1 }) - 0.05) < 1e-8);
  assert.ok(Math.abs(twoSidedP({ estimate: 3, se: 1 }) - 0.0026997960632601866) < 1e-12);
  assert.equal(twoSidedP({ estimate: null, se: null }), 1);
  assert.equal(twoSidedP({ estimate: 2, se: 0 }), 1);
});

const rec = (estimate: number | null, se = 1) => ({ estimate, se: estimate === null ? null : se, truth: 0, popTruth: null });

test('the accumulator: per-outcome adjusted power, any and all, with √(p(1−p)/S)', () => {
  const f = new FamilywiseAccumulator(2, 0.05);
  // z of each outcome per draw; p-values: z 3 → 0.0027, 2.1 → 0.0357, 1 → 0.317, null → 1.
  const draws: (number | null)[][] = [
    [3, 2.1],
    [3, 1],
    [2.1, 2.1],
    [1, null],
  ];
  for (const d of draws) f.push(d.map((z) => rec(z)));
  // Bonferroni (p ≤ 0.025): outcome 0 rejects in draws 1, 2; outcome 1 in none.
  // Holm: draw 1 → both (0.0027 ≤ 0.025, 0.0357 ≤ 0.05); draw 2 → outcome 0; draw 3 → neither (0.0357 > 0.025).
  const byName = (rows: { diagnosand: string; value: number; mcSe: number; n: number }[]) =>
    Object.fromEntries(rows.map((r) => [r.diagnosand, r]));
  const o0 = byName(f.outcomeRows(0));
  const o1 = byName(f.outcomeRows(1));
  const fam = byName(f.familyRows());
  assert.deepEqual([o0.power_bonferroni.value, o0.power_holm.value, o1.power_bonferroni.value, o1.power_holm.value], [0.5, 0.5, 0, 0.25]);
  assert.deepEqual(
    [
      fam.familywise_any_bonferroni.value,
      fam.familywise_any_holm.value,
      fam.familywise_all_bonferroni.value,
      fam.familywise_all_holm.value,
    ],
    [0.5, 0.5, 0, 0.25],
  );
  assert.equal(fam.familywise_all_holm.mcSe, Math.sqrt((0.25 * 0.75) / 4));
  assert.equal(fam.familywise_any_holm.n, 4);
});

test("Diagnosis rows: an outcome column, power_holm after each outcome's rows, family rows under the joined name", () => {
  const d = new Diagnosis(0.05, ['e'], ['earnings', 'sa']);
  const r = (outcome: string, estimand: string, z: number | null) => ({ outcome, estimator: 'e', estimand, ...rec(z) });
  d.pushDraw(0, [r('earnings', 'simple', 3), r('earnings', 'dynamic:1', 1), r('sa', 'simple', 2.1)]);
  d.pushDraw(0, [r('earnings', 'simple', 1), r('sa', 'simple', 3), r('sa', 'dynamic:1', 1)]);
  const rows = d.rows();
  assert.deepEqual([...new Set(rows.map((x) => x.outcome))], ['earnings', 'sa', 'earnings+sa']);
  const get = (o: string, est: string, diag: string) => rows.find((x) => x.outcome === o && x.estimand === est && x.diagnosand === diag);
  // simple: draw 0 Holm rejects both, draw 1 only sa (0.0027 ≤ 0.025; earnings 0.317).
  assert.equal(get('earnings', 'simple', 'power_holm')!.value, 0.5);
  assert.equal(get('sa', 'simple', 'power_holm')!.value, 1);
  assert.equal(get('earnings+sa', 'simple', 'familywise_any_holm')!.value, 1);
  assert.equal(get('earnings+sa', 'simple', 'familywise_all_holm')!.value, 0.5);
  // dynamic:1 is never in both outcomes of one draw: no family-wise rows for it.
  assert.equal(get('earnings', 'dynamic:1', 'power_holm'), undefined);
  assert.equal(get('earnings+sa', 'dynamic:1', 'familywise_any_holm'), undefined);
  // Unadjusted power of an outcome is still there.
  assert.equal(get('sa', 'simple', 'power')!.value, 1);
});
