/** `stagger sensitivity --coefficients` end to end: the JSON shape, the table, and input errors (exit 2). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, tempDir } from '../engine/helpers.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'sensitivity', ...args], { encoding: 'utf8' });
const dir = tempDir('sensitivity-cli');
const write = (name: string, content: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};
// Independent coefficients with sd 0.1: 2 pre-periods, 2 post-periods.
const diag = (n: number, v: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v : 0)));
const good = { betahat: [-0.2, 0.1, 1.0, 1.5], sigma: diag(4, 0.01), num_pre: 2, num_post: 2 };

describe('stagger sensitivity --coefficients', () => {
  const file = write('good.json', good);

  it('--json prints exactly {restriction, original, robust, breakdown}', () => {
    const r = run(['--coefficients', file, '--mbar', '0,1', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const j = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(j).sort(), ['breakdown', 'original', 'restriction', 'robust']);
    assert.deepEqual(j.restriction, { method: 'relative_magnitudes', delta: 'DeltaRM' });
    // Closed form: 1 ± qnorm(0.975)·0.1, R: qnorm(0.975) = 1.959963984540054.
    assert.ok(Math.abs(j.original.lb - (1 - 0.1959963984540054)) < 1e-12);
    assert.ok(Math.abs(j.original.ub - (1 + 0.1959963984540054)) < 1e-12);
    assert.deepEqual(
      j.robust.map((s: { method: string; mbar: number; ci: string }) => [s.method, s.mbar, s.ci]),
      [
        ['relative_magnitudes', 0, 'c-lf'],
        ['relative_magnitudes', 1, 'c-lf'],
      ],
    );
    // Nested: the set at M̄ = 1 contains the one at M̄ = 0, which contains θ̂ = 1.
    assert.ok(j.robust[1].lb <= j.robust[0].lb && j.robust[0].lb < 1 && 1 < j.robust[0].ub && j.robust[0].ub <= j.robust[1].ub);
    // θ̂ is 10 sd from 0: the breakdown M̄ exists and exceeds 1 only if the M̄ = 1 set excludes 0.
    assert.equal(j.breakdown > 1, j.robust[1].lb > 0);
  });

  it('the same seed gives the same sets; --ci hybrid resolves to c-lf, --ci conditional is deterministic', () => {
    const a = run(['--coefficients', file, '--mbar', '1', '--ci', 'hybrid', '--seed', '4', '--json']);
    const b = run(['--coefficients', file, '--mbar', '1', '--ci', 'c-lf', '--seed', '4', '--json']);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    const c = JSON.parse(run(['--coefficients', file, '--mbar', '1', '--ci', 'conditional', '--json']).stdout);
    assert.equal(c.robust[0].ci, 'conditional');
  });

  it('without --json prints a table with the original interval, each M̄ and the breakdown', () => {
    const r = run(['--coefficients', file, '--mbar', '0.5']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /original/);
    assert.match(r.stdout, /c-lf\s+0\.5/);
    assert.match(r.stdout, /breakdown Mbar/);
  });

  const refuse = (args: string[], pattern: RegExp) => {
    const r = run(args);
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  };

  it('refuses malformed coefficients, naming the file, the path, what was expected and what was found', () => {
    refuse(
      ['--coefficients', write('short.json', { ...good, sigma: diag(3, 0.01) })],
      /short\.json: sigma: expected 4 rows \(the length of betahat\), found 3/,
    );
    refuse(
      ['--coefficients', write('ragged.json', { ...good, sigma: [...diag(4, 0.01).slice(0, 3), [0, 0, 0.01]] })],
      /ragged\.json: sigma\[3\]: expected 4 numbers, found 3/,
    );
    const asym = diag(4, 0.01);
    asym[1][0] = 0.005;
    refuse(['--coefficients', write('asym.json', { ...good, sigma: asym })], /asym\.json: sigma\[1\]\[0\]: expected a symmetric matrix/);
    const neg = diag(4, 0.01);
    neg[0][1] = neg[1][0] = 0.02;
    refuse(
      ['--coefficients', write('neg.json', { ...good, sigma: neg })],
      /neg\.json: sigma: expected a positive semi-definite covariance, found the smallest eigenvalue -0\.01/,
    );
    refuse(
      ['--coefficients', write('count.json', { ...good, num_pre: 3 })],
      /count\.json: num_pre \+ num_post: expected the length of betahat \(4\), found 3 \+ 2 = 5/,
    );
    refuse(
      ['--coefficients', write('nan.json', { ...good, betahat: [0, 'x', 1, 2] })],
      /nan\.json: betahat\[1\]: expected a finite number, found "x"/,
    );
    refuse(['--coefficients', write('bad.json', '{"betahat": [1,')], /bad\.json: expected JSON, found a parse error/);
    refuse(['--coefficients', join(dir, 'missing.json')], /missing\.json: no such file/);
    refuse(['--coefficients', file, '--l-vec', '1,0,0'], /--l-vec: expected 2 weights \(num_post\), found 3/);
  });

  it('refuses options the restriction does not take, with the valid ones or the nearest name', () => {
    refuse(
      ['--coefficients', file, '--method', 'relative_magnitude'],
      /--method: expected one of relative_magnitudes, smoothness, smoothness_relative_magnitudes, found "relative_magnitude"; did you mean "relative_magnitudes"\?/,
    );
    refuse(
      ['--coefficients', file, '--ci', 'flci'],
      /--ci: relative_magnitudes implements c-lf, conditional, hybrid \(hybrid = c-lf\); found "flci"/,
    );
    refuse(['--coefficients', file, '--ci', 'c-fl'], /--ci: expected one of flci, conditional, c-f, c-lf, hybrid, found "c-fl"/);
    refuse(
      ['--coefficients', file, '--method', 'smoothness', '--mbar', '1'],
      /--mbar bounds relative magnitudes; with --method smoothness give --m/,
    );
    refuse(['--coefficients', file, '--m', '0.1'], /--m bounds smoothness/);
    refuse(['--coefficients', file, '--mbar', '1,-2'], /--mbar: expected comma-separated numbers ≥ 0, e\.g\. 0\.5,1,2, found "-2"/);
  });
});

describe('stagger sensitivity --data: families whose event study has no pre-periods say why', () => {
  // 12 units × 5 periods: starts 3 and 4 and never; y = unit + period + 0.5 after start, plus a wobble.
  const lines = ['id,period,first_treat,y'];
  for (let i = 1; i <= 12; i++) {
    const g = i <= 4 ? 3 : i <= 8 ? 4 : 0;
    for (let t = 1; t <= 5; t++) lines.push(`${i},${t},${g},${i + t + (g > 0 && t >= g ? 0.5 : 0) + (((i * 7 + t * 3) % 5) - 2) / 10}`);
  }
  const panel = write('panel.csv', lines.join('\n'));
  for (const [estimator, why] of [
    ['etwfe', 'cgroup = "notyet"'],
    ['bjs', 'no joint covariance with the effects'],
  ] as const) {
    it(`--estimator ${estimator}: exit 2, the reason names ${why}`, () => {
      const r = run(['--data', panel, '--estimator', estimator, '--mbar', '1']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /no pre-period event times/);
      assert.ok(r.stderr.includes(why), r.stderr);
    });
  }
});
