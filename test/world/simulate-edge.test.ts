/**
 * `stagger simulate` at the edges the reliability sweep found (issue 16): a setting that can never
 * enrol anyone or whose outcome overflows double precision is a one-line scenario error (exit 2, no
 * stack); every other setting writes a panel and a truth without NaN, Infinity or null without a reason
 * (test/helpers/finite-check.ts), also when a draw enrols nobody.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryShares } from '../../src/design/recruited-sample.js';
import { checkFiniteOutcomes, OutcomeRangeError } from '../../src/world/finite-outcomes.js';
import { ABSENT_BY_DESIGN, jsonProblems } from '../helpers/finite-check.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const bundled = (f: string) => readFileSync(new URL(`../../../scenarios/${f}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'stagger-simulate-edge-'));

/** Simulate a bundled scenario with one line replaced; returns exit code, stderr, stdout and the outputs. */
function simulate(file: string, from: RegExp, to: string) {
  const text = bundled(file);
  assert.match(text, from, `${file} has the line to change`);
  const yaml = join(dir, `${file}-${Math.abs(hash(to))}.yaml`);
  writeFileSync(yaml, text.replace(from, to));
  const csv = `${yaml}.csv`,
    truth = `${yaml}.json`;
  const r = spawnSync(process.execPath, [CLI, 'simulate', yaml, '--out', csv, '--truth', truth], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, csv, truth };
}
function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

test('consent 0 enrols nobody in any draw: refused up front, naming the key (R1, R4, R5)', () => {
  for (const [file, from, to, path] of [
    ['r4-matched-followup.yaml', /^ {2}consent: 0\.69 .*$/m, '  consent: 0', 'design.consent'],
    ['r5-survey-waves.yaml', /^ {4}consent: 0\.65 .*$/m, '    consent: 0', 'design.recruitment.consent'],
    ['r1-isf-waitlist.yaml', /^ {4}consent: 0\.65 .*$/m, '    consent: 0', 'design.recruitment.consent'],
  ] as const) {
    const r = simulate(file, from, to);
    assert.equal(r.status, 2, `${file}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${path.replace(/\./g, '\\.')}: expected a number > 0, found 0`));
    assert.doesNotMatch(r.stderr, /internal error|at .*\.js:/);
  }
});

test('R2 with 2 people: effect.target says no pilot draw enrols enough (not a misleading "not an estimand")', () => {
  const r = simulate('r2-malmo-quota.yaml', /^ {2}size: 22200 .*$/m, '  size: 2');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /effect\.target: group_avg is not defined in any of the \d+ pilot draws .*enrols too few people/);
});

test('outcome.mean 1e308 overflows the generated earnings: refused with the outcome named, no NaN file written', () => {
  const r = simulate('r1-isf-waitlist.yaml', /^ {4}mean: 1990 .*$/m, '    mean: 1e308');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^stagger: outcome "earnings": the generated values overflow double precision/);
});

test('share_any 1, p 1, and a draw that registers nobody: exit 0, outputs finite or with a reason', () => {
  for (const [file, from, to] of [
    ['r1-isf-waitlist.yaml', /^ {4}share_any: 0\.28 .*$/m, '    share_any: 1'],
    ['r4-matched-followup.yaml', /^ {2}p: 0\.41 .*$/m, '  p: 1'],
    ['r3-municipal-adoption.yaml', /^ {2}p: 0\.03 .*$/m, '  p: 1'],
    // 0.1 % consent: draw 0 registers nobody (0 pairs): the notes once held NaN shares.
    ['r4-matched-followup.yaml', /^ {2}consent: 0\.69 .*$/m, '  consent: 0.001'],
  ] as const) {
    const r = simulate(file, from, to);
    assert.equal(r.status, 0, `${file} ${to}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /NaN|Infinity/, `${file} ${to}: summary`);
    assert.doesNotMatch(readFileSync(r.csv, 'utf8'), /NaN|Infinity/, `${file} ${to}: panel`);
    // A truth is a value, not an estimate: its `se` is absent by design.
    assert.deepEqual(jsonProblems(JSON.parse(readFileSync(r.truth, 'utf8')), [...ABSENT_BY_DESIGN, 'se']), [], `${file} ${to}: truth`);
  }
});

test('binaryShares leaves out the share of an empty group (no NaN); checkFiniteOutcomes refuses NaN and Infinity', () => {
  const pop = { covariates: { woman: { type: 'binary' } } } as unknown as Parameters<typeof binaryShares>[0];
  assert.deepEqual(binaryShares(pop, { woman: Float64Array.of(1, 0) }, Float64Array.of(0, 0)), { woman_controls: 0.5 });
  assert.deepEqual(binaryShares(pop, { woman: new Float64Array(0) }, new Float64Array(0)), {});
  checkFiniteOutcomes('y', Float64Array.of(1e308), Float64Array.of(-1e308));
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => checkFiniteOutcomes('y', Float64Array.of(0), Float64Array.of(bad)), OutcomeRangeError);
  }
});
