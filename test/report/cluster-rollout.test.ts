/**
 * The report's rollout section for a clusters design, from a hand-built RecruitmentSummary of the
 * agreed shape (design 'clusters'; groups = waves of clusters; totals clusters, never, dropped,
 * people_per_period, person_periods) written through the draws file as the engine writes it: the
 * clusters-per-wave table, chart and sentence in the scenario's words (clinics, people, months), and
 * the design's words in the scenario section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DrawsMeta } from '../../src/engine/draws-file.js';
import { RunSink } from '../../src/engine/sink.js';
import type { DrawRecruitment } from '../../src/engine/simulation.js';
import { summarizeDraws } from '../../src/report/draws-summary.js';
import { rolloutChart, rolloutSentence, rolloutTable } from '../../src/report/cluster-rollout.js';
import { scenarioWords } from '../../src/report/scenario-words.js';
import { tempDir } from '../engine/helpers.js';

const meta: DrawsMeta = {
  format: 1,
  seed: '7',
  scenarioSha256: 'abc',
  alpha: 0.05,
  estimators: ['hh'],
  points: [{ index: 0, settings: {} }],
};

/** 24 clinics in 6 waves of 4 (months 4, 7, …, 19), 400 people per clinic and month for 24 months; draw d loses d % 2 clinics. */
function clustersOf(d: number): DrawRecruitment {
  const starts = [4, 7, 10, 13, 16, 19];
  return {
    design: 'clusters',
    periods: starts,
    referred: starts.map(() => 0),
    consented: starts.map(() => 0),
    excluded: starts.map(() => 0),
    enrolled: starts.map(() => 4),
    totals: { clusters: 24, never: 0, dropped: d % 2, people_per_period: 9600, person_periods: 230400 },
    groups: starts.map((s) => [s, 4] as [number, number]),
    notes: {},
  };
}

function summary(draws: number) {
  const path = join(tempDir('rollout'), 'draws');
  const s = RunSink.create(path, meta);
  for (let d = 0; d < draws; d++)
    s.add(0, d, [{ estimator: 'hh', estimand: 'simple', estimate: 0, se: 1, reason: null, truth: 0, popTruth: 0 }], clustersOf(d));
  s.close();
  return summarizeDraws(path, meta, [0]);
}

const words = { noun: { one: 'clinic', many: 'clinics' }, per: 'month', periods: null };

test('the rollout table has a row per wave with its start month and clinics, then never, dropped and the people', () => {
  const sum = summary(20);
  assert.equal(sum.recruitment[0].design, 'clusters');
  const t = rolloutTable([{ label: '', r: sum.recruitment[0] }], words);
  assert.deepEqual(t.head, ['wave', 'starts in', 'clinics']);
  assert.deepEqual(
    t.rows.slice(0, 6),
    [4, 7, 10, 13, 16, 19].map((m, k) => [`wave ${k + 1}`, `month ${m}`, '4']),
  );
  assert.deepEqual(t.rows[6], ['never start (parallel arm)', '', '0']);
  // Half the draws lose one clinic: median 0.5, 90 % range 0–1.
  assert.deepEqual(t.rows[7], ['drop out', '', '0.5 (0–1)']);
  assert.deepEqual(t.rows[8], ['clinics in all', '', '24']);
  assert.deepEqual(t.rows[10], ['person-months', '', '230400']);
  assert.doesNotMatch(JSON.stringify(t), /outcome units|people_per_period|clusters/);
});

test('the sentence and chart speak of clinics, people and months', () => {
  const r = summary(20).recruitment[0];
  assert.equal(
    rolloutSentence(r, words),
    '24 clinics start in 6 waves, from month 4 to month 19; 0 never start and 0.5 (0–1) drop out; about 400 people per clinic and month (230400 person-months in all) (median draw, 90 % of draws in brackets).',
  );
  const c = rolloutChart([{ label: '', r }], words);
  assert.equal(c.title, 'Clinics per wave');
  const spec = c.build() as unknown as { data: { labels: string[]; datasets: { data: (number | null)[] }[] } };
  assert.deepEqual(spec.data.labels, ['1 (4)', '2 (7)', '3 (10)', '4 (13)', '5 (16)', '6 (19)']);
  assert.deepEqual(spec.data.datasets[0].data, [4, 4, 4, 4, 4, 4]);
});

test('the scenario section describes the clusters design with population.unit', () => {
  const w = scenarioWords(`name: sw
periods: {count: 24, unit: month}
population: {unit: {one: clinic, many: clinics}}
outcome: {type: binary, p: 0.04, icc: 0.02, units: percentage points}
effect: {size: -0.008, onset: 3}
design: {type: clusters, clusters: [16, 24], cluster_size: {mean: 400, cv: 0}, sampling: cross_section, waves: {count: 6, first: 4, every: 3}, never: 0.25, stratify_by: urban}
`);
  const d = w.sections.find((s) => s.title === 'Design')!.sentences;
  assert.equal(
    d[0],
    'A cluster rollout (stepped-wedge trial): one of 16, 24 (a grid axis) clinics, about 400 people per clinic and month; new people each period (repeated cross-sections).',
  );
  assert.equal(
    d[1],
    'Clinics are split as equally as possible into 6 waves (the first at month 4, every 3 months) and randomised to them, within strata of urban.',
  );
  assert.equal(d[2], '25 % of clinics never start (a parallel arm).');
  assert.equal(w.effectUnit, 'percentage points');
  assert.ok(
    w.sections
      .find((s) => s.title === 'Outcome')!
      .sentences.some((x) => x.startsWith("Intra-cluster correlation 0.02 on the outcome's own scale")),
  );
});
