/**
 * A scenario's twfe_type reaches the estimator (an entry key the engine dropped would leave the
 * first-difference entry equal to the fixed-effects one): on one draw of teach-twfe-bias, the
 * twowayfeweights entry of type feTR answers the static TWFE coefficient (= the twfe entry) and the
 * fdTR entry the first-difference coefficient, which differs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { parseSetting } from '../../src/engine/settings.js';

const FILE = new URL('../../../scenarios/teach-twfe-bias.yaml', import.meta.url).pathname;

test('twfe_type: fdTR is the first-difference coefficient, feTR the twfe one', () => {
  const set = [
    'analysis.estimators=[{name: twfe, type: twfe}, {name: tw_fe, type: twowayfeweights}, {name: tw_fd, type: twowayfeweights, twfe_type: fdTR}]',
  ];
  const sim = createSimulation({ scenarioFile: FILE, set: set.map(parseSetting) });
  const recs = sim.runDraw('1', 0, 0);
  const simple = (name: string) => recs.find((r) => r.estimator === name && r.estimand === 'simple')!;
  const [twfe, fe, fd] = ['twfe', 'tw_fe', 'tw_fd'].map(simple);
  assert.ok(Math.abs(fe.estimate! - twfe.estimate!) < 1e-12 && Math.abs(fe.se! - twfe.se!) < 1e-12, `${fe.estimate} vs ${twfe.estimate}`);
  assert.ok(fd.estimate !== null && fd.se! > 0);
  assert.ok(Math.abs(fd.estimate! - fe.estimate!) > 1e-6, `fdTR ${fd.estimate} = feTR ${fe.estimate}: twfe_type was not passed on`);
});
