/**
 * dcdh's trends_lin and same_switchers_pl on noiseless panels, where the closed forms are known.
 *
 * y_it = α_i + β_i·t + λ_t + τ·D_it with unit-specific slopes β_i that differ between switchers and
 * controls. On first differences β_i is a constant, so each difference-in-differences of ΔY removes it,
 * and trends_lin's DID_ℓ = Σ_{k≤ℓ} [ΔY_{F−1+k} − ΔY_{F−1}]-DiD = τ·(D_{F−1+ℓ} − D_{F−1}), signed by the
 * switch's direction: τ·δ_ℓ over the switchers with all ℓ effects (de Chaisemartin & D'Haultfœuille
 * 2024, Section 5); placebos are 0; the plain DID_ℓ carries the slope gap ℓ·(β_switcher − β_control).
 * The parity with R DIDmultiplegtDYN (Trends_Lin, Same_Switchers_Placebo on wagepan) is in
 * test-reference/estimators/dcdh/wagepan.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkEstimatorFlags } from '../../../src/cli/estimate.js';
import { dcdhEstimates, dcdhHorizon } from '../../../src/estimators/dcdh/did-l.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { buildEstimator } from '../../../src/estimators/registry.js';
import { clusterCodes } from '../../../src/estimators/twfe/start-groups.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { estimatorSchema } from '../../../src/scenario/schema.js';

const TAU = 0.7;
const T = 7;
// Treatment paths over T = 7 periods, how many units follow each, and their slope β.
const PATHS: [string, number, number][] = [
  ['0000000', 6, 0.1], // never switches: controls of the switchers in
  ['0001111', 3, 0.9], // in at period 4, stays
  ['0011000', 3, -0.4], // in at 3, out at 5
  ['0000011', 2, 0.5], // in at 6
  ['0100000', 2, 1.3], // in at 2: left out under trends_lin
  ['1111111', 5, -0.2], // never switches: controls of the switchers out
  ['1110000', 3, 0.6], // out at 4
];

function panelOf(): Panel {
  const rows = PATHS.flatMap(([p, k, b]) => Array<[string, number]>(k).fill([p, b]));
  const n = rows.length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      D[t * n + i] = Number(rows[i][0][t]);
      y[t * n + i] = Math.sin(2 * i + 1) * 4 + rows[i][1] * t + Math.cos(1.3 * t) * 2 + 0.1 * t * t + TAU * D[t * n + i];
    }
  const group = rows.map(([p]) => (p.indexOf('1') < 0 ? 0 : p.indexOf('1') + 1));
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y, treatment: D });
}

/** τ·δ_ℓ over the switchers trends_lin keeps for DID_ℓ: first switch F ≥ 2 (0-based), F − 1 + ℓ ≤ T − 1. */
function expected(l: number): number | null {
  let n = 0,
    now = 0;
  for (const [p, k] of PATHS) {
    const d1 = Number(p[0]);
    const F = [...p].findIndex((c) => Number(c) !== d1);
    if (F < 2 || F - 1 + l > T - 1) continue;
    n += k;
    now += k * Math.abs(Number(p[F - 1 + l]) - d1);
  }
  return n === 0 ? null : (TAU * now) / n;
}

const near = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-10, `${what}: ${a} vs ${b}`);

it('trends_lin: DID_ℓ = τ·δ_ℓ despite unit-specific slopes, placebos 0; the plain DID_ℓ is off by the slopes', () => {
  const p = panelOf();
  const e = estimateDcdh(p, { effects: 4, placebo: 1, trendsLin: true });
  const plain = estimateDcdh(p, { effects: 4, placebo: 1 });
  const rows = e.aggregates.dynamic!.detail!;
  for (let l = 1; l <= 4; l++) {
    const want = expected(l);
    const r = rows.find((x) => x.key === l - 1)!;
    if (want === null) assert.equal(r.att, null, `DID_${l}`);
    else near(r.att, want, `trends_lin DID_${l}`);
  }
  near(rows.find((x) => x.key === -2)!.att, 0, 'trends_lin placebo 1');
  const gap = (key: number) =>
    Math.abs(plain.aggregates.dynamic!.detail!.find((x) => x.key === key)!.att! - rows.find((x) => x.key === key)!.att!);
  assert.ok(gap(3) > 0.1 && gap(-2) > 0.1, 'the slopes bias the plain DID_4 and placebo 1');
  assert.equal(e.aggregates.simple!.att, null);
  assert.match(e.aggregates.simple!.reason!, /no average total effect/);
  assert.match(e.messages.join('\n'), /trends_lin: 2 unit\(s\) whose treatment first changes in period 2 are left out/);
});

