/**
 * did2s against a brute force of Gardner (2022) written here with dense matrices: the first stage by
 * OLS on [unit or cluster dummies, period dummies] over the untreated rows, the second stage by OLS of
 * Ỹ on the event-time dummies, and the GMM influence (X₂'X₂)⁻¹[γ'x₁₀ ε̂₁ − x₂ ε̂₂], γ = (X₁₀'X₁₀)⁻¹X₁'X₂,
 * summed by cluster (did2s R/did2s.R's analytic SE). Plus the closed-form identity with BJS: with unit
 * fixed effects the two-stage point estimates are the imputation estimates (Borusyak, Jaravel & Spiess
 * 2024, Section 4.4; Gardner 2022, Section 3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { estimateDid2s } from '../../../src/estimators/did2s/index.js';
import { invert } from '../../../src/linalg/small.js';
import type { Panel } from '../../../src/panel/panel.js';
import { near, synthPanel } from '../helpers.js';

/** Dense two-stage event study with first-stage groups `fe` and clusters `cl`; returns β and V. */
function dense(p: Panel, fe: number[], cl: number[], keys: number[]) {
  const n = p.nUnits,
    T = p.nPeriods;
  const A = Math.max(...fe) + 1;
  const p1 = A + T - 1;
  const x1 = (i: number, t: number) => {
    const v = new Float64Array(p1);
    v[fe[i]] = 1;
    if (t > 0) v[A + t - 1] = 1;
    return v;
  };
  const treated = (i: number, t: number) => p.group[i] > 0 && p.periods[t] >= p.group[i];
  const m = new Float64Array(p1 * p1),
    r = new Float64Array(p1);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      if (treated(i, t)) continue;
      const v = x1(i, t);
      for (let a = 0; a < p1; a++) {
        r[a] += v[a] * p.y[t * n + i];
        for (let b = 0; b < p1; b++) m[a * p1 + b] += v[a] * v[b];
      }
    }
  const inv = invert(m, p1)!;
  const th = Float64Array.from({ length: p1 }, (_, a) => inv.slice(a * p1, a * p1 + p1).reduce((s, x, b) => s + x * r[b], 0));
  const dot = (u: Float64Array, w: Float64Array) => u.reduce((s, x, a) => s + x * w[a], 0);
  const K = keys.length;
  const x2 = (i: number, t: number) => {
    const v = new Float64Array(K);
    if (p.group[i] > 0) {
      const k = keys.indexOf(p.periods[t] - p.group[i]);
      if (k >= 0) v[k] = 1;
    }
    return v;
  };
  const ytil = (i: number, t: number) => p.y[t * n + i] - dot(x1(i, t), th);
  const x2x2 = new Float64Array(K),
    x2y = new Float64Array(K),
    x1x2 = new Float64Array(p1 * K);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const v = x2(i, t),
        u = x1(i, t);
      for (let k = 0; k < K; k++) {
        x2x2[k] += v[k];
        x2y[k] += v[k] * ytil(i, t);
        for (let a = 0; a < p1; a++) x1x2[a * K + k] += u[a] * v[k];
      }
    }
  const beta = Float64Array.from(x2y, (s, k) => s / x2x2[k]);
  // γ = (X₁₀'X₁₀)⁻¹ X₁'X₂
  const gamma = new Float64Array(p1 * K);
  for (let a = 0; a < p1; a++)
    for (let k = 0; k < K; k++) for (let b = 0; b < p1; b++) gamma[a * K + k] += inv[a * p1 + b] * x1x2[b * K + k];
  const G = Math.max(...cl) + 1;
  const S = new Float64Array(G * K);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const v = x2(i, t),
        u = x1(i, t);
      const e1 = treated(i, t) ? 0 : ytil(i, t);
      const e2 = ytil(i, t) - dot(v, beta);
      for (let k = 0; k < K; k++) {
        let g = 0;
        for (let a = 0; a < p1; a++) g += gamma[a * K + k] * u[a];
        S[cl[i] * K + k] += (g * e1 - v[k] * e2) / x2x2[k];
      }
    }
  const V = new Float64Array(K * K);
  for (let c = 0; c < G; c++) for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) V[k * K + l] += S[c * K + k] * S[c * K + l];
  return { beta, V };
}

