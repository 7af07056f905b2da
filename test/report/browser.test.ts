/**
 * The report of a small real run (R1, stagger mde over the effect size, 4 draws) opened in a real
 * headless browser (Debian's chromium through playwright-core): every chart loads, every table has
 * rows, the console has no errors, nothing is fetched from the network. Saves a screenshot under out/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI } from '../engine/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const OUT = join(ROOT, 'out', 'test-report-browser');

test('the report of a real run renders in headless chromium: charts load, tables have rows, no console errors', {
  timeout: 120_000,
}, async (_t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is not installed (bash scripts/setup.sh installs Debian's chromium)`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const stdout = execFileSync(
    process.execPath,
    [
      CLI,
      'mde',
      join(ROOT, 'scenarios/r1-isf-waitlist.yaml'),
      '--over',
      'effect.target.value',
      '--values',
      '0,1500',
      '--draws',
      '4',
      '--seed',
      '1',
      '--workers',
      '0',
      '--replicates',
      '50',
      '--out',
      OUT,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.match(stdout, /report\.html: report with \d+ charts/, 'stagger mde ends by writing the report');

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const fetched: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) fetched.push(r.url());
    });
    await page.goto(pathToFileURL(join(OUT, 'report.html')).href, { waitUntil: 'load' });

    const imgs = await page.$$eval('img', (els) =>
      els.map((e) => ({ alt: e.getAttribute('alt'), w: (e as HTMLImageElement).naturalWidth, done: (e as HTMLImageElement).complete })),
    );
    // Per outcome (R1 has 3): power curve, bias, coverage; an event study and a sampling distribution per
    // design point (2); once: accrual, flows, start groups.
    assert.equal(imgs.length, 3 * (3 + 2 * 2) + 3, `charts: ${imgs.map((i) => i.alt).join('; ')}`);
    for (const i of imgs) assert.ok(i.done && i.w > 0, `chart "${i.alt}" did not load`);

    const tables = await page.$$eval('table', (els) => els.map((e) => ({ id: e.id, rows: e.querySelectorAll('tbody tr').length })));
    const perOutcome = ['earnings', 'social_assistance', 'sickness_days'].flatMap((o) =>
      ['overall', 'population', 'subgroups', 'groups', 'events'].map((t) => `table-${o}-${t}`),
    );
    for (const id of ['table-mde', 'table-grid', ...perOutcome, 'table-familywise', 'table-provenance']) {
      assert.ok(
        tables.some((x) => x.id === id),
        `${id} missing (have ${tables.map((x) => x.id).join(', ')})`,
      );
    }
    for (const x of tables) assert.ok(x.rows > 0, `${x.id} has no rows`);
    const sections = await page.$$eval('section', (els) => els.map((e) => e.id));
    assert.deepEqual(sections, [
      'summary',
      'scenario',
      'grid',
      'power',
      'accuracy',
      'event',
      'sampling',
      'recruitment',
      'tables',
      'provenance',
    ]);

    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(fetched, [], 'network requests');
    await page.screenshot({ path: join(ROOT, 'out', 'report-screenshot.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
