/**
 * Numeric options, checked where they are parsed: every command's numbers go through `numberOption`,
 * so `--draws abc`, `--draws 1.5`, `--alpha 1` and `--workers -1` are refused before anything runs,
 * with the option, what it takes and what was given (`--draws: expected a whole number ≥ 1, found "abc"`).
 */
import type { Options } from 'yargs';
import { InputError, UsageError } from './errors.js';

export interface NumberRule {
  /** What the option takes, in words: "a whole number ≥ 1". */
  expected: string;
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds. */
  above?: number;
  below?: number;
  /** ±Infinity allowed ("Infinity", "-Infinity"), e.g. an open event window. */
  infinite?: boolean;
}

/** Plain decimal numbers only: no hexadecimal, no decimal comma, no empty string. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number as the user wrote it in a message: 1.5 as 1.5, text in quotes. */
const shown = (raw: unknown): string =>
  typeof raw === 'number' || (typeof raw === 'string' && DECIMAL.test(raw.trim())) ? String(raw).trim() : JSON.stringify(raw);

/**
 * The number an option's text stands for, checked against its rule.
 * @throws {InputError} `--flag: expected <rule>, found <raw>`
 * @throws {UsageError} when the option was given more than once
 */
export function parseNumber(flag: string, raw: unknown, rule: NumberRule): number {
  if (Array.isArray(raw)) throw new UsageError(`--${flag} was given ${raw.length} times (${raw.map(shown).join(', ')}): give it once`);
  let x: number;
  if (typeof raw === 'number') x = raw;
  else if (typeof raw === 'string' && DECIMAL.test(raw.trim())) x = Number(raw);
  else if (typeof raw === 'string' && rule.infinite && /^[+-]?(Infinity|inf)$/i.test(raw.trim()))
    x = raw.trim().startsWith('-') ? -Infinity : Infinity;
  else throw new InputError(`--${flag}: expected ${rule.expected}, found ${raw === '' ? 'nothing' : shown(raw)}`);
  const fails =
    Number.isNaN(x) ||
    (!Number.isFinite(x) && !rule.infinite) ||
    (rule.integer && Number.isFinite(x) && !Number.isInteger(x)) ||
    (rule.min !== undefined && x < rule.min) ||
    (rule.max !== undefined && x > rule.max) ||
    (rule.above !== undefined && !(x > rule.above)) ||
    (rule.below !== undefined && !(x < rule.below));
  if (fails) throw new InputError(`--${flag}: expected ${rule.expected}, found ${shown(raw)}`);
  return x;
}

/** A yargs option spec for a number checked by `rule` (the value must follow the flag). */
export function numberOption<O extends Options>(flag: string, rule: NumberRule, spec: O = {} as O): O & { coerce: (v: unknown) => number } {
  // An absent option stays absent (undefined), whatever the declared return type says.
  return {
    requiresArg: true,
    ...spec,
    coerce: (v: unknown): number => (v === undefined ? (v as unknown as number) : parseNumber(flag, v, rule)),
  };
}

/** Common rules. */
export const WHOLE_AT_LEAST_1: NumberRule = { expected: 'a whole number ≥ 1', integer: true, min: 1 };
export const WHOLE_AT_LEAST_0: NumberRule = { expected: 'a whole number ≥ 0', integer: true, min: 0 };
export const LEVEL: NumberRule = { expected: 'a level in (0, 1), e.g. 0.05', above: 0, below: 1 };
/** Worker threads: more than this is never faster and each costs memory. */
export const MAX_WORKERS = 1024;
export const WORKERS: NumberRule = {
  expected: `a whole number from 0 (this thread) to ${MAX_WORKERS}`,
  integer: true,
  min: 0,
  max: MAX_WORKERS,
};
export const ANY_NUMBER: NumberRule = { expected: 'a number' };
export const EVENT_TIME: NumberRule = { expected: 'a whole event time (or Infinity, -Infinity)', integer: true, infinite: true };

/**
 * Refuse an option given twice where it takes one value (`--covariates a --covariates b`): yargs
 * would make a list of it that nothing downstream expects. Options declared `array` are lists.
 * @throws {UsageError}
 */
export function refuseRepeated(argv: Record<string, unknown>, arrays: readonly string[] = LIST_OPTIONS): void {
  for (const [key, v] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || /[A-Z]/.test(key) || arrays.includes(key) || !Array.isArray(v)) continue;
    throw new UsageError(
      `--${key} was given ${v.length} times (${v.map(shown).join(', ')}): give it once${key === 'covariates' ? ', comma-separated, e.g. --covariates x1,x2' : ''}`,
    );
  }
}

/** The options and positionals of all commands that take lists. */
export const LIST_OPTIONS = ['set', 'target', 'free', 'files', 'dirs'];
