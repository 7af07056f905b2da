/** `stagger validate`: check scenario files, listing every problem with file, path, expected, found. */
import type { CommandModule } from 'yargs';
import { expandGrid, findAxes, loadScenario, ScenarioError } from '../scenario/index.js';
import { resolveScenarioFile } from '../scenario/resolve-scenario.js';

export const validateCommand: CommandModule<object, { files: string[] }> = {
  command: 'validate <files..>',
  describe: 'Check scenario files; print their design grid or every problem found',
  builder: (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' }) as never,
  handler: (a) => {
    let bad = 0;
    for (const f of a.files) {
      try {
        const s = loadScenario(resolveScenarioFile(f));
        const axes = findAxes(s);
        const n = expandGrid(s).length;
        const grid = axes.length === 0 ? 'no grid axes' : axes.map((x) => `${x.path} (${x.values.length})`).join(', ');
        process.stdout.write(`ok ${f}: ${s.name}, ${n} design point${n === 1 ? '' : 's'}; ${grid}\n`);
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        bad++;
        process.stderr.write(err.message + '\n');
      }
    }
    if (bad > 0) process.exitCode = 1;
  },
};
