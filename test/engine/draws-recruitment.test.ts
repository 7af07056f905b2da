/**
 * The draws file's recruitment frames (R, before each draw's D frame): read back onto their draw,
 * cut with a torn draw on resume so a resumed file is byte-identical to an uninterrupted one, and
 * summarised for the report (accrual, totals, start groups across draws).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanDrawsFile, surveyDrawsFile, type DrawsMeta } from '../../src/engine/draws-file.js';
import { Diagnosis } from '../../src/diagnosis/diagnosis.js';
import { RunSink } from '../../src/engine/sink.js';
import type { DrawRecord, DrawRecruitment } from '../../src/engine/simulation.js';
import { summarizeDraws } from '../../src/report/draws-summary.js';
import { tempDir } from './helpers.js';

const meta: DrawsMeta = {
  format: 1,
  seed: '7',
  scenarioSha256: 'abc',
  alpha: 0.05,
  estimators: ['e'],
  points: [{ index: 0, settings: {} }],
};

function recruitmentOf(d: number): DrawRecruitment {
  return {
    design: 'waitlist',
    periods: [10, 11, 12],
    referred: [10 + d, 10, 10],
    consented: [6, 7, 6 + d],
    excluded: [0, 1, 0],
    enrolled: [6, 6, 6 + d],
    totals: { referred: 30 + d, consented: 19 + d, excluded: 1, analysed: 18 + d },
    groups: [
      [11, 9 + d],
      [13, 9],
      [0, 0],
    ],
    notes: { stop: d % 2 ? 'target reached' : 'window closed' },
  };
}
const records = (d: number): DrawRecord[] => [
  { estimator: 'e', estimand: 'simple', estimate: d, se: 1, reason: null, truth: 0.5, popTruth: 1 },
  { estimator: 'e', estimand: 'dynamic:0', estimate: 2 * d, se: 1, reason: null, truth: 1, popTruth: 1 },
];

function write(path: string, draws: number): void {
  const s = RunSink.create(path, meta);
  for (let d = 0; d < draws; d++) s.add(0, d, records(d), recruitmentOf(d));
  s.close();
}

test('each draw reads back with its own recruitment', () => {
  const path = join(tempDir('rec'), 'draws');
  write(path, 3);
  const seen: DrawRecruitment[] = [];
  scanDrawsFile(path, (d) => seen.push(d.recruitment!));
  assert.deepEqual(seen, [0, 1, 2].map(recruitmentOf));
});

test('a draw torn after its R frame is cut back to before it, and resuming gives the same bytes', () => {
  const dir = tempDir('rec-torn');
  const whole = join(dir, 'whole');
  const two = join(dir, 'two');
  write(whole, 3);
  write(two, 2);
  const full = readFileSync(whole);
  const cutAt = readFileSync(two).length;
  const rLen = full.readUInt32LE(cutAt + 1) + 9;
  assert.equal(String.fromCharCode(full[cutAt]), 'R', 'draw 2 starts with its R frame');
  const torn = join(dir, 'torn');
  writeFileSync(torn, full.subarray(0, cutAt + rLen + 7)); // R whole, D cut short
  const scan = scanDrawsFile(torn, () => {});
  assert.equal(scan.validBytes, cutAt);
  assert.equal(scan.truncatedTail, true);
  const survey = surveyDrawsFile(torn, () => {});
  assert.equal(survey.prefixBytes, cutAt);
  const sink = RunSink.resume(torn, meta, survey, new Diagnosis(meta.alpha, meta.estimators));
  sink.add(0, 2, records(2), recruitmentOf(2));
  sink.close();
  assert.ok(readFileSync(torn).equals(full), 'resumed file differs from the uninterrupted one');
});

test('the report summary: accrual, totals and start groups across draws', () => {
  const path = join(tempDir('rec-sum'), 'draws');
  write(path, 5);
  const s = summarizeDraws(path, meta, [0]);
  const r = s.recruitment[0];
  assert.equal(r.draws, 5);
  assert.deepEqual(r.periods, [10, 11, 12]);
  // Cumulative enrolled at period 12 is 18 + d for d = 0..4: median 20.
  assert.equal(r.enrolled[2].mid, 20);
  assert.equal(r.totals.find((t) => t.name === 'analysed')!.band.mid, 20);
  assert.deepEqual(
    r.groups.map((g) => g.label),
    ['1st', '2nd', 'never'],
  );
  assert.equal(r.groups[0].size.mid, 11); // 9 + d
  assert.deepEqual(r.stops, [
    { reason: 'window closed', share: 0.6 },
    { reason: 'target reached', share: 0.4 },
  ]);
  // Event study and sampling distribution from the same pass.
  assert.deepEqual(s.sampling[0].estimates, [0, 1, 2, 3, 4]);
  assert.equal(s.sampling[0].truth, 0.5);
  assert.equal(s.eventStudies[0].estimate[0]!.mid, 4); // mean of 2d
});
