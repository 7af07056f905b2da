/**
 * The CLI's error path (src/cli/errors.ts, options.ts, preflight.ts): every user mistake of issue 16's
 * list is one line `stagger: <input>: expected …, found …` (+ did you mean), exit 2, no stack trace and
 * no "internal error"; only usage mistakes point to --help. Each expected message is the exact text.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeError, InputError, usageMessage } from '../../src/cli/errors.js';
import { parseNumber, refuseRepeated, WHOLE_AT_LEAST_1 } from '../../src/cli/options.js';
import { checkMdeQuery, checkOverPath } from '../../src/cli/preflight.js';
import { loadScenario } from '../../src/scenario/index.js';
import { scenarioWithSettings } from '../../src/engine/settings.js';
import { buildEstimator } from '../../src/estimators/registry.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const SCENARIOS = new URL('../../../scenarios/', import.meta.url).pathname;
const TWFE = join(SCENARIOS, 'teach-twfe-bias.yaml');
const R1 = join(SCENARIOS, 'r1-isf-waitlist.yaml');
const dir = mkdtempSync(join(tmpdir(), 'stagger-errors-'));
const csv = join(dir, 'p.csv');
const rows = ['id,period,first_treat,y'];
for (let i = 1; i <= 12; i++) for (let t = 1; t <= 5; t++) rows.push(`${i},${t},${i <= 4 ? 3 : i <= 8 ? 4 : 0},${(i * 7 + t * 3) % 11}`);
writeFileSync(csv, `${rows.join('\n')}\n`);

/** Run the CLI; resolves with exit code and stderr. */
function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (code) => done({ code, stderr }));
  });
}

/** Every case: exactly this stderr, exit 2 (cases run two at a time: the machine is small). */
async function expectAll(cases: [string[], string][]): Promise<void> {
  for (let i = 0; i < cases.length; i += 2) {
    const got = await Promise.all(cases.slice(i, i + 2).map(([args]) => cli(args)));
    got.forEach((r, j) => {
      const [args, want] = cases[i + j];
      assert.equal(r.stderr, want, args.join(' '));
      assert.equal(r.code, 2, args.join(' '));
    });
  }
}

