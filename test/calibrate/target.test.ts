/** Calibrating free settings to published SEs: the search on known functions, validation, and the real simulator. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { createSimulation } from '../../src/engine/scenario-simulation.js';
import { parseSetting } from '../../src/engine/settings.js';
import { loadScenario } from '../../src/generate.js';
import { evaluateAt } from '../../src/calibrate/evaluate-se.js';
import { editDistance, nearest } from '../../src/scenario/nearest-name.js';
import { calibrateTarget, prepare, type CalibrationResult } from '../../src/calibrate/run-target.js';
import { intervalMany, intervalOne, OutsideDomain, solveMany, solveOne, type Objective } from '../../src/calibrate/target.js';
import { checkTargets, freeStarts, parseFree, parseTarget, pruningSettings } from '../../src/calibrate/target-spec.js';
import { calibratedYaml } from '../../src/calibrate/write-calibrated.js';

const SMALL = new URL('../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const R1 = new URL('../../../scenarios/r1-isf-waitlist.yaml', import.meta.url).pathname;
const opts = { tol: 1e-3, maxEvals: 30, maxFactor: 1000 };

/** An objective from a plain function of the free values, counting its calls. */
function fake(f: (x: readonly number[]) => number[]): Objective & { calls: number } {
  const o = (async (x: readonly number[]) => {
    o.calls += 1;
    return f(x);
  }) as Objective & { calls: number };
  o.calls = 0;
  return o;
}

test('one target: S = 3·x^1.5 meets T = 120 at x = (40)^(2/3) (closed form), in a handful of evaluations, elasticity 1.5', async () => {
  const f = fake(([x]) => [3 * x ** 1.5]);
  const r = await solveOne(f, [1], 120, opts);
  assert.equal(r.status, 'found');
  const x = r.history[r.best].x[0];
  const want = 40 ** (2 / 3);
  // |S − T| ≤ 1e-3·T ⇔ |x − x*|/x* ≤ about 1e-3/1.5.
  assert.ok(Math.abs(x / want - 1) < 1e-3 / 1.5 + 1e-12, `x = ${x}, closed form ${want}`);
  assert.ok(f.calls <= 8, `${f.calls} evaluations`);
  assert.ok(Math.abs(r.elasticity![0][0] - 1.5) < 0.01, `elasticity ${r.elasticity![0][0]}`);
  assert.equal(r.monotone, true);
});

test('one target, falling statistic and several free settings: the common multiplier moves them together', async () => {
  // S = 50 / (x1·x2): at the start (2, 5) S = 5; T = 20 needs x1·x2 = 2.5, i.e. m² = 0.25, m = 0.5.
  const f = fake(([a, b]) => [50 / (a * b)]);
  const r = await solveOne(f, [2, 5], 20, opts);
  assert.equal(r.status, 'found');
  const [a, b] = r.history[r.best].x;
  assert.ok(Math.abs(a / 1 - 1) < 1e-3 && Math.abs(b / 2.5 - 1) < 1e-3, `found ${a}, ${b}; expected 1, 2.5`);
  assert.ok(Math.abs(a / b - 2 / 5) < 1e-12, 'the ratio of the free values is kept');
});

test('no sign change: a flat statistic and a U-shaped one are reported with their achievable range, not as a root', async () => {
  const flat = await solveOne(
    fake(() => [100]),
    [1],
    50,
    opts,
  );
  assert.equal(flat.status, 'no sign change');
  assert.deepEqual(flat.range[0], [100, 100]);
  assert.match(flat.message, /no value reaches the target 50 .*ranged 100.0–100.0/);
  // S = 100·(1 + (log x)²) ≥ 100: the target 50 is below the minimum, reached at x = 1.
  const u = await solveOne(
    fake(([x]) => [100 * (1 + Math.log(x) ** 2)]),
    [2],
    50,
    opts,
  );
  assert.equal(u.status, 'no sign change');
  // The golden-section refinement brings the closest value near the minimum at x = 1 (S = 100).
  assert.ok(u.range[0][0] >= 100 && u.range[0][0] < 101, `closest ${u.range[0][0]}`);
  assert.ok(Math.abs(Math.log(u.history[u.best].x[0])) < 0.2, `closest value near x = 1, got ${u.history[u.best].x[0]}`);
  assert.equal(u.monotone, false);
});

