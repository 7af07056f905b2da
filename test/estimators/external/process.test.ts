/**
 * The external-estimator protocol against a deliberately unreliable fake (fake-estimator.mjs): every
 * failure is one draw not identified with the process's message as reason, the process is restarted
 * for the next draw, a time-out kills it; a program that is not there, or that dies before its first
 * answer, is an error. Expected values are the fake's own (estimate = draw / 100, se = 0.1).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeExternalProcesses, externalEstimator } from '../../../src/estimators/external/index.js';
import { isNotIdentified } from '../../../src/estimators/errors.js';
import { seeded } from '../../../src/random/stream.js';
import type { Panel } from '../../../src/panel/panel.js';

const FAKE = new URL('../../../../test/estimators/external/fake-estimator.mjs', import.meta.url).pathname;
after(closeExternalProcesses);

/** Two units over two periods, one treated in period 2. */
const PANEL: Panel = {
  nUnits: 2,
  nPeriods: 2,
  periods: Float64Array.from([1, 2]),
  ids: ['a', 'b'],
  group: Float64Array.from([2, 0]),
  y: Float64Array.from([1, 2, 3, 5]),
  covariates: {},
};
const rng = seeded(1);

function fake(args: string, more: Partial<Parameters<typeof externalEstimator>[0]> = {}) {
  return externalEstimator({ name: 'fake', command: `node ${FAKE} ${args}`, estimands: ['simple', 'dynamic'], timeout: 2, ...more });
}

/** The draw's not-identified reason (the error estimate() throws), or null when it answered. */
function reasonOf(est: ReturnType<typeof fake>, draw: number): string | null {
  try {
    est.estimate(PANEL, rng, { point: 0, draw });
    return null;
  } catch (err) {
    assert.ok(isNotIdentified(err), `draw ${draw}: expected a not-identified refusal, got ${String(err)}`);
    return err.message;
  }
}

test('answers become the Estimate of every estimator: simple, dynamic detail with its own p and interval', () => {
  const e = fake('').estimate(PANEL, rng, { point: 1, draw: 7 });
  assert.deepEqual(e.aggregates.simple, { att: 0.07, se: 0.1 });
  assert.deepEqual(e.aggregates.dynamic?.detail, [{ key: 0, att: 0.14, se: 0.2, p: 0.5, ci: [-1, 1], inference: 'external' }]);
  assert.equal(e.aggregates.dynamic?.att, null);
  assert.match(e.aggregates.dynamic?.reason ?? '', /no dynamic_avg row/);
});

test('crash, time-out, garbage, wrong draw, non-number: that draw not identified with the message; the next draw answers', () => {
  const pids = join(tmpdir(), `stagger-fake-pids-${process.pid}`);
  rmSync(pids, { force: true });
  const est = fake(`crash=1 slow=3 garbage=5 wrong=6 nan=7 stderr=8 pidfile=${pids}`);
  const reasons = Array.from({ length: 9 }, (_, d) => reasonOf(est, d));
  assert.equal(reasons[0], null);
  assert.match(
    reasons[1]!,
    /^external estimator fake: the process exited with code 3 before answering draw 1; restarted for the next draw; stderr: fake: crashing on draw 1$/,
  );
  assert.equal(reasons[2], null);
  assert.match(reasons[3]!, /no answer to draw 3 within 2 s \(timeout\); the process was killed and restarted/);
  assert.equal(reasons[4], null);
  assert.match(reasons[5]!, /answer is not JSON: "this is not json"/);
  assert.match(reasons[6]!, /answer: expected "draw": 6 \(the request's\), found 7/);
  assert.match(reasons[7]!, /answer\.rows\[0\]\.estimate: expected a number or null, found "abc"/);
  // A stderr line beside a good answer is not a failure.
  assert.equal(reasons[8], null);
  // Restarted after the crash, the time-out, the garbage, the wrong draw and the bad row: 6 processes.
  assert.equal(readFileSync(pids, 'utf8').trim().split('\n').length, 6);
  rmSync(pids, { force: true });
});

test('an estimand the answer lacks is missing from the Estimate (the engine makes it not identified)', () => {
  const e = fake('missing=2').estimate(PANEL, rng, { point: 0, draw: 2 });
  assert.equal(e.aggregates.simple, undefined);
  assert.ok(e.aggregates.dynamic);
});

test('a program that is not there, or dies before its first answer, is an error of the run (not a not-identified draw)', () => {
  assert.throws(
    () => externalEstimator({ name: 'x', command: 'no-such-program-xyz run.R', estimands: ['simple'] }),
    /external estimator command "no-such-program-xyz run.R": the program "no-such-program-xyz" is not on PATH/,
  );
  const dead = fake('dead');
  assert.throws(
    () => dead.estimate(PANEL, rng, { point: 0, draw: 0 }),
    (err: Error) =>
      !isNotIdentified(err) &&
      /ended before answering its first draw \(the process exited with code 2\): fake: cannot start \(dead\)/.test(err.message),
  );
});

test('options: unknown estimands name the nearest, timeout must be positive', () => {
  assert.throws(
    () => fake('', { estimands: ['dynamc:0'] }),
    /estimands\[0\]: expected an estimand id .*found "dynamc:0" \(nearest: dynamic:0\)/,
  );
  assert.throws(() => fake('', { estimands: ['simple:3'] }), /simple has no key/);
  assert.throws(() => fake('', { timeout: 0 }), /timeout: expected seconds > 0, found 0/);
});

test('the panel file is removed after each draw, the folder when the processes are closed', () => {
  const est = fake('');
  est.estimate(PANEL, rng, { point: 0, draw: 0 });
  const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`stagger-external-${process.pid}-`));
  assert.ok(mine().length > 0);
  for (const d of mine())
    assert.deepEqual(
      readdirSync(join(tmpdir(), d)).filter((f) => f.endsWith('.csv')),
      [],
    );
  closeExternalProcesses();
  assert.deepEqual(mine(), []);
  assert.ok(!existsSync(join(tmpdir(), 'nothing')));
});

