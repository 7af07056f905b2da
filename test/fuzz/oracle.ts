/**
 * The oracle: one class per case, and a message signature that groups cases failing the same way
 * (numbers, paths and quoted names replaced, so "found 17" and "found 3" are one failure).
 */
import type { ChildResult } from './child.js';

export const CLASSES = ['ok', 'clean-error', 'CRASH', 'HANG', 'MEMORY', 'BAD-OUTPUT', 'DIFFERS', 'SILENT-CORRUPTION'] as const;
export type CaseClass = (typeof CLASSES)[number];
/** The classes that are failures (everything but ok and clean-error). */
export const isFailure = (c: CaseClass) => c !== 'ok' && c !== 'clean-error';

export interface Verdict {
  cls: CaseClass;
  /** "CRASH estimate: internal error: spec.split is not a function" — the dedupe key. */
  signature: string;
  /** Why, for the case file. */
  why: string;
}

const STACK = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;
const MEMORY =
  /heap out of memory|Reached heap limit|Array buffer allocation failed|Invalid typed array length|Invalid array length|Allocation failed/;

/** Replace what varies between cases failing the same way. */
export function normalise(line: string): string {
  return line
    .replace(/(\/[\w.+@-]+)+\/?/g, 'PATH')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'")
    .replace(/[-+]?\b\d+(\.\d+)?(e[-+]?\d+)?\b/gi, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

/** The line of stderr that says what went wrong. */
export function headline(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /internal error|Error:|FATAL|stagger:/.test(l)) ?? lines[0] ?? '(no message)';
}

/**
 * Classify a finished child. `command` is the stagger command ("validate", "estimate" …);
 * `problems` are BAD-OUTPUT findings in its outputs; `mustRefuse` names what no valid reading accepts.
 */
export function classify(r: ChildResult, command: string, problems: string[] = [], mustRefuse: string | false = false): Verdict {
  const sig = (cls: CaseClass, msg: string) => `${cls} ${command}: ${normalise(msg)}`;
  const v = (cls: CaseClass, msg: string, why: string): Verdict => ({ cls, signature: sig(cls, msg), why });
  if (r.timedOut) return v('HANG', `timeout after ${Math.round(r.ms / 1000)} s`, `no exit within ${r.ms} ms`);
  if (MEMORY.test(r.stderr)) return v('MEMORY', (MEMORY.exec(r.stderr) as RegExpExecArray)[0], `heap cap ${'512'} MB exceeded`);
  if (r.signal) return v('CRASH', `signal ${r.signal}`, `killed by ${r.signal}`);
  const head = headline(r.stderr);
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) return v('CRASH', `exit ${r.code}: ${head}`, `exit code ${r.code}`);
  if (/internal error/i.test(r.stderr) || STACK.test(r.stderr)) {
    const frame = /^\s+at (\S+)/m.exec(r.stderr);
    return v('CRASH', head + (frame && !/internal error/.test(head) ? ` @ ${frame[1]}` : ''), 'stack trace or internal error');
  }
  if (r.code === 0) {
    if (problems.length)
      return v('BAD-OUTPUT', problems[0].replace(/\[\d+\]/g, '[]').replace(/:\d+:/, ':'), problems.slice(0, 20).join('\n'));
    if (mustRefuse)
      return v('SILENT-CORRUPTION', `${mustRefuse} accepted although it must be refused`, 'exit 0 on input or output that must be refused');
    return { cls: 'ok', signature: `ok ${command}`, why: '' };
  }
  if (!r.stderr.trim()) return v('CRASH', `exit ${r.code} without a message`, 'a failure must say why');
  return { cls: 'clean-error', signature: sig('clean-error', head), why: '' };
}
