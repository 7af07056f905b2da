/** `--set PATH=VALUE`: scenario changes for one run, validated like the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSetting, scenarioWithSettings } from '../../src/engine/settings.js';
import { createSimulation } from '../../src/engine/scenario-simulation.js';

const R1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;

test('--set changes numbers, removes keys with null, and makes an axis from a list', () => {
  const s = scenarioWithSettings(R1, [
    parseSetting('design.recruitment.referrals=36.7'),
    parseSetting('design.recruitment.target_cut=null'),
    parseSetting('design.recruitment.target=null'),
    parseSetting('effect.target.value=[500, 1000]'),
  ]);
  const d = s.design as { recruitment: { referrals: number; target: number | null; target_cut?: unknown } };
  assert.equal(d.recruitment.referrals, 36.7);
  assert.equal(d.recruitment.target, null);
  assert.equal(d.recruitment.target_cut, undefined);
  const sim = createSimulation({ scenarioFile: R1, set: [parseSetting('effect.target.value=[500, 1000]')] });
  assert.deepEqual(
    sim.points.map((p) => p.settings['effect.target.value']),
    [500, 1000],
  );
});

test('beside effect.target, an effect.size axis or a zero profile is refused with the fix', () => {
  // R1 states its earnings effect on group_avg: the size only shapes the profile the target scales.
  assert.throws(
    () => scenarioWithSettings(R1, [parseSetting('effect.size=[500, 1000]')]),
    /outcomes\.0\.effect\.size: expected one value: effect\.target fixes the effect's scale, so vary outcomes\.0\.effect\.target\.value instead/,
  );
  assert.throws(
    () => scenarioWithSettings(R1, [parseSetting('effect.size=0')]),
    /set outcomes\.0\.effect\.target\.value to 0 for no effect/,
  );
  const none = scenarioWithSettings(R1, [parseSetting('effect.target=null'), parseSetting('effect.size=0')]);
  assert.equal(none.effect.size, 0);
});

test('a bad --set is refused with the path, what was expected and what was found', () => {
  assert.throws(() => parseSetting('design.recruitment.referrals'), /expected PATH=VALUE/);
  assert.throws(
    () => scenarioWithSettings(R1, [parseSetting('design.recruitment.referrals=many')]),
    /design\.recruitment\.referrals: expected a number or a list, found "many"/,
  );
  assert.throws(
    () => scenarioWithSettings(R1, [parseSetting('design.recruitment.nope=3')]),
    /--set design\.recruitment\.nope=3: design\.recruitment\.nope: expected a known key of design\.recruitment \(known: from, to, referrals, .*; see scenarios\/README\.md\), found unknown key "nope"$/,
  );
  assert.throws(
    () => scenarioWithSettings(R1, [parseSetting('design.nothing.here=3')]),
    /design\.nothing\.here: expected an existing section design\.nothing/,
  );
});
