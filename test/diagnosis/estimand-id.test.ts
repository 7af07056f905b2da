import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEstimandIds, estimandId, parseEstimandId } from '../../src/diagnosis/estimand-id.js';

test('estimand ids round-trip and sort overall, groups, event times (numerically), calendar, then subgroups', () => {
  assert.equal(estimandId('dynamic', -2, 'women'), 'dynamic:-2@women');
  assert.deepEqual(parseEstimandId('dynamic:-2@women'), { type: 'dynamic', key: '-2', subgroup: 'women' });
  assert.deepEqual(parseEstimandId('simple'), { type: 'simple', key: '', subgroup: '' });
  const ids = ['simple@men', 'calendar:3', 'dynamic:10', 'dynamic:-2', 'group:7', 'simple', 'dynamic:2', 'simple@women'];
  assert.deepEqual([...ids].sort(compareEstimandIds), [
    'simple',
    'group:7',
    'dynamic:-2',
    'dynamic:2',
    'dynamic:10',
    'calendar:3',
    'simple@men',
    'simple@women',
  ]);
});
