// R5's survey waves with the controls' 12-month wave added (the scenario's own comment says how):
// response rates by wave against the scenario (83/75/71 %; with outcome-related
// attrition their expectation over the unit level), monotone attrition, answers bunched at 0/5/10,
// and start groups as waves (treatment arm 2, controls 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, generateDraw, loadScenario } from '../../src/generate.js';
import { parseSetting, scenarioWithSettings } from '../../src/engine/settings.js';
import { streamFor } from '../../src/random/stream.js';
import { waitlistSample } from '../../src/design/waitlist.js';
import { surveyWaves, type MeasurementSpec } from '../../src/design/waves.js';
import { potentialOutcomes } from '../../src/world/potential-outcomes.js';

const THREE_WAVES = ['measurement.waves=[0, 6, 12]', 'measurement.response=[0.83, 0.75, 0.71]', 'measurement.on_time=null'];
// (on_time dropped: every answer analysed, so the people kept are exactly the last wave's answerers.)
const point = expandGrid(
  scenarioWithSettings(new URL('../../../scenarios/r5-survey-waves.yaml', import.meta.url).pathname, THREE_WAVES.map(parseSetting)),
)[0];
const s = point.scenario;
// The three-wave design of the seed (0, 6 and 12 months, 83/75/71 %), every answer in time: the
// bundled R5 keeps the experiment's two waves with answers in time (tested below).
const bundled = expandGrid(loadScenario(new URL('../../../scenarios/r5-survey-waves.yaml', import.meta.url).pathname))[0].scenario
  .measurement!;
const m: MeasurementSpec = { ...bundled, waves: [0, 6, 12], response: [0.83, 0.75, 0.71], on_time: undefined };
if (s.design.type !== 'waitlist') throw new Error('R5 is a wait-list design');
const design = s.design;
const periods = Float64Array.from({ length: s.periods.count }, (_, t) => s.periods.first + t);
const R = 12;
const worlds = Array.from({ length: R }, (_, r) => {
  const st = (step: string) => streamFor(31, 0, r, step);
  const cohort = waitlistSample(s, design, {
    recruitment: st('recruitment'),
    population: st('population'),
    consent: st('consent'),
    assignment: st('assignment'),
  });
  const po = potentialOutcomes(s, cohort, periods, { unit: st('unit'), effects: st('effects'), units: st('units') });
  return { cohort, ...po, attrition: st('attrition') };
});
const waves = (spec: MeasurementSpec) =>
  worlds.map((w, r) => surveyWaves(streamFor(31, 0, r, `attrition-${spec.attrition_by_level}`), spec, w.cohort, periods, w.y0, w.y1));

/** E[expit(logit p + b·Z)], Z ~ N(0, 1), by the midpoint rule on [−8, 8]. */
function expectedResponse(p: number, b: number): number {
  const l = Math.log(p / (1 - p));
  let e = 0;
  const h = 0.01;
  for (let z = -8 + h / 2; z < 8; z += h) e += (h * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI) / (1 + Math.exp(-(l + b * z)));
  return e;
}

for (const b of [0, 0.3]) {
  test(`response by wave: 83/75/71 % ${b === 0 ? 'exactly' : 'in expectation over the level (attrition_by_level 0.3)'} (3 MC SEs); monotone`, () => {
    const out = waves({ ...m, attrition_by_level: b });
    const n = worlds.reduce((a, w) => a + w.cohort.people.n, 0);
    m.response.forEach((p, w) => {
      const answered = out.reduce((a, o) => a + (o.summary.notes[`wave_${w + 1}_month_${m.waves[w]}_answered`] as number), 0);
      const e = expectedResponse(p, b);
      assert.ok(Math.abs(answered / n - e) < 3 * Math.sqrt((e * (1 - e)) / n), `wave ${w + 1}: ${answered / n} vs ${e}`);
    });
    for (const o of out) assert.equal(o.people.n, o.summary.notes.wave_3_month_12_answered);
  });
}

test('outcome-related attrition: completers have a higher mean level with attrition_by_level 0.3 than without', () => {
  const meanLevel = (b: number) => {
    let s1 = 0;
    let k = 0;
    for (const o of waves({ ...m, attrition_by_level: b }))
      for (const v of o.people.level) {
        s1 += v;
        k++;
      }
    return { mean: s1 / k, k };
  };
  const a = meanLevel(0);
  const c = meanLevel(0.3);
  // Level ~ N(0, 1): SE of each mean ≤ 1/√k; the shift expected is ~0.3 · Var(level | kept) / (1 + …) ≈ 0.08.
  assert.ok(c.mean - a.mean > 3 * Math.sqrt(1 / a.k + 1 / c.k), `${c.mean} vs ${a.mean}`);
});

test('answers in time (R5: within 30 days): the panel keeps those answering both waves in time, 247 of ~540 in the seed', () => {
  // Response is monotone (one uniform) and on-time independent of it: E[kept] = P(answer wave 2)·ot1·ot2
  // with attrition_by_level 0 (response 0.75, on time 0.945 and 0.65 as bundled).
  const spec = { ...bundled, attrition_by_level: 0 };
  const out = waves(spec);
  const n = worlds.reduce((a, w) => a + w.cohort.people.n, 0);
  const kept = out.reduce((a, o) => a + o.people.n, 0);
  const e = spec.response[1] * spec.on_time![0] * spec.on_time![1];
  assert.ok(Math.abs(kept / n - e) < 3 * Math.sqrt((e * (1 - e)) / n), `kept ${kept / n} vs ${e}`);
  for (const o of out) {
    const inTime = [1, 2].map((w) => o.summary.notes[`wave_${w}_month_${spec.waves[w - 1]}_answered_in_time`] as number);
    assert.ok(o.people.n <= Math.min(...inTime), 'everyone kept answered both waves in time');
  }
});

test('answers on 0–10 bunch at 0, 5 and 10', () => {
  const counts = new Array(11).fill(0);
  for (let r = 0; r < 4; r++) for (const v of generateDraw(point, 31, r).panel.y) counts[v]++;
  assert.ok(counts[5] > counts[4] && counts[5] > counts[6], counts.join(' '));
  assert.ok(counts[0] > counts[1] && counts[10] > counts[9], counts.join(' '));
});

test('start groups are waves: treatment arm 2, controls 3 when they start 6–11 months after enrolment, else 0', () => {
  for (let r = 0; r < 3; r++) {
    const o = surveyWaves(worlds[r].attrition, m, worlds[r].cohort, periods, worlds[r].y0, worlds[r].y1);
    const c = worlds[r].cohort;
    assert.equal(o.periods.join(), '1,2,3');
    for (let j = 0; j < o.people.n; j++) {
      const i = o.index[j];
      const wait = c.start[i] - c.enrol![i];
      assert.equal(o.group[j], wait === 0 ? 2 : wait >= 6 && wait < 12 ? 3 : 0, `wait ${wait}`);
      for (let w = 0; w < 3; w++) assert.equal(o.y0[w * o.people.n + j], worlds[r].y0[(c.enrol![i] + m.waves[w] - 1) * c.people.n + i]);
    }
  }
});
