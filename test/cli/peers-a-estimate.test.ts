/**
 * `stagger estimate --estimator dcdh | twowayfeweights | stacked` on the committed sim_a panel
 * (test/fixtures/did/sim_a.csv: 800 units × periods 1–8, cohorts 3, 5, 6 and never treated): JSON out
 * with the Estimate shape, the family's own flags, and refusals of flags the family does not take.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { FIXTURE_DID } from '../helpers/reference.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const DATA = `${FIXTURE_DID}/sim_a.csv`;
const run = (args: string[]) =>
  spawnSync(
    process.execPath,
    [CLI, 'estimate', '--data', DATA, '--id', 'id', '--time', 'period', '--group', 'first_treat', '--outcome', 'y', ...args],
    {
      encoding: 'utf8',
    },
  );

/** `stagger estimate --estimator twowayfeweights` on a CSV of id, period, y and the treatment column d. */
const twfewOn = (csv: string, ...extra: string[]) =>
  spawnSync(process.execPath, [CLI, 'estimate', '--data', csv, '--treatment', 'd', '--estimator', 'twowayfeweights', ...extra], {
    encoding: 'utf8',
  });

it('dcdh: effects and placebos from --effects/--placebo, average total effect, covariance', () => {
  const r = run(['--estimator', 'dcdh', '--effects', '3', '--placebo', '2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.equal(e.estimator, 'dcdh');
  assert.deepEqual(
    e.aggregates.dynamic.detail.map((d: { key: number }) => d.key),
    [-3, -2, 0, 1, 2],
  );
  for (const d of e.aggregates.dynamic.detail) assert.ok(d.se > 0);
  assert.equal(e.aggregates.dynamic.vcov.length, 5);
  assert.ok(typeof e.aggregates.simple.att === 'number' && e.aggregates.simple.se > 0);
  assert.equal(e.wald_pretest.df, 2);
});

it('twowayfeweights: the weights in --json, the summary in the text output', () => {
  const r = run(['--estimator', 'twowayfeweights', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  const w = e.twfe_weights;
  assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
  assert.ok(Math.abs(w.beta - e.aggregates.simple.att) < 1e-15);
  const t = run(['--estimator', 'twowayfeweights']);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /weighted sum of \d+ ATTs/);
  assert.match(t.stdout, /σ_fe = /);
});

it('stacked: --kappa-pre/--kappa-post/--weighting; wing and cengiz differ', () => {
  const a = run(['--estimator', 'stacked', '--kappa-pre', '2', '--kappa-post', '1', '--json']);
  const b = run(['--estimator', 'stacked', '--kappa-pre', '2', '--kappa-post', '1', '--weighting', 'cengiz', '--json']);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  const ea = JSON.parse(a.stdout),
    eb = JSON.parse(b.stdout);
  assert.deepEqual(
    ea.aggregates.dynamic.detail.map((d: { key: number }) => d.key),
    [-2, 0, 1],
  );
  assert.ok(ea.aggregates.simple.se > 0 && eb.aggregates.simple.se > 0);
  assert.notEqual(ea.aggregates.simple.att, eb.aggregates.simple.att);
});

it('refuses a flag the family does not take, naming the ones it does', () => {
  const r = run(['--estimator', 'stacked', '--placebo', '2']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /stacked does not take --placebo \(stacked takes: .*--kappa-pre.*\); --placebo works with --estimator dcdh/);
  const s = run(['--estimator', 'dcdh', '--effects', '0']);
  assert.equal(s.status, 2);
  assert.match(s.stderr, /--effects: expected a whole number ≥ 1, found 0/);
});

it('twowayfeweights --treatment COL --random-weights COL: unit-period cells, the test in --json; refused elsewhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-twfew-cli-'));
  const csv = join(dir, 'switching.csv');
  const rows = ['id,period,y,d,x'];
  for (let i = 1; i <= 10; i++)
    for (let t = 1; t <= 6; t++) {
      const d = i > 2 && t >= (i % 4) + 2 && !(i === 7 && t === 5) ? 1 : 0;
      rows.push(`${i},${t},${(Math.sin(i) + 0.3 * t + 0.7 * d).toFixed(6)},${d},${i % 3}`);
    }
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const r = twfewOn(csv, '--random-weights', 'x', '--json');
  assert.equal(r.status, 0, r.stderr);
  const w = JSON.parse(r.stdout).twfe_weights;
  assert.equal(w.cells.length, w.treated_cells);
  assert.ok(w.cells.every((c: { unit?: string; units: number }) => typeof c.unit === 'string' && c.units === 1));
  assert.equal(w.random_weights[0].column, 'x');
  assert.ok(Number.isFinite(w.random_weights[0].se));
  const bad = run(['--estimator', 'did', '--random-weights', 'x']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--random-weights/);
  assert.match(bad.stderr, /twowayfeweights/);
  rmSync(dir, { recursive: true, force: true });
});