test('a value the scenario rejects is a domain edge: the search turns back, or says the target is out of reach', async () => {
  const f = ([x]: readonly number[]) => {
    if (x >= 1) throw new OutsideDomain(`rho: expected a number < 1, found ${x}`);
    return [10 * x];
  };
  const inside = await solveOne(fake(f), [0.5], 8, opts);
  assert.equal(inside.status, 'found');
  assert.ok(Math.abs(inside.history[inside.best].x[0] - 0.8) < 1e-3);
  // A root near the edge: the step past it (x = 1.08) is halved back inside instead of giving up.
  const edge = await solveOne(fake(f), [0.5], 9.5, opts);
  assert.equal(edge.status, 'found');
  assert.ok(Math.abs(edge.history[edge.best].x[0] / 0.95 - 1) <= 1e-3, `found ${edge.history[edge.best].x[0]}`);
  const out = await solveOne(fake(f), [0.5], 20, opts);
  assert.equal(out.status, 'no sign change');
  assert.ok(out.history.some((e) => e.s === null && /rho/.test(e.reason!)));
  assert.ok(out.range[0][1] < 10, 'the highest statistic reached is below 10 (rho < 1)');
});

test('k targets, k free settings: Broyden meets S1 = x1·x2^0.3, S2 = x1^0.2·x2^1.2 (closed form in logs)', async () => {
  const f = fake(([a, b]) => [a * b ** 0.3, a ** 0.2 * b ** 1.2]);
  const T = [3, 5];
  const r = await solveMany(f, [1, 1], T, opts);
  assert.equal(r.status, 'found');
  const s = r.history[r.best].s!;
  s.forEach((v, j) => assert.ok(Math.abs(v / T[j] - 1) <= 1e-3, `S${j + 1} = ${v}, T = ${T[j]}`));
  // log x solves [[1, .3], [.2, 1.2]] u = log T.
  const det = 1 * 1.2 - 0.3 * 0.2;
  const u1 = (1.2 * Math.log(3) - 0.3 * Math.log(5)) / det;
  assert.ok(Math.abs(Math.log(r.history[r.best].x[0]) - u1) < 2e-3);
  assert.ok(f.calls <= 10, `${f.calls} evaluations`);
});

test('k targets: settings that move the targets in lockstep are singular, said plainly', async () => {
  const r = await solveMany(
    fake(([a, b]) => [a * b, 2 * a * b]),
    [1, 1],
    [3, 5],
    opts,
  );
  assert.equal(r.status, 'singular');
  await assert.rejects(
    solveMany(
      fake(([a]) => [a, a]),
      [1],
      [3, 5],
      opts,
    ),
    /2 targets need 2 free settings/,
  );
});

test('MC interval through the local slope: x·exp(±1.96·(se/S)/ε) (closed form)', () => {
  const [[lo, hi]] = intervalOne([2], 100, 1, 2)!;
  assert.ok(Math.abs(lo - 2 * Math.exp((-1.959963984540054 * 0.01) / 2)) < 1e-12);
  assert.ok(Math.abs(hi - 2 * Math.exp((1.959963984540054 * 0.01) / 2)) < 1e-12);
  assert.equal(intervalOne([2], 100, 1, 0), null, 'a flat statistic has no interval');
  // Diagonal J: each setting's interval from its own target.
  const iv = intervalMany(
    [1, 1],
    [100, 50],
    [1, 1],
    [
      [2, 0],
      [0, 1],
    ],
  )!;
  assert.ok(Math.abs(Math.log(iv[0][1]) - (1.959963984540054 * 0.01) / 2) < 1e-12);
  assert.ok(Math.abs(Math.log(iv[1][1]) - 1.959963984540054 * 0.02) < 1e-12);
});

