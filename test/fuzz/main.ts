/**
 * `npm run fuzz -- --seed 1 --cases 2000 --minutes 5 [--only scenario,csv,fault] [--faults kill-run,…] [--case 17,42] [--out out/fuzz] [--run-share 0.03]`
 * Runs the fuzz suite, prints the counts and the distinct failures, writes summary.json and one file
 * per failing check under --out. Exits 1 when any check failed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { killAll, ROOT } from './child.js';
import { formatSummary } from './report.js';
import type { Fault } from './gen-fault.js';
import { runSuite, type Family } from './suite.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      cases: { type: 'string', default: '500' },
      minutes: { type: 'string', default: '5' },
      out: { type: 'string', default: path.join(ROOT, 'out', 'fuzz') },
      only: { type: 'string' },
      case: { type: 'string' },
      faults: { type: 'string' },
      'run-share': { type: 'string' },
      width: { type: 'string', default: '2' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      process.stderr.write(`fuzz: --${name}: expected a number ≥ 0, found '${v}'\n`);
      process.exit(2);
    }
    return n;
  };
  const families = values.only?.split(',') as Family[] | undefined;
  const only = values.case?.split(',').map((x) => num('case', x));
  const t0 = Date.now();
  let n = 0;
  const summary = await runSuite({
    seed: values.seed as string,
    cases: num('cases', values.cases),
    minutes: num('minutes', values.minutes),
    out: path.resolve(values.out as string),
    families,
    faults: values.faults?.split(',') as Fault[] | undefined,
    only,
    runShare: values['run-share'] === undefined ? undefined : num('run-share', values['run-share']),
    width: num('width', values.width),
    onCase: (checks) => {
      n++;
      if (!values.quiet && (n % 25 === 0 || checks.some((c) => c.verdict.cls !== 'ok' && c.verdict.cls !== 'clean-error'))) {
        const bad = checks
          .filter((c) => c.verdict.cls !== 'ok' && c.verdict.cls !== 'clean-error')
          .map((c) => `${c.id} ${c.verdict.signature}`);
        process.stderr.write(`[fuzz ${((Date.now() - t0) / 1000).toFixed(0)} s] ${n} cases${bad.length ? `; ${bad.join('; ')}` : ''}\n`);
      }
    },
  });
  const command = `npm run fuzz -- --seed ${values.seed} --cases ${values.cases} --minutes ${values.minutes}${values.only ? ` --only ${values.only}` : ''}${values.faults ? ` --faults ${values.faults}` : ''}${values['run-share'] ? ` --run-share ${values['run-share']}` : ''}`;
  const text = formatSummary(summary, command);
  process.stdout.write(`${text}\n`);
  writeFileSync(path.join(path.resolve(values.out as string), 'summary.txt'), `${text}\n`);
  writeFileSync(
    path.join(path.resolve(values.out as string), 'summary.json'),
    `${JSON.stringify({ command, cases: summary.cases, seconds: summary.seconds, byFamily: summary.byFamily, byKind: summary.byKind, failures: [...summary.failures].map(([signature, f]) => ({ signature, count: f.count, kind: f.check.kind, id: f.check.id, repro: f.check.repro })) }, null, 1)}\n`,
  );
  process.exitCode = summary.failures.size ? 1 : 0;
}

// node --test runs every file under dist/test/: do nothing there (NODE_TEST_CONTEXT is set in its children).
if (!process.env.NODE_TEST_CONTEXT) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  await main();
}
