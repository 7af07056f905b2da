/**
 * The panel's column and event-study flags that `stagger estimate` and `stagger sensitivity`'s panel
 * mode share (the latter hands them to estimateFromArgs): one definition of each flag's type, choices,
 * default and number rule, each command giving its own words (describe) and help group.
 */
import type { Options } from 'yargs';
import { ANY_NUMBER, EVENT_TIME, numberOption } from './options.js';

/** The parsed values of the shared flags. */
export interface DataArgs {
  id: string;
  time: string;
  /** Unset: first_treat (unless estimate's --treatment gives the treatment itself). */
  group?: string;
  outcome: string;
  covariates?: string;
  control?: 'never' | 'notyet';
  'base-period'?: 'varying' | 'universal';
  anticipation?: number;
  cluster?: string;
  'min-e'?: number;
  'max-e'?: number;
}

/** A command's words for one flag. */
export interface OptionWords {
  describe: string;
  group: string;
}

const SPECS = {
  id: { type: 'string', default: 'id' },
  time: { type: 'string', default: 'period' },
  // no yargs default: stagger estimate's --treatment (dcdh) replaces it; unset means first_treat
  group: { type: 'string' },
  outcome: { type: 'string', default: 'y' },
  covariates: { type: 'string' },
  control: { choices: ['never', 'notyet'] as const },
  'base-period': { choices: ['varying', 'universal'] as const },
  anticipation: numberOption('anticipation', ANY_NUMBER),
  cluster: { type: 'string' },
  'min-e': numberOption('min-e', EVENT_TIME),
  'max-e': numberOption('max-e', EVENT_TIME),
} as const satisfies Record<keyof DataArgs, Options>;

export type DataFlag = keyof typeof SPECS;

/** One shared flag's yargs spec with the command's words. */
export function dataOption<F extends DataFlag>(flag: F, words: OptionWords): (typeof SPECS)[F] & OptionWords {
  return { ...SPECS[flag], ...words };
}

/** Every shared flag's spec, in this order, for yargs' `.options()`. */
export function dataOptions(words: Record<DataFlag, OptionWords>): { [F in DataFlag]: (typeof SPECS)[F] & OptionWords } {
  const out = {} as Record<DataFlag, Options>;
  for (const flag of Object.keys(SPECS) as DataFlag[]) out[flag] = dataOption(flag, words[flag]);
  return out as { [F in DataFlag]: (typeof SPECS)[F] & OptionWords };
}

/** A comma-separated list of names ("x1, x2," → ["x1", "x2"]): blanks trimmed, empty entries dropped. */
export function commaList(raw: unknown): string[] {
  return String(raw)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
