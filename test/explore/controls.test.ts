/**
 * The explorer's controls model: every bundled scenario's controls, every slider's ends accepted by
 * parseScenario (the run's own validation), unchanged values giving the same Scenario, axes collapsing
 * to the chosen value, estimators switched off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { controlsOf, scenarioTextFor, settingsFor, type Control, type SliderControl } from '../../src/explore/controls.js';
import { applySettingsToText } from '../../src/engine/settings.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';

const DIR = new URL('../../../scenarios/', import.meta.url).pathname;
const SRC = new URL('../../../src/explore/', import.meta.url).pathname;
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'example-from-panel.yaml');
const textOf = (f: string) => readFileSync(join(DIR, f), 'utf8');
const all = (c: ReturnType<typeof controlsOf>): Control[] => c.groups.flatMap((g) => g.controls);
const sliders = (c: ReturnType<typeof controlsOf>) => all(c).filter((x): x is SliderControl => x.kind === 'slider');
const at = (s: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), s);
const parsed = (text: string, f: string): Scenario => parseScenario(text, join(DIR, f), DIR);
const valuesOf = (c: ReturnType<typeof controlsOf>) => Object.fromEntries(all(c).map((x) => [x.path, x.value]));

/** The report's blocks that write a number outside what gets no control (independent of the walk). */
function blocksWithNumbers(raw: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const skip =
    /^(periods\.first|population\.subgroups|design\.quotas\.\d+\.value|analysis\.(estimators|estimands|subgroups|group_avg_exclude))/;
  const visit = (v: unknown, path: string, block: string) => {
    if (skip.test(path)) return;
    if (typeof v === 'number') out.add(block);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        visit(x, p, /^outcomes\.\d+\.effect$/.test(p) ? 'effect' : block);
      }
  };
  for (const [k, v] of Object.entries(raw)) if (!['seed', 'draws', 'name'].includes(k)) visit(v, k, k === 'outcomes' ? 'outcome' : k);
  return out;
}

test('the controls module imports nothing from node: (it runs in the browser)', () => {
  const files = readdirSync(SRC).filter((f) => /^control.*\.ts$/.test(f));
  assert.ok(files.includes('controls.ts'));
  for (const f of files) assert.doesNotMatch(readFileSync(join(SRC, f), 'utf8'), /from 'node:/, f);
});

for (const f of FILES) {
  test(`${f}: a control in every block with numbers, each slider's ends accepted by parseScenario and landing at its path`, () => {
    const text = textOf(f);
    const c = controlsOf(text, f);
    const raw = parse(text) as Record<string, unknown>;
    const groups = new Set(c.groups.map((g) => g.group));
    for (const b of blocksWithNumbers(raw)) assert.ok(groups.has(b as never), `${f}: no control in ${b}`);
    for (const x of all(c)) {
      assert.ok(x.label.length > 0 && !/outcome units/.test(x.label), `${x.path}: label ${x.label}`);
      if (x.kind === 'select') {
        assert.ok(x.options.includes(x.value), `${x.path}: ${x.value} not among ${x.options}`);
        for (const o of x.options) {
          const s = parsed(scenarioTextFor(text, f, { [x.path]: o }, [], c.seed, c.draws), f);
          assert.equal(at(s, x.path), o, `${x.path} = ${o} did not land`);
        }
        continue;
      }
      assert.doesNotMatch(x.units, /outcome units/, x.path);
      assert.ok(x.min < x.max && x.min <= x.value && x.value <= x.max, `${x.path}: ${x.min} ≤ ${x.value} ≤ ${x.max}`);
      assert.ok(x.step > 0 && (!x.integer || (x.step === 1 && Number.isInteger(x.min) && Number.isInteger(x.max))), x.path);
      // The value as written is a position of the slider (min + k × step), so an untouched slider changes nothing.
      const k = (x.value - x.min) / x.step;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-6, `${x.path}: ${x.value} off the grid ${x.min} + k × ${x.step}`);
      for (const end of [x.min, x.max]) {
        const out = scenarioTextFor(text, f, { [x.path]: end }, [], c.seed, c.draws);
        let s: Scenario;
        try {
          s = parsed(out, f);
        } catch (err) {
          assert.fail(`${f}: ${x.path} = ${end} (range ${x.min} … ${x.max}) refused: ${(err as Error).message}`);
        }
        assert.equal(at(s, x.path), end, `${x.path} = ${end} did not land`);
      }
    }
  });

  test(`${f}: unchanged controls give the same Scenario; seed and draws are set; an estimator switched off is gone`, () => {
    const text = textOf(f);
    const c = controlsOf(text, f);
    const original = parsed(text, f);
    assert.deepEqual(settingsFor(text, valuesOf(c), []), []);
    assert.deepEqual(parsed(scenarioTextFor(text, f, valuesOf(c), [], c.seed, c.draws), f), original);
    const other = parsed(scenarioTextFor(text, f, valuesOf(c), [], 'lesson-1', 37), f);
    assert.equal(other.seed, 'lesson-1');
    assert.equal(other.draws, 37);
    assert.deepEqual({ ...other, seed: original.seed, draws: original.draws }, original);
    assert.deepEqual(
      c.estimators.map((e) => e.name),
      original.analysis.estimators.map((e) => e.name),
    );
    if (c.estimators.length > 1) {
      const off = c.estimators[0].name;
      const s = parsed(scenarioTextFor(text, f, {}, [off], c.seed, c.draws), f);
      assert.deepEqual(s.analysis.estimators, original.analysis.estimators.slice(1));
      assert.deepEqual({ ...s, analysis: original.analysis }, original);
    }
  });
}

