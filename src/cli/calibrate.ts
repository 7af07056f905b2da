/**
 * `stagger calibrate`: two modes of one command.
 * - `--data history.csv`: fit the world (population + outcome) to a pre-programme panel and print a
 *   fit table that simulates it (src/calibrate/).
 * - `SCENARIO --target 'group_avg.se=267.5' --free outcome.sdlog`: search free settings of a scenario
 *   so a simulated SE meets a published one (src/cli/calibrate-target.ts).
 */
import { writing } from '../engine/store-errors.js';
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { PanelCsvError, readPanelCsv } from '../panel/csv.js';
import { CalibrationInputError, fitWorld, OUTCOME_TYPES, type CalibratedType } from '../calibrate/fit-world.js';
import { fitTable, fitTableText, jsonRows } from '../calibrate/fit-table.js';
import { worldYaml } from '../calibrate/world-yaml.js';
import { readHeader, resolveCovariates } from './estimate.js';
import { UsageError } from './errors.js';
import { numberOption, WHOLE_AT_LEAST_0, WHOLE_AT_LEAST_1 } from './options.js';
import { readableFile, scenarioFile as scenarioFileArg, writableFile } from './preflight.js';
import { calibrateTargetCommand, targetOnlyOptions, type TargetArgs } from './calibrate-target.js';

export interface CalibrateArgs {
  scenario?: string;
  data?: string;
  id: string;
  time: string;
  outcome: string;
  covariates?: string;
  type?: CalibratedType;
  season: number;
  out?: string;
  json?: boolean;
  seed: string;
  draws?: number;
  target?: string[];
  free?: string[];
}

function inputError(message: string): Error {
  const e = new Error(message);
  e.name = 'InputError';
  return e;
}

/** The --data mode without printing: read, fit, write the YAML (with --out), simulate the fit table. */
export function calibrateData(a: CalibrateArgs) {
  const draws = a.draws ?? 20;
  const started = performance.now();
  const cov = resolveCovariates(a.covariates, readHeader(a.data!));
  let read: ReturnType<typeof readPanelCsv>;
  try {
    read = readPanelCsv(a.data!, { id: a.id, time: a.time, outcome: a.outcome, covariates: cov.names });
  } catch (e) {
    if (e instanceof PanelCsvError) throw inputError(`calibrate: ${e.message}`);
    throw e;
  }
  const { panel } = read;
  const messages = [...(cov.note ? [cov.note] : []), ...read.messages];
  let fit: ReturnType<typeof fitWorld>;
  try {
    fit = fitWorld(panel, { type: a.type, season: a.season, name: a.outcome });
  } catch (e) {
    if (e instanceof CalibrationInputError) throw inputError(`calibrate: ${a.data}: ${e.message}`);
    throw e;
  }
  const fitMs = performance.now() - started;
  const header = [
    `Calibrated by stagger calibrate from ${a.data} (${panel.nUnits} units × ${panel.nPeriods} periods, outcome "${a.outcome}", type ${fit.type}).`,
    'The population and outcome parts of a scenario: add name, periods, design (and effect, analysis).',
    ...fit.notes.map((n) => `Note: ${n}`),
  ];
  const text = worldYaml(fit, header);
  if (a.out) writing(a.out, 'make room (or choose another --out) and run the command again', () => writeFileSync(a.out!, text));
  const rows = fitTable(panel, text, a.seed, draws);
  const parameters = { type: fit.type, population: fit.population, outcome: fit.outcome, seasonality: fit.seasonality };
  return {
    panel,
    fit,
    text,
    rows,
    messages,
    parameters,
    json: { parameters, moments: jsonRows(rows) },
    fitMs,
    totalMs: performance.now() - started,
  };
}

