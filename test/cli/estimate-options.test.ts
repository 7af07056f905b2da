/**
 * `stagger estimate` with R did's weightsname (--weights), clustervars without the bootstrap
 * (--cluster) and a text covariate: the JSON equals R did 2.5.1's output for the same option set
 * (test/fixtures/did/options_a.json), and bad input exits 2 naming the file, row and column.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { close, FIXTURE_DID, readRefFile, ROOT } from '../helpers/reference.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const CSV = resolve(FIXTURE_DID, 'options_a.csv');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'estimate', ...args], { encoding: 'utf8' });

describe('stagger estimate --weights --cluster, text covariates', () => {
  it("--weights w --cluster cluster with x1 and the text covariate region: R did's numbers", () => {
    const { entries } = readRefFile(resolve(FIXTURE_DID, 'options_a.json'));
    const ref = entries[entries.length - 1]; // dr, not yet treated, universal base, anticipation 1, weights and clusters
    assert.deepEqual(ref.options, {
      est_method: 'dr',
      control_group: 'notyettreated',
      base_period: 'universal',
      anticipation: 1,
      covariates: ['x1', 'region'],
      weightsname: 'w',
      clustervars: 'cluster',
    });
    const r = run([
      '--data',
      CSV,
      '--covariates',
      'x1,region',
      '--weights',
      'w',
      '--cluster',
      'cluster',
      '--control',
      'notyet',
      '--base-period',
      'universal',
      '--anticipation',
      '1',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const agg of ['simple', 'group', 'dynamic', 'calendar'] as const) {
      assert.ok(close(j.aggregates[agg].att, ref[agg].att, 1e-6), `${agg}: ${j.aggregates[agg].att} vs R ${ref[agg].att}`);
      assert.ok(close(j.aggregates[agg].se, ref[agg].se, 1e-4), `${agg} SE: ${j.aggregates[agg].se} vs R ${ref[agg].se}`);
    }
    assert.ok(close(j.wald_pretest.W, ref.wald_pretest!.W, 1e-4), `Wald ${j.wald_pretest.W} vs R ${ref.wald_pretest!.W}`);
    assert.match(
      j.messages.join('\n'),
      /Covariate "region" is text: expanded to 3 dummies \(regionnorth, regionsouth, regionwest; reference level "east"\)/,
    );
  });

  it('bad weights and text covariates exit 2 with the file, row and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagger-test-'));
    const file = join(dir, 'p.csv');
    const rows = ['id,period,first_treat,y,w,kind'];
    for (let i = 1; i <= 12; i++)
      for (let t = 1; t <= 3; t++) rows.push(`${i},${t},${i <= 6 ? 3 : 0},${i + t},${i === 2 && t === 3 ? 9 : 1},${i % 2 ? 'a' : 'b'}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const tv = run(['--data', file, '--weights', 'w']);
    assert.equal(tv.status, 2, tv.stderr);
    assert.match(tv.stderr, /p\.csv, row 7, column "w": unit 2 has weight 9 here but 1 in an earlier period; time-varying weights/);
    writeFileSync(file, `${rows.map((l, k) => (k === 4 ? l.replace(/,1,([ab])$/, ',-1,$1') : l)).join('\n')}\n`);
    const neg = run(['--data', file, '--weights', 'w']);
    assert.equal(neg.status, 2, neg.stderr);
    assert.match(neg.stderr, /p\.csv, row 5, column "w": sampling weight -1 is negative/);
    const one = rows.map((l, k) => (k === 0 ? l : l.replace(/,[ab]$/, ',a')));
    writeFileSync(file, `${one.join('\n')}\n`);
    const single = run(['--data', file, '--covariates', 'kind']);
    assert.equal(single.status, 2, single.stderr);
    assert.match(single.stderr, /p\.csv, column "kind": the text covariate has a single value \("a"\)/);
    const twfe = run(['--data', file, '--weights', 'w', '--estimator', 'twfe']);
    assert.equal(twfe.status, 2, twfe.stderr);
    assert.match(
      twfe.stderr,
      /--weights works with --estimator did \(R did's weightsname\), dcdh \(did_multiplegt_dyn's weight\) and twowayfeweights \(its weights\) only; twfe takes no weights/,
    );
  });
});
