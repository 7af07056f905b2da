/**
 * BJS imputation: estimates and conservative SEs against a brute-force computation of BJS (2024)
 * Theorem 2 and 3 with the dense untreated design Z₀ (unit and period dummies): OLS on Ω₀, τ̂ on Ω₁,
 * v₀ = −Z₀(Z₀'Z₀)⁻¹Z₁'w₁, τ̄ by cohort × period, V = Σ_i (Σ_t v_it ε̃_it)²; plus exactness under a
 * constant effect, the no-never-treated case and the never-NaN paths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../../src/estimators/bjs/index.js';
import { invert } from '../../../src/linalg/small.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { near, synthPanel } from '../helpers.js';

/** Brute-force BJS for observation weights w(i, t) on treated observations (normalised inside). */
function denseBjs(p: Panel, w: (i: number, t: number) => number): { att: number; se: number } {
  const n = p.nUnits,
    T = p.nPeriods;
  const treated = (i: number, t: number) => p.group[i] > 0 && p.periods[t] >= p.group[i];
  const cols = n + T - 1; // unit dummies, period dummies 2..T
  const z = (i: number, t: number) => {
    const v = new Float64Array(cols);
    v[i] = 1;
    if (t > 0) v[n + t - 1] = 1;
    return v;
  };
  const ztz = new Float64Array(cols * cols),
    zty = new Float64Array(cols),
    z1w = new Float64Array(cols);
  let wsum = 0;
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (treated(i, t)) wsum += w(i, t);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const zi = z(i, t);
      if (treated(i, t)) {
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
      if (treated(i, t)) {
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
      if (treated(i, t)) {
        const v = w(i, t) / wsum;
        if (v === 0) continue;
        const [num, den] = cellSum.get(`${p.group[i]},${t}`)!;
        s += v * (tau(i, t) - num / den);
      } else {
        s += -dot(z(i, t), bv) * tau(i, t);
      }
    }
    variance += s * s;
  }
  return { att, se: Math.sqrt(variance) };
}

const groups = [0, 0, 0, 0, 3, 3, 3, 4, 4, 5, 5, 0, 3, 5];
const grow = (g: number, e: number) => 1 + 0.6 * e + 0.3 * g;

describe('Borusyak–Jaravel–Spiess imputation', () => {
  const p = synthPanel({ seed: 'bjs', groups, T: 6, effect: grow });
  const out = estimateBjs(p);

  it('simple ATT and its conservative SE equal the dense brute force (1e-9)', () => {
    const ref = denseBjs(p, () => 1);
    near(out.aggregates.simple!.att, ref.att, 1e-9, 'att');
    near(out.aggregates.simple!.se, ref.se, 1e-9, 'se');
  });

  it('every event time and cohort equals the dense brute force (1e-9)', () => {
    for (const d of out.aggregates.dynamic!.detail!) {
      const ref = denseBjs(p, (i, t) => (p.periods[t] - p.group[i] === d.key ? 1 : 0));
      near(d.att, ref.att, 1e-9, `e=${d.key}`);
      near(d.se, ref.se, 1e-9, `se e=${d.key}`);
    }
    for (const d of out.aggregates.group!.detail!) {
      const ref = denseBjs(p, (i) => (p.group[i] === d.key ? 1 : 0));
      near(d.att, ref.att, 1e-9, `g=${d.key}`);
      near(d.se, ref.se, 1e-9, `se g=${d.key}`);
    }
    assert.deepEqual(
      out.aggregates.dynamic!.detail!.map((d) => d.key),
      [0, 1, 2, 3],
    );
  });

  it('recovers a constant effect exactly when outcomes have no noise', () => {
    const clean = {
      ...p,
      y: Float64Array.from(p.y, (_, m) => {
        const t = Math.floor(m / groups.length),
          i = m % groups.length,
          g = groups[i];
        return 0.7 * i - 0.2 * t * t + (g > 0 && t + 1 >= g ? 2.5 : 0);
      }),
    };
    const e = estimateBjs(clean);
    near(e.aggregates.simple!.att, 2.5, 1e-10, 'constant effect');
    for (const d of e.aggregates.dynamic!.detail!) near(d.att, 2.5, 1e-10, `e=${d.key}`);
  });

  it('without never-treated units, treated periods after the last start are left out with a message; brute force agrees', () => {
    const g = [3, 3, 4, 4, 4, 5, 5, 3];
    const q = synthPanel({ seed: 'bjs-nonever', groups: g, T: 6, effect: grow });
    const e = estimateBjs(q);
    assert.ok(e.messages.some((m) => /from 5 on have no untreated unit/.test(m)));
    // brute force on periods 1..4 (no untreated observation identifies λ_5, λ_6)
    const cut = makePanel({ periods: [1, 2, 3, 4], group: g, y: q.y.slice(0, 4 * g.length) });
    const ref = denseBjs(cut, () => 1);
    near(e.aggregates.simple!.att, ref.att, 1e-9, 'att');
    near(e.aggregates.simple!.se, ref.se, 1e-9, 'se');
  });

  it('att null with a reason, never NaN, when nothing can be imputed', () => {
    const e = estimateBjs(synthPanel({ seed: 'bjs-none', groups: [1, 1, 1], T: 3 }));
    assert.equal(e.aggregates.simple!.att, null);
    assert.ok(e.aggregates.simple!.reason);
    assert.ok(!JSON.stringify(e).includes('NaN'));
  });
});
