/**
 * dcdh with a binary treatment that switches on and off (panel.treatment). On a noiseless panel
 * y_it = α_i + λ_t + τ·D_it (a constant, contemporaneous effect) every closed form is known
 * (de Chaisemartin & D'Haultfœuille 2024, eqs. 3–4 and Section 3.3):
 *   DID_ℓ = τ·δ_ℓ, δ_ℓ = mean over its switchers of |D_{g,F_g−1+ℓ} − D_{g,1}|; placebos 0;
 *   normalized DID_ℓ = τ·δ_ℓ / δ^D_ℓ with δ^D_ℓ the mean of Σ_{k<ℓ} |D_{g,F_g+k} − D_{g,1}|;
 *   the average total effect Σ N_ℓ DID_ℓ / Σ N_ℓ δ_ℓ = τ exactly.
 * The parity with R DIDmultiplegtDYN on wagepan is in test-reference/estimators/dcdh/wagepan.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkEstimatorFlags } from '../../../src/cli/estimate.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { estimatorSchema } from '../../../src/scenario/schema.js';

const TAU = 0.7;
// Treatment paths over T = 6 periods, and how many units follow each.
const PATHS: [string, number][] = [
  ['000000', 8], // never switches (controls of the switchers in)
  ['001100', 3], // in at 3, out at 5
  ['000111', 4], // in at 4, stays
  ['010000', 2], // in at 2, out at 3
  ['111111', 6], // never switches (controls of the switchers out)
  ['110000', 3], // out at 3, stays
  ['111011', 2], // out at 4, back at 5
];

function panelOf(paths: [string, number][], noise = 0): Panel {
  const rows = paths.flatMap(([p, k]) => Array<string>(k).fill(p));
  const n = rows.length,
    T = 6;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      D[t * n + i] = Number(rows[i][t]);
      y[t * n + i] =
        Math.sin(2 * i + 1) * 4 + Math.cos(1.3 * t) * 2 + 0.1 * t * t + TAU * D[t * n + i] + noise * Math.sin(5.1 * (t * n + i));
    }
  const group = rows.map((p) => (p.indexOf('1') < 0 ? 0 : p.indexOf('1') + 1));
  return makePanel({ periods: [1, 2, 3, 4, 5, 6], group, y, treatment: D });
}

/** δ_ℓ and δ^D_ℓ over the switchers of the kept directions (every switcher has a control here: T_g = 5). */
function deltas(l: number, keep: (d1: number) => boolean) {
  let n = 0,
    now = 0,
    cum = 0;
  for (const [p, k] of PATHS) {
    const d1 = Number(p[0]);
    const F = [...p].findIndex((c) => Number(c) !== d1);
    if (F < 0 || !keep(d1) || F - 1 + l > 5) continue;
    n += k;
    now += k * Math.abs(Number(p[F - 1 + l]) - d1);
    for (let q = F; q <= F - 1 + l; q++) cum += k * Math.abs(Number(p[q]) - d1);
  }
  return { n, now: now / n, cum: cum / n };
}

const near = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-10, `${what}: ${a} vs ${b}`);

it('noiseless switching treatment: DID_ℓ = τ·δ_ℓ for switchers in, out and both; placebos 0; average total effect = τ', () => {
  for (const [switchers, keep] of [
    [undefined, () => true],
    ['in', (d: number) => d === 0],
    ['out', (d: number) => d === 1],
  ] as const) {
    const e = estimateDcdh(panelOf(PATHS), { effects: 4, placebo: 2, switchers });
    const rows = e.aggregates.dynamic!.detail!;
    for (let l = 1; l <= 4; l++) {
      const r = rows.find((x) => x.key === l - 1)!;
      const { n, now } = deltas(l, keep);
      if (n === 0) assert.equal(r.att, null, `DID_${l} (${switchers}) has no switcher`);
      else near(r.att, TAU * now, `DID_${l} (${switchers ?? 'both'})`);
    }
    for (const r of rows.filter((x) => x.key < -1)) if (r.att !== null) near(r.att, 0, `placebo ${r.key}`);
    near(e.aggregates.simple!.att, TAU, `average total effect (${switchers ?? 'both'})`);
  }
});

it('normalized: DID_ℓ / δ^D_ℓ, the accumulated change in treatment since the first switch', () => {
  const e = estimateDcdh(panelOf(PATHS), { effects: 4, placebo: 0, normalized: true });
  const raw = estimateDcdh(panelOf(PATHS), { effects: 4, placebo: 0 });
  for (let l = 1; l <= 4; l++) {
    const { now, cum } = deltas(l, () => true);
    const r = e.aggregates.dynamic!.detail!.find((x) => x.key === l - 1)!;
    const s = raw.aggregates.dynamic!.detail!.find((x) => x.key === l - 1)!;
    near(r.att, (TAU * now) / cum, `normalized DID_${l}`);
    near(r.se, s.se! / cum, `normalized SE ${l}`);
  }
});

