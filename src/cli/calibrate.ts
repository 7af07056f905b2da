/**
 * `stagger calibrate`: fit a scenario's world. This branch's minimal command carries only the SCENARIO
 * mode (calibrate to a published table: src/cli/calibrate-target.ts); the `--data` mode (fit to the
 * user's historical panel) joins it in the same command.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { calibrateTargetCommand, targetOptions, type TargetArgs } from './calibrate-target.js';

export const calibrateCommand: CommandModule<object, TargetArgs> = {
  command: 'calibrate [scenario]',
  describe:
    'Calibrate a scenario to a published table: search the free settings (common random numbers, a root-finder on the log scale) ' +
    'so that the simulated SE of the named estimands meets the published one, with its Monte Carlo uncertainty.',
  builder: (y) => targetOptions(y) as Argv<TargetArgs>,
  handler: (a: ArgumentsCamelCase<TargetArgs>) => calibrateTargetCommand(a),
};
