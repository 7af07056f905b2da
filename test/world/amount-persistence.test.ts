/**
 * Persistent amounts (outcome.amount_persistence a, earnings and count): the amount's normal is
 * √a·(the person's own) + √(1 − a)·(the month's), so among a person's months with earnings the log
 * amounts correlate by a (closed form: corr of √a·L + √(1−a)·e_t and √a·L + √(1−a)·e_s is a), while the
 * mean amount and the effect's size are what they were (each normal is still N(0, 1), independent of
 * the work draw).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawAdoptionWorld, meanSe, pearson, withinSe, worldPoint } from '../helpers/world.js';

function world(a: number, effect = '{size: 0}') {
  return worldPoint({
    periods: '{first: 1, count: 8}',
    population: '{size: 8000}',
    // A latent index with no persistence of its own: the amounts' correlation is a's alone.
    outcome: `{type: earnings, mean: 3000, share_any: 0.5, sdlog: 0.8, amount_persistence: ${a}, unit_sd: 0, noise_sd: 0.5, rho: 0}`,
    effect,
    design: '{type: adoption, schedule: [{period: 3, members: 4000}]}',
  });
}

/** Log amounts of the same person in periods 1 and 2, over people with earnings in both. */
function logPairs(w: ReturnType<typeof drawAdoptionWorld>) {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < w.n; i++) {
    const a = w.y0[i];
    const b = w.y0[w.n + i];
    if (a > 0 && b > 0) {
      x.push(Math.log(a));
      y.push(Math.log(b));
    }
  }
  return { x, y };
}

for (const a of [0, 0.5, 0.8]) {
  test(`earnings amounts: log amounts of one person correlate by amount_persistence = ${a}; the mean amount stays mean/share_any`, () => {
    const w = drawAdoptionWorld(world(a), `persist ${a}`);
    const { x, y } = logPairs(w);
    const r = pearson(x, y);
    withinSe(r.r, a, r.se, `corr of log amounts (a = ${a})`);
    const pos: number[] = [];
    for (let k = 0; k < w.n * w.T; k++) if (w.y0[k] > 0) pos.push(w.y0[k]);
    const m = meanSe(pos);
    // E[amount | any] = mean / share_any = 6000 whatever a (exp(μ + σ²/2) with each normal N(0, 1)).
    // People's levels make the pooled cells dependent: the SE of the mean is inflated by √(1 + (T−1)·ρ)
    // at most, ρ the within-person correlation of amounts (< a); T = 8.
    withinSe(m.mean, 6000, m.se * Math.sqrt(1 + 7 * a), `mean amount (a = ${a})`);
  });
}

test('persistent amounts: a negative effect still has its stated size (the leavers\' own levels are everyone\'s)', () => {
  const w = drawAdoptionWorld(world(0.7, '{size: -300}'), 'persist effect');
  const d: number[] = [];
  for (let i = 0; i < w.n; i++) {
    if (!Number.isFinite(w.cohort.start[i])) continue;
    let s = 0;
    for (let t = 2; t < w.T; t++) s += w.y1[t * w.n + i] - w.y0[t * w.n + i];
    d.push(s / (w.T - 2));
  }
  assert.equal(d.length, 4000);
  const m = meanSe(d);
  withinSe(m.mean, -300, m.se, 'effect −300 with amount_persistence 0.7');
});
