// `import { … } from 'stagger'` from a directory outside the checkout, the package linked into its
// node_modules as `npm link stagger` does: package.json `exports` resolves the curated API
// (src/index.ts), internals stay unexported, and the declarations type-check a consumer. The numbers
// are checked against the command line's on the same seed: one draw of teach-twfe-bias estimated by
// the API equals `stagger simulate` + `stagger estimate` (the CSV keeps shortest round-trip numbers,
// so the two agree to the last bit), and runEngine's 5 draws give `stagger run`'s diagnosis.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const app = mkdtempSync(join(tmpdir(), 'stagger-api-'));
mkdirSync(join(app, 'node_modules'));
symlinkSync(root, join(app, 'node_modules', 'stagger'), 'dir');
after(() => rmSync(app, { recursive: true, force: true }));
const stagger = (...args: string[]) => execFileSync(process.execPath, [main, ...args], { cwd: app, encoding: 'utf8' });

const probe = `
import * as api from 'stagger';
const { resolveScenarioFile, loadScenario, expandGrid, generateDraw, buildEstimator, seeded, runEngine, scenarioSpec, diagnosisRow } = api;
const file = resolveScenarioFile('teach-twfe-bias');
const [point] = expandGrid(loadScenario(file));
const draw = generateDraw(point, 1, 0);
const est = buildEstimator('did', { method: 'reg', control: 'notyet' }).estimate(draw.panel, seeded('estimate\\u00001'));
const run = await runEngine({ ...scenarioSpec(file), seed: '1', draws: 5, workers: 0, outDir: 'api-run' });
const mean = diagnosisRow(run.rows, { estimator: 'cs', estimand: 'simple', diagnosand: 'mean_estimate' }).value;
let deep = 'imported';
try { await import('stagger/dist/src/engine/run.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ att: est.aggregates.simple.att, se: est.aggregates.simple.se, truth: draw.truth.estimate.aggregates.simple.att, units: draw.panel.nUnits, mean, deep, names: Object.keys(api) }));
`;

test('the API by package name gives the CLI numbers; internals are not exported', () => {
  writeFileSync(join(app, 'probe.mjs'), probe);
  const got = JSON.parse(execFileSync(process.execPath, ['probe.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.equal(got.units, 300); // teach-twfe-bias: population.size 300
  assert.equal(got.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  for (const n of ['loadScenario', 'generateDraw', 'buildEstimator', 'runEngine', 'Diagnosis', 'calibrateTarget', 'fitWorld'])
    assert.ok(got.names.includes(n), n);

  // The same draw through the command line, by the bundled scenario's name, from outside the checkout.
  const said = stagger('simulate', 'teach-twfe-bias', '--seed', '1', '--out', 'panel.csv');
  assert.match(said, new RegExp(`true simple ATT \\(sample\\) ${got.truth.toFixed(4)}`));
  const cli = JSON.parse(stagger('estimate', '--data', 'panel.csv', '--method', 'reg', '--control', 'notyet', '--json'));
  assert.equal(got.att, cli.aggregates.simple.att);
  assert.equal(got.se, cli.aggregates.simple.se);

  stagger('run', 'teach-twfe-bias', '--draws', '5', '--seed', '1', '--workers', '0', '--out', 'cli-run', '--quiet');
  const csv = readFileSync(join(app, 'cli-run', 'diagnosis.csv'), 'utf8');
  const line = csv.split('\n').find((l) => l.startsWith('0,y,cs,simple,,,,mean_estimate,'));
  assert.ok(line, 'no cs simple mean_estimate row in diagnosis.csv');
  assert.equal(Number(line.split(',')[8]), got.mean);
  assert.equal(readFileSync(join(app, 'api-run', 'diagnosis.csv'), 'utf8'), csv);
});

test("the declarations type-check a TypeScript consumer of 'stagger'", () => {
  writeFileSync(
    join(app, 'consumer.ts'),
    `import { buildEstimator, expandGrid, generateDraw, loadScenario, resolveScenarioFile, seeded, type Estimate } from 'stagger';
const [p] = expandGrid(loadScenario(resolveScenarioFile('teach-twfe-bias')));
const e: Estimate = buildEstimator('twfe').estimate(generateDraw(p, 1, 0).panel, seeded('x'));
const att: number | null | undefined = e.aggregates.simple?.att;
// @ts-expect-error: an internal module is not part of the API
import('stagger/dist/src/engine/run.js');
export { att };
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        typeRoots: [join(root, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc on a consumer of 'stagger' failed:\n${(e as { stdout?: string }).stdout}${(e as { stderr?: string }).stderr}`);
  }
});
