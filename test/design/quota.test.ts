// R2's quota-constrained list sampling: the caseworker's rule on small hand-made lists, then many
// cohorts of the bundled scenario against the scenario's intake sizes and the seed's shares
// (ISF 2023:2, appendix 2, tables B5–B7: 2,667 treated and 9,373 controls; 33 % vs 17 % on social
// assistance; 26–32 % vs 13–17 % with ≥ 450 days in JOB; 28 % vs 18 % from the establishment programme).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { expandGrid, loadScenario, parseScenario } from '../../src/scenario/index.js';
import { generateDraw } from '../../src/generate.js';
import { streamFor } from '../../src/random/stream.js';
import { drawSpells, fillIntake, quotaSample, type QuotaSpec } from '../../src/design/quota.js';
import { populationTruth } from '../../src/estimands/population.js';

const file = new URL('../../../scenarios/r2-malmo-quota.yaml', import.meta.url).pathname;
const point = expandGrid(loadScenario(file))[0];
const s = point.scenario;
const d = s.design as QuotaSpec;
const streams = (seed: number, r: number) => {
  const st = (step: string) => streamFor(seed, 0, r, step);
  return { population: st('population'), spells: st('spells'), assignment: st('assignment'), consent: st('consent') };
};
const R = 12;
const cohorts = Array.from({ length: R }, (_, r) => quotaSample(s, d, streams(3, r)));
const mean = (f: (c: (typeof cohorts)[number]) => number) => cohorts.reduce((a, c) => a + f(c), 0) / R;

