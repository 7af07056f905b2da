/** `stagger merge`: combine shard directories into the single run's result. Wiring and printing only. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { summaryTable } from '../diagnosis/summary.js';
import { mergeRuns } from '../engine/merge.js';
import { reportAfterRun } from '../report/report.js';
import { printReport } from './run.js';
import { writableDir } from './preflight.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  quiet: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: "Combine the outputs of `stagger run --shard i/N` into the single run's result",
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Shard output directories' })
      .option('out', { type: 'string', demandOption: true, describe: 'Directory for the merged result' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No summary table' })
      .example('$0 merge out/r1/shard-* --out out/r1', 'Merge the shards of a Slurm job array (any order)')
      .epilogue(
        'The shards must be complete runs of one scenario, seed and --draws that together cover every draw once; ' +
          'the merged draws, diagnosis.csv and diagnosis.json are byte for byte those of the unsharded run. An unfinished shard is named: finish it with --resume.',
      ) as Argv<MergeArgs>,
  handler: async (a: ArgumentsCamelCase<MergeArgs>) => {
    writableDir(`--out ${a.out}`, a.out);
    const res = mergeRuns(a.dirs, a.out);
    if (!a.quiet) {
      process.stdout.write(summaryTable(res.rows, res.meta.points));
      process.stdout.write(`\n${a.out}/: merged ${a.dirs.length} shards, ${res.record.draws} draws per design point\n`);
    }
    printReport(await reportAfterRun(a.out), a.quiet);
  },
};