test('teach-twfe-bias: the effect size slider is in the outcome units as written (units of y), negative effects allowed', () => {
  const c = controlsOf(textOf('teach-twfe-bias.yaml'), 'teach-twfe-bias.yaml');
  const size = sliders(c).find((x) => x.path === 'effect.size')!;
  assert.equal(size.group, 'effect');
  assert.equal(size.units, 'units of y');
  assert.equal(size.value, 2);
  assert.ok(size.min < 0 && size.max >= 4, `${size.min} … ${size.max}`);
  assert.ok((size.max - size.min) / size.step >= 50 && (size.max - size.min) / size.step <= 200);
  const ramp = sliders(c).find((x) => x.path === 'effect.ramp')!;
  assert.equal(ramp.integer, true);
  assert.equal(ramp.units, 'years');
  // design.schedule's last step adopts all 300: population.size below 300 is refused (check.ts), so the slider stops there.
  assert.equal(sliders(c).find((x) => x.path === 'population.size')!.min, 300);
});

test('r1-isf-waitlist: the earnings effect sliders say kr/month (its outcome.units), the outcome name in the label', () => {
  const c = controlsOf(textOf('r1-isf-waitlist.yaml'), 'r1-isf-waitlist.yaml');
  for (const p of ['outcomes.0.effect.target.value', 'outcomes.0.effect.size', 'outcomes.0.mean']) {
    const x = sliders(c).find((s) => s.path === p)!;
    assert.equal(x.units, 'kr/month', p);
    assert.match(x.label, /^earnings: /);
  }
  assert.equal(sliders(c).find((s) => s.path === 'outcomes.2.effect.size')!.units, 'days/month');
  // Recruitment ends at month 78: its start can move up to there, not past it (a window from ≤ to).
  assert.equal(sliders(c).find((s) => s.path === 'design.recruitment.from')!.max, 78);
  assert.equal(sliders(c).find((s) => s.path === 'design.recruitment.referrals')!.units, 'people/month');
});

