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

test("persistent amounts: a negative effect still has its stated size (the leavers' own levels are everyone's)", () => {
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

/** A binary world with a persistent effect (effect.persistence b): p0 = 0.1 flat, τ = +0.1 from period 3. */
function binaryWorld(b: number, size: number) {
  return worldPoint({
    periods: '{first: 1, count: 10}',
    population: '{size: 10000}',
    outcome: '{type: binary, p: 0.3, unit_sd: 0, noise_sd: 0, rho: 0}',
    effect: `{size: ${size}, persistence: ${b}}`,
    design: '{type: adoption, schedule: [{period: 3, members: 5000}]}',
  });
}

/**
 * Among treated units the effect can move in both months (Y0 = 0 for τ > 0, Y0 = 1 for τ < 0), the
 * correlation over units of "moved by the effect" (Y1 ≠ Y0) in two post months.
 */
function movedCorrelation(w: ReturnType<typeof drawAdoptionWorld>, t1: number, t2: number, movable: number) {
  const a: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < w.n; i++) {
    if (!Number.isFinite(w.cohort.start[i])) continue;
    if (w.y0[t1 * w.n + i] !== movable || w.y0[t2 * w.n + i] !== movable) continue;
    a.push(w.y1[t1 * w.n + i] !== w.y0[t1 * w.n + i] ? 1 : 0);
    c.push(w.y1[t2 * w.n + i] !== w.y0[t2 * w.n + i] ? 1 : 0);
  }
  return pearson(a, c);
}

for (const [b, size] of [
  [0, 0.1],
  [0.8, 0.1],
  [0.8, -0.1],
] as const) {
  test(`binary effect persistence ${b}, τ = ${size}: the effect's size holds and the moved stay moved (${b > 0 ? 'correlated' : 'independent'} months)`, () => {
    const w = drawAdoptionWorld(binaryWorld(b, size), `binary persist ${b} ${size}`);
    const d: number[] = [];
    for (let i = 0; i < w.n; i++) {
      if (!Number.isFinite(w.cohort.start[i])) continue;
      let s = 0;
      for (let t = 2; t < w.T; t++) s += w.y1[t * w.n + i] - w.y0[t * w.n + i];
      d.push(s / (w.T - 2));
    }
    const m = meanSe(d);
    withinSe(m.mean, size, m.se, `mean effect (persistence ${b})`);
    const r = movedCorrelation(w, 4, 8, size > 0 ? 0 : 1);
    if (b === 0) withinSe(r.r, 0, r.se, 'moved in months 5 and 9: independent');
    // With b = 0.8 the moved indicators are 1{Φ(√b·L + √(1−b)·e) < q}, q = τ/(1 − p0) or −τ/p0: their
    // correlation is that of two bivariate-normal orthants with correlation b, clearly above 0.3 here.
    else assert.ok(r.r > 0.3, `moved in months 5 and 9 with persistence 0.8: r = ${r.r}`);
  });
}
