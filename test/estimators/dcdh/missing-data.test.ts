/**
 * dcdh on a panel with gaps: did_multiplegt_dyn's missing-data conventions (missing-data.ts, read from
 * did_multiplegt_main.R's "Dealing with missing treatments"), rule by rule on hand-made paths, and the
 * estimator's closed form when nothing is noisy: with y = α_g + λ_t + τ·D and rows absent, outcomes and
 * treatments missing and weights varying over time, every DID_ℓ is still τ. The parity with the
 * package's own R source on unbalanced panels is in test-reference/estimators/dcdh/missing.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dcdhDesign } from '../../../src/estimators/dcdh/design.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { seeded } from '../../../src/random/stream.js';

const NA = Number.NaN;

/** A panel from treatment paths (NaN = missing), every row present unless `absent` says, y = 10·i + t. */
function pathsPanel(paths: number[][], absent: [number, number][] = [], weights?: number[][]): Panel {
  const n = paths.length,
    T = paths[0].length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  const observed = new Uint8Array(n * T).fill(1);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      D[t * n + i] = paths[i][t];
      y[t * n + i] = 10 * i + t;
    }
  for (const [i, t] of absent) {
    observed[t * n + i] = 0;
    y[t * n + i] = NA;
    D[t * n + i] = NA;
  }
  const cellWeights = weights ? Float64Array.from({ length: n * T }, (_, k) => weights[k % n][Math.floor(k / n)]) : undefined;
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group: new Float64Array(n),
    y,
    treatment: D,
    observed,
    ...(cellWeights ? { cellWeights } : {}),
  });
}

const col = (v: Float64Array, n: number, i: number) => Array.from({ length: v.length / n }, (_, t) => v[t * n + i]);

it('missing treatments: the package’s fills, truncations and switchers turned controls, rule by rule', () => {
  const p = pathsPanel([
    [0, NA, 0, 1, NA, 1], // 0: switcher, LDBF = F − 1: baseline fill before, D_{F} after
    [0, NA, 0, NA, 1, 1], // 1: switcher with a missing treatment just before F: a control until LD + 1
    [NA, 0, NA, 0, NA, NA], // 2: never-switcher: joins at FD, filled to LD, outcomes after LD dropped
    [0, 0, 0, 0, 0, 0], // 3, 4: never-switchers
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 1], // 5: switcher at period 6
  ]);
  const n = 6;
  const d = dcdhDesign(p, []);
  assert.deepEqual(col(d.D, n, 0), [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(col(d.y, n, 0), [0, 1, 2, 3, 4, 5]);
  assert.equal(d.F[0], 3);
  // Unit 1: LDBF = period 3 (0-based 2) < F − 1 = 3: outcomes after LDBF dropped, a never-switcher.
  assert.equal(d.F[1], 6);
  assert.equal(d.dir[1], 0);
  assert.deepEqual(col(d.y, n, 1), [10, 11, 12, NA, NA, NA]);
  // As a never-switcher now, its missing treatments between FD and LD are filled with the baseline;
  // its weight is 0 from the dropped outcomes on.
  assert.deepEqual(col(d.D, n, 1), [0, 0, 0, 0, 1, 1]);
  assert.deepEqual(col(d.N, n, 1), [1, 1, 1, 0, 0, 0]);
  // Unit 2: no outcome before FD, D filled between FD and LD, no outcome after LD.
  assert.deepEqual(col(d.y, n, 2), [NA, 21, 22, 23, NA, NA]);
  assert.deepEqual(col(d.D, n, 2), [NA, 0, 0, 0, NA, NA]);
  assert.deepEqual(col(d.N, n, 2), [0, 1, 1, 1, 0, 0]);
  // T_g: never-switchers 3, 4 are controls to the end.
  assert.equal(d.Tg[0], 5);
  assert.ok(d.messages.some((m) => /used as controls until/.test(m)));
  assert.ok(d.messages.some((m) => /missing treatment\(s\) filled/.test(m)));
});

it('missing treatments: T_g ends where the last control is truncated, and drop_if_d_miss_before_first_switch', () => {
  // Only never-switcher (unit 2) stops at period 4: the stratum's comparisons end there (T_g = 3, 0-based).
  const p = pathsPanel([
    [0, 0, 1, 1, 1, 1],
    [0, 0, 0, 0, 1, 1],
    [0, 0, 0, 0, NA, NA],
  ]);
  const d = dcdhDesign(p, []);
  assert.equal(d.Tg[0], 3);
  // (Rows with a missing treatment still count as unswitched for the periods the stratum keeps.)
  assert.equal(d.Tmax, 5);
  // Unit 1 changes at period 5 (0-based 4), after T_g: no comparison left, so no switcher.
  assert.equal(d.dir[1], 0);
  // drop_if_d_miss_before_first_switch: unit 0's treatment missing at period 2, before its change at 4.
  const q = pathsPanel([
    [0, NA, 0, 1, 1, 1],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0],
  ]);
  assert.deepEqual(col(dcdhDesign(q, []).y, 3, 0), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(col(dcdhDesign(q, [], undefined, { dropIfDMissBeforeFirstSwitch: true }).y, 3, 0), [0, NA, NA, NA, NA, NA]);
});

it('absent rows: a unit never treated or never with an outcome leaves the sample; a period without an unswitched unit leaves its stratum', () => {
  const p = pathsPanel(
    [
      [0, 0, 1, 1],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ],
    [
      [3, 0],
      [3, 1],
      [3, 2],
      [3, 3],
      [2, 2],
    ],
  );
  const d = dcdhDesign(p, []);
  assert.equal(d.stratum[3], -1, 'unit 3 has no row: out');
  assert.ok(d.messages.some((m) => /no observed treatment or no observed outcome/.test(m)));
  // Unit 2's absent period 3 has no outcome and no weight; its other periods count.
  assert.deepEqual(col(d.N, 4, 2), [1, 1, 0, 1]);
  // A period at which every unswitched unit is absent leaves the stratum: drop unit 2's last row too.
  const q = pathsPanel(
    [
      [0, 0, 1, 1],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ],
    [[2, 3]],
  );
  const e = dcdhDesign(q, []);
  assert.equal(e.Tmax, 2, 'period 4 has no unswitched unit left');
  assert.deepEqual(col(e.N, 3, 1), [1, 1, 1, 0]);
});

/** y = α_g + λ_t + τ·D_{g,t}: every comparison nets α and λ out, whatever is missing. */
function noiselessGapped(seed: string, tau: number): Panel {
  const rng = seeded(seed);
  const n = 120,
    T = 8;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  const observed = new Uint8Array(n * T).fill(1);
  const cellWeights = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    const F = 1 + Math.floor(rng() * (T + 3)); // first change at 1 … T − 1, or never
    const base = i % 2;
    for (let t = 0; t < T; t++) {
      const k = t * n + i;
      D[k] = t >= F ? 1 - base : base;
      y[k] = Math.sin(3 * i + 1) * 5 + Math.cos(1.7 * t) * 3 + 0.2 * t * t + tau * D[k];
      cellWeights[k] = 1 + Math.floor(rng() * 4);
      const r = rng();
      if (r < 0.07) {
        observed[k] = 0;
        y[k] = NA;
        D[k] = NA;
      } else if (r < 0.11) y[k] = NA;
      else if (r < 0.15) D[k] = NA;
    }
  }
  return makePanel({
    periods: Array.from({ length: T }, (_, t) => t + 1),
    group: new Float64Array(n),
    y,
    treatment: D,
    observed,
    cellWeights,
  });
}

