/**
 * An external estimator's configuration: the scenario schema's errors (file, path, expected, found,
 * nearest name), the command's words, the estimand ids of a request, and the answer's checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../../src/scenario/index.js';
import { createSimulation } from '../../../src/engine/scenario-simulation.js';
import { findProgram, splitCommand } from '../../../src/estimators/external/command.js';
import { isEntry, parseEntry, requestIds } from '../../../src/estimators/external/estimands.js';
import { parseAnswer } from '../../../src/estimators/external/answer.js';
import type { Panel } from '../../../src/panel/panel.js';

const SMALL = new URL('../../../../test/engine/fixtures/small-waitlist.yaml', import.meta.url).pathname;
const base = readFileSync(SMALL, 'utf8').split('analysis:')[0];
const withAnalysis = (a: string) => `${base}analysis:\n${a}`;

function problems(text: string): string {
  try {
    parseScenario(text, 'my.yaml', '.');
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

test('schema: every bad key of an external entry is named with its path, what was expected and what was found', () => {
  const msg = problems(
    withAnalysis(`  estimators:
    - { name: mine, type: external, command: "python3 x.py", estimands: [simple, dynamc:0, group:2, simple:1], method: dr, timeout: -1 }
  estimands: [simple, dynamic]
`),
  );
  assert.match(
    msg,
    /my\.yaml:\d+: analysis\.estimators\.0\.estimands\.1: expected an estimand id .* \(nearest: dynamic:0\), found "dynamc:0"/,
  );
  assert.match(msg, /analysis\.estimators\.0\.estimands\.3: expected an estimand id .*\(simple has no key\).*found "simple:1"/);
  assert.match(msg, /analysis\.estimators\.0\.timeout: expected a number > 0, found -1/);
  assert.match(
    msg,
    /analysis\.estimators\.0\.method: expected an option of the external estimator: external does not take method \(external takes: name, type, command, estimands, timeout, panel_format/,
  );
  assert.match(
    msg,
    /analysis\.estimators\.0\.estimands\.2: expected an estimand of the analysis' \(analysis\.estimands: simple, dynamic; group:2 belongs to group\), found "group:2"/,
  );
  const format = problems(
    withAnalysis(
      '  estimators:\n    - { name: mine, type: external, command: "python3 x.py", estimands: [simple], panel_format: binery }\n  estimands: [simple]\n',
    ),
  );
  assert.match(format, /analysis\.estimators\.0\.panel_format: expected one of "csv", "binary", found "binery"; did you mean "binary"\?/);
  const none = problems(withAnalysis('  estimators:\n    - { name: mine, type: external, estimands: [simple] }\n'));
  assert.match(none, /analysis\.estimators\.0\.command: expected .*found nothing/);
  // A good entry parses, and did's options stay did's.
  assert.equal(
    problems(
      withAnalysis(
        '  estimators:\n    - { name: mine, type: external, command: "python3 x.py", estimands: [simple] }\n  estimands: [simple]\n',
      ),
    ),
    '',
  );
});

test('a scenario whose external program is not there fails at load, before any draw', () => {
  const file = new URL('../../../../test/estimators/external/missing-program.yaml', import.meta.url).pathname;
  assert.throws(() => createSimulation({ scenarioFile: file }), /the program "no-such-estimator-xyz" is not on PATH/);
});

test('command words: blanks split, quotes group, no shell', () => {
  assert.deepEqual(splitCommand(`Rscript "my estimator.R" --alpha 0.05 'a b' c\\ d`), [
    'Rscript',
    'my estimator.R',
    '--alpha',
    '0.05',
    'a b',
    'c d',
  ]);
  assert.throws(() => splitCommand('python3 "x.py'), /the quote " is not closed/);
  assert.throws(() => splitCommand('   '), /command is empty/);
  assert.ok(findProgram('node', '/')?.endsWith('/node'));
  assert.equal(findProgram('./nope.sh', '/tmp'), undefined);
});

test('estimand entries: ids, aggregation names, nearest names', () => {
  assert.deepEqual(parseEntry('dynamic:-2'), { type: 'dynamic', key: -2 });
  assert.deepEqual(parseEntry('group'), { type: 'group' });
  const bad = parseEntry('grup_avg');
  assert.ok(!isEntry(bad) && bad.nearest === 'group_avg');
  assert.ok(!isEntry(parseEntry('simple@women')));
  assert.ok(!isEntry(parseEntry('dynamic:0.5')));
});

test("a request's ids: aggregation names expand to the panel's groups, event times in the window, treated periods", () => {
  // Groups 3 and 4 over periods 1–5 (and never-treated units): e = t − g ∈ [−3, 2] ∩ window [−1, 1].
  const panel = {
    group: Float64Array.from([3, 4, 0]),
    periods: Float64Array.from([1, 2, 3, 4, 5]),
  } as unknown as Panel;
  const ids = requestIds(
    [{ type: 'simple' }, { type: 'dynamic' }, { type: 'group' }, { type: 'calendar' }, { type: 'dynamic', key: 7 }],
    panel,
    [-1, 1],
  );
  assert.deepEqual(ids, [
    'simple',
    'dynamic:-1',
    'dynamic:0',
    'dynamic:1',
    'dynamic_avg',
    'group:3',
    'group:4',
    'group_avg',
    'calendar:3',
    'calendar:4',
    'calendar:5',
    'dynamic:7',
  ]);
});

test('answers: rows map onto the aggregates; protocol breaks are messages', () => {
  const e = parseAnswer(
    JSON.stringify({
      draw: 4,
      rows: [
        { estimand: 'group:3', estimate: 1, se: 0.5 },
        { estimand: 'dynamic_pre_avg', estimate: 0.1, se: 0.2 },
        { estimand: 'simple', estimate: null, se: null, reason: 'too few units' },
        { estimand: 'calendar:5', estimate: 2, se: 1, ci_low: 0, ci_high: 4 },
      ],
    }),
    4,
    'x',
  );
  assert.ok(typeof e !== 'string');
  assert.deepEqual(e.aggregates.simple, { att: null, se: null, reason: 'too few units' });
  assert.deepEqual(e.aggregates.group, {
    att: null,
    se: null,
    reason: "the external estimator's answer has no group_avg row",
    detail: [{ key: 3, att: 1, se: 0.5 }],
  });
  assert.deepEqual(e.aggregates.dynamic?.pre, { att: 0.1, se: 0.2 });
  assert.deepEqual(e.aggregates.calendar?.detail, [{ key: 5, att: 2, se: 1, ci: [0, 4], inference: 'external' }]);
  const bad = (rows: unknown, draw = 1) => parseAnswer(JSON.stringify({ draw, rows }), 1, 'x');
  assert.match(String(bad([{ estimand: 'simple', estimate: 1, se: -1 }])), /rows\[0\]\.se: expected a number ≥ 0, found -1/);
  assert.match(String(bad([{ estimand: 'simple', estimate: 1 }])), /rows\[0\]\.se: expected a number or null, found nothing/);
  assert.match(String(bad([{ estimand: 'simple', estimate: 1, se: 1, ci_low: 0 }])), /ci_low and ci_high go together/);
  assert.match(String(bad([{ estimand: 'simple', estimate: 1, se: 1, pvalue: 0 }])), /unknown key "pvalue"/);
  assert.match(String(bad([{ estimand: 'smple', estimate: 1, se: 1 }])), /rows\[0\]\.estimand: expected an estimand id/);
  assert.match(
    String(
      bad([
        { estimand: 'simple', estimate: 1, se: 1 },
        { estimand: 'simple', estimate: 1, se: 1 },
      ]),
    ),
    /a second row for simple/,
  );
  assert.match(String(bad('x')), /answer\.rows: expected a list of rows/);
  assert.match(String(parseAnswer('[1]', 1, 'x')), /expected a JSON object/);
});