test('fillIntake: min cells first in list order, max caps respected, rest in list order', () => {
  // 10 candidates 0..9; trait A on 7, 8, 9; trait B (max 0.4) on 0, 1, 2, 3.
  const A = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const B = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const { offered, unmet } = fillIntake([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5, [
    { has: B, max: 0.4 },
    { has: A, min: 0.4 },
  ]);
  assert.deepEqual(offered, [7, 8, 0, 1, 4]);
  assert.equal(unmet, 0);
  // Not enough with the trait: the cell stays unmet and the places are filled from the rest.
  const r = fillIntake([0, 1, 2, 3, 4, 5, 6, 7], 5, [{ has: A, min: 0.6 }]);
  assert.deepEqual(r.offered, [7, 0, 1, 2, 3]);
  assert.equal(r.unmet, 1);
  // Too few candidates for the caps: the caps give way rather than leaving places empty.
  assert.deepEqual(fillIntake([0, 1, 2], 3, [{ has: B, max: 0.4 }]).offered, [0, 1, 2]);
});

test('fillIntake: joint counting counts the trait among earlier cells; separate gives a cell its own places', () => {
  // Candidate 0 has both traits, 1 has A only, 2 has C only, 3 has neither.
  const A = Uint8Array.from([1, 1, 0, 0]);
  const C = Uint8Array.from([1, 0, 1, 0]);
  assert.deepEqual(
    fillIntake([3, 0, 1, 2], 2, [
      { has: A, min: 0.5 },
      { has: C, min: 0.5 },
    ]).offered,
    [0, 3],
  );
  assert.deepEqual(
    fillIntake([3, 0, 1, 2], 2, [
      { has: A, min: 0.5 },
      { has: C, min: 0.5, separate: true },
    ]).offered,
    [0, 2],
  );
});

test('spells: entry uniform over from..to, duration geometric with the stated mean (3 MC SEs)', () => {
  const n = 20000;
  const { entry, exit } = drawSpells(streamFor(1, 0, 0, 'spells'), { from: 1, to: 78, mean_duration: 30 }, n);
  let se = 0;
  let sd = 0;
  for (let i = 0; i < n; i++) {
    se += entry[i];
    sd += exit[i] - entry[i] + 1;
  }
  // Uniform on 1..78: mean 39.5, sd √((78² − 1)/12) = 22.5; geometric mean 30, sd √(30·29) = 29.5.
  assert.ok(Math.abs(se / n - 39.5) < (3 * 22.5) / Math.sqrt(n), `entry mean ${se / n}`);
  assert.ok(Math.abs(sd / n - 30) < (3 * 29.5) / Math.sqrt(n), `duration mean ${sd / n}`);
});

test('start groups G1–G5 have the scenario intake sizes (consent 1): 1,020, 950, 200, 300, 200', () => {
  for (const c of cohorts) {
    assert.deepEqual(c.summary.groups.slice(0, 5), [
      { group: 63, size: 1020 },
      { group: 70, size: 950 },
      { group: 71, size: 200 },
      { group: 74, size: 300 },
      { group: 77, size: 200 },
    ]);
  }
  // Seed: 2,667 treated, 9,373 controls (12,040 analysed); the mean over draws within 2 %.
  const controls = mean((c) => c.summary.totals.controls);
  assert.ok(Math.abs(controls - 9373) < 0.02 * 9373, `controls ${controls}`);
});

test('consent: offered people start with the consent probability (3 MC SEs)', () => {
  const low = { ...d, consent: 0.8 };
  let offered = 0;
  let treated = 0;
  for (let r = 0; r < 4; r++) {
    const c = quotaSample(s, low, streams(4, r));
    offered += c.summary.totals.offered;
    treated += c.summary.totals.treated;
  }
  const se = Math.sqrt((0.8 * 0.2) / offered);
  assert.ok(Math.abs(treated / offered - 0.8) < 3 * se, `consent ${treated / offered}`);
});

test('the 60/40 men/women cap holds in every intake', () => {
  for (const c of cohorts) {
    const women = new Map<number, number>();
    const size = new Map<number, number>();
    const w = c.people.covariates.woman;
    for (let u = 0; u < c.start.length; u++) {
      const p = c.start[u];
      if (!Number.isFinite(p)) continue;
      size.set(p, (size.get(p) ?? 0) + 1);
      women.set(p, (women.get(p) ?? 0) + w[u]);
    }
    for (const [p, m] of size) assert.ok(women.get(p)! <= Math.floor(0.4 * m), `intake ${p}: ${women.get(p)} women of ${m}`);
  }
});

test('quota draws over-represent correlated traits as in the seed (calibration tolerance ±0.02)', () => {
  // Each share's Monte Carlo SE over 12 draws is ≤ 0.003; the tolerance is the calibration's, not MC.
  const near = (name: string, v: number, target: number) =>
    assert.ok(Math.abs(v - target) <= 0.02, `${name}: ${v.toFixed(3)} vs seed ${target}`);
  const note = (k: string) => mean((c) => c.summary.notes[k] as number);
  near('social assistance, treated', note('social_assistance_treated'), 0.33);
  near('social assistance, controls', note('social_assistance_controls'), 0.17);
  const lt = note('long_job_treated');
  const lc = note('long_job_controls');
  assert.ok(lt >= 0.26 && lt <= 0.32, `≥ 450 days, treated ${lt}`);
  assert.ok(lc >= 0.13 && lc <= 0.17, `≥ 450 days, controls ${lc}`);
  near('establishment, treated', note('establishment_treated'), 0.3);
  near('disability, treated − controls', note('disability_treated') - note('disability_controls'), 0);
  // The long-JOB quota (min 20 %) is met in every draw: realised share above it.
  for (const c of cohorts) assert.ok((c.summary.notes.long_job_treated as number) >= 0.2);
});

test('control-window rule: controls are exactly the never-treated in JOB during some window; treated were in JOB at their list date', () => {
  for (let r = 0; r < 3; r++) {
    const c = cohorts[r];
    const st = streams(3, r);
    // Redraw the pool's spells from the same stream (the population stream is independent of it).
    const { entry, exit } = drawSpells(st.spells, d.spells, s.population.size!);
    const inWindow = (i: number) => d.controls.windows.some((w) => entry[i] <= w.to && exit[i] >= w.from);
    const analysed = new Set(c.pool!.index);
    const treatedPool = new Set<number>();
    for (let u = 0; u < c.start.length; u++) {
      const i = c.pool!.index[u];
      assert.equal(c.pool!.entry[u], entry[i]);
      if (c.group[u] === 0) assert.ok(inWindow(i), `control ${i} outside every window`);
      else {
        treatedPool.add(i);
        const listAt = c.start[u] - d.list_lag;
        assert.ok(entry[i] <= listAt && exit[i] >= listAt, `treated ${i} not in JOB at its list date`);
      }
    }
    let eligible = 0;
    for (let i = 0; i < entry.length; i++)
      if (!treatedPool.has(i) && inWindow(i)) {
        eligible++;
        assert.ok(analysed.has(i));
      }
    assert.equal(eligible, c.summary.totals.controls);
  }
});

test("effects grow for later groups: each group's sample ATT is the seed's 121, 1,252, 1,891, 2,288 kr/month (±8 %, calibration)", () => {
  // Mean over 6 draws of the truth's group aggregate; the per-group MC SE is ~1–2 %, the tolerance the calibration's.
  const acc = [0, 0, 0, 0, 0];
  for (let r = 0; r < 6; r++) generateDraw(point, 12, r).truth.estimate.aggregates.group!.detail!.forEach((x, k) => (acc[k] += x.att! / 6));
  [121, 1252, 1570, 1891, 2288].forEach((target, k) => {
    if (k === 2) return; // G3: interpolated, not in the seed
    assert.ok(Math.abs(acc[k] - target) < 0.08 * target + 15, `group ${k + 1}: ${acc[k].toFixed(0)} vs ${target}`);
  });
  const pt = populationTruth(s, 5, [-4, 12]);
  const at = (rank: number, e: number) => pt.byRankAndEvent.find((x) => x.rank === rank && x.event === e)!.att;
  assert.equal(at(2, -1), -250); // anticipation dip in the 3 months before start
  assert.equal(at(2, -4), 0);
});

test('a quota on an unknown covariate or outside level is reported with its path', () => {
  const raw = parse(readFileSync(file, 'utf8'));
  raw.design.quotas[1].covariate = 'benefit';
  raw.design.intakes[0].period = 80;
  try {
    parseScenario(stringify(raw), 'bad.yaml');
    assert.fail('expected a ScenarioError');
  } catch (err) {
    const msg = (err as Error).message;
    assert.match(msg, /design\.quotas\.1\.covariate: expected a covariate defined under population\.covariates/);
    assert.match(msg, /design\.intakes\.0\.period: expected a period inside one of design\.start_groups\.windows, found 80/);
    assert.match(msg, /design\.intakes\.1\.period: expected a period ≥ 80 \(intakes in time order\), found 64/);
  }
});