describe('stagger: errors a user can cause are one line, exit 2', () => {
  it('missing and wrong files: named, with the nearest file, no ENOENT', async () => {
    await expectAll([
      [
        ['run', join(SCENARIOS, 'r1-isf-waitlst.yaml'), '--draws', '2'],
        `stagger: scenario ${SCENARIOS}r1-isf-waitlst.yaml: no such file (expected a scenario file (YAML)); did you mean "${SCENARIOS}r1-isf-waitlist.yaml"?\n`,
      ],
      [
        ['simulate', join(dir, 'nope.yaml'), '--out', join(dir, 'x.csv')],
        `stagger: scenario ${dir}/nope.yaml: no such file (expected a scenario file (YAML))\n`,
      ],
      [
        ['estimate', '--data', join(dir, 'q.csv')],
        `stagger: --data ${dir}/q.csv: no such file (expected a long CSV panel); did you mean "${dir}/p.csv"?\n`,
      ],
      [
        ['estimate', '--data', csv, '--csv', dir],
        `stagger: --csv ${dir}: is a directory, expected a file name to write, e.g. ${dir}/out.csv\n`,
      ],
      [
        ['calibrate', '--data', join(dir, 'h.csv')],
        `stagger: --data ${dir}/h.csv: no such file (expected a long CSV history panel); did you mean "${dir}/p.csv"?\n`,
      ],
      [
        ['run', TWFE, '--draws', '2', '--seed', '1', '--out', csv],
        `stagger: --out ${csv}: is a file, expected a directory for the outputs\n`,
      ],
      [
        ['diagnose', join(dir, 'nodir'), '--out', join(dir, 'd')],
        `stagger: ${dir}/nodir: no such directory (expected the --out directory of stagger run, mde or merge)\n`,
      ],
    ]);
  });

  it('numbers: not "got NaN" but the option, what it takes and what was given', async () => {
    await expectAll([
      [['run', TWFE, '--draws', 'abc'], 'stagger: --draws: expected a whole number ≥ 1, found "abc"\n'],
      [['run', TWFE, '--draws', '1.5'], 'stagger: --draws: expected a whole number ≥ 1, found 1.5\n'],
      [['run', TWFE, '--workers', '-1'], 'stagger: --workers: expected a whole number from 0 (this thread) to 1024, found -1\n'],
      [['simulate', TWFE, '--draw', '0x1F', '--out', join(dir, 'x.csv')], 'stagger: --draw: expected a whole number ≥ 0, found "0x1F"\n'],
      [
        ['mde', R1, '--over', 'effect.target.value', '--values', '0,1,5', '--power', '1'],
        'stagger: --power: expected a power in (0, 1), e.g. 0.8, found 1\n',
      ],
      [['diagnose', dir, '--out', join(dir, 'd'), '--alpha', '0'], 'stagger: --alpha: expected a level in (0, 1), e.g. 0.05, found 0\n'],
    ]);
  });

  it('stagger estimate: every numeric option of every family is checked by the family schema, with caps', async () => {
    await expectAll([
      [['estimate', '--data', csv, '--anticipation', '-1'], 'stagger: --anticipation: expected a whole number of periods ≥ 0, found -1\n'],
      [
        ['estimate', '--data', csv, '--estimator', 'twfe', '--anticipation', '1.5'],
        'stagger: --anticipation: expected a whole number of periods ≥ 0, found 1.5\n',
      ],
      [
        ['estimate', '--data', csv, '--estimator', 'dim', '--alpha', '0'],
        'stagger: --alpha: expected a level in (0, 1), e.g. 0.05, found 0\n',
      ],
      [
        ['estimate', '--data', csv, '--bootstrap', '1e9'],
        'stagger: --bootstrap: expected a whole number of bootstrap draws from 0 to 100000 (the cap: more do not change the answer at 3 decimals), found 1000000000\n',
      ],
      [['estimate', '--data', csv, '--balance-e', '-1'], 'stagger: --balance-e: expected a whole number ≥ 0, found -1\n'],
      [
        ['estimate', '--data', csv, '--estimator', 'dim', '--permutations', '1e9'],
        'stagger: --permutations: expected a whole number of re-randomisations from 0 to 100000 (the cap: more do not change the answer at 3 decimals), found 1000000000\n',
      ],
      [
        ['estimate', '--data', csv, '--estimator', 'twfe', '--reference', '0.5'],
        'stagger: --reference: expected a whole event time, found 0.5\n',
      ],
      [['estimate', '--data', csv, '--estimator', 'efficient', '--beta', 'x'], 'stagger: --beta: expected a number, found "x"\n'],
    ]);
  });

  it('usage mistakes: did you mean, and only they point to --help', async () => {
    await expectAll([
      [
        ['run', TWFE, '--drawz', '3'],
        'stagger: --drawz: no such option of this command; did you mean "--draws"?\nRun `stagger run --help` for its options.\n',
      ],
      [
        ['estimate', '--data', csv, '--covariates', 'a', '--covariates', 'b'],
        'stagger: --covariates was given 2 times ("a", "b"): give it once, comma-separated, e.g. --covariates x1,x2\nRun `stagger estimate --help` for its options.\n',
      ],
      [
        ['estimate', '--data', csv, '--estimator', 'twef'],
        'stagger: --estimator: expected one of did, twfe, bacon, sunab, bjs, did2s, etwfe, synthdid, dim, efficient, matched, hh, twowayfeweights, dcdh, stacked, external, found "twef"; did you mean "twfe"?\n',
      ],
      [
        ['estimate', '--data', csv, '--anticipation'],
        'stagger: --anticipation: expected a value after it\nRun `stagger estimate --help` for its options.\n',
      ],
    ]);
  });

  it('--set: said once, as the input it is, without a file line; simulate and validate take it', async () => {
    await expectAll([
      [
        ['run', TWFE, '--draws', '2', '--seed', '1', '--out', join(dir, 'o'), '--set', 'effect.sise=3'],
        'stagger: --set effect.sise=3: effect.sise: expected a known key of effect (see scenarios/README.md), found unknown key "sise"; did you mean "size"?\n',
      ],
      [
        ['simulate', TWFE, '--out', join(dir, 'x.csv'), '--set', 'effect.size=abc'],
        'stagger: --set effect.size=abc: effect.size: expected a number or a list, found "abc"\n',
      ],
    ]);
    const v = await cli(['validate', TWFE, '--set', 'effect.size=[1,2]']);
    assert.equal(v.code, 0, v.stderr);
  });

  it('mde: --over, --estimand, --estimator checked before any draw (nothing written to --out)', async () => {
    await expectAll([
      [
        ['mde', TWFE, '--over', 'effect.sise', '--values', '1,2', '--seed', '1', '--out', join(dir, 'm')],
        'stagger: --over effect.sise: expected the dotted path of a numeric setting of the scenario, found no such setting; did you mean "effect.size"?\n',
      ],
      [
        ['mde', TWFE, '--over', 'effect.size', '--values', '1,2', '--estimand', 'simpel', '--seed', '1', '--out', join(dir, 'm')],
        'stagger: --estimand: expected an estimand the scenario reports (simple, dynamic_avg, dynamic:E; @SUBGROUP for a subgroup), found "simpel"; did you mean "simple"?\n',
      ],
    ]);
    assert.equal(existsSync(join(dir, 'm')), false, 'refused before the run created its output directory');
  });
});

