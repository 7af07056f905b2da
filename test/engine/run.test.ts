import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine, type RunOptions } from '../../src/engine/run.js';
import { mergeRuns } from '../../src/engine/merge.js';
import { parseShard, shardDraws } from '../../src/engine/shard.js';
import { FAKE_ARGS, assertSameFiles, fakeSpec, tempDir } from './helpers.js';

const base = (outDir: string, over: Partial<RunOptions> = {}): RunOptions => ({
  spec: fakeSpec(FAKE_ARGS),
  scenario: { path: null, sha256: 'fake' },
  seed: '7',
  draws: 120,
  workers: 0,
  outDir,
  ...over,
});
const same = (x: boolean, msg: string): void => assert.ok(x, msg);

test('results are byte-identical for 0, 1 and 2 workers', async () => {
  const dirs = [0, 1, 2].map((w) => tempDir(`w${w}`));
  for (const [w, d] of dirs.entries()) await runEngine(base(d, { workers: w }));
  assertSameFiles(dirs[0], dirs[1], same);
  assertSameFiles(dirs[0], dirs[2], same);
  const csv = readFileSync(join(dirs[0], 'diagnosis.csv'), 'utf8').split('\n');
  assert.equal(csv[0], 'point,effects.size,sigma,outcome,estimator,estimand,key,subgroup,target,diagnosand,value,mc_se,n,reasons');
  // 3 points × 2 estimators × 4 estimands × 19 diagnosands, plus the header and the final newline
  assert.equal(csv.length, 3 * 2 * 4 * 19 + 2);
  const run = JSON.parse(readFileSync(join(dirs[2], 'run.json'), 'utf8'));
  assert.equal(run.status, 'complete');
  assert.equal(run.seed, '7');
  assert.deepEqual(run.draw_range, [0, 120]);
});

test('shards i/N cover every draw once, and merge gives the single run byte for byte', async () => {
  assert.deepEqual(shardDraws(10, parseShard('1/3')), { from: 0, to: 3 });
  assert.deepEqual(shardDraws(10, parseShard('3/3')), { from: 6, to: 10 });
  assert.throws(() => parseShard('0/3'), /between 1 and N/);
  assert.throws(() => parseShard('2of3'), /i\/N/);
  const full = tempDir('full');
  await runEngine(base(full));
  const shards = [1, 2, 3, 4].map((i) => tempDir(`shard${i}`));
  for (const [i, d] of shards.entries()) await runEngine(base(d, { shard: { index: i + 1, count: 4 }, workers: i % 2 }));
  const merged = tempDir('merged');
  mergeRuns([shards[2], shards[0], shards[3], shards[1]], merged);
  assertSameFiles(full, merged, same);
  assert.throws(() => mergeRuns([shards[0], shards[2], shards[3]], tempDir('gap')), /1 of 4 shards missing: shard 2\/4 \(draws 30–59\)/);
});

test('a run cut short anywhere and resumed equals the uninterrupted run', async () => {
  const full = tempDir('uncut');
  await runEngine(base(full));
  const size = statSync(join(full, 'draws')).size;
  for (const cut of [20, Math.floor(size / 3), size - 5]) {
    const d = tempDir('cut');
    await runEngine(base(d, { draws: 60 }));
    // Simulate a kill: keep a prefix of the full run's file, torn mid-record, then garbage.
    truncateSync(join(d, 'draws'), 0);
    appendFileSync(join(d, 'draws'), readFileSync(join(full, 'draws')).subarray(0, Math.max(cut, 200)));
    appendFileSync(join(d, 'draws'), Buffer.from([1, 2, 3]));
    let replayed = -1;
    await runEngine(base(d, { resume: true, workers: 2, onStart: (i) => (replayed = i.doneUnits) }));
    assert.ok(replayed >= 0);
    assertSameFiles(full, d, same);
  }
});

test('a resumed run can extend to more draws only by naming the same seed; another seed is refused', async () => {
  const d = tempDir('refuse');
  await runEngine(base(d, { draws: 10 }));
  await assert.rejects(runEngine(base(d, { draws: 10 })), /already holds a run: add --resume/);
  await assert.rejects(runEngine(base(d, { draws: 10, seed: '8', resume: true })), /belongs to another run/);
  await runEngine(base(d, { draws: 120, resume: true }));
  const full = tempDir('extend-full');
  await runEngine(base(full));
  assertSameFiles(full, d, same);
});

test('an error in a draw names the step, design point, draw and seed, and keeps the cause', async () => {
  for (const workers of [0, 2]) {
    const d = tempDir('fail');
    const err = await runEngine(base(d, { workers, spec: fakeSpec({ ...FAKE_ARGS, failAt: { point: 1, draw: 42 } }) })).then(
      () => assert.fail('expected an error'),
      (e: Error) => e,
    );
    assert.match(
      err.message,
      /step "draw" failed at design point 1 \(effects\.size=1\.5, sigma=1\), draw 42, seed 7: fake failure inside the estimator/,
    );
    assert.ok(err.cause instanceof Error);
    assert.equal((err.cause as Error).message, 'fake failure inside the estimator');
    assert.equal((err.cause as Error).name, 'RangeError');
    // Draws before the failure are kept, so a fixed run can resume from there.
    assert.ok(existsSync(join(d, 'draws')));
  }
});
