import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedStarts, splitEqually, waveStarts } from '../../src/design/cluster-waves.js';

test('waves: bare count takes every = ⌊T/(K+1)⌋ and one baseline block (24 months, 6 waves: every 3, first 4)', () => {
  assert.deepEqual(waveStarts({ count: 6 }, { first: 1, count: 24 }), [4, 7, 10, 13, 16, 19]);
  assert.deepEqual(waveStarts({ count: 12 }, { first: 1, count: 24 }), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.deepEqual(waveStarts({ count: 3, first: 2, every: 2 }, { first: 1, count: 10 }), [2, 4, 6]);
});

test('clusters split as equally as possible, earliest waves take the remainder; never share rounded', () => {
  assert.deepEqual(splitEqually(24, 6), [4, 4, 4, 4, 4, 4]);
  assert.deepEqual(splitEqually(16, 6), [3, 3, 3, 3, 2, 2]);
  const s = plannedStarts(10, { waves: { count: 3, first: 2, every: 1 } }, { first: 1, count: 5 }, 0.2);
  assert.deepEqual([...s], [2, 2, 2, 3, 3, 3, 4, 4, Infinity, Infinity]);
});

test('schedule as cumulative shares keeps the clusters an axis (share 0.25, 0.5, 1 of 8 and of 12 clusters)', () => {
  const sched = {
    schedule: [
      { period: 3, share: 0.25 },
      { period: 5, share: 0.5 },
      { period: 7, share: 1 },
    ],
  };
  assert.deepEqual([...plannedStarts(8, sched, { first: 1, count: 8 })], [3, 3, 5, 5, 7, 7, 7, 7]);
  assert.deepEqual([...plannedStarts(12, sched, { first: 1, count: 8 })], [3, 3, 3, 5, 5, 5, 7, 7, 7, 7, 7, 7]);
  const partial = plannedStarts(4, { schedule: [{ period: 2, share: 0.5 }] }, { first: 1, count: 4 });
  assert.deepEqual([...partial], [2, 2, Infinity, Infinity]);
});