describe('the pieces', () => {
  it('parseNumber: decimal text only, integer and range rules', () => {
    assert.equal(parseNumber('draws', '12', WHOLE_AT_LEAST_1), 12);
    assert.equal(parseNumber('draws', 1000, WHOLE_AT_LEAST_1), 1000);
    assert.throws(() => parseNumber('draws', '1,5', WHOLE_AT_LEAST_1), {
      name: 'InputError',
      message: '--draws: expected a whole number ≥ 1, found "1,5"',
    });
    assert.throws(() => parseNumber('draws', '', WHOLE_AT_LEAST_1), { message: '--draws: expected a whole number ≥ 1, found nothing' });
    assert.throws(() => parseNumber('draws', ['1', '2'], WHOLE_AT_LEAST_1), { name: 'UsageError' });
    assert.equal(parseNumber('max-e', '-Infinity', { expected: 'e', integer: true, infinite: true }), -Infinity);
    assert.throws(() => parseNumber('x', 'Infinity', { expected: 'a number' }), { message: '--x: expected a number, found "Infinity"' });
  });

  it('refuseRepeated lets list options through', () => {
    assert.doesNotThrow(() => refuseRepeated({ _: [], set: ['a=1', 'b=2'], data: 'x' }));
    assert.throws(() => refuseRepeated({ _: [], data: ['a', 'b'] }), {
      name: 'UsageError',
      message: '--data was given 2 times ("a", "b"): give it once',
    });
  });

  it('describeError: input one line exit 2, fs faults named by path, JavaScript errors are internal errors exit 1', () => {
    assert.deepEqual(describeError(new InputError('--x: expected y, found z')), { text: 'stagger: --x: expected y, found z\n', code: 2 });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'a.csv'"), { code: 'ENOENT', path: 'a.csv' });
    assert.deepEqual(describeError(enoent), { text: 'stagger: a.csv: no such file or directory\n', code: 2 });
    const bug = describeError(new TypeError('spec.split is not a function'));
    assert.equal(bug.code, 1);
    assert.match(bug.text, /^stagger: internal error: spec\.split is not a function\nTypeError/);
  });

  it('usageMessage: unknown options get the nearest, far ones none', () => {
    assert.equal(
      usageMessage('Unknown argument: seeed', ['draws', 'seed']),
      '--seeed: no such option of this command; did you mean "--seed"?',
    );
    assert.equal(usageMessage('Unknown argument: --zzzzzzzz', ['draws', 'seed']), '--zzzzzzzz: no such option of this command');
  });

  it('checkOverPath and checkMdeQuery name the nearest valid path, estimator and subgroup', () => {
    const s = loadScenario(R1);
    assert.doesNotThrow(() => checkOverPath(s, 'effect.target.value'));
    assert.throws(() => checkOverPath(s, 'design.treatment_shar'), /did you mean "design\.treatment_share"\?$/);
    assert.throws(() => checkOverPath(s, 'name'), /found "r1_isf_waitlist", not a number/);
    assert.doesNotThrow(() => checkMdeQuery(s, { estimand: 'group:7@women' }));
    assert.throws(() => checkMdeQuery(s, { estimand: 'simple@wmen' }), /found "wmen"; did you mean "women"\?$/);
  });

  it('scenario unknown keys: the nearest known key of that block', () => {
    assert.throws(() => scenarioWithSettings(TWFE, [{ path: 'periods.cuont', value: '9' }]), {
      message:
        '--set periods.cuont=9: periods.cuont: expected a known key of periods (see scenarios/README.md), found unknown key "cuont"; did you mean "count"?',
    });
  });

  it('the family schema is the one check: CLI flags, registry builds and scenario analysis share the caps', () => {
    assert.throws(() => buildEstimator('did', { bootstrap: 1e9 }), {
      name: 'EstimatorInputError',
      message: /^did: bootstrap: expected a whole number of bootstrap draws from 0 to 100000 \(the cap/,
    });
    assert.throws(
      () => buildEstimator('efficient', { permutations: 100001 }),
      /efficient: permutations: expected a whole number of re-randomisations from 0 to 100000/,
    );
    assert.doesNotThrow(() => buildEstimator('dim', { permutations: 100000 }));
    assert.throws(
      () => scenarioWithSettings(TWFE, [{ path: 'analysis.estimators', value: '[{name: a, type: did, bootstrap: 1000000000}]' }]),
      {
        message:
          '--set analysis.estimators=[{name: a, type: did, bootstrap: 1000000000}]: analysis.estimators.0.bootstrap: expected a number ≤ 100000, found 1000000000',
      },
    );
  });

  it('a problem in the file keeps its line in the file, one line for one problem', () => {
    const f = join(dir, 'typo.yaml');
    writeFileSync(f, readFileSync(TWFE, 'utf8').replace('count: 10, unit: year', 'count: 10, unti: year'));
    const line =
      readFileSync(f, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('unti')) + 1;
    assert.throws(() => loadScenario(f), {
      message: `${f}:${line}: periods.unti: expected a known key of periods (see scenarios/README.md), found unknown key "unti"; did you mean "unit"?`,
    });
  });
});
