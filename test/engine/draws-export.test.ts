/** Stored draws read back: `stagger draws --csv`, `--recruitment`, and `stagger diagnose` without re-simulating. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { rediagnose } from '../../src/engine/draws-read.js';
import { diagnosisCsv } from '../../src/diagnosis/tidy.js';
import { CLI, FAKE_ARGS, fakeSpec, tempDir } from './helpers.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('stagger draws --csv: one row per draw × outcome × estimator × estimand, NA for not identified, settings as columns', async () => {
  const out = tempDir('export');
  await runEngine({ spec: fakeSpec(FAKE_ARGS), scenario: { path: null, sha256: 'fake' }, seed: '3', draws: 50, workers: 0, outDir: out });
  const r = cli('draws', out, '--csv');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(
    lines[0],
    'point,effects.size,sigma,draw,outcome,estimator,estimand,key,subgroup,estimate,se,truth,pop_truth,p,ci_low,ci_high,inference,reason',
  );
  // 3 points × 50 draws × 2 estimators × (simple + 3 event times)
  assert.equal(lines.length - 1, 3 * 50 * 2 * 4);
  const cols = lines.slice(1).map((l) => l.split(','));
  const missing = cols.filter((c) => c[9] === 'NA');
  assert.ok(missing.length > 0 && missing.every((c) => c[17] === 'no comparison units' && c[10] === 'NA' && c[14] === 'NA'));
  // Identified rows: Wald p and interval at α = 0.05 (p = 2Φ(−|est/se|), est ± 1.96·se).
  const row = cols.find((c) => c[9] !== 'NA')!;
  const [est, se] = [Number(row[9]), Number(row[10])];
  assert.equal(row[16], 'wald');
  assert.ok(Math.abs(Number(row[14]) - (est - 1.959963984540054 * se)) < 1e-9 * (1 + Math.abs(est)));
  // The overall estimate of point 2 (μ = 3) averages near 3 (σ = 2: SE of the mean 2/√100 = 0.2).
  const p2 = cols.filter((c) => c[0] === '2' && c[6] === 'simple').map((c) => Number(c[9]));
  assert.ok(Math.abs(p2.reduce((s, x) => s + x, 0) / p2.length - 3) < 0.6);
  assert.match(cli('draws', out).stdout, /150 draws stored \(0 with recruitment\), 4 estimands/);
  assert.match(cli('draws', out, '--recruitment').stderr, /hold no recruitment records/);
});

test("stagger diagnose recomputes the diagnosis from the draws: identical at the run's α, power moves with another α", async () => {
  const out = tempDir('rediag');
  await runEngine({ spec: fakeSpec(FAKE_ARGS), scenario: { path: null, sha256: 'fake' }, seed: '4', draws: 80, workers: 0, outDir: out });
  const same = rediagnose(out);
  assert.equal(diagnosisCsv(same.rows, same.meta.points), readFileSync(join(out, 'diagnosis.csv'), 'utf8'));
  const d10 = tempDir('rediag-10');
  const r = cli('diagnose', out, '--alpha', '0.1', '--out', d10, '--quiet');
  assert.equal(r.status, 0, r.stderr);
  // Rejection rates of point 0 (a null, μ = 0) over its 2 estimators × 4 estimands: about 0.05 → 0.10.
  const power = (file: string) => {
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^0,0,1,,\w+,\w+,\d*,,,power,/.test(l));
    assert.equal(rows.length, 8);
    return rows.reduce((s, l) => s + Number(l.split(',')[10]), 0) / rows.length;
  };
  const [p5, p10] = [power(join(out, 'diagnosis.csv')), power(join(d10, 'diagnosis.csv'))];
  assert.ok(p5 < 0.09 && p10 > 0.07 && p10 > p5, `null rejection ${p5} at α 0.05, ${p10} at α 0.1`);
  assert.match(cli('diagnose', out, '--out', out).stderr, /--out must differ from the run directory/);
});

test('stagger draws --csv into a pipe whose reader is slow: every row arrives, exit 0 (a full pipe is waited out)', async () => {
  // 1200 rows (~120 kB) against a 64 kB pipe whose reader sleeps first: writes meet a full,
  // non-blocking pipe (EAGAIN, partial writes), which used to end the export with an internal error.
  const out = tempDir('export-pipe');
  await runEngine({ spec: fakeSpec(FAKE_ARGS), scenario: { path: null, sha256: 'fake' }, seed: '3', draws: 50, workers: 0, outDir: out });
  const file = join(out, 'draws.csv');
  assert.equal(cli('draws', out, '--csv', '--out', file).status, 0);
  const piped = join(out, 'piped.csv');
  const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" draws "${out}" --csv | (sleep 1; cat > "${piped}")`], {
    encoding: 'utf8',
  });
  assert.equal(sh.status, 0, sh.stderr);
  assert.equal(sh.stderr, '');
  assert.equal(readFileSync(piped, 'utf8'), readFileSync(file, 'utf8'));
  assert.ok(readFileSync(file, 'utf8').length > 100_000, 'more than a pipe holds');
});
