/**
 * The explorer page in Debian's chromium, headless and offline, for the browser test and the bench:
 * one browser, every request other than file:, blob: and data: aborted and recorded, every console
 * error or warning and uncaught page error recorded. Never a downloaded browser: a missing
 * /usr/bin/chromium is an error saying how to install it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli/main.js');
export const CHROMIUM = '/usr/bin/chromium';

export interface OfflineBrowser {
  browser: Browser;
  context: BrowserContext;
  /** URLs of requests that were aborted (anything but file:, blob:, data:). */
  blocked: string[];
  /** Console errors and warnings, uncaught errors, crashes: each a line saying where. */
  problems: string[];
  close(): Promise<void>;
}

export async function launchOffline(): Promise<OfflineBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the browser test uses Debian's chromium; install it with \`apt-get install chromium\` (scripts/setup.sh does)`,
    );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const blocked: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|blob|data):/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  // Console messages of the page and of its Web Workers both arrive here.
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}${m.worker() ? ' (worker)' : ''}: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`uncaught: ${e.error().message}`));
  context.on('page', (p) => p.on('crash', () => problems.push('the page crashed')));
  return { browser, context, blocked, problems, close: () => browser.close() };
}

/** `stagger explore SCENARIO --out FILE` (the built CLI); returns the file. */
export function writeExplorer(scenario: string, file: string): string {
  execFileSync(process.execPath, [CLI, 'explore', scenario, '--out', file], { cwd: ROOT, encoding: 'utf8' });
  return file;
}

/** A new page of the context at FILE#HASH (a new page each time: a hash-only goto would not reload). */
export async function openPage(b: OfflineBrowser, file: string, hash = ''): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(`${pathToFileURL(file).href}${hash ? `#${hash}` : ''}`);
  return page;
}

export type Figures = Record<string, number | null>;

/** data-value of each estimator's figure KEY (power, bias, rmse, coverage, draws); null when undefined (''). */
export async function readFigures(page: Page, key: string): Promise<Figures> {
  const pairs = await page.$$eval(`td[data-testid="${key}"][data-estimator]`, (els) =>
    els.map((e) => [(e as HTMLElement).dataset.estimator ?? '', (e as HTMLElement).dataset.value ?? ''] as const),
  );
  return Object.fromEntries(pairs.map(([k, v]) => [k, v === '' ? null : Number(v)]));
}

/** Waits for body[data-state] = done (error fails with the page's messages). */
export async function waitDone(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', null, {
    timeout,
  });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'done') throw new Error(`the page's run ended in ${state}: ${await page.locator('[data-testid=messages]').textContent()}`);
}

/** Waits for the first figures: a power cell and body[data-first-figures-ms]; returns that time (ms since navigation). */
export async function waitFirstFigures(page: Page, timeout = 30_000): Promise<number> {
  await page.waitForFunction(
    () => document.body.dataset.firstFiguresMs !== undefined && document.querySelector('td[data-testid=power]'),
    null,
    {
      timeout,
    },
  );
  return Number(await page.evaluate(() => document.body.dataset.firstFiguresMs));
}

/** Moves the slider of PATH to VALUE as a user does (input, then change): the run restarts. Returns the
 * value the slider took (the browser snaps it to the slider's step and range). */
export async function moveSlider(page: Page, path: string, value: number): Promise<number> {
  const taken = await page.locator(`input[type=range][data-path="${path}"]`).evaluate((e, v) => {
    const input = e as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return input.value;
  }, value);
  return Number(taken);
}

/** The slider of PATH: its value and range, as the page shows them. */
export async function slider(page: Page, path: string): Promise<{ value: number; min: number; max: number; step: number }> {
  return page.locator(`input[type=range][data-path="${path}"]`).evaluate((e) => {
    const i = e as HTMLInputElement;
    return { value: Number(i.value), min: Number(i.min), max: Number(i.max), step: Number(i.step) };
  });
}

/** The value nearest X that a slider can take (its step grid from min, within its range). */
export function snap(x: number, s: { min: number; max: number; step: number }): number {
  const v = s.min + Math.round((x - s.min) / s.step) * s.step;
  return Math.min(s.max, Math.max(s.min, Number(v.toPrecision(12))));
}
