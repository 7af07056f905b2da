/**
 * BJS with covariates in the first stage and with anticipation, against a brute force of BJS (2024)
 * Theorems 2–3 written here with the dense untreated design Z₀ = [unit dummies, period dummies, x]
 * (didimputation's `first_stage = ~ x | unit + year`): OLS on Ω₀ = {t < g − δ}, τ̂ on the rest,
 * v₀ = −Z₀(Z₀'Z₀)⁻¹Z₁'w₁, τ̄ by cohort × period, V = Σ_i (Σ_t v_it ε̃_it)². didimputation publishes no
 * output with covariates (its README and tests run none; df_het has no covariate column), so this
 * brute force is the check; without covariates, didimputation's README numbers on df_het are
 * (test-reference/estimators/bjs/peers.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { invert } from '../../../src/linalg/small.js';
import type { Panel } from '../../../src/panel/panel.js';
import { near, synthPanel, withCovariate } from '../helpers.js';

/** Brute-force BJS with covariate columns `xs` and anticipation δ, for weights w on treated (t ≥ g) observations. */
function denseBjs(
  p: Panel,
  xs: string[],
  delta: number,
  w: (i: number, t: number) => number,
): { att: number; se: number; gamma: number[] } {
  const n = p.nUnits,
    T = p.nPeriods,
    q = xs.length;
  const untreated = (i: number, t: number) => !(p.group[i] > 0 && p.periods[t] >= p.group[i] - delta);
  const cov = (j: number, i: number, t: number) => {
    const x = p.covariates[xs[j]];
    return x.length === n ? x[i] : x[t * n + i];
  };
  const cols = n + T - 1 + q;
  const z = (i: number, t: number) => {
    const v = new Float64Array(cols);
    v[i] = 1;
    if (t > 0) v[n + t - 1] = 1;
    for (let j = 0; j < q; j++) v[n + T - 1 + j] = cov(j, i, t);
    return v;
  };
  const ztz = new Float64Array(cols * cols),
    zty = new Float64Array(cols),
    z1w = new Float64Array(cols);
  let wsum = 0;
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (!untreated(i, t)) wsum += w(i, t);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const zi = z(i, t);
      if (!untreated(i, t)) {
        for (let a = 0; a < cols; a++) z1w[a] += (zi[a] * w(i, t)) / wsum;
        continue;
      }
      for (let a = 0; a < cols; a++) {
        zty[a] += zi[a] * p.y[t * n + i];
        for (let b = 0; b < cols; b++) ztz[a * cols + b] += zi[a] * zi[b];
      }
    }
  const inv = invert(ztz, cols)!;
  const mul = (v: Float64Array) =>
    Float64Array.from({ length: cols }, (_, a) => {
      let s = 0;
      for (let b = 0; b < cols; b++) s += inv[a * cols + b] * v[b];
      return s;
    });
  const beta = mul(zty),
    bv = mul(z1w);
  const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, j) => s + v * y[j], 0);
  const tau = (i: number, t: number) => p.y[t * n + i] - dot(z(i, t), beta);
  let att = 0;
  const cellSum = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++)
      if (!untreated(i, t)) {
        att += (w(i, t) / wsum) * tau(i, t);
        const key = `${p.group[i]},${t}`,
          v2 = (w(i, t) / wsum) ** 2,
          cur = cellSum.get(key) ?? [0, 0];
        cellSum.set(key, [cur[0] + v2 * tau(i, t), cur[1] + v2]);
      }
  let variance = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      if (!untreated(i, t)) {
        const v = w(i, t) / wsum;
        if (v === 0) continue;
        const [num, den] = cellSum.get(`${p.group[i]},${t}`)!;
        s += v * (tau(i, t) - num / den);
      } else s += -dot(z(i, t), bv) * tau(i, t);
    }
    variance += s * s;
  }
  return { att, se: Math.sqrt(variance), gamma: Array.from(beta.slice(n + T - 1)) };
}

const groups = [0, 0, 0, 0, 3, 3, 3, 4, 4, 5, 5, 0, 3, 5, 0, 4];
const grow = (g: number, e: number) => 1 + 0.6 * e + 0.3 * g;

describe('BJS with covariates and anticipation', () => {
  const p = withCovariate(synthPanel({ seed: 'bjs-cov', groups, T: 7, effect: grow }), 'bjs-cov-x');
  const post = (i: number, t: number) => (p.group[i] > 0 && p.periods[t] >= p.group[i] ? 1 : 0);
  const at = (e: number) => (i: number, t: number) => (p.group[i] > 0 && p.periods[t] - p.group[i] === e ? 1 : 0);

  for (const [xs, delta] of [
    [['x'], 0],
    [[], 1],
    [['x'], 1],
  ] as const) {
    it(`covariates [${xs.join(', ')}], anticipation ${delta}: simple, every event time and γ̂ equal the brute force (1e-9)`, () => {
      const out = estimateBjs(p, { covariates: [...xs], anticipation: delta });
      const s = denseBjs(p, [...xs], delta, post);
      near(out.aggregates.simple!.att, s.att, 1e-9, 'simple');
      near(out.aggregates.simple!.se, s.se, 1e-9, 'simple se');
      if (xs.length) near(out.covariates![0].coef, s.gamma[0], 1e-9, 'γ̂');
      const keys = out.aggregates.dynamic!.detail!.map((d) => d.key);
      assert.equal(Math.min(...keys), delta === 0 ? 0 : -delta, 'anticipation rows −δ … −1 are reported');
      for (const d of out.aggregates.dynamic!.detail!) {
        const r = denseBjs(p, [...xs], delta, at(d.key));
        near(d.att, r.att, 1e-9, `e=${d.key}`);
        near(d.se, r.se, 1e-9, `e=${d.key} se`);
      }
      for (const g of out.aggregates.group!.detail!) {
        const r = denseBjs(p, [...xs], delta, (i, t) => (p.group[i] === g.key ? post(i, t) : 0));
        near(g.att, r.att, 1e-9, `g=${g.key}`);
        near(g.se, r.se, 1e-9, `g=${g.key} se`);
      }
    });
  }

  it('the overall dynamic effect averages ℓ ≥ 0 only, never the anticipation rows', () => {
    const out = estimateBjs(p, { anticipation: 1 }).aggregates.dynamic!;
    const postRows = out.detail!.filter((d) => d.key >= 0);
    near(out.att, postRows.reduce((s, d) => s + d.att!, 0) / postRows.length, 1e-12, 'mean of ℓ ≥ 0');
  });

  it('a covariate the unit effects absorb is left out with a message; an unknown one is refused', () => {
    const a = estimateBjs(p, { covariates: ['flat'] }),
      b = estimateBjs(p);
    assert.match(a.messages.join(' '), /flat has no variation on the untreated observations/);
    near(a.aggregates.simple!.att, b.aggregates.simple!.att!, 1e-10, 'att');
    assert.throws(() => estimateBjs(p, { covariates: ['nope'] }), /bjs: covariate "nope" is not a column/);
  });
});
