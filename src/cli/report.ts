/** `stagger report`: rebuild a finished run's report from its files (no re-simulation). Wiring and printing only. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { writeReport } from '../report/report.js';
import { runDir } from './preflight.js';
import { writeFailure } from '../engine/store-errors.js';

interface ReportArgs {
  dir: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Write report.html (charts, tables, provenance) for a finished run from its files',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The --out directory of a stagger run, mde or merge' })
      .example('$0 report out/r1-isf-waitlist', 'Rebuild out/r1-isf-waitlist/report.html and charts/*.png') as Argv<ReportArgs>,
  handler: async (a: ArgumentsCamelCase<ReportArgs>) => {
    runDir(a.dir);
    const r = await writeReport(a.dir).catch((err: unknown) => {
      // A full disk or read-only directory: one line naming the file, exit 1 (engine/store-errors.ts).
      throw writeFailure(
        (err as { path?: string }).path ?? a.dir,
        err,
        'the run is untouched: make room (or fix the permissions) and run stagger report again',
      );
    });
    for (const p of r.problems) process.stderr.write(`stagger: charts: ${p}\n`);
    process.stdout.write(`${r.path}: report with ${r.charts} chart${r.charts === 1 ? '' : 's'}\n`);
  },
};
