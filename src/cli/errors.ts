/**
 * How an error reaches the user: one path for every command (README, "When something is wrong: errors and exit codes").
 * - bad input (a value, a file, a scenario): one line `stagger: <input>: expected …, found …`, exit 2;
 * - a usage mistake (unknown or missing option): the same line plus where help is, exit 2;
 * - anything else is a bug: "internal error" with its stack, exit 1.
 */
import { nearest, editDistance } from '../scenario/nearest-name.js';

/** A bad value, file or setting given by the user: printed as it is, exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** A mistake in how the command was called (an unknown or missing option): printed with a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Errors that are the user's input, not our bug, by name (classes from several layers keep their own
 * names). YError is yargs' wrapper of an exception thrown in an option's coerce (our option checks).
 */
const INPUT_ERRORS = new Set([
  'InputError',
  'PanelCsvError',
  'DidInputError',
  'EstimatorInputError',
  'ScenarioError',
  'CalibrationInputError',
  'YError',
]);

/** File-system faults the user causes or can fix (a missing file, a directory where a file goes). */
const FS_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
};

/** A did-you-mean suggestion only when the candidate is close enough to be a typo of the name. */
export function closeName(name: string, candidates: Iterable<string>): string | undefined {
  const near = nearest(name, candidates);
  if (near === undefined) return undefined;
  return editDistance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.ceil(name.length * 0.4)) ? near : undefined;
}

/** `; did you mean "x"?` or ''. */
export function didYouMean(name: string, candidates: Iterable<string>, prefix = ''): string {
  const near = closeName(name, candidates);
  return near === undefined ? '' : `; did you mean "${prefix}${near}"?`;
}

export interface Outcome {
  text: string;
  code: 1 | 2;
}

/**
 * What to print for an error that reached the top level, and the exit code. Plain `Error`s are the
 * messages Stagger's own checks throw (engine, merge, draws file); JavaScript's own types
 * (TypeError, RangeError, …) are bugs.
 */
export function describeError(e: unknown): Outcome {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  const path = (err as NodeJS.ErrnoException).path;
  if (err.name === 'UsageError') return { text: `stagger: ${err.message}\n${helpHint()}\n`, code: 2 };
  // Errors that carry their exit code (engine/store-errors.ts: a damaged store 2, a failed write 1).
  const exitCode = (err as { exitCode?: unknown }).exitCode;
  if (exitCode === 1 || exitCode === 2) return { text: `stagger: ${err.message}\n`, code: exitCode };
  if (INPUT_ERRORS.has(err.name)) return { text: `stagger: ${err.message}\n`, code: 2 };
  if (code && FS_WORDS[code] && path) return { text: `stagger: ${path}: ${FS_WORDS[code]}\n`, code: code === 'ENOSPC' ? 1 : 2 };
  // A write the operating system refused, where no one named the file: still the machine's state, not a bug.
  if (code === 'ENOSPC' || code === 'EIO' || code === 'EFBIG' || code === 'EDQUOT')
    return { text: `stagger: could not write an output (${FS_WORDS[code] ?? code}, ${code})\n`, code: 1 };
  if (Object.getPrototypeOf(err) === Error.prototype && !code) return { text: `stagger: ${err.message}\n`, code: 2 };
  let text = `stagger: internal error: ${err.message}\n${err.stack ?? ''}\n`;
  if (err.cause) text += `caused by: ${(err.cause as Error).stack ?? err.cause}\n`;
  return { text: `${text}Please report this with the command you ran.\n`, code: 1 };
}

/** "Run `stagger run --help` for its options." for the command being run. */
export function helpHint(argv: readonly string[] = process.argv.slice(2), known: readonly string[] = COMMANDS): string {
  const cmd = argv.find((a) => !a.startsWith('-'));
  return cmd && known.includes(cmd) ? `Run \`stagger ${cmd} --help\` for its options.` : 'Run `stagger --help` for the commands.';
}

/** The command names (set by main.ts), for the help pointer and "no such command". */
export const COMMANDS: string[] = [];

/**
 * A yargs usage message (unknown argument, missing option, invalid choice) with the nearest valid
 * name added: `Unknown argument: drawz` → `--drawz: no such option of this command; did you mean "--draws"?`.
 */
export function usageError(msg: string, options: readonly string[]): Error {
  const text = usageMessage(msg, options);
  // A value outside an option's choices is bad input, not a usage mistake: no pointer to --help.
  return /^Invalid values?:/.test(msg) ? new InputError(text) : new UsageError(text);
}

export function usageMessage(msg: string, options: readonly string[], argv: readonly string[] = process.argv.slice(2)): string {
  const command = /^Did you mean (\S+)\?$/.exec(msg);
  if (command) return `"${argv.find((a) => !a.startsWith('-')) ?? ''}": no such command; did you mean "${command[1]}"?`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    return unknown[1]
      .split(', ')
      .map((a) => {
        const flag = a.replace(/^-+/, '').replace(/=.*$/, '');
        const dashes = flag.length === 1 ? '-' : '--';
        // A positional nobody asked for is an unknown word, not an option.
        return a.startsWith('-') || options.includes(flag) || closeName(flag, options)
          ? `${dashes}${flag}: no such option of this command${didYouMean(flag, options, '--')}`
          : `"${a}": an argument this command does not take`;
      })
      .join('; ');
  }
  const choice = /^Invalid values?:\s*Argument: (\S+), Given: "?([^",]*)"?, Choices: (.+)$/s.exec(msg.replace(/\n/g, ' '));
  if (choice) {
    const choices = choice[3].split(', ').map((c) => c.trim().replace(/^"|"$/g, ''));
    return `--${choice[1]}: expected one of ${choices.join(', ')}, found "${choice[2]}"${didYouMean(choice[2], choices)}`;
  }
  const after = /^Not enough arguments following: (.+)$/.exec(msg);
  if (after) return `--${after[1]}: expected a value after it`;
  const missing = /^Missing required arguments?: (.+)$/.exec(msg);
  if (missing)
    return `missing ${missing[1]
      .split(', ')
      .map((o) => (o.length === 1 ? `-${o}` : `--${o}`))
      .join(', ')}: this command needs ${missing[1].includes(',') ? 'them' : 'it'}`;
  return msg;
}