const panel = synthPanel({
  seed: 'did2s',
  groups: [0, 0, 0, 0, 0, 3, 3, 3, 4, 4, 4, 4, 6, 6, 6, 0, 3, 4],
  T: 7,
  effect: (g, e) => 1 + 0.5 * e + 0.1 * g,
  clusters: 6,
});

describe('did2s', () => {
  it('event-study coefficients and the GMM covariance equal the dense brute force (unit FE, unit clusters)', () => {
    const out = estimateDid2s(panel);
    const d = out.aggregates.dynamic!;
    const keys = d.detail!.map((x) => x.key);
    assert.deepEqual(keys, [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
    const ids = Array.from({ length: panel.nUnits }, (_, i) => i);
    const ref = dense(panel, ids, ids, keys);
    keys.forEach((_, k) => {
      near(d.detail![k].att, ref.beta[k], 1e-10, `beta ${keys[k]}`);
      near(d.detail![k].se, Math.sqrt(ref.V[k * keys.length + k]), 1e-10, `se ${keys[k]}`);
      for (let l = 0; l < keys.length; l++) near(d.vcov![k][l], ref.V[k * keys.length + l], 1e-10, `vcov ${k},${l}`);
    });
    // The overall dynamic: the mean of the post rows, its variance the mean of their covariance block.
    const post = keys.map((e, k) => (e >= 0 ? k : -1)).filter((k) => k >= 0);
    let v = 0;
    for (const k of post) for (const l of post) v += ref.V[k * keys.length + l] / post.length ** 2;
    near(d.se, Math.sqrt(v), 1e-10, 'dynamic overall se');
  });

  it('cluster-column fixed effects and clusters equal the brute force with those dummies', () => {
    const out = estimateDid2s(panel, { fixedEffects: 'column', cluster: 'column' });
    const keys = out.aggregates.dynamic!.detail!.map((x) => x.key);
    const cl = Array.from(panel.cluster!, (c) => [...new Set(panel.cluster!)].indexOf(c));
    const ref = dense(panel, cl, cl, keys);
    keys.forEach((_, k) => {
      near(out.aggregates.dynamic!.detail![k].att, ref.beta[k], 1e-10, `beta ${keys[k]}`);
      near(out.aggregates.dynamic!.detail![k].se, Math.sqrt(ref.V[k * keys.length + k]), 1e-10, `se ${keys[k]}`);
    });
  });

  it('with unit fixed effects the point estimates are the BJS imputation estimates', () => {
    const a = estimateDid2s(panel),
      b = estimateBjs(panel);
    near(a.aggregates.simple!.att, b.aggregates.simple!.att!, 1e-10, 'simple');
    for (const d of b.aggregates.dynamic!.detail!) {
      const x = a.aggregates.dynamic!.detail!.find((r) => r.key === d.key)!;
      near(x.att, d.att!, 1e-10, `e=${d.key}`);
    }
  });

  it('a constant effect is recovered exactly without noise; no untreated rows: null with a reason', () => {
    const T = 6,
      groups = [0, 0, 3, 3, 5, 5];
    const n = groups.length;
    const y = new Float64Array(n * T);
    for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) y[t * n + i] = i + 0.3 * t + (groups[i] > 0 && t + 1 >= groups[i] ? 2 : 0);
    const p = {
      ...panel,
      nUnits: n,
      nPeriods: T,
      periods: Float64Array.from({ length: T }, (_, t) => t + 1),
      ids: groups.map(String),
      group: Float64Array.from(groups),
      y,
      cluster: undefined,
    };
    const out = estimateDid2s(p);
    near(out.aggregates.simple!.att, 2, 1e-12, 'constant effect');
    const all = { ...p, group: Float64Array.from(groups, () => 1) };
    const bad = estimateDid2s(all);
    assert.equal(bad.aggregates.simple!.att, null);
    assert.match(bad.aggregates.simple!.reason!, /untreated|imputable/);
  });
});
