/** The oracle's classes and the generators' reproducibility (fast: no child processes). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, type ChildResult } from './child.js';
import { malformedPanel } from './gen-csv.js';
import { planFault } from './gen-fault.js';
import { mutateScenario } from './gen-scenario.js';
import { classify, normalise } from './oracle.js';
import { caseRng } from './rng.js';
import { scanCsv, scanJson } from './scan-output.js';

const result = (over: Partial<ChildResult>): ChildResult => ({
  args: [],
  code: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  killed: false,
  ms: 10,
  ...over,
});

test('classify: each class from the child it describes', () => {
  assert.equal(classify(result({}), 'validate').cls, 'ok');
  assert.equal(
    classify(result({ code: 2, stderr: "stagger: a.yaml: periods.count: expected an int ≥ 2, found 'x'\n" }), 'validate').cls,
    'clean-error',
  );
  assert.equal(
    classify(
      result({ code: 1, stderr: 'stagger: internal error: spec.split is not a function\n    at f (file:///a.js:1:2)\n' }),
      'estimate',
    ).cls,
    'CRASH',
  );
  assert.equal(
    classify(result({ code: 2, stderr: 'TypeError: x\n    at g (/a/b.js:3:4)\n' }), 'estimate').cls,
    'CRASH',
    'a stack trace even with exit 2',
  );
  assert.equal(
    classify(result({ code: 134, stderr: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' }), 'run').cls,
    'MEMORY',
  );
  assert.equal(classify(result({ code: null, signal: 'SIGSEGV' }), 'run').cls, 'CRASH');
  assert.equal(classify(result({ code: 7, stderr: 'stagger: x' }), 'run').cls, 'CRASH');
  assert.equal(classify(result({ code: 1 }), 'run').cls, 'CRASH', 'a failure must say why');
  assert.equal(classify(result({ code: null, signal: 'SIGKILL', timedOut: true }), 'run').cls, 'HANG');
  assert.equal(classify(result({}), 'estimate', ['out.csv:2: att = NaN']).cls, 'BAD-OUTPUT');
  assert.equal(classify(result({}), 'estimate', [], 'hex').cls, 'SILENT-CORRUPTION');
  assert.equal(classify(result({ code: 2, stderr: 'stagger: x' }), 'estimate', [], 'hex').cls, 'clean-error');
});

test('signatures group failures that differ only in numbers, paths and quoted names', () => {
  assert.equal(
    normalise("stagger: /tmp/a/b.csv: row 17: expected a number, found 'abc'"),
    "stagger: PATH: row N: expected a number, found '…'",
  );
  const a = classify(result({ code: 1, stderr: 'stagger: internal error: draw 8 failed\n' }), 'run').signature;
  const b = classify(result({ code: 1, stderr: 'stagger: internal error: draw 12 failed\n' }), 'run').signature;
  assert.equal(a, b);
});

test('scanJson: null needs a reason beside it; NaN/Infinity never pass', () => {
  assert.deepEqual(scanJson({ att: null, reason: 'no comparison units' }), []);
  assert.deepEqual(scanJson({ rows: [{ diagnosand: 'type_s', value: null }] }), ['$.rows[0]{type_s}.value: null without a reason']);
  assert.deepEqual(scanJson({ se: null }, '$', /^se$/), []);
  assert.deepEqual(scanJson({ x: Number.NaN }), ['$.x: NaN']);
  assert.deepEqual(scanCsv('term,estimate,reason\nsimple,NaN,\n', 'o.csv'), ['o.csv:2: estimate = NaN']);
  assert.deepEqual(scanCsv('term,estimate,reason\nsimple,,no units\n', 'o.csv'), []);
  assert.deepEqual(scanCsv('term,estimate,reason\nsimple,,\n', 'o.csv'), ['o.csv:2: estimate empty without a reason']);
});

test('generators are pure: the same seed and case give the same input, another case another', () => {
  const base = readFileSync(path.join(ROOT, 'scenarios', 'teach-twfe-bias.yaml'), 'utf8');
  const texts = Array.from({ length: 20 }, (_, i) => mutateScenario(caseRng(1, i), base).text);
  assert.deepEqual(
    Array.from({ length: 20 }, (_, i) => mutateScenario(caseRng(1, i), base).text),
    texts,
  );
  assert.ok(new Set(texts).size > 10, 'cases differ');
  assert.deepEqual(malformedPanel(caseRng('s', 3)), malformedPanel(caseRng('s', 3)));
  assert.deepEqual(planFault(caseRng('s', 4)), planFault(caseRng('s', 4)));
});