test('sw-clinics: design.clusters is a whole-number slider counted in clinics; sampling is a select', () => {
  const c = controlsOf(textOf('sw-clinics.yaml'), 'sw-clinics.yaml');
  const k = sliders(c).find((x) => x.path === 'design.clusters')!;
  assert.equal(k.integer, true);
  assert.equal(k.step, 1);
  assert.equal(k.units, 'clinics');
  assert.equal(k.value, 24);
  assert.ok(k.min >= 2, 'the schema: at least 2 clusters');
  const s = all(c).find((x) => x.path === 'design.sampling')!;
  assert.equal(s.kind, 'select');
  assert.deepEqual(s.kind === 'select' && s.options, ['cohort', 'cross_section']);
});

test('a grid axis is one control holding its values; setting it collapses the axis to the chosen value', () => {
  const f = 'teach-twfe-bias.yaml';
  const text = applySettingsToText(textOf(f), f, [
    { path: 'effect.size', value: '[1, 2, 3]' },
    { path: 'outcome.rho', value: '[0.5, 0.9]' },
  ]).text;
  const c = controlsOf(text, f);
  const size = sliders(c).find((x) => x.path === 'effect.size')!;
  assert.deepEqual(size.axis, [1, 2, 3]);
  assert.equal(size.value, 1);
  assert.ok(size.min <= 1 && size.max >= 3);
  assert.equal(sliders(c).filter((x) => x.path.startsWith('effect.size')).length, 1);
  const s = parsed(scenarioTextFor(text, f, { 'effect.size': 2.5, 'outcome.rho': 0.9 }, [], c.seed, c.draws), f);
  assert.equal(s.effect.size, 2.5);
  assert.equal(s.outcome.rho, 0.9);
  // The untouched values collapse to the first listed: the explorer simulates one design point.
  const first = parsed(scenarioTextFor(text, f, valuesOf(c), [], c.seed, c.draws), f);
  assert.equal(first.effect.size, 1);
  assert.equal(first.outcome.rho, 0.5);

  const g = 'sw-clinics.yaml';
  const words = applySettingsToText(textOf(g), g, [{ path: 'design.sampling', value: '[cohort, cross_section]' }]).text;
  const sel = all(controlsOf(words, g)).find((x) => x.path === 'design.sampling')!;
  assert.equal(sel.kind, 'select');
  assert.deepEqual(sel.axis, ['cohort', 'cross_section']);
  assert.equal(sel.value, 'cohort');
  const d = parsed(scenarioTextFor(words, g, { 'design.sampling': 'cross_section' }, [], '1', 10), g).design;
  assert.equal(d.type === 'clusters' && d.sampling, 'cross_section');
});

test('estimator switches: an unknown name is refused with the nearest, and one must stay on', () => {
  const text = textOf('teach-twfe-bias.yaml');
  assert.throws(
    () => settingsFor(text, {}, ['twef']),
    /estimator "twef": expected one of the scenario's estimators \(cs, twfe\); did you mean twfe\?/,
  );
  assert.throws(() => settingsFor(text, {}, ['cs', 'twfe']), /at least one must stay on/);
  assert.deepEqual(settingsFor(text, { 'effect.size': 3 }, ['cs']), [
    { path: 'effect.size', value: '3' },
    { path: 'analysis.estimators.0', value: 'null' },
  ]);
});

test('a categorical covariate’s shares (they must sum to 1) get no slider; a seed that is a number stays one', () => {
  const f = 'r1-isf-waitlist.yaml';
  const c = controlsOf(textOf(f), f);
  assert.equal(
    all(c).some((x) => x.path.startsWith('population.covariates.referral.')),
    false,
  );
  const r4 = controlsOf(textOf('r4-matched-followup.yaml'), 'r4-matched-followup.yaml');
  assert.equal(
    all(r4).some((x) => /covariates\.education\.p/.test(x.path)),
    false,
  );
  assert.ok(all(r4).some((x) => x.path === 'design.references.covariates.big_city.p'));
  assert.equal(c.seed, '2024');
  assert.equal(parsed(scenarioTextFor(textOf(f), f, {}, [], '2024', 5), f).seed, 2024);
  assert.equal(parsed(scenarioTextFor(textOf(f), f, {}, [], '007', 5), f).seed, '007');
});
