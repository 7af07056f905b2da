/**
 * analysis.keep: covariance — each draw's event study (dynamic keys, estimates, SEs, covariance) per
 * estimator in the draws store, read back by keptEventStudies: the same bytes for 1 and 2 workers and
 * after a cut-and-resume, the stored covariance's diagonal = the stored records' SE²; without the key
 * nothing is written beyond what was (run.test.ts and draws-recruitment.test.ts still hold the format).
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { keptEventStudies } from '../../src/engine/draws-read.js';
import { scanDrawsFile } from '../../src/engine/draws-file.js';
import { runEngine } from '../../src/engine/run.js';
import { parseSetting } from '../../src/engine/settings.js';
import type { DrawRecord } from '../../src/engine/simulation.js';
import { scenarioSpec } from '../../src/engine/spec.js';
import { assertSameFiles, tempDir } from './helpers.js';

const FIXTURE = new URL('../../../test/engine/fixtures/sensitivity-violation.yaml', import.meta.url).pathname;
// No robust estimands here (they are sensitivity-estimands.test.ts's): only the store.
const BASE = ['analysis.sensitivity=null', 'analysis.estimators=[{name: twfe, type: twfe}, {name: cs, type: did, base_period: universal}]'];

const run = (dir: string, settings: string[], o: { draws?: number; workers?: number; resume?: boolean } = {}) =>
  runEngine({
    ...scenarioSpec(FIXTURE, { set: [...BASE, ...settings].map(parseSetting) }),
    seed: '3',
    draws: o.draws ?? 8,
    workers: o.workers ?? 1,
    outDir: dir,
    ...(o.resume ? { resume: true } : {}),
  });

test('keep: covariance stores every draw’s event studies; 1 and 2 workers and a resumed run write the same bytes', async () => {
  const keep = ['analysis.keep=[covariance]'];
  const one = tempDir('keep-w1');
  await run(one, keep);
  const two = tempDir('keep-w2');
  await run(two, keep, { workers: 2 });
  assertSameFiles(one, two, (x, m) => assert.ok(x, m));

  const size = statSync(join(one, 'draws')).size;
  const cut = tempDir('keep-cut');
  await run(cut, keep, { draws: 8 });
  truncateSync(join(cut, 'draws'), 0);
  appendFileSync(join(cut, 'draws'), readFileSync(join(one, 'draws')).subarray(0, Math.floor(size / 2)));
  await run(cut, keep, { resume: true, workers: 2 });
  assertSameFiles(one, cut, (x, m) => assert.ok(x, m));

  const kept = keptEventStudies(one);
  assert.equal(kept.length, 8);
  const records: DrawRecord[][] = [];
  scanDrawsFile(join(one, 'draws'), (d) => records.push(d.records));
  kept.forEach((k, d) => {
    assert.deepEqual(
      k.event_studies.map((e) => e.estimator),
      ['twfe', 'cs'],
    );
    for (const es of k.event_studies) {
      assert.ok(es.vcov, `${es.estimator} has a covariance`);
      es.keys.forEach((key, a) => {
        const rec = records[d].find((r) => r.estimator === es.estimator && r.estimand === `dynamic:${key}`);
        if (!rec || rec.se === null) return;
        assert.equal(es.se[a], rec.se);
        assert.equal(es.betahat[a], rec.estimate);
        assert.ok(Math.abs(es.vcov![a][a]! - rec.se * rec.se) <= 1e-12 * rec.se * rec.se);
      });
    }
  });
});

test('without keep the store holds no event studies (no R-frame member is written), and the records are the same as with it', async () => {
  const plain = tempDir('keep-none');
  await run(plain, []);
  assert.equal(keptEventStudies(plain).length, 0);
  const withKeep = tempDir('keep-some');
  await run(withKeep, ['analysis.keep=[covariance]']);
  assert.ok(statSync(join(withKeep, 'draws')).size > statSync(join(plain, 'draws')).size);
  // The records are the same with and without the key.
  const recs = (dir: string) => {
    const out: DrawRecord[][] = [];
    scanDrawsFile(join(dir, 'draws'), (d) => out.push(d.records));
    return out;
  };
  assert.deepEqual(recs(withKeep), recs(plain));
});

test('analysis.keep refuses an unknown value', async () => {
  await assert.rejects(run(tempDir('keep-bad'), ['analysis.keep=[covariances]']), /covariance/);
});