test('targets and free settings are parsed, and bad ones named with the nearest valid name', () => {
  assert.deepEqual(parseTarget('group_avg@women.se=305.5'), {
    text: 'group_avg@women.se=305.5',
    outcome: null,
    estimand: 'group_avg@women',
    statistic: 'se',
    value: 305.5,
  });
  assert.deepEqual(parseTarget('earnings/dynamic:-2.sd=40', 'se'), {
    text: 'earnings/dynamic:-2.sd=40',
    outcome: 'earnings',
    estimand: 'dynamic:-2',
    statistic: 'sd',
    value: 40,
  });
  assert.equal(parseTarget('simple=3', 'sd').statistic, 'sd');
  assert.throws(() => parseTarget('group_avg.se=-1'), /positive number/);
  assert.throws(() => parseTarget('group_avg'), /expected ESTIMAND.se=V/);
  assert.deepEqual(parseFree(['outcome.sdlog,outcome.unit_sd', 'outcome.noise_sd']), [
    'outcome.sdlog',
    'outcome.unit_sd',
    'outcome.noise_sd',
  ]);
  assert.throws(() => parseFree(['a.b,a.b']), /named twice/);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('group_avgg', ['simple', 'group_avg', 'dynamic_avg']), 'group_avg');

  const s = loadScenario(R1);
  assert.throws(() => checkTargets(R1, s, [parseTarget('group_avgg.se=1')], 'cs_dr'), /not an estimand id.*nearest valid: "group_avg"/);
  assert.throws(
    () => checkTargets(R1, s, [parseTarget('group_avg@womn.se=1')], 'cs_dr'),
    /no analysis subgroup "womn".*nearest valid: "women"/,
  );
  assert.throws(() => checkTargets(R1, s, [parseTarget('group_avg.se=1')], 'cs_drr'), /no such estimator.*nearest valid: "cs_dr"/);
  assert.doesNotThrow(() => checkTargets(R1, s, [parseTarget('dynamic:3@men.se=1')], 'cs_dr'));
  assert.deepEqual(freeStarts(R1, s, ['outcome.sdlog', 'outcome.unit_sd']), [0.872, 1.3]);
  assert.throws(() => freeStarts(R1, s, ['outcome.sdlg']), /no numeric setting there \(nearest valid: "outcome.sdlog"\)/);
  assert.throws(() => freeStarts(R1, s, ['effect.by_group']), /no numeric setting/);
  // A default counts as a setting (R1 does not write outcome.trend.slope, whose default is 0): 0 cannot be moved on the log scale.
  assert.throws(() => freeStarts(R1, s, ['outcome.trend.slope']), /start it with --set outcome.trend.slope=0.1/);
  assert.deepEqual(pruningSettings(s, [parseTarget('group_avg@women.se=1')]), [
    { path: 'analysis.estimands', value: '[group]' },
    { path: 'analysis.subgroups', value: '[women]' },
  ]);
});

test('requests that cannot run are refused before any draw: counts, grids, integer settings, estimands a draw lacks', () => {
  const base = { scenarioFile: SMALL, set: [], seed: '1', draws: 4, workers: 0 };
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('simple.se=1'), parseTarget('dynamic_avg.se=1')], free: ['outcome.sd'] }),
    /2 targets need 2 free settings/,
  );
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('group_avg.se=1')], free: ['outcome.sd'] }),
    /does not report group_avg \(analysis.estimands is \[simple, dynamic\]; add group\)/,
  );
  assert.throws(
    () => prepare({ ...base, set: [parseSetting('outcome.rho=[0.3, 0.5]')], targets: [parseTarget('simple.se=1')], free: ['outcome.sd'] }),
    /grid of 2 design points \(axes: outcome.rho\)/,
  );
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('simple.se=1')], free: ['outcome.rho'], set: [parseSetting('outcome.rho=[0.3, 0.5]')] }),
    /grid axis/,
  );
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('simple.se=1')], free: ['design.start_groups.count'] }),
    /not a continuous setting/,
  );
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('dynamic:60.se=1')], free: ['outcome.sd'] }),
    /the first draw reports no dynamic:60 for cs_dr \(nearest valid: "dynamic:\d"\)/,
  );
  assert.throws(
    () => prepare({ ...base, targets: [parseTarget('wages/simple.se=1')], free: ['outcome.sd'] }),
    /only outcome is y, not "wages"/,
  );
  const ok = prepare({ ...base, targets: [parseTarget('y/simple.se=1')], free: ['outcome.sd'] });
  assert.equal(
    ok.targets[0].outcome,
    'y',
    "the one outcome's own name is accepted as a prefix (and a bare target means the first outcome)",
  );
});

