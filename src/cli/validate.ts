/** `stagger validate`: check scenario files, listing every problem with file, path, expected, found. */
import type { CommandModule } from 'yargs';
import { expandGrid, findAxes, ScenarioError } from '../scenario/index.js';
import { parseSetting, scenarioWithSettings } from '../engine/settings.js';
import { InputError } from './errors.js';
import { scenarioFile } from './preflight.js';

export const validateCommand: CommandModule<object, { files: string[]; set?: string[] }> = {
  command: 'validate <files..>',
  describe: 'Check scenario files; print their design grid or every problem found',
  builder: (y) =>
    y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' }).option('set', {
      type: 'string',
      array: true,
      describe: 'Change a setting of each scenario before checking it, PATH=VALUE (as stagger run --set); repeatable',
    }) as never,
  handler: (a) => {
    let bad = 0;
    const set = (a.set ?? []).map(parseSetting);
    for (const f of a.files) {
      try {
        const file = scenarioFile(f, f);
        const s = scenarioWithSettings(file, set);
        const axes = findAxes(s);
        const n = expandGrid(s).length;
        const grid = axes.length === 0 ? 'no grid axes' : axes.map((x) => `${x.path} (${x.values.length})`).join(', ');
        process.stdout.write(`ok ${f}: ${s.name}, ${n} design point${n === 1 ? '' : 's'}; ${grid}\n`);
      } catch (err) {
        if (!(err instanceof ScenarioError) && !(err instanceof InputError)) throw err;
        bad++;
        process.stderr.write(`${err instanceof InputError ? 'stagger: ' : ''}${err.message}\n`);
      }
    }
    if (bad > 0) process.exitCode = 1;
  },
};
