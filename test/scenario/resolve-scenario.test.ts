// Scenario names → files (src/scenario/resolve-scenario.ts), from a directory that is not the checkout:
// a bundled name in any of its spellings is the package's file, a path that exists wins over a name,
// an unknown name is a ScenarioError naming the nearest bundled scenarios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledScenarios, nearestBundled, resolveScenarioFile } from '../../src/scenario/resolve-scenario.js';
import { loadScenario, ScenarioError } from '../../src/scenario/index.js';

const shipped = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const away = mkdtempSync(join(tmpdir(), 'stagger-resolve-'));
process.chdir(away); // nothing named like a bundled scenario here, unless a test writes it

test('bundledScenarios lists every .yaml of scenarios/ by its name', () => {
  const files = readdirSync(shipped)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  assert.ok(files.length >= 9, `only ${files.length} bundled files`);
  assert.deepEqual(
    bundledScenarios().map((b) => `${b.name}.yaml`),
    files,
  );
  for (const b of bundledScenarios()) assert.equal(b.file, join(shipped, `${b.name}.yaml`));
});

test('a bundled name, with or without .yaml or scenarios/, is the shipped file', () => {
  const want = join(shipped, 'teach-twfe-bias.yaml');
  for (const given of ['teach-twfe-bias', 'teach-twfe-bias.yaml', 'scenarios/teach-twfe-bias.yaml', './scenarios/teach-twfe-bias']) {
    assert.equal(resolveScenarioFile(given), want, given);
  }
});

test('a bundled scenario that names a data file loads by name from elsewhere', () => {
  const s = loadScenario(resolveScenarioFile('example-from-panel'));
  assert.equal(s.name, 'example_from_panel');
});

test('a path that exists wins over a bundled name', () => {
  const own = join(away, 'own');
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, 'r1-isf-waitlist.yaml'), 'name: mine\n');
  process.chdir(own);
  try {
    assert.equal(resolveScenarioFile('r1-isf-waitlist.yaml'), 'r1-isf-waitlist.yaml');
    assert.equal(resolveScenarioFile('r1-isf-waitlist'), join(shipped, 'r1-isf-waitlist.yaml')); // no such file here
  } finally {
    process.chdir(away);
  }
});

test('an unknown name is a ScenarioError with the nearest bundled names', () => {
  assert.deepEqual(nearestBundled('teach-twfe-bais'), ['teach-twfe-bias', 'teach-efficient', 'teach-pretest']);
  assert.throws(
    () => resolveScenarioFile('teach-twfe-bais'),
    (e: unknown) =>
      e instanceof ScenarioError &&
      e.file === 'teach-twfe-bais' &&
      e.message.includes("did you mean 'teach-twfe-bias'?") &&
      e.message.includes('nearest bundled: teach-twfe-bias, teach-efficient, teach-pretest'),
  );
});

test('a missing path in a folder of its own is a ScenarioError without name hints', () => {
  assert.throws(
    () => resolveScenarioFile('nowhere/r1-isf-waitlist.yaml'),
    (e: unknown) =>
      e instanceof ScenarioError &&
      /expected a readable scenario file, found no such file/.test(e.message) &&
      !e.message.includes('did you mean'),
  );
  assert.throws(
    () => resolveScenarioFile(join(away, 'r1-isf-waitlist.yaml')),
    (e: unknown) => e instanceof ScenarioError && !e.message.includes('did you mean'),
  );
});
