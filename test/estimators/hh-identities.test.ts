/**
 * hh: identities of the model and its statistical behaviour — one person per cell (means = individual),
 * invariance to the order of the clusters, the Hussey & Hughes (2007) closed-form Var(θ̂) at known
 * variance components, coverage and bias of a seeded simulation from the model, the refusals and the
 * t(G − 1) inference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hhCells } from '../../src/estimators/hh/cells.js';
import { estimateHh, fitHh } from '../../src/estimators/hh/index.js';
import { RemlWork, remlAt } from '../../src/estimators/hh/reml.js';
import { EstimatorInputError } from '../../src/estimators/errors.js';
import { buildEstimator } from '../../src/estimators/registry.js';
import { makePanel, type Panel } from '../../src/panel/panel.js';
import { seeded } from '../../src/random/stream.js';
import { estimatorSchema } from '../../src/scenario/schema.js';
import { qt } from '../../src/stats/student-t.js';
import { steppedWedgePanel, swStarts } from '../helpers/stepped-wedge-panel.js';
import { panelOf } from '../helpers/hh-reference.js';

const REF = JSON.parse(readFileSync(new URL('../../../test/fixtures/hh/reference.json', import.meta.url), 'utf8'));

test('one person per cell: data means and data individual give the same fit (W = 0, N = C, Σ log n = 0)', () => {
  const p = steppedWedgePanel(seeded('hh-one'), { clusters: 10, periods: 6, waves: 5, size: 1, tau: 0.4, sigma: 1, theta: 0.3 });
  for (const correlation of ['exchangeable', 'decay'] as const) {
    const a = fitHh(p, { data: 'means', correlation }).fit;
    const b = fitHh(p, { data: 'individual', correlation }).fit;
    for (const k of ['theta', 'se', 'sigma2', 'tau2', 'logLik'] as const)
      assert.ok(Math.abs(a[k] - b[k]) <= 1e-9 * Math.max(1, Math.abs(a[k])), `${correlation} ${k}: ${a[k]} vs ${b[k]}`);
  }
});

test('permuting the clusters leaves θ̂, its SE and the variance components unchanged', () => {
  const p = panelOf(REF.exch.cells);
  const G = p.nUnits,
    T = p.nPeriods;
  const perm = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4];
  const move = (v: Float64Array) => {
    const out = new Float64Array(v.length);
    for (let t = 0; t < T; t++) for (let i = 0; i < G; i++) out[t * G + i] = v[t * G + perm[i]];
    return out;
  };
  const q = makePanel({
    periods: p.periods,
    group: Float64Array.from(perm, (j) => p.group[j]),
    y: move(p.y),
    cellSize: move(p.cellSize!),
    cellSS: move(p.cellSS!),
  });
  // Equal up to the search's resolution: the summation order changes the criterion in its last bits,
  // which moves the optimum of a flat criterion by ~1e-6 in τ/σ (the parity tolerance with R is 1e-6).
  for (const data of ['means', 'individual'] as const) {
    const a = fitHh(p, { data }).fit,
      b = fitHh(q, { data }).fit;
    for (const [k, tol] of [
      ['theta', 1e-7],
      ['se', 1e-7],
      ['tau2', 1e-5],
      ['logLik', 1e-12],
    ] as const)
      assert.ok(Math.abs(a[k] - b[k]) <= tol * Math.max(1, Math.abs(a[k])), `${data} ${k}: ${a[k]} vs ${b[k]}`);
  }
});

test('at known variance components the SE is the Hussey & Hughes (2007, eq. 8) closed form, equal cell sizes', () => {
  // Var(θ̂) = I σ²(σ² + Tτ²) / [(IU − W)σ² + (U² + ITU − TW − IV)τ²], σ² = σ_e²/n the cell-mean variance,
  // U = Σ X_it, W = Σ_t (Σ_i X_it)², V = Σ_i (Σ_t X_it)².
  const G = 12,
    T = 7,
    n = 25,
    sigmaE2 = 1.3,
    tau2 = 0.09;
  const p = steppedWedgePanel(seeded('hh-closed'), { clusters: G, periods: T, waves: 6, size: n, tau: 0.3, sigma: 1, theta: 0 });
  const cells = hhCells(p, false);
  const ws = new RemlWork(cells, false);
  const f = remlAt(ws, { psi: tau2 / sigmaE2, a: 0, r: 1 })!;
  const varGls = (sigmaE2 * f.varTheta) / f.sigma2; // σ_e²·(M⁻¹)_θθ with M = X'H⁻¹X, H = D + (τ²/σ_e²)J
  const starts = swStarts(G, T, 6);
  let U = 0,
    W = 0,
    V = 0;
  for (let t = 1; t <= T; t++) {
    let col = 0;
    for (let i = 0; i < G; i++) col += t >= starts[i] ? 1 : 0;
    U += col;
    W += col * col;
  }
  for (let i = 0; i < G; i++) V += (T - starts[i] + 1) ** 2;
  const s2 = sigmaE2 / n;
  const hh = (G * s2 * (s2 + T * tau2)) / ((G * U - W) * s2 + (U * U + G * T * U - T * W - G * V) * tau2);
  assert.ok(Math.abs(varGls - hh) <= 1e-10 * hh, `GLS ${varGls}, closed form ${hh}`);
});

test('coverage and bias of 300 seeded fits from the model (12 clusters, 6 periods): within 4 MC SEs', () => {
  // Truth θ = 0.25; REML + model-based SE with t(11) intervals: nominal 95 %. With normal critical values
  // and 12 clusters the interval is known to be slightly short; t(G − 1) is the reference here.
  const rng = seeded('hh-coverage');
  const R = 300,
    theta = 0.25;
  for (const data of ['means', 'individual'] as const) {
    let cover = 0,
      sum = 0,
      sum2 = 0;
    for (let r = 0; r < R; r++) {
      const p = steppedWedgePanel(rng, { clusters: 12, periods: 6, waves: 5, size: [5, 30], tau: 0.3, sigma: 1, theta });
      const s = estimateHh(p, { data, inference: 't' }).aggregates.simple!;
      if (s.ci![0] <= theta && theta <= s.ci![1]) cover++;
      sum += s.att!;
      sum2 += s.att! ** 2;
    }
    const c = cover / R;
    const mcse = Math.sqrt((0.95 * 0.05) / R);
    assert.ok(Math.abs(c - 0.95) <= 4 * mcse, `${data}: coverage ${c}, nominal 0.95 ± ${4 * mcse}`);
    const mean = sum / R,
      sd = Math.sqrt(sum2 / R - mean * mean);
    assert.ok(Math.abs(mean - theta) <= (4 * sd) / Math.sqrt(R), `${data}: mean θ̂ ${mean}, truth ${theta}`);
  }
});

test('t inference: p and interval from t(G − 1); normal leaves them to the Wald row', () => {
  const p = panelOf(REF.exch.cells);
  const t = estimateHh(p, { inference: 't' }).aggregates.simple!;
  const crit = qt(0.975, 9);
  assert.equal(t.inference, 't(9)');
  assert.ok(Math.abs(t.ci![1] - t.ci![0] - 2 * crit * t.se!) < 1e-12);
  assert.ok(t.p! > 0 && t.p! < 1);
  // The analysis' alpha reaches the family through the registry (a run-wide setting hh uses).
  const t90 = buildEstimator('hh', { inference: 't', alpha: 0.1 }).estimate(p, seeded('x')).aggregates.simple!;
  assert.ok(Math.abs(t90.ci![1] - t90.ci![0] - 2 * qt(0.95, 9) * t90.se!) < 1e-12);
  const z = estimateHh(p).aggregates.simple!;
  assert.equal(z.p, undefined);
  assert.equal(z.ci, undefined);
});

test('boundary fit: the near-zero cluster variance is reported as singular, as lme4 does', () => {
  const e = estimateHh(panelOf(REF.small_tau.cells), { data: 'individual' });
  assert.equal(REF.small_tau.fits.individual_exchangeable.singular, true);
  assert.equal(e.hh!.tau2, 0);
  assert.ok(e.messages.some((m) => /boundary fit/.test(m)));
  assert.deepEqual(estimateHh(panelOf(REF.exch.cells), { data: 'individual' }).messages, []);
});

function tiny(group: number[], T = 4): Panel {
  const G = group.length;
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group,
    y: Float64Array.from({ length: G * T }, (_, k) => Math.sin(k * 1.7)),
    cellSize: new Float64Array(G * T).fill(1),
    cellSS: new Float64Array(G * T),
  });
}

test('not identified, with the reason: one cluster, no treated cells, every cluster switching together', () => {
  const reason = (p: Panel) => estimateHh(p).aggregates.simple!.reason ?? '';
  assert.match(reason(tiny([2])), /1 cluster with data; the model needs at least 2/);
  assert.match(reason(tiny([0, 0, 0])), /no treated cells/);
  assert.match(reason(tiny([3, 3, 3])), /collinear with the period effects/);
  assert.match(reason(tiny([1, 1, 1])), /no control cells/);
  const e = estimateHh(tiny([3, 3, 3]));
  assert.equal(e.aggregates.simple!.att, null);
  assert.match(e.hh_reason!, /collinear/);
  // A cluster that never starts beside others that switch together identifies θ.
  assert.equal(typeof estimateHh(tiny([0, 0, 3, 3])).aggregates.simple!.att, 'number');
});

test('refusals: block on means (an option error), block with one person per cell (not identified), individual without cells', () => {
  assert.throws(
    () => buildEstimator('hh', { correlation: 'block' }),
    (e: Error) => e instanceof EstimatorInputError && /needs data: individual/.test(e.message),
  );
  assert.match(estimateHh(tiny([0, 2, 3]), { correlation: 'block', data: 'individual' }).hh_reason!, /more than one person/);
  const bare = makePanel({ periods: [1, 2, 3], group: [0, 2, 3], y: new Float64Array(9).fill(1) });
  assert.throws(() => estimateHh(bare, { data: 'individual' }), /needs people per cell/);
  assert.throws(() => buildEstimator('hh', { method: 'dr' }), /hh does not take method/);
});

test('scenario entries: type hh takes correlation, data, inference (with defaults) and refuses did keys', () => {
  assert.deepEqual(estimatorSchema.parse({ name: 'hh', type: 'hh' }), {
    name: 'hh',
    type: 'hh',
    covariates: [],
    correlation: 'exchangeable',
    data: 'means',
    inference: 'normal',
  });
  const e = estimatorSchema.parse({ name: 'b', type: 'hh', correlation: 'block', data: 'individual', inference: 't' });
  assert.equal(e.correlation, 'block');
  assert.throws(() => estimatorSchema.parse({ name: 'x', type: 'hh', control: 'never' }), /hh does not take control/);
  assert.throws(() => estimatorSchema.parse({ name: 'x', type: 'did', correlation: 'decay' }), /did does not take correlation/);
});
