// Effect paths of world/effects.ts: effectShape and meanEffect against hand-computed values, the same
// paths realised in draws (mean Y(1) − Y(0) by start group and event time of a continuous outcome),
// and the unit multipliers' mean 1 and covariate centring (20,000 units, 4 MC SEs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectShape, meanEffect, unitMultipliers } from '../../src/world/effects.js';
import { drawPeople } from '../../src/world/covariates.js';
import { seeded } from '../../src/random/stream.js';
import { drawAdoptionWorld, meanSe, withinSe, worldPoint } from '../helpers/world.js';

// onset 2, ramp 3, plateau 4 periods, decay 2; 3 periods of anticipation −0.5 and an announcement
// +0.2 over event periods −4..1; the second start group's effect is half the first's.
const effect =
  '{size: 2, onset: 2, ramp: 3, duration: 4, decay: 2, anticipation: {periods: 3, size: -0.5}, announcement: {from: -4, to: 1, size: 0.2}, by_group: [1, 0.5]}';
const spec = worldPoint({ effect }).effect;

test('effectShape: 0 before onset, ramp (k+1)/(ramp+1), plateau, decay 1 − (k+1)/(decay+1), then 0', () => {
  // e: 0 1 | 2 3 4 (ramp 1/4, 2/4, 3/4) | 5 6 7 8 (plateau) | 9 10 (decay 2/3, 1/3) | 11 on: 0
  const expected = [0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 2 / 3, 1 / 3, 0, 0];
  expected.forEach((v, e) => assert.ok(Math.abs(effectShape(spec, e) - v) < 1e-12, `e = ${e}: ${effectShape(spec, e)} vs ${v}`));
  const forever = worldPoint({ effect: '{size: 1, ramp: 1}' }).effect;
  assert.deepEqual(
    [0, 1, 2, 50].map((e) => effectShape(forever, e)),
    [0.5, 1, 1, 1],
  );
});

test('meanEffect: size × group multiplier × shape plus anticipation and announcement', () => {
  const byHand: [number, number, number][] = [
    // [rank, e, value]
    [0, -5, 0],
    [0, -4, 0.2], // announcement only
    [0, -3, -0.3], // anticipation −0.5 + announcement 0.2
    [0, -1, -0.3],
    [0, 0, 0.2], // announcement, shape 0 before onset
    [0, 1, 0.2],
    [0, 2, 0.5], // 2 × 1/4
    [0, 4, 1.5],
    [0, 6, 2],
    [0, 9, 4 / 3],
    [0, 11, 0],
    [1, 6, 1], // half the size for the second group
    [1, -2, -0.3], // additive parts are not scaled by the group
    [5, 3, 0.5], // the last multiplier repeats: 2 × 0.5 × 2/4
  ];
  for (const [rank, e, v] of byHand)
    assert.ok(Math.abs(meanEffect(spec, rank, e) - v) < 1e-12, `rank ${rank}, e ${e}: ${meanEffect(spec, rank, e)} vs ${v}`);
});

test('the paths realised in draws: mean Y(1) − Y(0) by start group and event time equals meanEffect', () => {
  // Two start groups (periods 8 and 12) of a continuous outcome, unit multipliers sd 0.2: each cell's
  // mean over its group within 4 SEs of meanEffect (SE 0 where the effect is additive only, so exact).
  const s = worldPoint({
    periods: '{first: 1, count: 26}',
    population: '{size: 6000}',
    outcome: '{type: continuous, mean: 0, sd: 1}',
    effect: effect.replace('by_group', 'unit_sd: 0.2, by_group'),
    design: '{type: adoption, schedule: [{period: 8, members: 2000}, {period: 11, members: 2000}, {period: 12, members: 4000}]}',
  });
  const w = drawAdoptionWorld(s, 'paths');
  for (const [rank, start] of [
    [0, 8],
    [1, 12],
  ]) {
    const members = [...w.cohort.start.keys()].filter((i) => w.cohort.start[i] === start);
    assert.equal(members.length, 2000);
    for (let e = -6; e <= 12; e++) {
      const t = start + e - 1;
      const d = members.map((i) => w.y1[t * w.n + i] - w.y0[t * w.n + i]);
      const { mean, se } = meanSe(d);
      const expected = meanEffect(s.effect, rank, e);
      withinSe(mean, expected, Math.max(se, 1e-12), `group ${start}, e = ${e}`);
    }
  }
  // Never-treated units get no effect at any time.
  const never = [...w.cohort.start.keys()].filter((i) => !Number.isFinite(w.cohort.start[i]));
  for (const i of never.slice(0, 200)) for (let t = 0; t < w.T; t++) assert.equal(w.y1[t * w.n + i], w.y0[t * w.n + i]);
});

test('unit multipliers: mean 1 (unit_sd 0.3); by_covariate centred at the covariate mean', () => {
  // b = 0.5 on a binary x with p 0.4: multipliers 1 + 0.5·(1 − 0.4) = 1.3 for x = 1 and 1 − 0.5·0.4 = 0.8
  // for x = 0, their population mean 1; times an independent 1 + 0.3·z.
  const s = worldPoint({
    population: '{size: 10, covariates: {x: {type: binary, p: 0.4}}}',
    effect: '{size: 1, unit_sd: 0.3, by_covariate: {x: 0.5}}',
  });
  const N = 20000;
  const people = drawPeople(seeded('mult people'), s.population, N);
  const m = unitMultipliers(seeded('mult'), s.effect, s.population, new Int32Array(N).fill(-1), people.covariates);
  const all = meanSe(m);
  withinSe(all.mean, 1, all.se, 'mean multiplier');
  const x = people.covariates.x;
  const one = meanSe(m.filter((_, i) => x[i] === 1));
  const zero = meanSe(m.filter((_, i) => x[i] === 0));
  withinSe(one.mean, 1.3, one.se, 'x = 1');
  withinSe(zero.mean, 0.8, zero.se, 'x = 0');
  // The unit factor's sd: Var(c·(1 + 0.3z)) = E[c²]·1.09 − 1 with E[c²] = 0.4·1.69 + 0.6·0.64 = 1.06.
  const sq = Float64Array.from(m, (b) => (b - all.mean) ** 2);
  const v = meanSe(sq);
  withinSe(v.mean, 1.06 * 1.09 - 1, v.se, 'variance');
});
