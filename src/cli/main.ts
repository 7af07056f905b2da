#!/usr/bin/env node
/** The `stagger` command line: wiring only; each command lives in its own file. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';

const cli = yargs(hideBin(process.argv))
  .scriptName('stagger')
  .usage('$0 <command> [options]\n\nPower and trial-design simulator for staggered-rollout evaluations.')
  .strict()
  .demandCommand(1, 'Name a command: see the list above.')
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .epilogue('Docs: README.md. Every random result is reproducible from its --seed.')
  .fail((msg, err) => {
    if (err) {
      process.stderr.write(`stagger: ${err.message}\n`);
    } else {
      process.stderr.write(`stagger: ${msg}\nRun with --help for usage.\n`);
    }
    process.exit(2);
  });

for (const c of commands) cli.command(c);
await cli.parseAsync();
