/**
 * The estimator registry: the names `stagger estimate --estimator` offers equal the scenario schema's
 * estimator types, an unknown name is refused with the list, and a scenario naming the comparison
 * estimators runs them through the engine next to Callaway & Sant'Anna on one R1 draw.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { buildEstimator, ESTIMATOR_TYPES } from '../../src/estimators/registry.js';
import { EXTERNAL_OPTIONS } from '../helpers/external-fake.js';
import { ESTIMATOR_ENTRY_TYPES } from '../../src/scenario/schema.js';
import { tempDir } from '../engine/helpers.js';
import { near, synthPanel } from './helpers.js';
import { seeded } from '../../src/random/stream.js';

const R1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;

describe('estimator registry', () => {
  it('offers exactly the estimator types a scenario may name', () => {
    assert.deepEqual([...ESTIMATOR_TYPES].sort(), [...ESTIMATOR_ENTRY_TYPES].sort());
  });

  it('refuses an unknown name and lists the known ones', () => {
    assert.throws(() => buildEstimator('nope'), /unknown estimator "nope" \(known: did, twfe, bacon/);
  });

  it('every estimator returns the common Estimate shape on the same panel, never NaN', () => {
    const p = synthPanel({
      seed: 'registry',
      groups: [0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 0, 0, 0],
      T: 6,
      effect: (_g, e) => 1 + e,
    });
    for (const type of ESTIMATOR_TYPES) {
      if (type === 'matched') continue; // needs a panel of pairs: test/estimators/matched
      const est = buildEstimator(type, { minE: -3, maxE: 2, ...(type === 'external' ? EXTERNAL_OPTIONS : {}) }).estimate(p, seeded(1));
      assert.equal(typeof est.aggregates.simple!.att, 'number', type);
      assert.ok(Array.isArray(est.att_gt) && Array.isArray(est.messages), type);
      assert.ok(!JSON.stringify(est).includes('NaN') && !/\bnull\b.*NaN/.test(JSON.stringify(est)), type);
    }
  });

  it('a scenario runs twfe, bacon, sunab, bjs and dim through the engine beside cs_dr (one R1 draw)', () => {
    const file = join(tempDir('registry'), 'r1-more.yaml');
    writeFileSync(
      file,
      readFileSync(R1, 'utf8')
        .replace(
          /^ {2}estimators:\n/m,
          '  estimators:\n    - { name: twfe, type: twfe }\n    - { name: bacon, type: bacon }\n    - { name: sunab, type: sunab }\n    - { name: bjs, type: bjs }\n    - { name: dim, type: dim, horizon: 3 }\n',
        )
        .replace(/^ {2}subgroups: \[women, men\]$/m, '  subgroups: []'),
    );
    const sim = createSimulation({ scenarioFile: file });
    assert.deepEqual(sim.estimators, ['twfe', 'bacon', 'sunab', 'bjs', 'dim', 'cs_dr']);
    const recs = sim.runDraw('5', 0, 0);
    const simple = (e: string) => recs.find((r) => r.estimator === e && r.estimand === 'simple')!;
    assert.equal(typeof simple('twfe').estimate, 'number');
    near(simple('bacon').estimate, simple('twfe').estimate!, 1e-10, 'bacon = twfe');
    assert.ok(recs.some((r) => r.estimator === 'twfe' && r.estimand.startsWith('dynamic') && r.estimate !== null));
    assert.equal(typeof simple('sunab').estimate, 'number');
    assert.equal(typeof simple('bjs').estimate, 'number');
    assert.equal(typeof simple('dim').estimate, 'number');
  });
});
