/**
 * dcdh with a discrete treatment (did_multiplegt_dyn's non-binary case) on a noiseless panel
 * y_it = α_i + λ_t + τ·D_it: for each switcher the DiD of its outcome from F − 1 to F − 1 + ℓ is
 * τ·(D_{F−1+ℓ} − D_{g,1}), so DID_ℓ = τ·δ_ℓ with δ_ℓ the switchers' mean of S_g·(D_{F−1+ℓ} − D_{g,1})
 * (S_g = +1 when the mean treatment after F exceeds the baseline, else −1), the average total effect
 * Σ N_ℓ DID_ℓ / Σ N_ℓ δ_ℓ = τ, and the placebos 0 (de Chaisemartin & D'Haultfœuille 2024, eqs. 3–4,
 * Section 3.3). A unit whose treatment goes both above and below its baseline is cut from the period by
 * which it has done both (Design Restriction 2). The parity with the package's own R source on a noisy
 * discrete panel is in test-reference/estimators/dcdh/discrete.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dcdhDesign } from '../../../src/estimators/dcdh/design.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';

const TAU = 0.45,
  T = 6;
const PATHS: [string, number][] = [
  ['000000', 4],
  ['002222', 3], // in at period 3, by 2
  ['000111', 2],
  ['012100', 2], // in at 2, back to the baseline later (no crossing)
  ['222222', 4],
  ['221111', 3], // out at 3
  ['222333', 2], // in at 4, from the same baseline as the switchers out
  ['220033', 1], // out at 3, then above the baseline at 5: cut from period 5
];

function panelOf(): Panel {
  const rows = PATHS.flatMap(([p, k]) => Array<string>(k).fill(p));
  const n = rows.length;
  const D = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  rows.forEach((p, i) => {
    for (let t = 0; t < T; t++) {
      D[t * n + i] = Number(p[t]);
      y[t * n + i] = Math.sin(2 * i + 1) * 4 + Math.cos(1.3 * t) * 2 + 0.1 * t * t + TAU * D[t * n + i];
    }
  });
  const group = rows.map((p) => (/[1-9]/.test(p) ? p.search(/[1-9]/) + 1 : 0));
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y, treatment: D });
}

/** δ_ℓ by hand: every stratum here has never-switchers, so T_g = 5; the crossing path ends at 3. */
function delta(l: number): { n: number; mean: number } {
  let n = 0,
    sum = 0;
  for (const [p, k] of PATHS) {
    const d1 = Number(p[0]);
    const F = [...p].findIndex((c) => Number(c) !== d1);
    if (F < 0) continue;
    const last = p === '220033' ? 3 : T - 1;
    if (F - 1 + l > last) continue;
    const post = [...p.slice(F, last + 1)].map(Number);
    const S = post.reduce((a, b) => a + b, 0) / post.length > d1 ? 1 : -1;
    n += k;
    sum += k * S * (Number(p[F - 1 + l]) - d1);
  }
  return { n, mean: sum / n };
}

const near = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-10, `${what}: ${a} vs ${b}`);

it('discrete treatment: DID_ℓ = τ·δ_ℓ (signed mean change since the baseline), placebos 0, average total effect τ', () => {
  const e = estimateDcdh(panelOf(), { effects: 4, placebo: 1 });
  const rows = e.aggregates.dynamic!.detail!;
  for (let l = 1; l <= 4; l++) near(rows.find((r) => r.key === l - 1)!.att, TAU * delta(l).mean, `DID_${l}`);
  near(rows.find((r) => r.key === -2)!.att, 0, 'placebo 1');
  near(e.aggregates.simple!.att, TAU, 'average total effect');
  assert.match(e.messages.join('\n'), /1 unit\(s\) whose treatment goes both above and below its baseline are cut/);
});

it('discrete treatment: switchers in and out of one baseline, S_g from the mean treatment after the switch', () => {
  const d = dcdhDesign(panelOf(), []);
  const first = (path: string) =>
    PATHS.slice(
      0,
      PATHS.findIndex(([p]) => p === path),
    ).reduce((a, [, k]) => a + k, 0);
  assert.equal(d.dir[first('012100')], 1, '0 → 1 → 2 → 1 → 0: in');
  assert.equal(d.dir[first('221111')], -1, 'out');
  assert.equal(d.dir[first('222333')], 1, 'in, same stratum as the switchers out');
  assert.equal(d.dir[first('220033')], -1, 'out: its mean before the cut is below 2');
  assert.equal(d.lastT[first('220033')], 3);
  assert.equal(d.stratum[first('222333')], d.stratum[first('221111')]);
  // switchers: 'in' keeps the in-switchers only, on both baselines.
  const inOnly = estimateDcdh(panelOf(), { effects: 2, placebo: 0, switchers: 'in' });
  near(inOnly.aggregates.simple!.att, TAU, 'average total effect of the switchers in');
});

it('discrete treatment, normalized: DID_ℓ / δ^D_ℓ = τ·δ_ℓ / (mean Σ_{k<ℓ} S·(D_{F+k} − D_1))', () => {
  const e = estimateDcdh(panelOf(), { effects: 2, placebo: 0, normalized: true });
  // ℓ = 1: δ^D_1 = δ_1, so the normalized DID_1 = τ.
  near(e.aggregates.dynamic!.detail![0].att, TAU, 'normalized DID_1');
});

it('dont_drop_larger_lower: no cut; a switcher whose mean treatment after F equals its baseline leaves the design', () => {
  const rows: [string, number][] = [
    ['1111', 3],
    ['1120', 2], // up then below: cut at period 4 by default; mean (2 + 0)/2 = 1 = baseline under the option
    ['1122', 2],
    ['0000', 2],
  ];
  const units = rows.flatMap(([p, k]) => Array<string>(k).fill(p));
  const n = units.length,
    T4 = 4;
  const D = Float64Array.from({ length: n * T4 }, (_, k) => Number(units[k % n][Math.floor(k / n)]));
  const y = Float64Array.from({ length: n * T4 }, (_, k) => Math.sin(k) + TAU * D[k]);
  const p = makePanel({ periods: [1, 2, 3, 4], group: units.map((u) => (u === '0000' ? 0 : u === '1111' ? 1 : 3)), y, treatment: D });
  const cut = dcdhDesign(p, []);
  const kept = dcdhDesign(p, [], undefined, { dontDropLargerLower: true });
  assert.equal(cut.lastT[3], 2, 'cut by default');
  assert.equal(cut.dir[3], 1, 'a switcher in before the cut');
  assert.equal(kept.lastT[3], 3, 'whole under the option');
  assert.equal(kept.stratum[3], -1, 'no first stage: out of the design');
  assert.equal(kept.stratum[5], cut.stratum[5], 'the others keep their stratum');
  assert.match(kept.messages.join('\n'), /2 switcher\(s\) whose mean treatment after the first change equals the baseline/);
});
