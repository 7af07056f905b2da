// `stagger simulate`: the same scenario, seed and draw give byte-identical files; another draw differs;
// the truth file's cells are the mean of Y(1) − Y(0) as the generator computed them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = new URL('../../src/cli/main.js', import.meta.url).pathname;
const r1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'stagger-sim-'));
const run = (...args: string[]) => execFileSync(process.execPath, [main, 'simulate', r1, ...args], { encoding: 'utf8' });

test('same seed and draw give byte-identical panel and truth; another draw differs', () => {
  const out1 = run('--seed', '11', '--draw', '3', '--out', join(dir, 'a.csv'), '--truth', join(dir, 'a.json'));
  run('--seed', '11', '--draw', '3', '--out', join(dir, 'b.csv'), '--truth', join(dir, 'b.json'));
  run('--seed', '11', '--draw', '4', '--out', join(dir, 'c.csv'));
  assert.ok(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'b.csv'))));
  assert.ok(readFileSync(join(dir, 'a.json')).equals(readFileSync(join(dir, 'b.json'))));
  assert.ok(!readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'c.csv'))));
  assert.match(out1, /recruitment \(waitlist\)\n {2}referred \d+, consented \d+, excluded \d+, analysed \d+/);
  const lines = readFileSync(join(dir, 'a.csv'), 'utf8').split('\n');
  assert.equal(
    lines[0],
    'id,period,first_treat,y,y_social_assistance,y_sickness_days,woman,age,foreign_background,small_children,referral_health_care,referral_social_insurance,referral_employment_service,referral_other',
  );
  const truth = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
  assert.equal(truth.truth.estimator, 'truth');
  assert.ok(truth.truth.att_gt.length > 100);
  assert.ok(truth.subgroups.women && truth.subgroups.men);
});

test('a bad --point or scenario exits with status 2 and says why', () => {
  const r = spawnSync(process.execPath, [main, 'simulate', r1, '--point', '3', '--out', join(dir, 'x.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--point: expected an integer from 0 to 0 \(the scenario has 1 design points\), found 3/);
  const v = spawnSync(process.execPath, [main, 'validate', r1, '/nonexistent.yaml'], { encoding: 'utf8' });
  assert.equal(v.status, 1);
  assert.match(v.stdout, /^ok .*r1-isf-waitlist\.yaml: r1_isf_waitlist, 1 design point/);
  assert.match(v.stderr, /^stagger: \/nonexistent\.yaml: no such file \(expected a scenario file \(YAML\)\)$/m);
  assert.doesNotMatch(v.stderr, /ENOENT/);
});

test('effect.target: simulate prints the factor and the plateau and writes them to the truth JSON', async () => {
  const { writeFileSync } = await import('node:fs');
  const fixture = new URL('../../../test/estimands/fixtures/anticipation.yaml', import.meta.url).pathname;
  const file = join(dir, 'target.yaml');
  writeFileSync(file, readFileSync(fixture, 'utf8').replace(/^effect:\n/m, 'effect:\n  target: { estimand: dynamic_avg, value: 2.3 }\n'));
  const out = execFileSync(process.execPath, [main, 'simulate', file, '--out', join(dir, 't.csv'), '--truth', join(dir, 't.json')], {
    encoding: 'utf8',
  });
  // Closed form: dynamic_avg at the stated profile is 1.15 (fixture comment), so the factor is 2.
  assert.match(
    out,
    /effect\.target dynamic_avg = 2\.3: the effect profile × 2\.00000 \(population dynamic_avg at the stated profile 1\.15000, mean of 20 pilot draws\); plateau 2\.00000/,
  );
  const t = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
  assert.ok(Math.abs(t.effect_target.factor - 2) < 1e-12 && t.effect_target.estimand === 'dynamic_avg');
  assert.ok(Math.abs(t.truth.aggregates.dynamic.detail.find((d: { key: number }) => d.key === 0).att - 2.6) < 1e-9); // (1 + 0.3) · 2
});
