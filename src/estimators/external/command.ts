/**
 * An external estimator's `command` as a program and its arguments, and the check that the program
 * exists. The command is split the way a shell splits words (blanks; '…' and "…" quote; \ escapes)
 * but never run through a shell: no pipes, globs or variables, so `Rscript my estimator.R` cannot mean
 * two things, and a missing program is one clear error at load (ENOENT) rather than a shell's "not
 * found" on every draw.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The command's words. @throws on an unclosed quote or an empty command. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) cur += command[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      cur += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`command ${JSON.stringify(command)}: the quote ${quote} is not closed`);
  if (inWord) words.push(cur);
  if (words.length === 0) throw new Error('command is empty: expected a program and its arguments, e.g. "Rscript my_estimator.R"');
  return words;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The program's path: a name with a slash relative to `cwd`, else the first match on PATH.
 * @returns the path, or undefined when there is none.
 */
export function findProgram(program: string, cwd: string, path = process.env.PATH ?? ''): string | undefined {
  if (program.includes('/')) {
    const f = isAbsolute(program) ? program : resolve(cwd, program);
    return executable(f) ? f : undefined;
  }
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const f = join(dir, program);
    if (executable(f)) return f;
  }
  return undefined;
}