test('leaving out estimands and subgroups no target reads changes no record a target reads', () => {
  const set = [parseSetting('analysis.subgroups=[women]'), parseSetting('analysis.estimands=[simple, group, dynamic]')];
  const full = createSimulation({ scenarioFile: SMALL, set }).runDraw('3', 0, 1);
  const s = loadScenario(SMALL);
  const pruned = createSimulation({
    scenarioFile: SMALL,
    set: [
      ...set,
      ...pruningSettings({ ...s, analysis: { ...s.analysis, estimands: ['simple', 'group', 'dynamic'], subgroups: ['women'] } }, [
        parseTarget('simple.se=1'),
      ]),
    ],
  }).runDraw('3', 0, 1);
  assert.ok(pruned.length < full.length);
  assert.deepEqual(
    pruned,
    full.filter((r) => r.estimand === 'simple'),
  );
});

test("closed form: SE scales exactly with a continuous outcome's sd (no effect, common random numbers), so the found sd is sd0·T/SE0", async () => {
  // y = mean + sd·η/sd(η) + τ with τ = 0: every within-unit difference, hence every ATT(g,t), its
  // influence function and the SE, is proportional to sd (outcome.ts, `continuous`).
  const { targets } = prepare({
    scenarioFile: SMALL,
    set: [],
    free: ['outcome.sd'],
    targets: [parseTarget('simple.se=1')],
    seed: '5',
    draws: 12,
    workers: 0,
  });
  const input = { scenarioFile: SMALL, set: [], free: ['outcome.sd'], estimator: 'cs_dr', targets, seed: '5', draws: 12, workers: 0 };
  const [at2] = await evaluateAt(input, [2]);
  const [at6] = await evaluateAt(input, [6]);
  assert.ok(Math.abs(at6.meanSe / at2.meanSe - 3) < 1e-9, `SE ratio ${at6.meanSe / at2.meanSe}`);
  assert.ok(Math.abs(at6.sd / at2.sd - 3) < 1e-9, `SD ratio ${at6.sd / at2.sd}`);
  const T = 0.8 * at2.meanSe; // a target 20 % below the SE at the file's sd = 2
  const r = await calibrateTarget({
    scenarioFile: SMALL,
    set: [],
    targets: [parseTarget(`simple.se=${T}`)],
    free: ['outcome.sd'],
    seed: '5',
    draws: 12,
    workers: 0,
  });
  assert.equal(r.status, 'found');
  // On the log scale g(u) is exactly linear, so the secant lands on the root (far inside the 1e-3 tolerance).
  assert.ok(Math.abs(r.free[0].found / (2 * 0.8) - 1) < 1e-9, `found ${r.free[0].found}, closed form ${2 * 0.8}`);
  assert.ok(Math.abs(r.elasticity![0][0] - 1) < 1e-9, `elasticity ${r.elasticity![0][0]}`);
  assert.ok(r.evaluations.length <= 4, `${r.evaluations.length} evaluations`);
  // The MC interval: sd·exp(±1.96·(MC SE/SE)) with elasticity 1.
  const rel = r.targets[0].mc_se / r.targets[0].value;
  assert.ok(Math.abs(Math.log(r.free[0].interval![1] / r.free[0].found) - 1.959963984540054 * rel) < 1e-9);
  assert.ok(r.targets[0].mc_se > 0 && Math.abs(r.targets[0].value / T - 1) <= 1e-3);
});

