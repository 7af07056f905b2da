/** `stagger draws`: a run's stored draws as tidy CSV, to recompute any diagnosand without re-simulating. */
import { closeSync, openSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { eachDraw, writeDrawsCsv, writeRecruitmentCsv } from '../engine/draws-read.js';
import { UsageError } from './errors.js';
import { runDir, writableFile } from './preflight.js';
import { checkStore } from '../engine/store-check.js';
import { writeFailure, writing } from '../engine/store-errors.js';
import { writeFully } from './write-fully.js';

const PIPE_CLOSED = new Error('output closed');

interface DrawsArgs {
  dir: string;
  csv: boolean;
  recruitment: boolean;
  out?: string;
}

export const drawsCommand: CommandModule<object, DrawsArgs> = {
  command: 'draws <dir>',
  describe: 'Export the stored draws of a run (estimate, se, truth per draw × outcome × estimator × estimand) as CSV',
  builder: (y) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'The --out directory of stagger run, mde or merge (or its draws file)',
      })
      .option('csv', {
        type: 'boolean',
        default: false,
        describe:
          'Write every record as CSV: point, grid settings, draw, outcome, estimator, estimand, key, subgroup, estimate, se, truth, pop_truth, reason',
      })
      .option('recruitment', { type: 'boolean', default: false, describe: "Write each draw's recruitment totals as CSV instead" })
      .option('out', { type: 'string', describe: 'CSV file to write (default: standard output)' })
      .example('$0 draws out/r1-isf-waitlist --csv --out r1-draws.csv', 'All draws as a tidy CSV (R: read.csv; pandas: read_csv)')
      .example('$0 draws out/r1-isf-waitlist --recruitment --out r1-recruitment.csv', 'Realised sample sizes per draw')
      .example('$0 draws out/r1-isf-waitlist', 'What the file holds') as Argv<DrawsArgs>,
  handler: (a: ArgumentsCamelCase<DrawsArgs>) => {
    if (a.csv && a.recruitment) throw new UsageError('choose one of --csv and --recruitment');
    runDir(a.dir, true);
    if (a.out) writableFile(`--out ${a.out}`, a.out);
    if (!a.csv && !a.recruitment) {
      const points = new Set<number>();
      const estimands = new Set<string>();
      let draws = 0;
      let withRecruitment = 0;
      const meta = eachDraw(a.dir, (d) => {
        points.add(d.point);
        draws += 1;
        if (d.recruitment) withRecruitment += 1;
        for (const r of d.records) estimands.add(r.estimand);
      });
      process.stdout.write(
        `${a.dir}: seed ${meta.seed}, α ${meta.alpha}, ${meta.points.length} design point(s), ${meta.outcomes && meta.outcomes.length > 1 ? `outcomes ${meta.outcomes.join(', ')}, ` : ''}estimators ${meta.estimators.join(', ')}\n` +
          `  ${draws} draws stored (${withRecruitment} with recruitment), ${estimands.size} estimands\n` +
          `  export: stagger draws ${a.dir} --csv --out draws.csv   (or --recruitment)\n`,
      );
      return;
    }
    // Check the store before the output is opened: a damaged run never leaves a half-written CSV.
    checkStore(a.dir);
    const target = a.out ?? 'standard output';
    const hint = 'the run is untouched: make room (or choose another --out) and export again';
    const fd = a.out ? writing(a.out, hint, () => openSync(a.out!, 'w')) : 1;
    const write = (s: string) => {
      try {
        writeFully(fd, s);
      } catch (err) {
        // A reader that stops early (`| head`) is not an error: stop writing.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') throw PIPE_CLOSED;
        throw writeFailure(target, err, hint);
      }
    };
    try {
      if (a.csv) {
        const n = writeDrawsCsv(a.dir, write);
        if (a.out) process.stderr.write(`${a.out}: ${n.rows} rows from ${n.draws} draws\n`);
      } else {
        const n = writeRecruitmentCsv(a.dir, write);
        if (n === 0) throw new Error(`${a.dir}: the draws hold no recruitment records (a custom simulation?)`);
        if (a.out) process.stderr.write(`${a.out}: ${n} draws\n`);
      }
    } catch (err) {
      if (err !== PIPE_CLOSED) throw err;
    } finally {
      if (a.out) writing(a.out, hint, () => closeSync(fd));
    }
  },
};
