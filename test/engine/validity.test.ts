/**
 * Statistical validity of the whole chain (generator → estimator → engine → diagnosands) on a small
 * correctly specified wait-list design (fixtures/small-waitlist.yaml): numbers that can fail. The long
 * versions on the bundled scenarios (R1 under the null, R2's quota bias, a recruitment shortfall at
 * full size) are in `npm run validate` (bench/validate.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEngine } from '../../src/engine/run.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { parseSetting } from '../../src/engine/settings.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { Diagnosis } from '../../src/diagnosis/diagnosis.js';
import { powerMatches, rowOf, seedSpread, within, type Check } from '../../src/diagnosis/check.js';
import { pairedDifference, recruitmentMeans } from '../../src/engine/draws-read.js';
import { R2_LINEAR, quarterR2, tempDir } from './helpers.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const R2 = new URL('../../../scenarios/r2-malmo-quota.yaml', import.meta.url).pathname;

const ok = (c: Check) => assert.ok(c.ok, `${c.name}: ${c.value.toFixed(4)} is not within ${c.tolerance.toFixed(4)} of ${c.expected}`);

test('under a true null with parallel trends the rejection rate is α, and intervals cover (3 MC SEs); with heterogeneous effects they cover the population ATT', async () => {
  // Point 0: no effect. Point 1: an effect that ramps up over event time and differs by unit (unit_sd),
  // so the sample ATT differs from the population ATT; the influence-function SE is for the latter.
  const set = ['effect.size=[0, 0.5]', 'effect.ramp=3', 'effect.unit_sd=0.8'].map(parseSetting);
  const draws = 1000;
  const res = await runEngine({ ...scenarioSpec(SMALL, { set }), seed: '11', draws, workers: 2, outDir: tempDir('validity') });
  const r = (point: number, estimand: string, diagnosand: string, target?: string) =>
    rowOf(res.rows, { point, estimand, diagnosand, target });
  const alpha = 0.05;
  const se = Math.sqrt((alpha * (1 - alpha)) / draws);
  for (const estimand of ['simple', 'dynamic_avg', 'dynamic:0', 'dynamic:-3']) {
    ok(within(`null rejection rate of ${estimand}`, r(0, estimand, 'power').value, alpha, se));
    ok(within(`null coverage of ${estimand}`, r(0, estimand, 'coverage', 'sample').value, 1 - alpha, se));
  }
  for (const estimand of ['simple', 'dynamic_avg', 'dynamic:2']) {
    ok(within(`coverage of the population ${estimand}`, r(1, estimand, 'coverage', 'population').value, 1 - alpha, se));
    ok(
      within(
        `bias against the population ${estimand}`,
        r(1, estimand, 'bias', 'population').value,
        0,
        r(1, estimand, 'bias', 'population').mcSe,
      ),
    );
    // Conditioning on the sample's own effects removes their variance: the interval can only over-cover.
    assert.ok(r(1, estimand, 'coverage', 'sample').value >= 1 - alpha - 3 * se);
  }
  // The estimated SE tracks the sampling SD (ratio 1 within 3 MC SEs).
  const ratio = r(0, 'simple', 'se_sd_ratio');
  ok(within('mean SE / SD of the estimates', ratio.value, 1, ratio.mcSe));
  // The power at the effect is well above α (the design can detect it), so point 1 is not a null too.
  assert.ok(r(1, 'dynamic_avg', 'power').value > 0.3);
});

test('Monte Carlo SEs agree with the spread of the diagnosands across independent seeds', () => {
  const sim = createSimulation({ scenarioFile: SMALL, set: [parseSetting('effect.size=0.3')] });
  const K = 16;
  const draws = 60;
  const got: Record<string, { v: number[]; s: number[] }> = {
    bias: { v: [], s: [] },
    power: { v: [], s: [] },
    sd_estimate: { v: [], s: [] },
  };
  for (let k = 0; k < K; k++) {
    const diag = new Diagnosis(sim.alpha, sim.estimators);
    for (let d = 0; d < draws; d++) for (const rec of sim.runDraw(`seed-${k}`, 0, d)) diag.push(0, rec.estimator, rec.estimand, rec);
    const rows = diag.rows();
    for (const [name, acc] of Object.entries(got)) {
      const row = rowOf(rows, { estimand: 'simple', diagnosand: name, target: name === 'bias' ? 'sample' : '' });
      acc.v.push(row.value);
      acc.s.push(row.mcSe);
    }
  }
  for (const [name, acc] of Object.entries(got)) {
    const s = seedSpread(acc.v, acc.s);
    assert.ok(
      s.ratio >= s.interval[0] && s.ratio <= s.interval[1],
      `${name}: SD across ${K} seeds ${s.sd.toPrecision(3)} vs reported MC SE ${s.se.toPrecision(3)} (ratio ${s.ratio.toFixed(2)}, expected ${s.interval.map((x) => x.toFixed(2)).join('–')})`,
    );
  }
});

test('a recruitment shortfall lowers power by what the smaller sample implies', async () => {
  // From month 12 on, referrals fall by 60 %: about half the people. Predicted power at the shortfall
  // point from the full point's power and (a) the ratio of θ/SE, (b) √(n1/n0) of realised sample sizes.
  const set = ['effect.size=0.4', 'effect.ramp=3', 'design.recruitment.shortfalls=[{from_month: 12, share: [0, 0.6]}]'].map(parseSetting);
  const out = tempDir('shortfall');
  const res = await runEngine({ ...scenarioSpec(SMALL, { set }), seed: '5', draws: 600, workers: 2, outDir: out });
  const r = (point: number, diagnosand: string, target?: string) => rowOf(res.rows, { point, estimand: 'dynamic_avg', diagnosand, target });
  const n = recruitmentMeans(out);
  const n0 = n.get(0)!.analysed;
  const n1 = n.get(1)!.analysed;
  assert.ok(n1 < 0.65 * n0 && n1 > 0.35 * n0, `the shortfall halves the sample: ${n0.toFixed(0)} → ${n1.toFixed(0)}`);
  const theta = r(1, 'mean_truth', 'sample').value / r(0, 'mean_truth', 'sample').value;
  const bySe = (theta * r(0, 'mean_se').value) / r(1, 'mean_se').value;
  const byN = theta * Math.sqrt(n1 / n0);
  const drop = r(0, 'power').value - r(1, 'power').value;
  assert.ok(drop > 3 * Math.hypot(r(0, 'power').mcSe, r(1, 'power').mcSe), `the shortfall costs power (${drop.toFixed(3)})`);
  ok(powerMatches('power under the shortfall vs the SE ratio', r(0, 'power'), r(1, 'power'), bySe, 0.05));
  ok(powerMatches('power under the shortfall vs √(n1/n0)', r(0, 'power'), r(1, 'power'), byN, 0.05));
});

test('R2 quota sampling (quarter size, linear outcome): the unadjusted estimator is biased upward, the doubly robust one with the quota traits is not', async () => {
  // The treated over-represent quota traits that carry their own outcome trends (scenarios/README.md):
  // unconditional parallel trends fail, conditional ones hold. Full size and earnings: npm run validate.
  const out = tempDir('r2q');
  const res = await runEngine({ ...scenarioSpec(R2, { set: quarterR2(R2_LINEAR) }), seed: '2', draws: 40, workers: 2, outDir: out });
  const bias = (estimator: string) => rowOf(res.rows, { estimator, estimand: 'simple', diagnosand: 'bias', target: 'sample' });
  const adj = bias('cs_dr_adjusted');
  const un = bias('cs_unadjusted');
  ok(within('bias of the doubly robust estimator with the quota traits', adj.value, 0, adj.mcSe));
  assert.ok(un.value > 3 * un.mcSe, `unadjusted bias ${un.value.toFixed(0)} (MC SE ${un.mcSe.toFixed(0)}) is not clearly upward`);
  // Both on the same panels: the paired difference of the estimates is the difference of the biases.
  const diff = pairedDifference(out, 0, 'simple', 'cs_unadjusted', 'cs_dr_adjusted');
  assert.ok(diff.mean > 3 * diff.mcSe, `unadjusted − adjusted ${diff.mean.toFixed(0)} (MC SE ${diff.mcSe.toFixed(0)})`);
});
