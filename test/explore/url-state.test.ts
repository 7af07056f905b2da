/** The explorer's URL state: only what moved is written, and a link reads back to the same view; bad values are said, never applied. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Controls } from '../../src/explore/controls.js';
import { controlValue, decodeState, defaultState, encodeState } from '../../src/explore/url-state.js';

const C: Controls = {
  seed: '7',
  draws: 200,
  estimators: [
    { name: 'cs', type: 'did', on: true },
    { name: 'twfe', type: 'twfe', on: true },
  ],
  groups: [
    {
      group: 'effect',
      title: 'Effects',
      controls: [
        {
          kind: 'slider',
          path: 'effect.size',
          label: 'effect size',
          group: 'effect',
          value: 2,
          min: 0,
          max: 4,
          step: 0.05,
          integer: false,
          units: 'points',
        },
        {
          kind: 'slider',
          path: 'effect.ramp',
          label: 'ramp',
          group: 'effect',
          value: 5,
          min: 0,
          max: 9,
          step: 1,
          integer: true,
          units: 'years',
        },
      ],
    },
    {
      group: 'design',
      title: 'Design',
      controls: [
        {
          kind: 'select',
          path: 'design.sampling',
          label: 'sampling',
          group: 'design',
          value: 'cohort',
          options: ['cohort', 'cross_section'],
        },
      ],
    },
  ],
};

test('the default view writes an empty hash; a moved view round-trips', () => {
  assert.equal(encodeState(defaultState(C), C), '');
  const s = {
    ...defaultState(C),
    seed: '3',
    draws: 60,
    values: { 'effect.size': 0.5, 'design.sampling': 'cross_section' },
    off: ['twfe'],
    estimand: 'dynamic_avg',
    large: true,
  };
  const hash = encodeState(s, C);
  assert.equal(hash, 'seed=3&draws=60&off=twfe&estimand=dynamic_avg&large=1&set.effect.size=0.5&set.design.sampling=cross_section');
  const back = decodeState(`#${hash}`, C);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, s);
});

test('values a control cannot take are said and dropped', () => {
  const r = decodeState(
    '#set.effect.size=abc&set.effect.ramp=2.5&set.effect.size2=1&off=bjs&draws=0&set.design.sampling=cluster&colour=red',
    C,
  );
  assert.deepEqual(r.state, defaultState(C));
  assert.deepEqual(r.problems, [
    'set.effect.size=abc: expected a number',
    'set.effect.ramp=2.5: expected a whole number',
    'set.effect.size2: the page has no control effect.size2',
    'off=bjs: the scenario has no estimator bjs (it has cs, twfe)',
    'draws=0: expected a whole number from 1 to 1000000',
    'set.design.sampling=cluster: expected one of cohort, cross_section',
    'colour: not a setting of the page (seed, draws, off, estimand, large, set.PATH)',
  ]);
  assert.deepEqual(controlValue(C.groups[0].controls[0], '5'), { problem: 'expected a number from 0 to 4' });
  // A value equal to the scenario's own is not a change (the link stays short).
  assert.deepEqual(decodeState('#set.effect.size=2', C).state.values, {});
});
