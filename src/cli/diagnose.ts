/** `stagger diagnose`: the diagnosis again from a run's stored draws (e.g. at another α), no re-simulation. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { summaryTable } from '../diagnosis/summary.js';
import { rediagnose } from '../engine/draws-read.js';
import { writeDiagnosis } from '../engine/outputs.js';
import { resolve } from 'node:path';
import { LEVEL, numberOption } from './options.js';
import { runDir, writableDir } from './preflight.js';
import { makeDir } from '../engine/store-errors.js';

interface DiagnoseArgs {
  dir: string;
  alpha?: number;
  out: string;
  quiet: boolean;
}

export const diagnoseCommand: CommandModule<object, DiagnoseArgs> = {
  command: 'diagnose <dir>',
  describe: 'Recompute diagnosis.csv/json from the stored draws of a run (e.g. at another --alpha), without re-simulating',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The --out directory of stagger run, mde or merge' })
      .option(
        'alpha',
        numberOption('alpha', LEVEL, { describe: "Test level for power, coverage, type S and exaggeration (default: the run's)" }),
      )
      .option('out', { type: 'string', demandOption: true, describe: 'Directory for the new diagnosis.csv and diagnosis.json' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No summary table' })
      .example(
        '$0 diagnose out/r1-isf-waitlist --alpha 0.1 --out out/r1-alpha10',
        'Power and coverage at α = 0.10 from the same draws',
      ) as Argv<DiagnoseArgs>,
  handler: (a: ArgumentsCamelCase<DiagnoseArgs>) => {
    runDir(a.dir);
    writableDir(`--out ${a.out}`, a.out);
    if (resolve(a.out) === resolve(a.dir))
      throw new Error('--out must differ from the run directory (its diagnosis stays as the run wrote it)');
    const { meta, rows, draws } = rediagnose(a.dir, a.alpha);
    const hint = 'the run is untouched: make room (or choose another --out) and diagnose again';
    makeDir(a.out, hint);
    writeDiagnosis(a.out, meta, rows, draws, hint);
    if (!a.quiet) process.stdout.write(summaryTable(rows, meta.points));
    process.stdout.write(`${a.out}/: diagnosis.csv, diagnosis.json (α ${meta.alpha}, ${draws} draws from ${a.dir})\n`);
  },
};
