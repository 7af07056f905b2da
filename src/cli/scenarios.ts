/** `stagger scenarios`: the bundled scenario files, one line each, by the name other commands take. */
import type { CommandModule } from 'yargs';
import { expandGrid, loadScenario } from '../scenario/index.js';
import { bundledScenarios } from '../scenario/resolve-scenario.js';

export const scenariosCommand: CommandModule = {
  command: 'scenarios',
  describe: 'List the bundled scenarios; every command that takes a scenario file takes their names too (stagger run r1-isf-waitlist)',
  handler: () => {
    for (const { name, file } of bundledScenarios()) {
      const s = loadScenario(file);
      const n = expandGrid(s).length;
      process.stdout.write(`${name.padEnd(30)} ${s.title || s.name}${n > 1 ? ` [${n} design points]` : ''}\n  ${file}\n`);
    }
  },
};
