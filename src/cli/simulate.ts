/** `stagger simulate`: one draw of a scenario's design point as a long CSV panel, its truth as JSON. */
import { writing } from '../engine/store-errors.js';
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { generateRunDraw } from '../engine/scenario-simulation.js';
import { expandGrid, populationTruth, targetedOutcomes } from '../generate.js';
import { parseSetting, scenarioWithSettings } from '../engine/settings.js';
import { numberOption, WHOLE_AT_LEAST_0 } from './options.js';
import { scenarioFile, writableFile } from './preflight.js';
import { writePanelCsv } from './panel-csv.js';
import { InputError } from './errors.js';
import { formatRecruitment } from './recruitment-report.js';

interface Args {
  scenario: string;
  seed?: string;
  draw: number;
  point: number;
  out: string;
  truth?: string;
  set?: string[];
}

export const simulateCommand: CommandModule<object, Args> = {
  command: 'simulate <scenario>',
  describe:
    'Write one draw of a scenario as a long panel CSV (id,period,first_treat,y,[y_<outcome>…,]covariates…[,n,ss for clusters designs])',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('seed', { type: 'string', describe: "seed (default: the scenario's seed)" })
      .option(
        'draw',
        numberOption('draw', WHOLE_AT_LEAST_0, {
          default: 0,
          describe: "draw number (its streams depend only on seed and draw: every design point uses point 0's, as `stagger run` does)",
        }),
      )
      .option(
        'point',
        numberOption('point', WHOLE_AT_LEAST_0, {
          default: 0,
          describe: "design-grid point index (see stagger validate); the draw is the run's draw d at that point, byte for byte",
        }),
      )
      .option('out', { type: 'string', demandOption: true, describe: 'panel CSV to write' })
      .option('truth', { type: 'string', describe: 'truth JSON to write (sample ATT(g,t), aggregates, subgroups)' })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Change a setting of the scenario, PATH=VALUE (as stagger run --set); repeatable',
      }) as never,
  // Errors take the CLI's one path (errors.ts): input problems one line, exit 2; bugs with their stack.
  handler: (a) => simulate(a),
};

function simulate(a: Args): void {
  const file = scenarioFile(a.scenario);
  writableFile(`--out ${a.out}`, a.out);
  if (a.truth) writableFile(`--truth ${a.truth}`, a.truth);
  const scenario = scenarioWithSettings(file, (a.set ?? []).map(parseSetting));
  const points = expandGrid(scenario);
  if (a.point >= points.length) {
    throw new InputError(
      `--point: expected an integer from 0 to ${points.length - 1} (the scenario has ${points.length} design points), found ${a.point}`,
    );
  }
  const seedText = a.seed ?? String(scenario.seed);
  const seed = /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
  const point = points[a.point];
  // The run's draw d at this point (common random numbers: point 0's streams).
  const d = generateRunDraw(point, seed, a.draw);
  const targeted = targetedOutcomes(point);
  const { scenario: drawn, applied } = targeted[0];
  writePanelCsv(
    a.out,
    d.panel,
    d.outcomes.slice(1).map((o) => ({ name: o.name, y: o.panel.y })),
  );
  if (a.truth) {
    const ranks = new Set(d.panel.group).size;
    const body = {
      scenario: scenario.name,
      seed,
      draw: a.draw,
      point: point.index,
      settings: point.settings,
      options: d.truth.options,
      truth: d.truth.estimate,
      subgroups: d.truth.subgroups,
      ...(d.outcomes.length > 1
        ? {
            outcomes: d.outcomes.map((o, j) => ({
              name: o.name,
              truth: o.truth.estimate,
              subgroups: o.truth.subgroups,
              ...(targeted[j].applied ? { effect_target: targeted[j].applied } : {}),
            })),
          }
        : {}),
      population: populationTruth(drawn, ranks, d.truth.options.eventWindow),
      ...(applied ? { effect_target: applied } : {}),
    };
    writing(a.truth, 'make room (or choose another --truth) and run the command again', () =>
      writeFileSync(a.truth!, `${JSON.stringify(body, null, 1)}\n`),
    );
  }
  const out = process.stdout;
  out.write(
    `${scenario.name}: seed ${seed}, draw ${a.draw}, point ${point.index}${Object.keys(point.settings).length ? ` ${JSON.stringify(point.settings)}` : ''}\n`,
  );
  const more =
    d.outcomes.length > 1
      ? ` (outcomes: y = ${d.outcomes[0].name}, ${d.outcomes
          .slice(1)
          .map((o) => `y_${o.name}`)
          .join(', ')})`
      : '';
  out.write(`panel ${d.panel.nUnits} units × ${d.panel.nPeriods} periods${more} → ${a.out}${a.truth ? `; truth → ${a.truth}` : ''}\n`);
  if (d.recruitment) out.write(formatRecruitment(d.recruitment));
  for (const [j, { applied }] of targeted.entries()) {
    if (!applied) continue;
    if (d.outcomes.length > 1) out.write(`${d.outcomes[j].name}: `);
    out.write(
      `effect.target ${applied.estimand} = ${applied.value}: the effect profile × ${applied.factor.toPrecision(6)} (population ${applied.estimand} at the stated profile ${applied.unit_value.toPrecision(6)}, mean of ${applied.pilot_draws} pilot draws); plateau ${applied.plateau.toPrecision(6)}\n`,
    );
  }
  const simple = d.truth.estimate.aggregates.simple?.att;
  if (simple !== undefined && simple !== null) out.write(`true simple ATT (sample) ${simple.toFixed(4)}\n`);
}
