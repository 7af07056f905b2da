/** The arena behind the estimator's allocation-free cells: zero-filled views that never overlap. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Float64Arena } from '../../src/linalg/arena.js';

describe('Float64Arena', () => {
  it('hands out zero-filled, non-overlapping views, across chunk boundaries', () => {
    const arena = new Float64Arena(64);
    const views = [5, 9, 16, 3, 16, 7, 12, 1, 16].map((len) => arena.take(len));
    views.forEach((v, j) => {
      assert.ok(
        v.every((x) => x === 0),
        `view ${j} is not zero-filled`,
      );
      v.fill(j + 1);
    });
    views.forEach((v, j) =>
      assert.ok(
        v.every((x) => x === j + 1),
        `view ${j} was overwritten by a later one`,
      ),
    );
  });

  it('after reset, reuses its memory and zero-fills it again', () => {
    const arena = new Float64Arena(64);
    const first = arena.take(10);
    first.fill(7);
    arena.take(60).fill(8); // a second chunk
    arena.reset();
    const again = arena.take(10);
    assert.equal(again.buffer, first.buffer, 'the first chunk is handed out again');
    assert.ok(again.every((x) => x === 0));
    const next = arena.take(60);
    assert.ok(
      next.every((x) => x === 0),
      'the second chunk is zeroed too',
    );
  });

  it('gives requests above a quarter of a chunk their own array', () => {
    const arena = new Float64Arena(64);
    const big = arena.take(17);
    assert.equal(big.length, 17);
    assert.equal(big.buffer.byteLength, 17 * 8);
  });
});
