/** The list of commands the CLI offers; each file under src/cli/ exports one yargs CommandModule. */
import type { CommandModule } from 'yargs';
import { calibrateCommand } from './calibrate.js';
import { diagnoseCommand } from './diagnose.js';
import { drawsCommand } from './draws.js';
import { estimateCommand } from './estimate.js';
import { exploreCommand } from './explore.js';
import { mdeCommand } from './mde.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenarios.js';
import { sensitivityCommand } from './sensitivity.js';
import { simulateCommand } from './simulate.js';
import { validateCommand } from './validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs takes the list as one
export const commands: CommandModule<any, any>[] = [
  estimateCommand,
  simulateCommand,
  validateCommand,
  scenariosCommand,
  runCommand,
  mdeCommand,
  mergeCommand,
  drawsCommand,
  diagnoseCommand,
  reportCommand,
  exploreCommand,
  calibrateCommand,
  sensitivityCommand,
];
