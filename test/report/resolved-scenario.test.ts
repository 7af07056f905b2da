/**
 * A run with --set: run.json records the settings and the scenario file's own sha256, the resolved
 * scenario is kept beside the results, and the report describes "scenario X with --set a=b, c=d".
 * It says the file has changed since the run only when the file's own hash really differs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeReport } from '../../src/report/report.js';
import { RESOLVED_COPY } from '../../src/report/resolved-scenario.js';
import { CLI, tempDir } from '../engine/helpers.js';

const TEACH = new URL('../../../scenarios/teach-twfe-bias.yaml', import.meta.url).pathname;
const note = (html: string) =>
  html.match(/<p class="note">Read from ([^<]*)<\/p>/)?.[1] ?? html.match(/<div class="warn">([^<]*)<\/div>/)?.[1] ?? '';

test('a run with --set keeps its resolved scenario and its report says so, not "changed"', { timeout: 60_000 }, async () => {
  const dir = tempDir('resolved');
  const file = join(dir, 'teach.yaml');
  copyFileSync(TEACH, file);
  const out = join(dir, 'run');
  execFileSync(
    process.execPath,
    [
      CLI,
      'run',
      file,
      '--draws',
      '3',
      '--seed',
      '1',
      '--workers',
      '0',
      '--quiet',
      '--out',
      out,
      '--set',
      'effect.size=3',
      '--set',
      'outcome.noise_sd=0.6',
    ],
    { stdio: 'pipe' },
  );
  const rec = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(rec.scenario.set, ['effect.size=3', 'outcome.noise_sd=0.6']);
  assert.equal(rec.scenario.file_sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  const resolved = parse(readFileSync(join(out, RESOLVED_COPY), 'utf8'));
  assert.equal(resolved.effect.size, 3);
  assert.equal(resolved.outcome.noise_sd, 0.6);
  const html = () => readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(note(html()), /teach\.yaml with --set effect\.size=3, outcome\.noise_sd=0\.6/);
  assert.doesNotMatch(html(), /has changed since the run/);
  assert.match(html(), /The programme&#39;s effect reaches 3 units of y|The programme's effect reaches 3 units of y/);

  // Without the kept copy, the file (unchanged) and the settings rebuild it.
  rmSync(join(out, RESOLVED_COPY));
  const noCharts = { renderer: { error: "charts are not this test's subject" } };
  await writeReport(out, noCharts);
  assert.match(note(html()), /with --set effect\.size=3, outcome\.noise_sd=0\.6 \(the file is unchanged since the run/);

  // The file really changes: now, and only now, the report says so.
  rmSync(join(out, RESOLVED_COPY));
  appendFileSync(file, '# edited\n');
  await writeReport(out, noCharts);
  assert.match(html(), /has changed since the run/);
});
