#!/usr/bin/env -S node --single-threaded
/** The `stagger` command line: wiring only; each command lives in its own file. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';

/** Errors that are the user's input, not our bug: printed as one clear line, exit code 2. */
const INPUT_ERRORS = new Set(['PanelCsvError', 'DidInputError', 'EstimatorInputError', 'ScenarioError', 'InputError']);

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
    // Handler errors that carry their exit code (engine/store-errors.ts) can arrive here too.
    const code = (err as { exitCode?: unknown } | undefined)?.exitCode;
    if (code === 1 || code === 2) {
      process.stderr.write(`stagger: ${err!.message}\n`);
      process.exit(code);
    }
    // Only argument parsing and .check() failures arrive here (handler errors reject parseAsync):
    // they are the user's input.
    process.stderr.write(`stagger: ${msg ?? err?.message}\nRun with --help for usage.\n`);
    process.exit(2);
  });

for (const c of commands) cli.command(c);
try {
  await cli.parseAsync();
} catch (e) {
  const err = e as Error & { exitCode?: unknown };
  // Errors that carry their exit code (engine/store-errors.ts: a damaged store 2, a failed write 1).
  if (err.exitCode === 1 || err.exitCode === 2) {
    process.stderr.write(`stagger: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  if (INPUT_ERRORS.has(err.name) || err.name === 'YError') {
    process.stderr.write(`stagger: ${err.message}\n`);
    process.exit(2);
  }
  // Anything else is a bug: say so, keep the stack (and its cause) for the report.
  process.stderr.write(`stagger: internal error: ${err.message}\n${err.stack ?? ''}\n`);
  if (err.cause) process.stderr.write(`caused by: ${(err.cause as Error).stack ?? err.cause}\n`);
  process.stderr.write('Please report this with the command you ran.\n');
  process.exit(1);
}