it('twowayfeweights --twfe-type, --covariates, --weights, --other-treatments through the CLI; refused where they do not apply', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-twfew-types-'));
  const csv = join(dir, 'switching.csv');
  const rows = ['id,period,y,d,x,o,wt'];
  for (let i = 1; i <= 12; i++)
    for (let t = 1; t <= 6; t++) {
      const d = i > 2 && t >= (i % 4) + 2 && !(i === 7 && t === 5) ? 1 : 0;
      const x = Math.cos(i + 0.7 * t);
      rows.push(
        `${i},${t},${(Math.sin(i) + 0.3 * t + 0.7 * d + 0.5 * x).toFixed(6)},${d},${x.toFixed(6)},${(i + t) % 3 === 0 ? 1 : 0},${1 + ((i + t) % 4) / 2}`,
      );
    }
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const types = ['feTR', 'feS', 'fdTR', 'fdS'].map((ty) => {
    const r = twfewOn(csv, '--twfe-type', ty, '--covariates', 'x', '--weights', 'wt', '--json');
    assert.equal(r.status, 0, r.stderr);
    const w = JSON.parse(r.stdout).twfe_weights;
    assert.equal(w.type, ty);
    assert.deepEqual(w.controls, { kept: ['x'], absorbed: [] });
    assert.ok(Math.abs(w.positive.sum + w.negative.sum - 1) < 1e-12);
    return w.beta;
  });
  assert.ok(Math.abs(types[0] - types[1]) < 1e-12 && Math.abs(types[2] - types[3]) < 1e-12, 'fe types share β̂, fd types too');
  // y = unit + 0.3·t + 0.7·d + 0.5·x (to 6 decimals): with x controlled every regression finds 0.7.
  for (const b of types) assert.ok(Math.abs(b - 0.7) < 1e-4, `β̂ ${b}`);
  const o = twfewOn(csv, '--other-treatments', 'o', '--json');
  assert.equal(o.status, 0, o.stderr);
  assert.equal(JSON.parse(o.stdout).twfe_weights.other_treatments[0].column, 'o');
  const text = twfewOn(csv, '--twfe-type', 'feS');
  assert.match(text.stdout, /effects constant over time, the TWFE coefficient .* weighted sum of \d+ effects of a change of treatment/);
  const fdOther = twfewOn(csv, '--twfe-type', 'fdS', '--other-treatments', 'o');
  assert.equal(fdOther.status, 2);
  assert.match(fdOther.stderr, /other treatments work with type feTR only/);
  const bad = twfewOn(csv, '--twfe-type', 'fe');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /twfe-type/);
  const elsewhere = run(['--estimator', 'did', '--other-treatments', 'x']);
  assert.notEqual(elsewhere.status, 0);
  assert.match(elsewhere.stderr, /--other-treatments/);
  const weights = run(['--estimator', 'twfe', '--weights', 'x']);
  assert.notEqual(weights.status, 0);
  assert.match(weights.stderr, /--weights works with --estimator did .*twowayfeweights/);
  rmSync(dir, { recursive: true, force: true });
});

it('twowayfeweights reads an unbalanced panel: absent rows are gaps, a row missing its outcome is left out and counted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagger-twfew-gaps-'));
  const csv = join(dir, 'gapped.csv');
  const rows = ['id,period,y,d'];
  for (let i = 1; i <= 12; i++)
    for (let t = 1; t <= 6; t++) {
      if ((i * 7 + t) % 13 === 0) continue; // an absent row
      const d = i > 2 && t >= (i % 4) + 2 ? 1 : 0;
      const y = (i + t) % 11 === 0 ? '' : (Math.sin(i) + 0.3 * t + 0.7 * d).toFixed(6);
      rows.push(`${i},${t},${y},${d}`);
    }
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const r = twfewOn(csv, '--json');
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.ok(Math.abs(e.twfe_weights.beta - 0.7) < 1e-5, `β̂ ${e.twfe_weights.beta}: the effect is 0.7 in every cell`);
  assert.ok(e.twfe_weights.rows_left_out > 0);
  assert.ok(e.messages.some((m: string) => /left out \(as the package drops them\)/.test(m)));
  rmSync(dir, { recursive: true, force: true });
});
