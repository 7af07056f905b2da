/**
 * Scenario input safety (issue 16): names that are JavaScript object properties, YAML tags and alias
 * bombs, files that are not regular or too large, grids and draws too large for memory — each refused
 * with the path, what was expected and what was found, before anything large is built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGrid, loadScenario, parseScenario, ScenarioError } from '../../src/scenario/index.js';
import { drawSize } from '../../src/scenario/draw-size.js';
import { bytesFromEnv, formatBytes, gridPointCount } from '../../src/scenario/size-limits.js';

// A stated budget, so the messages are the same on any machine (size-limits.ts: STAGGER_MAX_MEMORY).
process.env.STAGGER_MAX_MEMORY = '8GB';

const scenarios = new URL('../../../scenarios/', import.meta.url).pathname;
const r3 = readFileSync(join(scenarios, 'r3-municipal-adoption.yaml'), 'utf8');
const r1 = readFileSync(join(scenarios, 'r1-isf-waitlist.yaml'), 'utf8');
/** 1-based line of r3's first line containing `needle` (so the expected lines follow the bundled file). */
const ln = (needle: string): number => r3.split('\n').findIndex((l) => l.includes(needle)) + 1;
const main = new URL('../../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'stagger-limits-'));

/** The problems of a scenario text, one line each: `line: path: expected …, found …`. */
function problems(text: string): string[] {
  try {
    parseScenario(text, 's.yaml');
  } catch (err) {
    assert.ok(err instanceof ScenarioError, `expected a ScenarioError, got ${err}`);
    return err.problems.map((p) => `${p.line ?? '-'}: ${p.path}: expected ${p.expected}, found ${p.found}`);
  }
  return [];
}
const RESERVED =
  'a name that is not a built-in property of JavaScript objects (not constructor, toString, valueOf, hasOwnProperty, prototype, __proto__ or the like): rename it';

test('covariate, subgroup and map keys named like object properties are refused with their line', () => {
  assert.deepEqual(problems(r3.replace('north: { type: binary, p: 0.2 }', 'toString: { type: binary, p: 0.2 }')), [
    `${ln('north: { type: binary, p: 0.2 }')}: population.covariates.toString: expected ${RESERVED}, found the key "toString"`,
  ]);
  assert.deepEqual(problems(r3.replace('north: { type: binary, p: 0.2 }', '__proto__: { type: binary, p: 0.2 }')), [
    `${ln('north: { type: binary, p: 0.2 }')}: population.covariates.__proto__: expected ${RESERVED}, found the key "__proto__"`,
  ]);
  assert.deepEqual(problems(r3.replace('    north: { north: 1 }', '    constructor: { north: 1 }')), [
    `${ln('    north: { north: 1 }')}: population.subgroups.constructor: expected ${RESERVED}, found the key "constructor"`,
  ]);
  assert.deepEqual(problems(r3.replace('adopt_by: { north: 0.3', 'adopt_by: { hasOwnProperty: 0.3')), [
    `${ln('adopt_by: { north: 0.3')}: design.adopt_by.hasOwnProperty: expected ${RESERVED}, found the key "hasOwnProperty"`,
  ]);
  // A subgroup condition on `toString` with no such covariate was accepted ('toString' in {} is true).
  assert.deepEqual(problems(r3.replace('north: { north: 1 }', 'north: { toString: 1 }')), [
    `${ln('    north: { north: 1 }')}: population.subgroups.north.toString: expected ${RESERVED}, found the key "toString"`,
  ]);
});

test('names given as values (estimator names, covariate lists) are refused the same way', () => {
  assert.deepEqual(problems(r3.replace('{ name: cs_unadjusted,', '{ name: prototype,')), [
    `${ln('{ name: cs_unadjusted,')}: analysis.estimators.1.name: expected ${RESERVED}, found "prototype"`,
  ]);
  assert.deepEqual(problems(r3.replace('covariates: [north, big_city_region] }', 'covariates: [valueOf, big_city_region] }')), [
    `${ln('covariates: [north, big_city_region] }')}: analysis.estimators.0.covariates.0: expected ${RESERVED}, found "valueOf"`,
  ]);
});

test('a record key that is not a name says what a name is', () => {
  assert.deepEqual(problems(r3.replace('north: { type: binary, p: 0.2 }', '1north: { type: binary, p: 0.2 }')), [
    `${ln('north: { type: binary, p: 0.2 }')}: population.covariates.1north: expected a name of letters, digits and _ starting with a letter, found the key "1north"`,
  ]);
});

test('YAML tags are refused with their path and line; anchors and aliases of plain data are read', () => {
  const plain = 'plain YAML data (numbers, text, lists, mappings) without tags';
  assert.deepEqual(problems(r3.replace('draws: 1000', 'draws: !!js/function "function () {}"')), [
    `${ln('draws: 1000')}: draws: expected ${plain}, found the tag !!js/function`,
  ]);
  assert.deepEqual(problems(r3.replace('draws: 1000', 'draws: !!binary aGVsbG8=')), [
    `${ln('draws: 1000')}: draws: expected ${plain}, found the tag !!binary`,
  ]);
  assert.deepEqual(problems(r3.replace('    - { period: 2005, members: 54 }', '    - !custom { period: 2005, members: 54 }')), [
    `${ln('    - { period: 2005, members: 54 }')}: design.schedule.1: expected ${plain}, found the tag !custom`,
  ]);
  const s = parseScenario(
    r3
      .replace('draws: 1000', 'draws: &n 1000')
      .replace('members: 273 }', 'members: 273 }\n  # an alias of plain data is fine\n')
      .replace('seed: 2005', 'seed: *n'),
    'a.yaml',
  );
  assert.equal(s.seed, 1000);
  assert.equal(parseScenario(r3.replace('draws: 1000', 'draws: !!int 1000'), 'i.yaml').draws, 1000);
});

test('a YAML alias bomb is a scenario error, not an internal error', () => {
  const bomb = `${r3}\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`;
  const t0 = performance.now();
  assert.deepEqual(problems(bomb), [
    '-: : expected YAML whose aliases (*name) expand to a modest document (at most 100 alias expansions per node), found aliases that expand without bound (a "billion laughs" document)',
  ]);
  assert.ok(performance.now() - t0 < 10_000);
});

test('a 1,000 × 1,000 × 1,000 grid is counted, not expanded, and refused', () => {
  const values = (a: number, b: number) => `[${Array.from({ length: 1000 }, (_, i) => +(a + i * b).toFixed(6)).join(', ')}]`;
  const text = r3
    .replace('size: -0.003', `size: ${values(0, 0.001)}`)
    .replace('unit_sd: 0.5', `unit_sd: ${values(0, 0.01)}`)
    .replace('alpha: 0.05', `alpha: ${values(0.0001, 0.0001)}`);
  const t0 = performance.now();
  assert.deepEqual(problems(text), [
    `${ln('size: -0.003')}: effect.size: expected a design grid of at most 10,000 points (give fewer values per axis, split the grid into several scenario files or --set runs, or set STAGGER_MAX_GRID_POINTS), found effect.size (1,000) × effect.unit_sd (1,000) × analysis.alpha (1,000) = 1,000,000,000 design points`,
  ]);
  assert.ok(performance.now() - t0 < 10_000, 'said before any point is built');
  assert.equal(gridPointCount([{ values: [1, 2] }, { values: [1, 2, 3] }]), 6);
  // A grid under the cap still expands (100 points).
  assert.equal(
    expandGrid(parseScenario(r3.replace('size: -0.003', `size: ${values(0, 0.001).split(', ').slice(0, 100).join(', ')}]`), 'g.yaml'))
      .length,
    100,
  );
});

test('population.size 1e9, periods.count 1e7 and referrals 1e9 are refused with the memory a draw would need', () => {
  assert.deepEqual(problems(r3.replace('size: 290', 'size: 1000000000')), [
    '15: population.size: expected a draw that fits in memory (fewer units or periods), found 1,000,000,000 units × 23 periods: would need about 880 GB of memory, more than the 8 GB allowed (STAGGER_MAX_MEMORY)',
  ]);
  assert.deepEqual(problems(r3.replace('count: 23, unit: year', 'count: 10000000, unit: year')), [
    '11: periods.count: expected a draw that fits in memory (fewer units or periods), found 290 units × 10,000,000 periods: would need about 93 GB of memory, more than the 8 GB allowed (STAGGER_MAX_MEMORY)',
  ]);
  const big = problems(
    r1
      .replace(/referrals: [\d.]+/, 'referrals: 1000000000')
      .replace(/target: \d+/, 'target: null')
      .replace(/\n\s*target_cut:.*/, ''),
  );
  assert.equal(big.length, 1);
  assert.match(
    big[0],
    /design\.recruitment\.referrals: expected a draw that fits in memory \(fewer units or periods\), found [\d,]+ units × 114 periods: would need about [\d.]+ TB of memory/,
  );
  // The bundled scenarios are far inside the budget: R1 draws at most a few thousand people.
  const s = loadScenario(join(scenarios, 'r1-isf-waitlist.yaml'));
  const z = drawSize(s);
  assert.ok(z.units > 500 && z.units < 10_000 && z.bytes < 1e8, JSON.stringify(z));
});

test('sizes and budgets read from the environment', () => {
  assert.equal(bytesFromEnv('X', { X: '2GB' }), 2e9);
  assert.equal(bytesFromEnv('X', { X: '512MiB' }), 512 * 2 ** 20);
  assert.equal(bytesFromEnv('X', { X: '1500' }), 1500);
  assert.equal(bytesFromEnv('X', {}), undefined);
  assert.throws(
    () => bytesFromEnv('X', { X: 'lots' }),
    /environment variable X: expected a size in bytes such as 2000000000, 2GB or 512MiB, found "lots"/,
  );
  assert.equal(formatBytes(880e9), '880 GB');
  assert.equal(formatBytes(4_000_000), '4 MB');
});

test('a directory, a FIFO, /dev/zero, a missing or an oversized file is refused before it is read', () => {
  const cases: [string, RegExp][] = [
    [dir, /expected a regular file \(a scenario, YAML\), found a directory/],
    ['/dev/zero', /expected a regular file \(a scenario, YAML\), found a character device \(such as \/dev\/zero\), which may never end/],
    [join(dir, 'nope.yaml'), /expected a file that exists and can be read \(a scenario, YAML\), found no such file/],
  ];
  const huge = join(dir, 'huge.yaml');
  writeFileSync(huge, '');
  truncateSync(huge, 5_000_000); // sparse: no disk used
  cases.push([huge, /expected a file of at most 4 MB \(a scenario, YAML\), found 5 MB/]);
  const fifo = join(dir, 'fifo.yaml');
  if (spawnSync('mkfifo', [fifo]).status === 0)
    cases.push([fifo, /expected a regular file \(a scenario, YAML\), found a named pipe \(FIFO\), which may never end/]);
  for (const [file, words] of cases)
    assert.throws(
      () => loadScenario(file),
      (e: unknown) => e instanceof ScenarioError && words.test(e.message),
      file,
    );
});

test('the CLI says these in one line each and exits 2, fast, with a small heap', () => {
  const fifo = join(dir, 'cli-fifo.yaml');
  const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const bigPop = join(dir, 'pop.yaml');
  writeFileSync(bigPop, r3.replace('size: 290', 'size: 1000000000'));
  const runs: [string[], RegExp][] = [
    [['run', '/dev/zero', '--draws', '2', '--seed', '1', '--out', join(dir, 'o1')], /\/dev\/zero: expected a regular file/],
    [
      ['run', bigPop, '--draws', '2', '--seed', '1', '--out', join(dir, 'o2')],
      /population\.size: expected a draw that fits in memory .* would need about 880 GB/,
    ],
    [['simulate', bigPop, '--out', join(dir, 'o3.csv')], /would need about 880 GB/],
    ...(hasFifo ? ([[['simulate', fifo, '--out', join(dir, 'o4.csv')], /found a named pipe \(FIFO\)/]] as [string[], RegExp][]) : []),
  ];
  for (const [args, words] of runs) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', main, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, STAGGER_MAX_MEMORY: '8GB' },
    });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, words);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  }
});

test('simulate --truth with event_window [-1e9, 1e9] walks only the event times the panel has', () => {
  const file = join(dir, 'ew.yaml');
  writeFileSync(file, r3.replace('event_window: [-5, 6]', 'event_window: [-1000000000, 1000000000]'));
  execFileSync(
    process.execPath,
    ['--max-old-space-size=256', main, 'simulate', file, '--out', join(dir, 'ew.csv'), '--truth', join(dir, 'ew.json')],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const events = JSON.parse(readFileSync(join(dir, 'ew.json'), 'utf8')).population.byEvent.map((e: { event: number }) => e.event);
  assert.deepEqual([events[0], events[events.length - 1], events.length], [-22, 22, 45]); // ±(23 periods − 1)
});
