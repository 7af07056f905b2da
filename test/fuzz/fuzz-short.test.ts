/**
 * The short fuzz suite inside `npm test`: a fixed seed, a few dozen mutated scenarios and malformed
 * panels and one SIGKILL-and-resume, in child processes (about 30–60 s on two cores). It asserts no
 * failure beyond the known-open list (known-open.json, signatures from the oracle), and that every
 * listed signature still fails, so the list cannot outlive its fixes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './child.js';
import { reproFlags, runSuite, type Check, type SuiteOptions } from './suite.js';

const SEED = 'short-1';
/** Input cases (scenarios and panels, ~1–2 s each on two cores) besides the one kill-and-resume. */
const CASES = 18;
const known: string[] = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fuzz', 'known-open.json'), 'utf8')).open.map(
  (e: { signature: string }) => e.signature,
);

test(`short fuzz (seed ${SEED}): no failure beyond test/fuzz/known-open.json, and every entry there still fails`, {
  timeout: 240_000,
}, async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'stagger-fuzz-short-'));
  try {
    const inputOptions: SuiteOptions = { seed: SEED, cases: CASES, minutes: Infinity, out, families: ['scenario', 'csv'], runShare: 0.1 };
    const faultOptions: SuiteOptions = {
      seed: SEED,
      cases: 1,
      minutes: Infinity,
      out: path.join(out, 'faults'),
      families: ['fault'],
      faults: ['kill-run'],
    };
    const inputs = await runSuite(inputOptions);
    const faults = await runSuite(faultOptions);
    const checks: Check[] = [...inputs.checks, ...faults.checks];
    assert.ok(inputs.cases === CASES && faults.cases === 1, 'every case ran');
    const flags = (c: Check) => reproFlags(c.family === 'fault' ? faultOptions : inputOptions);
    const failing = new Map<string, Check>();
    for (const c of checks) if (c.verdict.cls !== 'ok' && c.verdict.cls !== 'clean-error') failing.set(c.verdict.signature, c);
    const unexpected = [...failing]
      .filter(([sig]) => !known.includes(sig))
      .map(([sig, c]) => `${sig}\n    npm run fuzz -- --seed ${SEED} --case ${c.index}${flags(c)}  (${c.kind})\n    ${c.repro}`);
    const fixed = known.filter((sig) => !failing.has(sig));
    assert.deepEqual(unexpected, [], `new fuzz failures (fix them, or list a signature in test/fuzz/known-open.json with its owner)`);
    assert.deepEqual(fixed, [], 'these known-open failures no longer occur: remove them from test/fuzz/known-open.json');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