test("narrowed averages: sent as the request's options (group positions as this panel's labels); absent, the request has no options key", () => {
  const echo = join(tmpdir(), `stagger-fake-echo-${process.pid}`);
  const averages = { dynamicAvg: [0, 2] as [number, number], dynamicPreAvg: [-3, -1] as [number, number], excludeGroups: [1] };
  fake(`avg honour echo=${echo}`, { estimands: ['simple', 'dynamic', 'group'], averages }).estimate(PANEL, rng, { point: 0, draw: 4 });
  // PANEL's only start group is 2: position 1 is the label 2.
  assert.deepEqual(JSON.parse(readFileSync(echo, 'utf8')).options, {
    dynamic_avg_window: [0, 2],
    dynamic_pre_avg_window: [-3, -1],
    group_avg_exclude: [2],
  });
  fake(`avg echo=${echo}`).estimate(PANEL, rng, { point: 0, draw: 4 });
  assert.equal('options' in JSON.parse(readFileSync(echo, 'utf8')), false);
  rmSync(echo, { force: true });
});

test('an answer that lists the options in "honoured" keeps its narrowed figures, labelled as the truth labels them', () => {
  const averages = { dynamicAvg: [0, 2] as [number, number], excludeGroups: [1] };
  const e = fake('avg honour', { estimands: ['simple', 'dynamic', 'group'], averages }).estimate(PANEL, rng, { point: 0, draw: 5 });
  assert.deepEqual(e.aggregates.dynamic && { att: e.aggregates.dynamic.att, se: e.aggregates.dynamic.se }, { att: 0.15, se: 0.3 });
  assert.equal(e.aggregates.dynamic?.averages, 'event times 0..2');
  assert.equal(e.aggregates.dynamic?.p, 0.5);
  assert.equal(e.aggregates.group?.att, 0.2);
  assert.equal(e.aggregates.group?.averages, 'start groups without 1');
});

test('an answer that does not list an option in "honoured": that narrowed figure is not identified, saying why; a stray name breaks the protocol', () => {
  const averages = { dynamicAvg: [0, 2] as [number, number], excludeGroups: [1] };
  const e = fake('avg', { estimands: ['simple', 'dynamic', 'group'], averages }).estimate(PANEL, rng, { point: 0, draw: 5 });
  assert.equal(e.aggregates.simple?.att, 0.05, 'the other rows are kept');
  const dyn = e.aggregates.dynamic!;
  assert.deepEqual([dyn.att, dyn.se, dyn.p], [null, null, undefined]);
  assert.equal(dyn.averages, 'event times 0..2');
  assert.equal(
    dyn.reason,
    'the analysis asks dynamic_avg with dynamic_avg_window = [0,2] (sent as options.dynamic_avg_window) and the external estimator\'s answer does not list "dynamic_avg_window" in "honoured"',
  );
  assert.match(e.aggregates.group!.reason!, /group_avg with group_avg_exclude = \[2\] .*does not list "group_avg_exclude"/);
  const stray = fake('avg stray', { estimands: ['simple', 'dynamic'], averages });
  assert.match(
    reasonOf(stray, 6)!,
    /answer\.honoured: "bogus" is not an option of the request \(it has: dynamic_avg_window, group_avg_exclude\)/,
  );
});
