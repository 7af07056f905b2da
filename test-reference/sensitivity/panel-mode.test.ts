/**
 * `stagger sensitivity --data PANEL --estimator NAME`: the event study of `stagger estimate --json`
 * (aggregates.dynamic with its vcov, checked against R sandwich in test-reference/estimators/event-vcov)
 * turned into HonestDiD's inputs as honest_did.AGGTEobj does (reference −1 dropped, pre-periods before
 * it) gives exactly the sets of `--coefficients` on that event study written out by hand. On mpdta
 * (../shared/reference/did/mpdta.csv, R did's data).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sharedFile } from '../../test/helpers/reference.js';

const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('stagger sensitivity on a panel', () => {
  const data = sharedFile('did', 'mpdta.csv');
  for (const [family, flags] of [
    ['twfe', ['--min-e', '-4', '--max-e', '3']],
    ['did', ['--control', 'notyet', '--base-period', 'universal']],
  ] as const) {
    it(`${family}: the same sets as --coefficients on its exported event study`, () => {
      const est = run(['estimate', '--data', data, '--estimator', family, ...flags, '--json']);
      assert.equal(est.status, 0, est.stderr);
      const dyn = JSON.parse(est.stdout).aggregates.dynamic;
      const rows = dyn.detail.map((_d: { key: number }, i: number) => i).filter((i: number) => dyn.detail[i].key !== -1);
      const numPre = rows.filter((i: number) => dyn.detail[i].key < -1).length;
      const file = join(mkdtempSync(join(tmpdir(), 'panel-mode-')), 'coef.json');
      writeFileSync(
        file,
        JSON.stringify({
          betahat: rows.map((i: number) => dyn.detail[i].att),
          sigma: rows.map((i: number) => rows.map((j: number) => dyn.vcov[i][j])),
          num_pre: numPre,
          num_post: rows.length - numPre,
        }),
      );
      const byHand = run(['sensitivity', '--coefficients', file, '--method', 'smoothness', '--m', '0,0.01', '--json']);
      const panel = run([
        'sensitivity',
        '--data',
        data,
        '--estimator',
        family,
        ...flags,
        '--method',
        'smoothness',
        '--m',
        '0,0.01',
        '--json',
      ]);
      assert.equal(panel.status, 0, panel.stderr);
      assert.equal(panel.stdout, byHand.stdout);
      assert.ok(numPre >= 2, 'mpdta has pre-periods before the reference');
    });
  }

  it('did with a varying base period is refused, saying why', () => {
    const r = run(['sensitivity', '--data', data, '--base-period', 'varying']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--base-period universal/);
  });
  it('exactly one of --coefficients and --data', () => {
    const r = run(['sensitivity']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /either --coefficients coef\.json or --data/);
  });
});