/** The --data mode: calibrateData, then print the YAML (without --out), the fit table or the JSON. */
function calibrateFromData(a: CalibrateArgs): void {
  const r = calibrateData(a);
  for (const m of r.messages) process.stderr.write(`${m}\n`);
  if (a.json) process.stdout.write(`${JSON.stringify(r.json)}\n`);
  else {
    process.stdout.write((a.out ? '' : `${r.text}\n`) + fitTableText(r.rows, a.draws ?? 20));
    for (const n of r.fit.notes) process.stdout.write(`Note: ${n}\n`);
  }
  process.stderr.write(
    `${a.out ? `Wrote ${a.out}. ` : ''}Fitted in ${(r.fitMs / 1000).toFixed(1)} s, fit table (${a.draws ?? 20} draws) in ${((r.totalMs - r.fitMs) / 1000).toFixed(1)} s.\n`,
  );
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate [scenario]',
  describe: "Fit a world to your historical panel (--data), or a scenario's settings to a published SE (SCENARIO --target)",
  builder: (y: Argv) =>
    targetOnlyOptions(y)
      .positional('scenario', { type: 'string', describe: 'scenario YAML whose --free settings meet --target (the other mode)' })
      .option('data', {
        type: 'string',
        describe: 'Long CSV history panel (pre-programme): one row per unit and period',
        group: 'From data:',
      })
      .option('id', { type: 'string', default: 'id', describe: 'Unit id column', group: 'From data:' })
      .option('time', { type: 'string', default: 'period', describe: 'Time period column (numeric)', group: 'From data:' })
      .option('outcome', {
        type: 'string',
        default: 'y',
        describe: "Outcome column (also the outcome's name in the scenario)",
        group: 'From data:',
      })
      .option('covariates', {
        type: 'string',
        describe: 'Comma-separated unit-level covariate columns, e.g. woman,age',
        group: 'From data:',
      })
      .option('type', { choices: OUTCOME_TYPES, describe: 'Outcome type (default: read from the values)', group: 'From data:' })
      .option(
        'season',
        numberOption('season', WHOLE_AT_LEAST_0, {
          default: 12,
          describe: 'Season length in periods for the seasonality fit (12 for months; 0 = none, e.g. yearly data)',
          group: 'From data:',
        }),
      )
      .option('out', { type: 'string', describe: 'Write the population and outcome YAML here (default: print it)', group: 'From data:' })
      .option('json', { type: 'boolean', describe: 'Print {"parameters", "moments"} as one JSON object', group: 'Output:' })
      .option('seed', { type: 'string', default: '1', describe: 'Seed of the placebo rollout and the simulated draws' })
      .option(
        'draws',
        numberOption('draws', WHOLE_AT_LEAST_1, {
          describe: 'Simulated draws: the fit table with --data (default 20); each SE evaluation with a SCENARIO (default 200)',
        }),
      )
      .check((a) => {
        if (a.scenario && a.data) throw new UsageError('give either a SCENARIO (with --target) or --data, not both');
        if (!a.scenario && !a.data)
          throw new UsageError('give --data history.csv (fit a world to your panel) or a SCENARIO with --target (meet a published SE)');
        if (a.data && (a.target || a.free)) throw new UsageError('--target and --free go with a SCENARIO, not with --data');
        return true;
      })
      .example(
        '$0 calibrate --data history.csv --id id --time period --outcome earnings --type earnings --covariates woman,age --out world.yaml',
        'fit the world to a register panel, print the fit table',
      )
      .example(
        '$0 calibrate --data history.csv --outcome sa --type binary --json',
        'the fitted parameters and simulated-vs-observed moments as JSON',
      )
      .example(
        "$0 calibrate scenarios/r1-isf-waitlist.yaml --target 'group_avg.se=267.5' --free outcome.sdlog --draws 200",
        "search outcome.sdlog so the simulated SE of group_avg meets the seed report's 267.5",
      ),
  handler: async (a) => {
    if (a.out) writableFile(`--out ${a.out}`, a.out);
    if (a.data) {
      readableFile(`--data ${a.data}`, a.data, 'a long CSV history panel');
      calibrateFromData({ ...a, draws: a.draws ?? 20 });
      return;
    }
    const scenarioFile = scenarioFileArg(a.scenario!);
    await calibrateTargetCommand({ ...(a as unknown as TargetArgs), scenario: scenarioFile, draws: a.draws ?? 200 });
  },
};
