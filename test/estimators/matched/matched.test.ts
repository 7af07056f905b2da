/**
 * Matched pairs: the matched-pairs difference and its paired SE against simple-statistics (mean and
 * sd/√P of the pair differences, the paired t-test's standard error), two cohorts as strata, bad pair
 * columns and their messages, a seeded Monte Carlo of pairs sharing a pair effect (unbiased, 95 %
 * coverage within 3 MC SEs), and the R4 scenario through the engine with the generator's pair column.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mean, sampleStandardDeviation, sampleVariance } from 'simple-statistics';
import { createSimulation } from '../../../src/engine/scenario-simulation.js';
import { estimateMatched } from '../../../src/estimators/matched/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { randomNormal, seeded } from '../../../src/random/index.js';
import { tempDir } from '../../engine/helpers.js';
import { near } from '../helpers.js';

/** P pairs per start in `starts` (0 never appears: references are the partners), T periods, pair effects. */
function pairPanel(seed: string, starts: number[], P: number, T: number, tau: (g: number, e: number) => number): Panel {
  const z = randomNormal(seeded(seed));
  const group: number[] = [],
    pair: number[] = [];
  starts.forEach((g, k) => {
    for (let p = 0; p < P; p++) {
      group.push(g, 0);
      pair.push(k * P + p + 1, k * P + p + 1);
    }
  });
  const n = group.length;
  const pe = Float64Array.from({ length: n / 2 }, () => 2 * z());
  const y = new Float64Array(n * T);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const g = group[i],
        on = g > 0 && t + 1 >= g;
      y[t * n + i] = pe[pair[i] - 1] + 0.5 * t + (on ? tau(g, t + 1 - g) : 0) + z();
    }
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y, covariates: { pair: Float64Array.from(pair) } });
}

/** Pair differences of cohort g in period t (1-based). */
function diffs(p: Panel, g: number, t: number): number[] {
  const n = p.nUnits,
    out: number[] = [];
  for (let i = 0; i < n; i += 2) if (p.group[i] === g) out.push(p.y[(t - 1) * n + i] - p.y[(t - 1) * n + i + 1]);
  return out;
}

describe('matched-pairs difference in outcomes', () => {
  it('one cohort: each cell is mean(d) with sd(d)/√P; simple is the per-pair post average, paired', () => {
    const p = pairPanel('mp-1', [3], 15, 5, (_, e) => 1 + e);
    const e = estimateMatched(p);
    for (let t = 1; t <= 5; t++) {
      const d = diffs(p, 3, t),
        c = e.att_gt.find((x) => x.time === t)!;
      near(c.att, mean(d), 1e-12, `ATT(3,${t})`);
      near(c.se, sampleStandardDeviation(d) / Math.sqrt(d.length), 1e-12, `SE(3,${t})`);
    }
    const u = diffs(p, 3, 3).map((_, j) => (diffs(p, 3, 3)[j] + diffs(p, 3, 4)[j] + diffs(p, 3, 5)[j]) / 3);
    near(e.aggregates.simple!.att, mean(u), 1e-12, 'simple');
    near(e.aggregates.simple!.se, sampleStandardDeviation(u) / Math.sqrt(u.length), 1e-12, 'paired SE of simple');
    assert.deepEqual(
      e.aggregates.dynamic!.detail!.map((d) => d.key),
      [-2, -1, 0, 1, 2],
    );
  });

  it('two cohorts are strata: pair-weighted mean, variance Σ w²_g s²_g/P_g', () => {
    const p = pairPanel('mp-2', [2, 4], 12, 4, () => 1);
    const e = estimateMatched(p);
    const d2 = diffs(p, 2, 2),
      d4 = diffs(p, 4, 4); // event time 0 of each cohort
    const e0 = e.aggregates.dynamic!.detail!.find((d) => d.key === 0)!;
    near(e0.att, (mean(d2) + mean(d4)) / 2, 1e-12, 'event 0');
    near(e0.se, Math.sqrt((0.25 * sampleVariance(d2)) / 12 + (0.25 * sampleVariance(d4)) / 12), 1e-12, 'event 0 SE');
  });

  it('refuses a missing pair column, pairs of three and pairs without a reference, saying which', () => {
    const p = pairPanel('mp-3', [3], 4, 4, () => 0);
    assert.throws(
      () => estimateMatched(p, { pair: 'match_id' }),
      /no pair column "match_id" in the panel \(columns: pair\); name it with --pair COLUMN/,
    );
    const three = makePanel({ periods: [1, 2], group: [2, 0, 0], y: new Float64Array(6), covariates: { pair: Float64Array.of(1, 1, 1) } });
    assert.throws(() => estimateMatched(three), /pair 1 has 3 units/);
    const both = makePanel({ periods: [1, 2], group: [2, 2], y: new Float64Array(4), covariates: { pair: Float64Array.of(7, 7) } });
    assert.throws(() => estimateMatched(both), /pair 7 \(units 1, 2\) needs one treated unit and one never-treated reference/);
  });

  it('Monte Carlo (500 panels of 40 pairs): unbiased and 95 % coverage within 3 MC SEs', () => {
    const S = 500;
    const err: number[] = [],
      cover: number[] = [];
    for (let s = 0; s < S; s++) {
      const e = estimateMatched(
        pairPanel(`mp-mc-${s}`, [3], 40, 5, (_, k) => 0.5 + 0.25 * k),
        { aggregations: ['simple'] },
      ).aggregates.simple!;
      const truth = 0.75; // mean of 0.5, 0.75, 1.0 over the three post periods
      err.push(e.att! - truth);
      cover.push(Math.abs(e.att! - truth) <= 1.959964 * e.se! ? 1 : 0);
    }
    const sd = Math.sqrt(sampleVariance(err)),
      mcse = Math.sqrt((0.95 * 0.05) / S);
    assert.ok(Math.abs(mean(err)) <= (3 * sd) / Math.sqrt(S), `bias ${mean(err)}`);
    assert.ok(Math.abs(mean(cover) - 0.95) <= 3 * mcse, `coverage ${mean(cover)}`);
  });

  it('R4 through the engine: the generator writes the pair column and matched runs beside cs_dr', () => {
    const R4 = new URL('../../../../scenarios/r4-matched-followup.yaml', import.meta.url).pathname;
    const file = join(tempDir('matched'), 'r4-matched.yaml');
    writeFileSync(file, readFileSync(R4, 'utf8').replace(/^ {2}estimators:\n/m, '  estimators:\n    - { name: pairs, type: matched }\n'));
    const sim = createSimulation({ scenarioFile: file });
    const recs = sim.runDraw('3', 0, 0);
    const simple = recs.find((r) => r.estimator === 'pairs' && r.estimand === 'simple')!;
    assert.equal(typeof simple.estimate, 'number');
    assert.ok(simple.se! > 0 && simple.se! < 0.05, `SE ${simple.se}`);
    assert.ok(recs.some((r) => r.estimator === 'pairs' && r.estimand.startsWith('dynamic') && r.estimate !== null));
  });
});