it('trends_lin: each DID_ℓ averages the switchers with all ℓ effects, and its SE is that of the summed influence', () => {
  const p = panelOf();
  const e = estimateDcdh(p, { effects: 3, placebo: 1, trendsLin: true });
  const v = e.aggregates.dynamic!.vcov!;
  const rows = e.aggregates.dynamic!.detail!;
  rows.forEach((r, i) => {
    if (r.se !== null) near(Math.sqrt(v[i][i]!), r.se, `vcov diagonal ${r.key}`);
  });
  // With y exactly linear in the slopes and τ the influence terms are 0 only up to rounding.
  assert.ok(rows.every((r) => r.se === null || r.se < 1e-9));
});

it('trends_lin: placebos beyond the package’s count are rows with the reason (its max min(L_g, F_g − 2) − 1)', () => {
  // Differenced panel: F = 2 (L = 4) and F = 4 (L = 2) give max min(L, F) = 2, so one placebo, though
  // the F = 4 switchers' differences would allow a second: the package's count is kept.
  const e = estimateDcdh(panelOf(), { effects: 4, placebo: 3, trendsLin: true });
  const rows = e.aggregates.dynamic!.detail!;
  assert.notEqual(rows.find((r) => r.key === -2)!.att, null);
  for (const key of [-3, -4]) {
    const far = rows.find((r) => r.key === key)!;
    assert.equal(far.att, null);
    assert.match(far.reason!, /trends_lin: did_multiplegt_dyn computes 1 placebo\(s\) here/);
  }
});

it('same_switchers_pl: placebo ℓ averages only the switchers that have every placebo asked for', () => {
  const p = panelOf();
  const cluster = clusterCodes(p, false);
  const h = dcdhHorizon(p, {});
  const run = (pl: boolean) =>
    dcdhEstimates(p, { effects: 2, placebo: 2, control: 'notyet', cluster, sameSwitchers: true, sameSwitchersPl: pl }, h.design);
  const a = run(false);
  const b = run(true);
  // Placebo 2 needs F − 3 ≥ 0: 0001111 (3), 1110000 (3), 0000011 (2) and 0011000 (F = 2: no).
  assert.equal(a.placebos[1].switchers, 8);
  assert.equal(b.placebos[0].switchers, 8, 'placebo 1 from the same 8 switchers');
  assert.ok(a.placebos[0].switchers > 8);
  assert.deepEqual(
    a.effects.map((r) => r.att),
    b.effects.map((r) => r.att),
    'the effects do not change',
  );
  assert.throws(() => estimateDcdh(p, { sameSwitchersPl: true }), /same_switchers_pl needs same_switchers/);
});

it('trends_lin and same_switchers_pl are dcdh options: flags and scenario keys, refused elsewhere', () => {
  checkEstimatorFlags('dcdh', { 'trends-lin': true, 'same-switchers': true, 'same-switchers-pl': true });
  assert.throws(() => checkEstimatorFlags('twfe', { 'trends-lin': true }), /--trends-lin works with --estimator dcdh/);
  assert.throws(() => buildEstimator('did', { trendsLin: true }), /did does not take trendsLin/);
  const entry = estimatorSchema.parse({ name: 'd', type: 'dcdh', trends_lin: true, same_switchers: true, same_switchers_pl: true });
  assert.equal(entry.trends_lin, true);
  assert.equal(entry.same_switchers_pl, true);
  assert.throws(() => estimatorSchema.parse({ name: 'c', type: 'bjs', trends_lin: true }), /trends_lin/);
});
