// R4's consent-based registration and exact 1:1 matching without replacement: a hand-made match,
// then many draws of the bundled scenario against its numbers (registered share, pairs exact on the
// five matching variables, the big-city imbalance that matching leaves: 18 % vs 63 %).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, loadScenario } from '../../src/scenario/index.js';
import { exactMatch, matchedSample, type MatchedSpec } from '../../src/design/matching.js';
import { seeded, streamFor } from '../../src/random/stream.js';

const point = expandGrid(loadScenario(new URL('../../../scenarios/r4-matched-followup.yaml', import.meta.url).pathname))[0];
const s = point.scenario;
const d = s.design as MatchedSpec;
const R = 10;
const cohortOf = (r: number, spec: MatchedSpec = d) => {
  const st = (step: string) => streamFor(21, 0, r, step);
  return matchedSample(s, spec, { population: st('population'), consent: st('consent'), assignment: st('assignment') });
};
const cohorts = Array.from({ length: R }, (_, r) => cohortOf(r));

test('exactMatch: same key, each reference at most once, unmatched when the cell is used up', () => {
  const pk = Int32Array.from([1, 1, 1, 2, 3]);
  const rk = Int32Array.from([1, 2, 1, 2, 2]);
  const m = exactMatch(seeded('match'), pk, [0, 1, 2, 3, 4], rk);
  assert.deepEqual(
    [...m].map((r) => (r < 0 ? -1 : rk[r])),
    [1, 1, -1, 2, -1],
  );
  assert.notEqual(m[0], m[1]);
  assert.ok([0, 2].includes(m[0]) && [0, 2].includes(m[1]));
  assert.ok([1, 3, 4].includes(m[3]));
});

test('registered share: E[expit(logit 0.69 + 0.3·level)] (3 MC SEs)', () => {
  // The expectation over level ~ N(0, 1) by the midpoint rule on [−8, 8].
  const logit = Math.log(0.69 / 0.31);
  let p = 0;
  const h = 0.01;
  for (let z = -8 + h / 2; z < 8; z += h) p += (h * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI) / (1 + Math.exp(-(logit + 0.3 * z)));
  const n = R * s.population.size!;
  const reg = cohorts.reduce((a, c) => a + c.summary.totals.registered, 0);
  assert.ok(Math.abs(reg / n - p) < 3 * Math.sqrt((p * (1 - p)) / n), `registered ${reg / n} vs ${p}`);
});

test('pairs are exact on the five matching variables; ~955 pairs; unmatched reported', () => {
  let pairs = 0;
  for (const c of cohorts) {
    const m = c.summary.totals.pairs;
    pairs += m;
    assert.equal(c.summary.totals.unmatched, c.summary.totals.registered - m);
    assert.equal(c.people.n, 2 * m);
    for (const v of d.match_on) {
      const x = c.people.covariates[v];
      for (let u = 0; u < m; u++) assert.equal(x[u], x[u + m], `${v} differs in pair ${u}`);
    }
    for (let u = 0; u < m; u++) {
      assert.equal(c.group[u], 2012);
      assert.equal(c.group[u + m], 0);
    }
  }
  assert.ok(Math.abs(pairs / R - 955) < 25, `pairs ${pairs / R} (seed 955)`);
  assert.ok(cohorts.some((c) => c.summary.totals.unmatched > 0));
});

test('matching leaves the big-city imbalance: 18 % of participants vs 63 % of references (3 MC SEs)', () => {
  let n = 0;
  let bp = 0;
  let br = 0;
  for (const c of cohorts) {
    const m = c.summary.totals.pairs;
    const x = c.people.covariates.big_city;
    n += m;
    for (let u = 0; u < m; u++) {
      bp += x[u];
      br += x[u + m];
    }
  }
  assert.ok(Math.abs(bp / n - 0.18) < 3 * Math.sqrt((0.18 * 0.82) / n), `participants ${bp / n}`);
  assert.ok(Math.abs(br / n - 0.63) < 3 * Math.sqrt((0.63 * 0.37) / n), `references ${br / n}`);
});
