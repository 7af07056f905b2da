/**
 * Which settings are whole numbers, read from the schema (z.number().int()), following the data's
 * branch of each union: on a hand-built schema shaped like the design block (a clusters option beside
 * another type with a fractional key of the same name), and on the bundled scenarios.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { isWholeNumberSetting } from '../../src/scenario/whole-number-paths.js';
import { scenarioWithSettings } from '../../src/engine/settings.js';
import { checkOverValues } from '../../src/cli/preflight.js';
import { InputError } from '../../src/cli/errors.js';

const axis = <S extends z.ZodType>(s: S) => z.union([s, z.array(s).min(1)]).transform((v) => v);
const schema = z.strictObject({
  design: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('clusters'),
      clusters: axis(z.number().int().min(2)),
      cluster_size: z.strictObject({ mean: axis(z.number().positive()), cv: axis(z.number().min(0)).default(0) }),
      waves: z.union([axis(z.number().int().min(1)), z.strictObject({ count: axis(z.number().int().min(1)), every: z.number().int() })]),
    }),
    z.strictObject({ type: z.literal('other'), clusters: axis(z.number().min(0)) }),
  ]),
  periods: z.strictObject({ count: z.number().int().min(1) }).optional(),
});

test('whole-number settings follow the schema and the data’s union branch', () => {
  const clusters = { design: { type: 'clusters', clusters: 24, cluster_size: { mean: 400 }, waves: { count: 6, every: 3 } } };
  assert.equal(isWholeNumberSetting(clusters, 'design.clusters', schema), true);
  assert.equal(isWholeNumberSetting(clusters, 'design.waves.count', schema), true);
  assert.equal(isWholeNumberSetting(clusters, 'design.cluster_size.mean', schema), false);
  assert.equal(isWholeNumberSetting(clusters, 'design.cluster_size.cv', schema), false);
  assert.equal(isWholeNumberSetting(clusters, 'periods.count', schema), true);
  assert.equal(isWholeNumberSetting(clusters, 'design.nothing', schema), false);
  // The other design type states `clusters` as a share: not a whole number there.
  assert.equal(isWholeNumberSetting({ design: { type: 'other', clusters: 0.5 } }, 'design.clusters', schema), false);
  // A bare `waves: 6` (an axis) is whole as well.
  assert.equal(isWholeNumberSetting({ design: { ...clusters.design, waves: [6, 12] } }, 'design.waves', schema), true);
});

test('on the bundled scenarios: population.size, effect.onset and the recruitment target are whole, effect.size is not', () => {
  const r3 = scenarioWithSettings('scenarios/r3-municipal-adoption.yaml', []);
  assert.equal(isWholeNumberSetting(r3, 'population.size'), true);
  assert.equal(isWholeNumberSetting(r3, 'effect.onset'), true);
  assert.equal(isWholeNumberSetting(r3, 'effect.size'), false);
  const r1 = scenarioWithSettings('scenarios/r1-isf-waitlist.yaml', []);
  assert.equal(isWholeNumberSetting(r1, 'design.recruitment.target'), true);
  assert.equal(isWholeNumberSetting(r1, 'design.recruitment.referrals'), false);
  assert.equal(isWholeNumberSetting(r1, 'effect.target.value'), false);
});

test('--values with a fraction on a whole-number axis is refused, naming the path and the whole numbers beside it', () => {
  const r3 = scenarioWithSettings('scenarios/r3-municipal-adoption.yaml', []);
  assert.equal(checkOverValues(r3, 'population.size', [100, 200]), true);
  assert.equal(checkOverValues(r3, 'effect.size', [-0.001, -0.002]), false);
  assert.throws(
    () => checkOverValues(r3, 'population.size', [100, 150.5]),
    (e: Error) => e instanceof InputError && /population\.size takes whole numbers only/.test(e.message) && /150, 151/.test(e.message),
  );
});
