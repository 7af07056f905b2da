/** `stagger estimate --unbalanced | --cross-sections | --bootstrap-weights`: wiring and refusals. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateDidLong } from '../../../src/estimators/did/index.js';
import { readLongCsv } from '../../../src/panel/long.js';
import { ROOT } from '../../helpers/reference.js';
import { FIXTURES } from './r-compare.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'estimate', ...args], { encoding: 'utf8' });
const rcs = resolve(FIXTURES, 'rcs.csv');
const unbalanced = resolve(FIXTURES, 'unbalanced.csv');

describe('stagger estimate on long data', () => {
  it("--cross-sections gives the library's repeated-cross-section estimates", () => {
    const r = run(['--data', rcs, '--cross-sections', '--covariates', 'x1', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.estimator, 'did:dr:rc');
    const { data } = readLongCsv(rcs, { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates: ['x1'] });
    const want = estimateDidLong(data, { panel: false, covariates: ['x1'] }).estimate;
    assert.equal(j.aggregates.simple.att, want.aggregates.simple!.att);
  });

  it('--unbalanced keeps the units missing periods (the default drops them with a message)', () => {
    const u = JSON.parse(run(['--data', unbalanced, '--unbalanced', '--json']).stdout);
    const d = JSON.parse(run(['--data', unbalanced, '--json']).stdout);
    assert.equal(u.estimator, 'did:dr:unbalanced');
    assert.equal(d.estimator, 'did:dr');
    assert.ok(d.messages.some((m: string) => /missing in some periods/.test(m)));
    assert.notEqual(u.aggregates.simple.att, d.aggregates.simple.att);
  });

  it('a cross-section file without an id column is read with each row its own unit', () => {
    const r = run(['--data', rcs, '--cross-sections', '--id', 'no_such_column', '--json']);
    assert.equal(r.status, 0, r.stderr);
  });

  for (const [args, pattern] of [
    [['--unbalanced', '--cross-sections'], /exclude each other/],
    [['--unbalanced', '--estimator', 'twfe'], /--unbalanced works with --estimator did and dcdh only/],
    [['--cross-sections', '--pretest-power'], /--pretest-power takes a balanced panel/],
    [['--bootstrap-weights', 'mammen'], /--bootstrap-weights applies to the multiplier bootstrap/],
    [['--bootstrap-weights', 'normal'], /^stagger: --bootstrap-weights: expected one of rademacher, mammen, webb, found "normal"$/m],
  ] as const) {
    it(`refuses ${args.join(' ')}`, () => {
      const r = run(['--data', unbalanced, ...args]);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, pattern);
    });
  }
});
