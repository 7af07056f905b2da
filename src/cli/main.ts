#!/usr/bin/env -S node --single-threaded
/** The `stagger` command line: wiring only; each command lives in its own file. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { COMMANDS, describeError, usageError } from './errors.js';
import { refuseRepeated } from './options.js';

/** Print an error the one way every command shares (src/cli/errors.ts) and exit. */
function exitWith(e: unknown): never {
  const { text, code } = describeError(e);
  process.stderr.write(text);
  process.exit(code);
}

// A reader that stops early (`stagger scenarios | head`) closes the pipe: that ends the output, not the program's work badly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  exitWith(err);
});

const cli = yargs(hideBin(process.argv))
  .scriptName('stagger')
  .usage('$0 <command> [options]\n\nPower and trial-design simulator for staggered-rollout evaluations.')
  .strict()
  // Numbers are parsed by our own option checks (src/cli/options.ts), so "abc" and "0x1F" are named as given.
  .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
  .demandCommand(1, `name a command: ${commands.map((c) => String(c.command).split(' ')[0]).join(', ')}`)
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .epilogue('Docs: README.md. Every random result is reproducible from its --seed.')
  .middleware((argv) => refuseRepeated(argv as Record<string, unknown>), true)
  .fail((msg, err, y) => {
    // A thrown error (an option check, a .check(), a handler) takes the one path below.
    // (yargs wraps some of its own usage messages in a YError too.)
    if (err && !(err.name === 'YError' && /^(Not enough arguments following|Unknown arguments?|Missing required argument)/.test(msg ?? '')))
      exitWith(err);
    // yargs' own usage messages: unknown or missing options, invalid choices.
    const options = Object.keys((y as unknown as { getDescriptions(): Record<string, string> }).getDescriptions());
    exitWith(usageError(msg, options));
  });

for (const c of commands) cli.command(c);
COMMANDS.push(...commands.map((c) => String(c.command).split(' ')[0]));
try {
  await cli.parseAsync();
} catch (e) {
  exitWith(e);
}
