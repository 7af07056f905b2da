/**
 * `stagger explore`: one self-contained HTML file (the scenario, its controls and both scripts inline,
 * nothing fetched), `--serve` serves that same page on 127.0.0.1, `--set` is applied before the page is
 * written, and what the page cannot run (a scenario that reads a panel file) is refused before anything
 * is written. The page itself is tested in Chromium (test/explore/browser.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const SCENARIOS = new URL('../../../scenarios/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'stagger-explore-'));
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** The JSON the page embeds (src/explore/page.ts). */
function configOf(html: string): {
  label: string;
  name: string;
  text: string;
  units: { effect: string };
  lesson: { title: string } | null;
} {
  const m = html.match(/<script id="stagger-config" type="application\/json">([\s\S]*?)<\/script>/);
  assert.ok(m, 'the page embeds its configuration');
  return JSON.parse(m[1]);
}

test('the page is one file: scenario, controls and scripts inline, nothing to fetch', () => {
  const out = join(dir, 't.html');
  const r = run(['explore', 'teach-twfe-bias', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /t\.html: the explorer of teach-twfe-bias\.yaml \(\d\.\d MB, self-contained\)/);
  const html = readFileSync(out, 'utf8');
  const cfg = configOf(html);
  assert.equal(cfg.name, 'teach_twfe_bias');
  assert.equal(cfg.text, readFileSync(join(SCENARIOS, 'teach-twfe-bias.yaml'), 'utf8'));
  assert.equal(cfg.units.effect, 'units of y');
  assert.ok(cfg.lesson, 'a teaching scenario opens with its lesson');
  // Nothing the browser would fetch: no src= or href= attributes, a policy that allows no network.
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]*\s(src|href)=/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 4, 'config, worker text, worker start, page script: no script ends early');
});

test('--set is applied to the scenario the page explores', () => {
  const out = join(dir, 's.html');
  const r = run(['explore', join(SCENARIOS, 'teach-twfe-bias.yaml'), '--set', 'effect.size=1.5', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(configOf(readFileSync(out, 'utf8')).text, /^ {2}size: 1\.5$/m);
  const bad = run(['explore', 'teach-twfe-bias', '--set', 'effect.size=-x', '--out', join(dir, 'bad.html')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /effect\.size/);
  assert.equal(existsSync(join(dir, 'bad.html')), false);
});

test('a scenario that resamples a panel file is refused, nothing written', () => {
  const out = join(dir, 'p.html');
  const r = run(['explore', 'example-from-panel', '--out', out]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /population\.from_panel: the explorer runs in the browser, which cannot read the panel file/);
  assert.equal(existsSync(out), false);
});

test('--serve serves the same page on 127.0.0.1 (port 0: any free port) and stops on SIGTERM', async () => {
  const out = join(dir, 'served.html');
  const p = spawn(process.execPath, [CLI, 'explore', 'teach-pretest', '--out', out, '--serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    p.stdout.on('data', (b) => {
      stdout += b;
      const m = stdout.match(/serving the explorer on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve(m[1]);
    });
    p.on('close', (code) => reject(new Error(`exited ${code} before serving: ${stdout}`)));
  });
  const fetch = (u: string) =>
    new Promise<{ status: number; body: string; type: string }>((resolve, reject) =>
      get(u, (res) => {
        let body = '';
        res.on('data', (b) => (body += b));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      }).on('error', reject),
    );
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);
  assert.equal(page.body, readFileSync(out, 'utf8'));
  assert.equal((await fetch(`${url}other`)).status, 404);
  const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
  p.kill('SIGTERM');
  assert.equal(await closed, 0);
});

test('a port in use is said with the flag, not a stack trace', async () => {
  const first = spawn(process.execPath, [CLI, 'explore', 'teach-pretest', '--out', join(dir, 'a.html'), '--serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<string>((resolve) => {
    let s = '';
    first.stdout.on('data', (b) => {
      s += b;
      const m = s.match(/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(m[1]);
    });
  });
  const r = run(['explore', 'teach-pretest', '--out', join(dir, 'b.html'), '--serve', '--port', port]);
  first.kill('SIGTERM');
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^stagger: --port ${port}: cannot serve on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\); choose another --port, or 0 for any free one\\n$`,
    ),
  );
  const bad = run(['explore', 'teach-pretest', '--serve', '--port', '70000']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--port.*a port number from 0 to 65535/);
});
