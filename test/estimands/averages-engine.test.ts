/**
 * The narrowed averages through the engine: the estimate (did's aggregation), the sample truth and the
 * population truth all average the same rows, so a correct estimator is unbiased for each; an
 * estimator that computes the default figure is not scored against a narrowed truth. Closed forms
 * from the fixture's stated effects (size 1 from e = 0; anticipation −0.6 at e = −2, −1; announcement
 * +0.3 at e = −4..1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSetting } from '../../src/engine/settings.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';

const FIXTURE = new URL('../../../test/estimands/fixtures/anticipation.yaml', import.meta.url).pathname;

test('dynamic_avg from event time 2, dynamic_pre_avg over −4..−1, group_avg without the 2nd group', () => {
  const set = [
    'analysis.dynamic_avg_window=[2, 3]',
    'analysis.dynamic_pre_avg_window=[-4, -1]',
    'analysis.group_avg_exclude=[2]',
    // δ = 4: the base period g − 5 precedes the announcement, so post cells are unbiased for their levels.
    'analysis.estimators=[{name: cs, type: did, method: reg, control: never, anticipation: 4}, {name: tw, type: twfe}]',
  ].map(parseSetting);
  const sim = createSimulation({ scenarioFile: FIXTURE, set });
  const recs = sim.runDraw('2', 0, 0);
  const get = (est: string, id: string) => recs.find((r) => r.estimator === est && r.estimand === id)!;
  // Population: dynamic_avg over e = 2, 3 is 1; the pre-period contrasts (varying base) are
  // +0.3, 0, −0.6, 0 at e = −4..−1, mean −0.075.
  assert.ok(Math.abs(get('cs', 'dynamic_avg').popTruth! - 1) < 1e-12);
  assert.ok(Math.abs(get('cs', 'dynamic_pre_avg').popTruth! + 0.075) < 1e-12);
  // group_avg without group 7 (the 2nd): groups 6 (120 units) and 8 (60): θ(6) = mean over t = 6..10
  // of 1 + 0.3·1{e ≤ 1} = 1.12, θ(8) = mean over t = 8..10 = 1.2; weighted (2·1.12 + 1.2)/3.
  assert.ok(Math.abs(get('cs', 'group_avg').popTruth! - (2 * 1.12 + 1.2) / 3) < 1e-12, `${get('cs', 'group_avg').popTruth}`);
  for (const id of ['dynamic_avg', 'dynamic_pre_avg', 'group_avg']) {
    const r = get('cs', id);
    assert.ok(r.estimate !== null && r.se! > 0, `${id}: ${r.reason}`);
    // One draw of 400 units: the estimate lies within 4 SEs of the sample truth.
    assert.ok(Math.abs(r.estimate! - r.truth!) < 4 * r.se!, `${id}: ${r.estimate} vs ${r.truth} (se ${r.se})`);
  }
  // TWFE's dynamic aggregate averages every e ≥ 0: not scored against e = 2..3.
  assert.match(get('tw', 'dynamic_avg').reason!, /averages the default rows, the analysis asks for event times 2\.\.3/);
  assert.equal(get('tw', 'dynamic_pre_avg').estimate, null);
});

test('a window outside the event window is refused by path', () => {
  assert.throws(
    () => createSimulation({ scenarioFile: FIXTURE, set: [parseSetting('analysis.dynamic_avg_window=[2, 9]')] }),
    /analysis\.dynamic_avg_window[\s\S]*within analysis\.event_window/,
  );
});
