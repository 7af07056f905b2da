// R1's recruitment and wait-list assignment over many draws against the scenario's values: consent
// share, exclusion share, treatment share, referrals per month before and after each shortfall, and
// nearly equal start groups; each within 3 Monte Carlo SEs (√(p(1−p)/n) for shares, √(λ/n) for means).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, loadScenario } from '../../src/scenario/index.js';
import { streamFor } from '../../src/random/stream.js';
import { waitlistSample } from '../../src/design/waitlist.js';
import { plannedReferrals } from '../../src/design/recruitment.js';

const point = expandGrid(loadScenario(new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname))[0];
const s = point.scenario;
const d = s.design;
if (d.type !== 'waitlist') throw new Error('R1 is a wait-list design');
const R = 150;
const cohorts = Array.from({ length: R }, (_, r) => {
  const st = (step: string) => streamFor(7, 0, r, step);
  return waitlistSample(s, d, {
    recruitment: st('recruitment'),
    population: st('population'),
    consent: st('consent'),
    assignment: st('assignment'),
  });
});
const sum = (f: (c: (typeof cohorts)[number]) => number) => cohorts.reduce((a, c) => a + f(c), 0);
function within3(share: number, p: number, n: number, what: string) {
  const se = Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(share - p) < 3 * se, `${what}: ${share} vs ${p} (3 SE ${3 * se})`);
}

test('consent share 65 % of those asked (R1: 560 of 860)', () => {
  const asked = sum((c) => c.summary.totals.referred);
  within3(sum((c) => c.summary.totals.consented) / asked, 0.65, asked, 'consent');
});

test('exclusion share 3.4 % of consenting (R1: ~19 of 560)', () => {
  const n = sum((c) => c.summary.totals.consented);
  within3(sum((c) => c.summary.totals.excluded) / n, 0.034, n, 'exclusion');
});

test('treatment share 60 % of analysed', () => {
  const n = sum((c) => c.summary.totals.analysed);
  within3(sum((c) => c.summary.totals.treatment_arm) / n, 0.6, n, 'treatment share');
});

test('the shortfalls cut monthly referrals: 55, then 44 from month 58, then 33 from month 64', () => {
  for (const [from, to] of [
    [56, 57],
    [58, 63],
    [64, 78],
  ]) {
    const lambda = plannedReferrals(d.recruitment, from);
    let total = 0;
    let months = 0;
    for (const c of cohorts)
      for (const row of c.summary.byPeriod)
        if (row.period >= from && row.period <= to) {
          total += row.referred;
          months++;
        }
    const se = Math.sqrt(lambda / months);
    assert.ok(Math.abs(total / months - lambda) < 3 * se, `months ${from}–${to}: ${total / months} vs ${lambda}`);
  }
  assert.deepEqual(
    [56, 58, 64].map((p) => plannedReferrals(d.recruitment, p)),
    [55, 44, 33],
  );
});

test('a shortfall with an end month: referrals recover (partly, with a lasting second shortfall) after it', () => {
  // 55 planned; 58–63: 40 % and 20 % short (55·0.6·0.8 = 26.4); from 64 only the lasting 20 % (44).
  // No target, so recruitment runs to the window's end. Monthly counts are Poisson: each segment's mean
  // within 4 SEs √(λ/months) of its plan, its variance within 4 SEs of λ (SE of s² ≈ √((2λ² + λ)/months)).
  const shortfalls = [
    { from_month: 58, share: 0.4, to_month: 63 },
    { from_month: 58, share: 0.2 },
  ];
  const r = { ...d.recruitment, target: null, target_cut: undefined, shortfalls };
  const design = { ...d, recruitment: r };
  assert.deepEqual(
    [56, 57, 58, 63, 64, 78].map((p) => Math.round(plannedReferrals(r, p) * 1e9) / 1e9),
    [55, 55, 26.4, 26.4, 44, 44],
  );
  const counts = new Map<number, number[]>();
  for (let k = 0; k < 100; k++) {
    const st = (step: string) => streamFor(11, 0, k, step);
    const c = waitlistSample(s, design, {
      recruitment: st('recruitment'),
      population: st('population'),
      consent: st('consent'),
      assignment: st('assignment'),
    });
    for (const row of c.summary.byPeriod) counts.set(row.period, [...(counts.get(row.period) ?? []), row.referred]);
  }
  for (const [from, to] of [
    [56, 57],
    [58, 63],
    [64, 78],
  ]) {
    const lambda = plannedReferrals(r, from);
    const xs = [...counts].filter(([p]) => p >= from && p <= to).flatMap(([, v]) => v);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    assert.equal(xs.length, 100 * (to - from + 1), `every month of ${from}–${to} recorded`);
    assert.ok(Math.abs(m - lambda) < 4 * Math.sqrt(lambda / xs.length), `months ${from}–${to}: mean ${m} vs ${lambda}`);
    assert.ok(
      Math.abs(v - lambda) < 4 * Math.sqrt((2 * lambda * lambda + lambda) / xs.length),
      `months ${from}–${to}: variance ${v} vs ${lambda}`,
    );
  }
});

test('controls start at least 6 months after enrolment; treated at once', () => {
  for (const c of cohorts.slice(0, 20))
    for (let i = 0; i < c.start.length; i++) {
      const wait = c.start[i] - c.enrol![i];
      assert.ok(wait === 0 || wait >= 6 || !Number.isFinite(wait));
    }
});

test('9 nearly equal start groups: each ~1/9 of the analysed on average (month granularity: ±0.03)', () => {
  const shares = new Array(9).fill(0);
  for (const c of cohorts) {
    assert.equal(c.summary.groups.length, 9);
    c.summary.groups.forEach((g, k) => (shares[k] += g.size / c.summary.totals.analysed / R));
  }
  for (const sh of shares) assert.ok(Math.abs(sh - 1 / 9) < 0.03, `group share ${sh}`);
});

test('a target stops recruitment once reached', () => {
  const low = { ...d, recruitment: { ...d.recruitment, target: 200, target_cut: undefined } };
  const st = (step: string) => streamFor(7, 0, 0, step);
  const c = waitlistSample(s, low, {
    recruitment: st('recruitment'),
    population: st('population'),
    consent: st('consent'),
    assignment: st('assignment'),
  });
  assert.equal(c.summary.totals.analysed, 200);
  assert.equal(c.summary.notes.stop, 'target reached');
});
