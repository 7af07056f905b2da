/**
 * The HTML report from a small run of the engine's fake simulation (known sampling distribution):
 * every section and table is there, charts are inline PNGs, text from files is escaped, and a chart
 * that cannot be drawn is reported in its place without failing the report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine/run.js';
import { moduleSpec } from '../../src/engine/spec.js';
import type { ChartSpec } from '../../src/report/chart-style.js';
import { loadRenderer } from '../../src/report/render.js';
import { reportAfterRun, writeReport } from '../../src/report/report.js';
import { CLI, FAKE_ARGS, FAKE_MODULE, tempDir } from '../engine/helpers.js';

const SCENARIO = `name: evil
title: "<script>alert('title')</script> & co"
description: A scenario whose text tries to inject <img src=x onerror=alert(1)>.
periods: { first: 1, count: 24, unit: month, calendar_start: "2020-01" }
population:
  covariates:
    woman: { type: binary, p: 0.5 }
  subgroups:
    women: { woman: 1 }
outcome: { type: earnings, name: earnings, mean: 2000, share_any: 0.3 }
effect: { size: [0, 1.5, 3], onset: 2 }
design:
  type: waitlist
  recruitment: { from: 3, to: 12, referrals: 40, consent: 0.65, exclusion: 0.03, target: 300 }
  treatment_share: 0.6
  min_wait: 6
  start_groups: { count: 4 }
analysis:
  alpha: 0.05
  estimators: [{ name: a, type: did, method: dr, control: notyet }]
  estimands: [simple, dynamic]
`;

let dirPromise: Promise<string> | null = null;
/** One small fake run shared by the tests of this file: 3 design points, 2 estimators, 40 draws. */
function fakeRun(): Promise<string> {
  dirPromise ??= (async () => {
    const dir = tempDir('report');
    const { spec, scenario } = moduleSpec(FAKE_MODULE, FAKE_ARGS);
    await runEngine({ spec, scenario, seed: '3', draws: 40, workers: 0, outDir: dir });
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
    return dir;
  })();
  return dirPromise;
}

const tables = (html: string) =>
  [...html.matchAll(/<table id="table-([^"]+)"[^>]*>([\s\S]*?)<\/table>/g)].map((m) => ({
    id: m[1],
    rows: (m[2].match(/<tr>/g) ?? []).length - 1,
  }));

test('the report has every section, every table has rows, charts are inline PNGs, nothing loads from the network', async (_t) => {
  const dir = await fakeRun();
  const r = await writeReport(dir);
  const html = readFileSync(r.path, 'utf8');
  for (const id of ['summary', 'scenario', 'grid', 'tables', 'provenance'])
    assert.match(html, new RegExp(`<section id="${id}">`), `section ${id}`);
  const ids = tables(html).map((x) => x.id);
  for (const id of ['grid', 'overall', 'population', 'events', 'reasons', 'provenance'])
    assert.ok(ids.includes(id), `table ${id} (have ${ids.join(', ')})`);
  for (const x of tables(html)) assert.ok(x.rows > 0, `table ${x.id} has no rows`);
  // 3 design points × 2 estimators in the overall table; figures with their MC SE.
  assert.equal(tables(html).find((x) => x.id === 'overall')!.rows, 6);
  assert.match(html, /\d ± \d/);
  for (const [k, v] of [
    ['seed', '3'],
    ['draws per design point', '40'],
  ])
    assert.match(html, new RegExp(`<td class="text">${k}</td><td class="text">${v}`));
  assert.match(html, /scenario sha256<\/td><td class="text">[0-9a-f]{64}/);
  assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(http/i);
  assert.deepEqual(r.problems, [], 'charts must be drawn here (bash scripts/setup.sh builds canvas)');
  for (const id of ['power', 'accuracy', 'event', 'sampling']) assert.match(html, new RegExp(`<section id="${id}">`), `section ${id}`);
  const imgs = html.match(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g) ?? [];
  // Power curve along the numeric axis, bias, coverage, and an event study + a sampling distribution per point.
  assert.equal(imgs.length, 3 + 2 * 3);
  assert.ok(existsSync(join(dir, 'charts', 'power-curve.png')));
});

test('text from the scenario file is escaped', async () => {
  const dir = await fakeRun();
  const html = readFileSync((await writeReport(dir, { renderer: { error: 'not needed here' } })).path, 'utf8');
  assert.doesNotMatch(html, /<script>alert|<img src=x/);
  assert.match(html, /&lt;script&gt;alert\(&#39;title&#39;\)&lt;\/script&gt; &amp; co/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  // The scenario in words, from the file.
  assert.match(html, /consent/);
  assert.match(html, /one of 0, 1.5, 3 \(a grid axis\)/);
  assert.match(html, /2020-03/); // recruitment from period 3 = March 2020
});

test('without a chart renderer the report still has its tables and says why', async () => {
  const dir = await fakeRun();
  const r = await writeReport(dir, { renderer: { error: 'canvas could not be loaded (test)' } });
  const html = readFileSync(r.path, 'utf8');
  assert.equal(r.charts, 0);
  assert.deepEqual(r.problems, ['canvas could not be loaded (test)']);
  assert.match(html, /id="charts-missing"[\s\S]*canvas could not be loaded \(test\)/);
  assert.ok(tables(html).find((x) => x.id === 'overall')!.rows > 0);
});

test('a chart that fails to draw is replaced by its reason; the others are drawn', async (_t) => {
  const real = await loadRenderer();
  assert.ok(!('error' in real), `charts cannot be drawn here: ${'error' in real ? real.error : ''}`);
  if ('error' in real) return;
  const dir = await fakeRun();
  const renderer = {
    render: (s: ChartSpec) => {
      const title = String((s.options as { plugins: { title: { text: string } } }).plugins.title.text);
      return title.startsWith('Bias') ? Promise.reject(new Error('out of paint')) : real.render(s);
    },
  };
  const r = await writeReport(dir, { renderer });
  const html = readFileSync(r.path, 'utf8');
  assert.deepEqual(r.problems, ['Bias: the chart could not be drawn: out of paint']);
  assert.match(html, /data-chart-missing="bias"[\s\S]*out of paint/);
  assert.equal(r.charts, 8);
});

test('after a run, a report that cannot be written is a message, never an error', async () => {
  const lines = await reportAfterRun(tempDir('not-a-run'));
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^stagger: the report was not written \(.*run\.json is missing.*\); the run's results are complete/);
});

test('stagger report DIR rebuilds the report from the files', async () => {
  const dir = await fakeRun();
  const out = execFileSync(process.execPath, [CLI, 'report', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /report\.html: report with \d+ charts?/);
  assert.ok(existsSync(join(dir, 'report.html')));
});
