// R3's staggered adoption: the schedule's cumulative member counts exactly in every draw, the
// covariate tilt of the adoption order, and the outcome shares' first-period mean against the
// scenario's p (3 Monte Carlo SEs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, generateDraw, loadScenario } from '../../src/generate.js';
import { adoptionSample, membersAt, type AdoptionSpec } from '../../src/design/adoption.js';
import { streamFor } from '../../src/random/stream.js';

const point = expandGrid(loadScenario(new URL('../../../scenarios/r3-municipal-adoption.yaml', import.meta.url).pathname))[0];
const s = point.scenario;
const d = s.design as AdoptionSpec;
const cohort = (r: number, spec: AdoptionSpec = d) =>
  adoptionSample(s, spec, { population: streamFor(9, 0, r, 'population'), assignment: streamFor(9, 0, r, 'assignment') });

test('membersAt: linear between schedule points, 0 before, flat after (seed: < 55 by 2005, ~190 by 2010, 273 by 2022)', () => {
  assert.deepEqual(
    [2003, 2004, 2005, 2007, 2010, 2011, 2012, 2016, 2022, 2030].map((p) => membersAt(d.schedule, p)),
    [0, 0, 54, 108, 190, 206, 221, 250, 273, 273],
  );
});

test('every draw has exactly the scheduled cumulative adopters and 17 never-adopters', () => {
  for (let r = 0; r < 5; r++) {
    const c = cohort(r);
    for (let p = 2000; p <= 2022; p++) {
      let m = 0;
      for (const x of c.start) if (x <= p) m++;
      assert.equal(m, membersAt(d.schedule, p), `period ${p}`);
    }
    assert.equal(c.summary.totals.never, 17);
  }
});

test('adoption order: random without a tilt, early adopters northern with one', () => {
  // Without a tilt, the 54 adopters of 2005 are a simple random sample: their northern share has
  // mean 0.2 (the population share) and SE √(0.2·0.8/54 · (290 − 54)/289) per draw.
  const R = 40;
  const share = (spec: AdoptionSpec) => {
    let north = 0;
    let early = 0;
    for (let r = 0; r < R; r++) {
      const c = cohort(r, spec);
      const x = c.people.covariates.north;
      for (let i = 0; i < x.length; i++)
        if (c.start[i] === 2005) {
          early++;
          north += x[i];
        }
    }
    return north / early;
  };
  let pop = 0;
  for (let r = 0; r < R; r++) pop += cohort(r).people.covariates.north.reduce((a, b) => a + b, 0) / 290 / R;
  const flat = share({ ...d, adopt_by: {} });
  const se = Math.sqrt((((0.2 * 0.8) / 54) * ((290 - 54) / 289)) / R);
  assert.ok(Math.abs(flat - pop) < 3 * se, `no tilt: ${flat} vs ${pop}`);
  assert.ok(share({ ...d, adopt_by: { north: 1.5 } }) > pop + 6 * se);
});

test('shares: the first-period mean over municipalities is the scenario p = 0.03 (3 MC SEs); values in [0, 1]', () => {
  const R = 20;
  let s1 = 0;
  let s2 = 0;
  let m = 0;
  for (let r = 0; r < R; r++) {
    const dr = generateDraw(point, 3, r);
    const n = dr.panel.nUnits;
    for (let i = 0; i < n; i++) {
      const v = dr.y0[i];
      s1 += v;
      s2 += v * v;
      m++;
    }
    for (const v of dr.panel.y) assert.ok(v >= 0 && v <= 1);
  }
  const mean = s1 / m;
  const sd = Math.sqrt(s2 / m - mean * mean);
  assert.ok(Math.abs(mean - 0.03) < (3 * sd) / Math.sqrt(m), `mean share ${mean} (sd ${sd})`);
});