it('noiseless panel with gaps and time-varying weights: every DID_ℓ, placebo 0 and the average total effect recover τ exactly', () => {
  const tau = 0.7;
  const p = noiselessGapped('dcdh-gaps-noiseless', tau);
  for (const opts of [{}, { lessConservativeSe: true }, { sameSwitchers: true }, { control: 'never' as const }]) {
    const e = estimateDcdh(p, { effects: 4, placebo: 2, ...opts });
    const rows = e.aggregates.dynamic!.detail!;
    for (const r of rows) {
      assert.ok(r.att !== null, `${JSON.stringify(opts)} e = ${r.key}: ${r.reason}`);
      // Switchers out change treatment by −1 and enter with their sign flipped: every effect is τ.
      const want = r.key >= 0 ? tau : 0;
      assert.ok(Math.abs(r.att - want) < 1e-9, `${JSON.stringify(opts)} e = ${r.key}: ${r.att} vs ${want}`);
      assert.ok(Number.isFinite(r.se!), `${JSON.stringify(opts)} e = ${r.key}: SE ${r.se}`);
    }
    assert.ok(Math.abs(e.aggregates.simple!.att! - tau) < 1e-9, `${JSON.stringify(opts)} average total effect`);
  }
});

it('controls on a panel with gaps, some of them missing: y = … + τD + 0.9·x, so with x controlled every DID_ℓ is τ exactly (and not without)', () => {
  const tau = 0.7;
  const p = noiselessGapped('dcdh-gaps-controls', tau);
  const n = p.nUnits,
    NT = n * p.nPeriods;
  const x = Float64Array.from({ length: NT }, (_, k) => (k % 29 === 3 ? NA : Math.cos(0.37 * k) + 0.1 * Math.floor(k / n)));
  const y = Float64Array.from(p.y, (v, k) => v + 0.9 * x[k]);
  const q = makePanel({ ...p, y, covariates: { x } });
  const e = estimateDcdh(q, { effects: 3, placebo: 2, covariates: ['x'] });
  assert.ok(
    e.messages.some((m) => /rows with a missing control left out/.test(m)),
    e.messages.join('\n'),
  );
  for (const r of e.aggregates.dynamic!.detail!) {
    assert.ok(r.att !== null, `e = ${r.key}: ${r.reason}`);
    const want = r.key >= 0 ? tau : 0;
    assert.ok(Math.abs(r.att - want) < 1e-9, `e = ${r.key}: ${r.att} vs ${want}`);
    assert.ok(Number.isFinite(r.se!));
  }
  const without = estimateDcdh(q, { effects: 3, placebo: 2 });
  assert.ok(without.aggregates.dynamic!.detail!.some((r) => r.att !== null && Math.abs(r.att - (r.key >= 0 ? tau : 0)) > 1e-3));
});