it('same_switchers keeps the switchers with all L effects: every DID_ℓ averages the same units', () => {
  const e = estimateDcdh(panelOf(PATHS, 0.3), { effects: 4, placebo: 0, sameSwitchers: true });
  const all = estimateDcdh(panelOf(PATHS, 0.3), { effects: 4, placebo: 0 });
  // F − 1 + 4 ≤ 5 (0-based F ≤ 2): paths 001100, 010000, 110000; 000111 and 111011 leave DID_1..3.
  const rows = e.aggregates.dynamic!.detail!;
  assert.equal(rows.length, 4);
  const l4 = all.aggregates.dynamic!.detail!.find((x) => x.key === 3)!;
  near(rows[3].att, l4.att!, 'DID_4 has the same switchers either way');
  assert.notEqual(rows[0].att, all.aggregates.dynamic!.detail![0].att);
});

it('an absorbing treatment column gives exactly the start-group answer', () => {
  const abs: [string, number][] = [
    ['000000', 6],
    ['001111', 4],
    ['000011', 5],
  ];
  const p = panelOf(abs, 0.4);
  const { treatment: _t, ...noTreatment } = p;
  const a = estimateDcdh(p, { placebo: 2 });
  const b = estimateDcdh(noTreatment as Panel, { placebo: 2 });
  assert.deepEqual(a.aggregates, b.aggregates);
});

it('trends_nonparam compares within the cells of a unit-level column; a missing or time-varying column is refused', () => {
  const base = panelOf(PATHS, 0.2);
  const cell = Float64Array.from({ length: base.nUnits }, (_, i) => i % 2);
  const p = { ...base, covariates: { cell, tv: new Float64Array(base.nUnits * base.nPeriods) } };
  const e = estimateDcdh(p, { effects: 2, placebo: 0, trendsNonparam: ['cell'] });
  assert.ok(e.aggregates.dynamic!.detail!.every((r) => r.att !== null));
  assert.notEqual(e.aggregates.dynamic!.detail![1].att, estimateDcdh(base, { effects: 2, placebo: 0 }).aggregates.dynamic!.detail![1].att);
  assert.throws(() => estimateDcdh(p, { trendsNonparam: ['nope'] }), /trends_nonparam column "nope" is not in the panel/);
  assert.throws(() => estimateDcdh(p, { trendsNonparam: ['tv'] }), /varies over time/);
});

it('a treatment with a missing value is refused, naming it; a numeric column of any values is read', () => {
  const base = panelOf(PATHS);
  const D = Float64Array.from(base.treatment!, (v, k) => (k === 5 ? Number.NaN : v));
  assert.throws(() => estimateDcdh({ ...base, treatment: D }, {}), /treatment column has missing or non-finite values/);
  const dose = Float64Array.from(base.treatment!, (v, k) => (k === 5 ? 2 : v));
  const read = withTreatmentColumn({ ...base, covariates: { dose } }, 'dose', 'p.csv');
  assert.equal(read.treatment![5], 2);
});

it('the options are dcdh’s only: the registry, the CLI flags and the scenario entries refuse them elsewhere', () => {
  assert.throws(() => buildEstimator('did', { normalized: true }), /did does not take normalized/);
  assert.throws(() => buildEstimator('dcdh', { switchers: 'up' as 'in' }), /dcdh: switchers: expected/);
  assert.throws(() => checkEstimatorFlags('twfe', { 'same-switchers': true }), /--same-switchers works with --estimator dcdh/);
  checkEstimatorFlags('dcdh', { switchers: 'out', normalized: true, 'less-conservative-se': true, 'trends-nonparam': 'x' });
  const entry = estimatorSchema.parse({ name: 'd', type: 'dcdh', switchers: 'in', same_switchers: true, trends_nonparam: ['x'] });
  assert.equal(entry.switchers, 'in');
  assert.deepEqual(entry.trends_nonparam, ['x']);
  assert.throws(() => estimatorSchema.parse({ name: 'c', type: 'did', normalized: true }), /normalized/);
});

it('the joint tests of the effects: with two effects W_equal = (b₁ − b₂)² / (V₁₁ + V₂₂ − 2V₁₂), W_zero = b′V⁻¹b; a missing effect gives the reason', () => {
  const e = estimateDcdh(panelOf(PATHS, 0.3), { effects: 2, placebo: 0 });
  const rows = e.aggregates.dynamic!.detail!;
  const V = e.aggregates.dynamic!.vcov!;
  const [b1, b2] = [rows[0].att!, rows[1].att!];
  const [v11, v12, v22] = [V[0][0]!, V[0][1]!, V[1][1]!];
  const eq = e.tests!.find((t) => t.test === 'effects_equal')!;
  near(eq.W, (b1 - b2) ** 2 / (v11 + v22 - 2 * v12), 'W equal');
  assert.equal(eq.df, 1);
  const det = v11 * v22 - v12 * v12;
  const zero = e.tests!.find((t) => t.test === 'effects_zero')!;
  near(zero.W, (b1 * b1 * v22 - 2 * b1 * b2 * v12 + b2 * b2 * v11) / det, 'W zero');
  assert.equal(zero.df, 2);
  const far = estimateDcdh(panelOf(PATHS, 0.3), { effects: 6, placebo: 0 });
  assert.ok(far.tests!.every((t) => t.W === null && /of the 6 effects are not identified/.test(t.reason!)));
});
