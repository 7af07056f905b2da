/** `stagger scenarios`: the bundled scenario files, one line each. */
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { bundledFiles } from '../scenario/bundled.js';
import { expandGrid, loadScenario } from '../scenario/index.js';

export const scenariosCommand: CommandModule = {
  command: 'scenarios',
  describe: 'List the bundled scenario files (scenarios/) with a line each',
  handler: () => {
    for (const f of bundledFiles()) {
      const s = loadScenario(f);
      const n = expandGrid(s).length;
      process.stdout.write(`${basename(f).padEnd(30)} ${s.title || s.name}${n > 1 ? ` [${n} design points]` : ''}\n  ${f}\n`);
    }
  },
};
