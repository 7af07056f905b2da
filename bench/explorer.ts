/**
 * The live explorer's speed in headless chromium (issue 13), against the targets on this 2-core machine:
 *  - first figures of teach-twfe-bias: body[data-first-figures-ms] (ms from navigation start to the
 *    first draw shown), median of REPS page loads (target < 1 s); with DOMContentLoaded beside it, to
 *    say how much is the page's own loading;
 *  - its 200 draws: body[data-run-ms] (the run's start to the last draw), median of the same loads (target < 5 s);
 *  - a slider moved once the page is warm (what a teacher sees): the change to the first figures of the new run;
 *  - R1 (r1-isf-waitlist, one design point) at DRAWS draws: the page's draws/s (draws / run-ms) against
 *    `stagger run` on the scenario the page downloads (the same settings, seed and draws) with 2 workers,
 *    in a fresh process as a user runs it (run.json's timings.draws_per_second), alternating REPS times
 *    so that the shared machine's drift falls on both (target: page ≥ 0.60 × CLI).
 * Network blocked (file:, blob:, data: only), Debian's /usr/bin/chromium (an error when missing).
 * Run: npm run bench -- explorer [draws=100 reps=3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  CLI,
  launchOffline,
  type OfflineBrowser,
  openPage,
  ROOT,
  waitDone,
  waitFirstFigures,
  writeExplorer,
} from '../test/helpers/headless-page.js';

/** The targets. */
export const TARGETS = { firstFiguresMs: 1000, teach200Ms: 5000, pageOverCli: 0.6 } as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');

interface Load {
  firstMs: number;
  domMs: number;
  runMs: number;
  draws: number;
  /** effect.size moved after the run: ms from the change to the new run's first figures. */
  moveMs: number;
}

async function load(b: OfflineBrowser, file: string, hash: string): Promise<{ page: Page; load: Load }> {
  const page = await openPage(b, file, hash);
  const firstMs = await waitFirstFigures(page, 60_000);
  await waitDone(page, 600_000);
  const r = await page.evaluate(() => ({
    runMs: Number(document.body.dataset.runMs),
    draws: Number(document.querySelector<HTMLElement>('[data-testid=draws-total]')?.dataset.value),
    domMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  }));
  const moveMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const input = document.querySelector<HTMLInputElement>('input[type=range][data-path="effect.size"]');
        if (!input) return resolve(Number.NaN);
        const t0 = performance.now();
        input.value = input.max;
        input.dispatchEvent(new Event('change'));
        const poll = () => {
          const at = Number(document.body.dataset.firstFiguresMs);
          if (at > t0) resolve(at - t0);
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
  );
  return { page, load: { firstMs, ...r, moveMs } };
}

/** `stagger run FILE --workers 2` in a fresh process: its draws/s from run.json. */
function cliRate(file: string, workers: number, dir: string): number {
  const out = mkdtempSync(join(dir, 'cli-'));
  execFileSync(process.execPath, [CLI, 'run', file, '--out', out, '--quiet', '--workers', String(workers)], { cwd: ROOT });
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { draws: number; timings: { draws_per_second: number } };
  rmSync(out, { recursive: true, force: true });
  return run.timings.draws_per_second;
}

export async function benchExplorer(opts: Record<string, string> = {}): Promise<void> {
  const draws = Number(opts.draws ?? 100);
  const reps = Number(opts.reps ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'bench-explorer-'));
  const b = await launchOffline();
  try {
    console.log(
      `Explorer (issue 13), headless chromium ${b.browser.version()}, ${availableParallelism()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}:`,
    );
    const teach = writeExplorer('scenarios/teach-twfe-bias.yaml', join(dir, 'teach.html'));
    const loads: Load[] = [];
    for (let i = 0; i < reps; i++) {
      const r = await load(b, teach, '');
      loads.push(r.load);
      await r.page.close();
    }
    const first = median(loads.map((l) => l.firstMs));
    const run200 = median(loads.map((l) => l.runMs));
    const list = (k: keyof Load) => loads.map((l) => Math.round(l[k])).join(', ');
    console.log(
      `  teach-twfe-bias first figures: ${first} ms median of ${reps} loads (${list('firstMs')}; DOMContentLoaded ${list('domMs')} ms)  target < ${TARGETS.firstFiguresMs} ms: ${ok(first < TARGETS.firstFiguresMs)}`,
    );
    console.log(
      `  teach-twfe-bias ${loads[0].draws} draws: ${run200} ms median (${list('runMs')})  target < ${TARGETS.teach200Ms} ms: ${ok(run200 < TARGETS.teach200Ms)}`,
    );

    const moves = loads.map((l) => l.moveMs).filter(Number.isFinite);
    if (moves.length)
      console.log(
        `  teach-twfe-bias slider moved (warm page) to first figures: ${Math.round(median(moves))} ms median (${list('moveMs')})`,
      );

    const r1 = writeExplorer('scenarios/r1-isf-waitlist.yaml', join(dir, 'r1.html'));
    const page: number[] = [];
    const cli: number[] = [];
    let yaml = '';
    for (let i = 0; i < reps; i++) {
      const r = await load(b, r1, `draws=${draws}`);
      page.push(r.load.draws / (r.load.runMs / 1000));
      if (!yaml) {
        const [download] = await Promise.all([r.page.waitForEvent('download'), r.page.locator('[data-testid=download]').click()]);
        yaml = join(dir, 'r1-explored.yaml');
        await download.saveAs(yaml);
      }
      await r.page.close();
      cli.push(cliRate(yaml, 2, dir));
    }
    const p = median(page);
    const c = median(cli);
    const f = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
    console.log(`  R1, ${draws} draws, seed and settings of the page's downloaded scenario:`);
    console.log('    where                      draws/s (median)  runs');
    console.log(`    page (${availableParallelism()} Web Workers)       ${p.toFixed(1).padStart(8)}          ${f(page)}`);
    console.log(`    stagger run --workers 2    ${c.toFixed(1).padStart(8)}          ${f(cli)}`);
    console.log(`    page / CLI = ${(p / c).toFixed(2)}  target ≥ ${TARGETS.pageOverCli}: ${ok(p / c >= TARGETS.pageOverCli)}`);
    if (b.blocked.length) console.log(`  NOTE: the page asked for the network: ${b.blocked.join(', ')}`);
    if (b.problems.length) console.log(`  NOTE: console problems: ${b.problems.join(' | ')}`);
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
