/**
 * Roth & Sant'Anna's efficient estimator (its published figures on pj_officer are checked by
 * test-reference/estimators/rct/efficient-published.test.ts): identities (β = 1 is our
 * Callaway & Sant'Anna with not-yet-treated controls; β = 0 is the difference in means with its Neyman
 * SE), β* and the Neyman variance against a brute-force computation with simple-statistics, the
 * pseudo-inverse's defining equations, and a seeded Monte Carlo of randomised rollouts: unbiased, and
 * intervals that cover 95 % within 3 Monte Carlo SEs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mean, sampleCovariance, sampleVariance } from 'simple-statistics';
import { estimateDid } from '../../../src/estimators/did/index.js';
import { estimateDim } from '../../../src/estimators/rct/index.js';
import { cohortSummaries, EfficientFitter } from '../../../src/estimators/rct/efficient.js';
import { estimateEfficient, type EfficientRow } from '../../../src/estimators/rct/efficient-estimator.js';
import { simpleEstimand } from '../../../src/estimators/rct/estimands.js';
import { pinvJacobi, pinvSym } from '../../../src/linalg/pinv.js';
import { sunabEstimator } from '../../../src/estimators/sunab/index.js';
import { makePanel } from '../../../src/panel/panel.js';
import { permutation } from '../../../src/random/discrete.js';
import { randomNormal, seeded } from '../../../src/random/index.js';
import { near, synthPanel } from '../helpers.js';

describe('efficient estimator: the last cohort as the only comparison (staggered_sa)', () => {
  const rep = (g: number, k: number) => Array<number>(k).fill(g);
  // No never-treated units: Sun & Abraham's control is the last-starting cohort. With β = 1 the
  // package's use_last_treated_only compares each cohort's change since g − 1 with the last cohort's,
  // which is sunab's saturated regression with the last cohort as control (SA 2021, eq. 12): the two
  // agree in every aggregation they share. The package's own figure on pj_officer is checked in
  // test-reference/estimators/rct/efficient-published.test.ts.
  const panel = synthPanel({ seed: 'eff-sa', groups: [...rep(3, 12), ...rep(4, 10), ...rep(6, 11)], T: 7, effect: (g, e) => 0.5 * g + e });
  it('β = 1 with lastTreatedOnly equals sunab (simple, group, every event time)', () => {
    const eff = estimateEfficient(panel, { beta: 1, lastTreatedOnly: true });
    const sa = sunabEstimator({}).estimate(panel, seeded('sa'));
    for (const k of ['simple', 'group', 'dynamic'] as const) near(eff.aggregates[k]!.att, sa.aggregates[k]!.att!, 1e-10, `${k} overall`);
    for (const d of sa.aggregates.dynamic!.detail!)
      near(eff.aggregates.dynamic!.detail!.find((x) => x.key === d.key)!.att, d.att!, 1e-10, `event time ${d.key}`);
  });
  it('differs from the not-yet-treated comparison when a middle cohort could serve', () => {
    const last = estimateEfficient(panel, { beta: 1, lastTreatedOnly: true }).aggregates.simple!.att!;
    const notyet = estimateEfficient(panel, { beta: 1 }).aggregates.simple!.att!;
    assert.ok(Math.abs(last - notyet) > 1e-3, `${last} vs ${notyet}`);
  });
});

describe('efficient estimator: identities and a brute-force β*', () => {
  const rep = (g: number, k: number) => Array<number>(k).fill(g);
  const panel = synthPanel({
    seed: 'eff-id',
    groups: [...rep(3, 12), ...rep(4, 10), ...rep(6, 11), ...rep(0, 9)],
    T: 7,
    effect: (g, e) => 0.5 * g + e,
  });

  it("β = 1 equals our Callaway & Sant'Anna (outcome regression, not-yet-treated) in every aggregation", () => {
    const eff = estimateEfficient(panel, { beta: 1 });
    const cs = estimateDid(panel, { method: 'reg', control: 'notyet', pretest: false });
    for (const k of ['simple', 'group', 'calendar'] as const) {
      near(eff.aggregates[k]!.att, cs.aggregates[k]!.att!, 1e-10, `${k} overall`);
      for (const d of cs.aggregates[k]!.detail ?? [])
        near(eff.aggregates[k]!.detail!.find((x) => x.key === d.key)!.att, d.att!, 1e-10, `${k} ${d.key}`);
    }
    for (const d of cs.aggregates.dynamic!.detail!.filter((x) => x.key >= 0)) {
      near(eff.aggregates.dynamic!.detail!.find((x) => x.key === d.key)!.att, d.att!, 1e-10, `event ${d.key}`);
    }
    for (const c of cs.att_gt.filter((x) => x.time >= x.group)) {
      near(eff.att_gt.find((x) => x.group === c.group && x.time === c.time)!.att, c.att!, 1e-10, `ATT(${c.group},${c.time})`);
    }
  });

  it('β = 0 is the difference in means at each horizon; with one comparison cohort, its Neyman SE too', () => {
    const eff = estimateEfficient(panel, { beta: 0, se: 'neyman' });
    const dim = estimateDim(panel);
    for (const d of dim.aggregates.dynamic!.detail!) {
      const r = eff.aggregates.dynamic!.detail!.find((x) => x.key === d.key)!;
      near(r.att, d.att!, 1e-12, `horizon ${d.key}`);
      // From horizon 3 on only the never treated are left to compare with. Before, the comparison pools
      // several cohorts: dim takes one pooled variance, the efficient SE one per cohort (the design
      // fixes each cohort's size), so the two differ slightly there.
      if (d.key >= 3) near(r.se, d.se!, 1e-12, `horizon ${d.key} SE`);
    }
  });

  it('one cohort against the never treated: β* = ΣCov(pre, post)/N ÷ ΣVar(pre)/N, Neyman variance by hand', () => {
    const p = synthPanel({ seed: 'eff-2x2', groups: [...rep(3, 9), ...rep(0, 13)], T: 3, effect: () => 1 });
    const arm = (g: number, t: number) =>
      Array.from({ length: p.nUnits }, (_, i) => i)
        .filter((i) => p.group[i] === g)
        .map((i) => p.y[t * p.nUnits + i]);
    const [post1, pre1, post0, pre0] = [arm(3, 2), arm(3, 1), arm(0, 2), arm(0, 1)];
    const n1 = post1.length,
      n0 = post0.length;
    const vX = sampleVariance(pre1) / n1 + sampleVariance(pre0) / n0;
    const c = sampleCovariance(pre1, post1) / n1 + sampleCovariance(pre0, post0) / n0;
    const vT = sampleVariance(post1) / n1 + sampleVariance(post0) / n0;
    const beta = c / vX;
    const att = mean(post1) - mean(post0) - beta * (mean(pre1) - mean(pre0));
    const cs = cohortSummaries(p);
    const f = new EfficientFitter(cs).fit(simpleEstimand(cs)!);
    near(f.beta, beta, 1e-12, 'β*');
    near(f.att, att, 1e-12, 'θ̂*');
    near(f.se_neyman, Math.sqrt(vT + beta * beta * vX - 2 * beta * c), 1e-12, 'Neyman SE');
    assert.ok(f.se! <= f.se_neyman! + 1e-15, 'the refined SE is at most the Neyman SE');
  });

  it('drops single-unit cohorts with a message; no comparison cohort is att null with a reason', () => {
    const p = synthPanel({ seed: 'eff-single', groups: [3, ...rep(4, 6), ...rep(5, 6)], T: 5 });
    const e = estimateEfficient(p);
    assert.match(e.messages.join('\n'), /dropped start group\(s\) 3 with a single unit/);
    assert.ok(!e.att_gt.some((c) => c.group === 3));
    const last = estimateEfficient(synthPanel({ seed: 'eff-none', groups: [...rep(4, 6), ...rep(4, 6)], T: 5 }));
    assert.equal(last.aggregates.simple!.att, null);
    assert.match(last.aggregates.simple!.reason!, /no treated cohort has a not-yet-treated comparison cohort/);
  });
});

describe('pseudo-inverse of a covariance matrix', () => {
  const mul = (a: Float64Array, b: Float64Array, m: number) => {
    const c = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * m + k] * b[k * m + j];
    return c;
  };
  const gramOf = (rows: number, m: number, seed: string) => {
    const z = randomNormal(seeded(seed));
    const x = Float64Array.from({ length: rows * m }, () => z());
    const a = new Float64Array(m * m);
    for (let r = 0; r < rows; r++) for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] += x[r * m + i] * x[r * m + j];
    return a;
  };

  it('rank-deficient (5 rows, 8 columns): A A⁺ A = A and A⁺ A A⁺ = A⁺ (Moore–Penrose)', () => {
    const m = 8,
      a = gramOf(5, m, 'pinv-1'),
      p = pinvSym(a, m);
    const apa = mul(mul(a, p, m), a, m),
      pap = mul(mul(p, a, m), p, m);
    for (let j = 0; j < m * m; j++) {
      near(apa[j], a[j], 1e-9, 'APA');
      near(pap[j], p[j], 1e-9, 'PAP');
    }
  });

  it('full rank: the inverse, equal to the Jacobi route', () => {
    const m = 6,
      a = gramOf(40, m, 'pinv-2'),
      p = pinvSym(a, m),
      q = pinvJacobi(a, m),
      ap = mul(a, p, m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        near(ap[i * m + j], i === j ? 1 : 0, 1e-10, 'A A⁻¹');
        near(q[i * m + j], p[i * m + j], 1e-10, 'Jacobi');
      }
  });
});

describe('efficient estimator in randomised rollouts (seeded Monte Carlo)', () => {
  // 160 units, 8 periods, start times 3, 5, 7 and never (40 each) permuted at random; unit effects,
  // AR(1) noise (ρ = 0.5), effect τ(g, e) = 1 + 0.25 e identical for all units (sample = population truth).
  const S = 600,
    n = 160,
    T = 8,
    starts = [3, 5, 7, 0];
  const base = Float64Array.from({ length: n }, (_, i) => starts[i % 4]);
  const runs = Array.from({ length: S }, (_, s) => {
    const rng = seeded(`eff-mc-${s}`);
    const z = randomNormal(rng);
    const perm = permutation(rng, n);
    const group = Float64Array.from(perm, (j) => base[j]);
    const y = new Float64Array(n * T);
    for (let i = 0; i < n; i++) {
      const alpha = z();
      let u = z() / Math.sqrt(1 - 0.25);
      for (let t = 0; t < T; t++) {
        if (t > 0) u = 0.5 * u + z();
        const per = t + 1,
          g = group[i];
        y[t * n + i] = alpha + 0.2 * t + u + (g > 0 && per >= g ? 1 + 0.25 * (per - g) : 0);
      }
    }
    const panel = makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y });
    const est = (beta?: number) =>
      estimateEfficient(panel, { aggregations: ['simple'], cells: false, ...(beta === undefined ? {} : { beta }) }).aggregates
        .simple as unknown as EfficientRow;
    // Truth: the N_g-weighted mean of τ over the identified post cells (never treated present: every t ≥ g).
    let num = 0,
      den = 0;
    for (const g of [3, 5, 7])
      for (let per = g; per <= T; per++) {
        num += 40 * (1 + 0.25 * (per - g));
        den += 40;
      }
    return { eff: est(), cs: est(1), dim: est(0), truth: num / den };
  });

  it('unbiased, and the refined and Neyman 95 % intervals cover within 3 MC SEs', () => {
    const err = runs.map((r) => r.eff.att! - r.truth);
    const sd = Math.sqrt(sampleVariance(err));
    assert.ok(Math.abs(mean(err)) <= (3 * sd) / Math.sqrt(S), `bias ${mean(err)} (MC SE ${sd / Math.sqrt(S)})`);
    const mcse = Math.sqrt((0.95 * 0.05) / S);
    for (const which of ['se', 'se_neyman'] as const) {
      const cover = mean(runs.map((r) => (Math.abs(r.eff.att! - r.truth) <= 1.959964 * r.eff[which]! ? 1 : 0)));
      assert.ok(Math.abs(cover - 0.95) <= 3 * mcse, `coverage with ${which}: ${cover} (MC SE ${mcse.toFixed(4)})`);
    }
    // The mean SE tracks the Monte Carlo SD of the estimates (within 10 %).
    const ratio = mean(runs.map((r) => r.eff.se!)) / sd;
    assert.ok(Math.abs(ratio - 1) < 0.1, `mean SE / SD = ${ratio}`);
  });

  it("is more precise than both the difference in means (β = 0) and Callaway & Sant'Anna (β = 1)", () => {
    const sdOf = (k: 'eff' | 'cs' | 'dim') => Math.sqrt(sampleVariance(runs.map((r) => r[k].att!)));
    const [eff, cs, dim] = [sdOf('eff'), sdOf('cs'), sdOf('dim')];
    assert.ok(eff < cs && eff < dim, `SD efficient ${eff}, CS ${cs}, difference in means ${dim}`);
  });
});
