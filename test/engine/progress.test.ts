/**
 * The progress bar's ETA on an injected clock: a run whose first draws are slow (workers starting)
 * and which then runs at 10 draws/s. The expected figures are arithmetic on that schedule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEta, progressFields, RateEstimator, WARMUP_DRAWS } from '../../src/engine/progress.js';

/** Draw k (1-based) finishes at: 8 s for the first five (start-up), then 0.1 s each. */
const finish = (k: number) => (k <= 5 ? 8 * (k / 5) : 8 + 0.1 * (k - 5));

test('the ETA leaves the warm-up out: "estimating…" first, then the steady rate (not the start-up rate)', () => {
  let t = 0;
  const est = new RateEstimator(() => t * 1000);
  const total = 125; // steady part: 120 draws at 10/s = 12 s after the start-up
  est.start(total, 0);
  const readings = [];
  for (let k = 1; k <= total; k++) {
    t = finish(k);
    readings.push({ k, ...est.update(k) });
  }
  // Until the warm-up (5 draws and 1 s) has passed, no figure.
  for (const r of readings.slice(0, WARMUP_DRAWS)) assert.deepEqual([r.rate, r.eta], [null, null], `draw ${r.k}`);
  assert.equal(progressFields(readings[0]).eta, 'estimating…');
  // The first ETA: 119 draws left at 10 draws/s = 11.9 s. A rate over all draws so far (6 draws in
  // 8.1 s) would have said 119 / 0.74 = 161 s.
  const first = readings[WARMUP_DRAWS];
  assert.ok(Math.abs(first.rate! - 10) < 1e-9, `rate ${first.rate}`);
  assert.ok(Math.abs(first.eta! - 11.9) < 1e-9, `eta ${first.eta}`);
  // Every later ETA is the time really left (to 1e-9 s): finish(125) − now.
  for (const r of readings.slice(WARMUP_DRAWS))
    assert.ok(Math.abs(r.eta! - (finish(total) - finish(r.k))) < 1e-9, `draw ${r.k}: eta ${r.eta}`);
  assert.equal(readings[readings.length - 1].eta, 0);
});

test('a resumed run counts its warm-up from the draws it starts with', () => {
  let t = 0;
  const est = new RateEstimator(() => t * 1000, 5, 1);
  est.start(100, 60);
  t = 2;
  assert.equal(est.update(64).eta, null); // 4 draws: still warming up
  t = 3;
  assert.equal(est.update(65).eta, null); // warm-up ends here
  t = 4;
  assert.equal(est.update(75).eta, (100 - 75) / 10);
});

test('ETA text: seconds, minutes, hours', () => {
  assert.equal(formatEta(8.4), '8 s');
  assert.equal(formatEta(185), '3 min 05 s');
  assert.equal(formatEta(3720), '1 h 02 min');
});
