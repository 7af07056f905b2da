// One definition of power: on a run where 30 % of draws are not identified, diagnosis.csv's `power`
// and `stagger mde`'s power curve (readCurves → mde) are the same number at every design point (not
// identified = not rejecting, over every draw that defines the estimand), and `power_identified` is
// that number over the identified share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { mdeOfCurve, readCurves } from '../../src/engine/mde.js';
import { fakeSpec, tempDir } from './helpers.js';

test('diagnosis.csv power = mde curve power; power_identified = power / identified share', async () => {
  const out = tempDir('power-definition');
  const points = [0.5, 1.5, 2.5].map((mu) => ({ mu, sigma: 1, missing: 0.3 }));
  const run = await runEngine({
    spec: fakeSpec({ points }),
    scenario: { path: null, sha256: 'fake' },
    seed: '4',
    draws: 200,
    workers: 0,
    outDir: out,
  });
  const q = { axis: 'effects.size', target: 0.8, estimator: 'fake', estimand: 'simple', replicates: 10 };
  const [curve] = readCurves(out, run.meta, 200, q);
  const { result } = mdeOfCurve(curve, 200, q, '4');
  const rows = readFileSync(join(out, 'diagnosis.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const cell = (point: number, d: string) => Number(rows.find((r) => r[0] === String(point) && r[5] === 'simple' && r[9] === d)![10]);
  result.curve.forEach((c, point) => {
    assert.equal(c.power, cell(point, 'power'), `point ${point}`);
    const shareIdentified = 1 - cell(point, 'not_identified');
    assert.ok(shareIdentified < 0.8, 'some draws are not identified');
    assert.ok(Math.abs(cell(point, 'power_identified') * shareIdentified - c.power) < 1e-12);
  });
});