test('the result is byte-identical for 1 and 2 workers', async () => {
  const req = {
    scenarioFile: SMALL,
    set: [parseSetting('outcome.rho=0.3')],
    targets: [parseTarget('dynamic_avg.se=0.3')],
    free: ['outcome.noise_sd', 'outcome.unit_sd'],
    seed: '8',
    draws: 6,
  };
  const one = await calibrateTarget({ ...req, workers: 1 });
  const two = await calibrateTarget({ ...req, workers: 2 });
  assert.equal(JSON.stringify(two), JSON.stringify(one));
  assert.equal(one.mode, 'common multiplier');
  assert.ok(one.free[0].found / one.free[0].start - one.free[1].found / one.free[1].start < 1e-12);
});

test('--out: the file with the found value substituted, its comments kept, and the calibration recorded', () => {
  const r = {
    scenario: R1,
    estimator: 'cs_dr',
    seed: '1',
    draws: 200,
    status: 'found',
    message: 'the target is met',
    mode: 'one setting',
    free: [{ path: 'outcome.sdlog', start: 0.872, found: 0.7312345678, interval: [0.72, 0.74] }],
    targets: [
      {
        target: 'group_avg.se=267.5',
        statistic: 'se',
        wanted: 267.5,
        value: 267.6,
        mc_se: 2.1,
        mean_se: 267.6,
        mean_se_mc_se: 2.1,
        sd_estimate: 280,
        sd_estimate_mc_se: 14,
        identified: 200,
        draws: 200,
        range: [250, 320],
      },
    ],
    elasticity: [[1.2]],
    monotone: true,
    evaluations: [],
  } as unknown as CalibrationResult;
  const text = calibratedYaml(
    R1,
    [parseSetting('design.treatment_share=0.5')],
    r,
    "stagger calibrate r1.yaml --target 'group_avg.se=267.5' --free outcome.sdlog",
  );
  const doc = parseDocument(text);
  assert.equal(doc.getIn(['outcomes', 0, 'sdlog']), 0.731235, 'R1 lists its outcomes: outcome.sdlog is outcomes.0.sdlog in the file');
  assert.equal(doc.getIn(['design', 'treatment_share']), 0.5);
  assert.match(text, /sdlog: 0.731235 +# calibrated \(was 0.872\); zero-heavy and skewed/);
  assert.match(text, /^# Calibrated by: stagger calibrate r1.yaml --target 'group_avg.se=267.5'/);
  assert.match(text, /# target group_avg.se=267.5: simulated se 267.60 ± 2.1/);
  assert.match(text, /# outcome.sdlog: 0.872 -> 0.731235 \(95 % MC interval 0.72–0.74\)/);
  // Scalar replacements are spliced into the file's text: every other line is as it was.
  const orig = readFileSync(R1, 'utf8').split('\n');
  const lines = text.split('\n').slice(4);
  assert.equal(lines.length, orig.length);
  assert.deepEqual(
    lines
      .map((l, i) => (l === orig[i] ? null : i))
      .filter((i) => i !== null)
      .map((i) => orig[i!].trim().split(':')[0]),
    ['sdlog', 'treatment_share'],
  );
  // A key removed (or one the file leaves at its default) goes through the Document API: comments still kept.
  const rw = calibratedYaml(R1, [parseSetting('design.extra_wait=null')], r, 'stagger calibrate');
  assert.equal(parseDocument(rw).getIn(['design', 'extra_wait']), undefined);
  assert.equal(parseDocument(rw).getIn(['outcomes', 0, 'sdlog']), 0.731235);
  for (const line of orig.filter((l) => l.includes('#')))
    assert.ok(rw.includes(line.slice(line.indexOf('#') + 1).trim()), `comment kept: ${line}`);
  // R1's sdlog comment runs over two lines: the Document API keeps it, with the note in front.
  assert.match(rw, /sdlog: 0.731235[\s\S]{0,40}# calibrated \(was 0.872\); zero-heavy/);
});
