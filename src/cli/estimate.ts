/** `stagger estimate`: the Callaway & Sant'Anna estimator on a user's long CSV panel. */
import { writing } from '../engine/store-errors.js';
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { BaconEstimate } from '../estimators/bacon/index.js';
import type { DimEstimate } from '../estimators/rct/index.js';
import type { Estimate } from '../estimators/types.js';
import { DidInputError, estimateDidLong } from '../estimators/did/index.js';
import { BOOTSTRAP_WEIGHTS, type BootstrapWeights } from '../estimators/did/bootstrap.js';
import { readLongCsv } from '../panel/long.js';
import { EstimatorInputError } from '../estimators/errors.js';
import { buildEstimator, ESTIMATORS, ESTIMATOR_TYPES, type EstimatorType } from '../estimators/registry.js';
import { familiesTaking, FAMILY_OPTIONS, refusal, type Family } from '../estimators/family-options.js';
import { PanelCsvError, readPanelCsv } from '../panel/csv.js';
import { withTreatmentColumn } from '../panel/treatment-column.js';
import { pretestPowerReport, pretestPowerText, type PretestPowerReport } from '../estimators/pretest/event-study.js';
import { estimateTable } from '../report/estimate-table.js';
import { tidyCsv, tidyRows } from '../report/tidy.js';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { splitCsvLine } from '../panel/csv.js';
import { seeded } from '../random/stream.js';
import { InputError, UsageError } from './errors.js';
import { ANY_NUMBER, LEVEL, numberOption, WHOLE_AT_LEAST_1 } from './options.js';
import { readableFile, writableFile } from './preflight.js';
import { commaList, dataOption, type DataArgs } from './data-options.js';
import { closeExternalProcesses } from '../estimators/external/index.js';

export interface EstimateArgs extends DataArgs {
  estimator: EstimatorType;
  reference?: number;
  horizon?: number;
  permutations?: number;
  beta?: number;
  'last-treated-only'?: boolean;
  'efficient-se'?: 'refined' | 'neyman';
  pair?: string;
  correlation?: 'exchangeable' | 'block' | 'decay';
  'hh-data'?: 'means' | 'individual';
  inference?: 'normal' | 't';
  'pretest-power'?: boolean;
  'pretest-test'?: 'wald' | 'individual';
  'pretest-periods'?: number;
  effects?: number;
  placebo?: number;
  switchers?: 'in' | 'out';
  normalized?: boolean;
  'same-switchers'?: boolean;
  'same-switchers-pl'?: boolean;
  'trends-lin'?: boolean;
  'predict-het'?: string;
  'predict-het-effects'?: string;
  'random-weights'?: string;
  'twfe-type'?: 'feTR' | 'feS' | 'fdTR' | 'fdS';
  'other-treatments'?: string;
  continuous?: number;
  'dont-drop-larger-lower'?: boolean;
  'drop-if-d-miss-before-first-switch'?: boolean;
  'less-conservative-se'?: boolean;
  'trends-nonparam'?: string;
  treatment?: string;
  'kappa-pre'?: number;
  'kappa-post'?: number;
  weighting?: 'wing' | 'cengiz';
  data: string;
  method?: 'dr' | 'ipw' | 'reg';
  alpha: number;
  'balance-e'?: number;
  bootstrap?: number;
  'bootstrap-weights': BootstrapWeights;
  vcov?: 'cr1' | 'cr2';
  df?: 'normal' | 'cluster' | 'satterthwaite';
  wild?: number;
  'wild-weights'?: 'rademacher' | 'webb';
  unbalanced?: boolean;
  'cross-sections'?: boolean;
  'first-stage'?: 'unit' | 'cluster';
  pretrends?: number;
  solver?: 'frank-wolfe' | 'exact';
  'sdid-se'?: 'placebo' | 'jackknife' | 'none';
  replications?: number;
  weights?: string;
  'cell-size'?: string;
  'cell-ss'?: string;
  seed?: string;
  json?: boolean;
  csv?: string;
  pretest?: boolean;
  command?: string;
  estimands?: string;
  timeout?: number;
  'panel-format'?: 'csv' | 'binary';
}

/**
 * The estimator flags and the family option each sets (family-options.ts). They have no yargs
 * default, so a flag is set exactly when the user gave it, and one the chosen family does not
 * implement is refused. Defaults are the family's own (shown in --help).
 */
const FLAG_OPTION: Record<string, string> = {
  method: 'method',
  control: 'control',
  'base-period': 'basePeriod',
  anticipation: 'anticipation',
  covariates: 'covariates',
  'min-e': 'minE',
  'max-e': 'maxE',
  'balance-e': 'balanceE',
  reference: 'reference',
  horizon: 'horizon',
  permutations: 'permutations',
  beta: 'beta',
  'last-treated-only': 'lastTreatedOnly',
  'efficient-se': 'se',
  vcov: 'vcov',
  df: 'df',
  wild: 'wild',
  'wild-weights': 'wildWeights',
  pair: 'pair',
  correlation: 'correlation',
  'hh-data': 'data',
  inference: 'inference',
  bootstrap: 'bootstrap',
  cluster: 'cluster',
  'first-stage': 'fixedEffects',
  pretrends: 'pretrends',
  solver: 'solver',
  'sdid-se': 'variance',
  replications: 'replications',
  seed: 'seed',
  pretest: 'pretest',
  'pretest-power': 'pretest',
  'pretest-test': 'pretest',
  'pretest-periods': 'pretest',
  effects: 'effects',
  placebo: 'placebo',
  switchers: 'switchers',
  normalized: 'normalized',
  'same-switchers': 'sameSwitchers',
  'less-conservative-se': 'lessConservativeSe',
  'trends-nonparam': 'trendsNonparam',
  'same-switchers-pl': 'sameSwitchersPl',
  'trends-lin': 'trendsLin',
  'predict-het': 'predictHet',
  'predict-het-effects': 'predictHetEffects',
  'random-weights': 'randomWeights',
  'twfe-type': 'twfeType',
  'other-treatments': 'otherTreatments',
  continuous: 'continuous',
  'dont-drop-larger-lower': 'dontDropLargerLower',
  'drop-if-d-miss-before-first-switch': 'dropIfDMissBeforeFirstSwitch',
  'kappa-pre': 'kappaPre',
  'kappa-post': 'kappaPost',
  weighting: 'weighting',
  command: 'command',
  estimands: 'estimands',
  timeout: 'timeout',
  'panel-format': 'panelFormat',
};

/** The flag's value as the family option's (covariates split, --cluster COL → clustering by the column). */
function optionValue(flag: string, v: unknown): unknown {
  if (flag === 'covariates' || flag === 'estimands') return commaList(v);
  if (flag === 'cluster') return 'column';
  if (flag === 'first-stage') return v === 'cluster' ? 'column' : v;
  if (flag === 'trends-nonparam' || flag === 'predict-het' || flag === 'random-weights' || flag === 'other-treatments') return commaList(v);
  if (flag === 'predict-het-effects') return commaList(v).map(Number);
  if (flag === 'pretest-power' || flag === 'pretest-test' || flag === 'pretest-periods') return true;
  return v;
}

/**
 * Refuse an estimator flag the family does not implement, or a value its schema rejects; the message
 * names the flag, the family and the flags it takes.
 * @throws {InputError} (one line, exit 2)
 */
export function checkEstimatorFlags(family: Family, given: Record<string, unknown>): void {
  const own = FAMILY_OPTIONS[family] as Record<string, import('zod').ZodType>;
  const valid = Object.keys(FLAG_OPTION).filter((f) => FLAG_OPTION[f] in own);
  for (const [flag, raw] of Object.entries(given)) {
    if (!(flag in FLAG_OPTION) || raw === undefined) continue;
    const opt = FLAG_OPTION[flag];
    if (!(opt in own)) {
      const takers = familiesTaking(opt);
      throw new InputError(
        `${refusal(
          family,
          opt,
          valid.map((f) => `--${f}`),
          `--${flag}`,
        ).replace(/; --\S+ is taken by .*$/, '')}${takers.length ? `; --${flag} works with --estimator ${takers.join(', ')}` : ''}`,
      );
    }
    const r = own[opt].safeParse(optionValue(flag, raw));
    if (!r.success)
      throw new InputError(
        `--${flag}: expected ${r.error.issues[0].message.replace(/^Invalid input: expected /, '')}, found ${JSON.stringify(raw)}`,
      );
  }
}

/**
 * Covariate names from "x1,x2". One accommodation: a list of single letters that spells one column
 * (a script that joined the letters of a string, e.g. "l,p,o,p") is read as that column, with a note.
 */
export function resolveCovariates(spec: string | undefined, header: string[]): { names: string[]; note?: string } {
  if (!spec) return { names: [] };
  const names = commaList(spec);
  if (names.every((nm) => header.includes(nm))) return { names };
  const joined = names.join('');
  if (names.every((nm) => nm.length === 1) && header.includes(joined)) {
    return { names: [joined], note: `Read --covariates "${spec}" as the column "${joined}".` };
  }
  return { names };
}

/** The header row only (the first 64 KiB is plenty), for resolving covariate names before the read. */
export function readHeader(file: string): string[] {
  try {
    // Non-blocking: a FIFO would wait for a writer; the reader then refuses what is not a regular file.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      return [];
    }
    const buf = Buffer.alloc(65536);
    const got = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const text = buf.subarray(0, got).toString('utf8');
    const end = text.indexOf('\n');
    return splitCsvLine((end < 0 ? text : text.slice(0, end)).replace(/\r$/, '').replace(/^\uFEFF/, '')).map((h) => h.trim());
  } catch {
    return [];
  }
}

/** Estimator families whose models read the cluster-period cells' sizes and sums of squares (individual level). */
export const READS_CELLS: readonly string[] = ['hh'];

/**
 * --cell-size and --cell-ss are read by the individual-level models only: with any other estimator
 * they would be ignored (the estimators analyse the cell means), so they are refused.
 * @throws {UsageError}
 */
export function checkCellFlags(a: Pick<EstimateArgs, 'estimator' | 'cell-size' | 'cell-ss' | 'unbalanced' | 'cross-sections'>): void {
  const given = (['cell-size', 'cell-ss'] as const).filter((f) => a[f] !== undefined);
  if (given.length === 0) return;
  if (!READS_CELLS.includes(a.estimator))
    throw new UsageError(
      `--${given[0]} is read by --estimator ${READS_CELLS.join(', ')} only (its individual-level model); ${a.estimator} analyses the cell means in --outcome, so leave --${given[0]} out`,
    );
  if (a['cell-ss'] !== undefined && a['cell-size'] === undefined)
    throw new UsageError('--cell-ss needs --cell-size (a within-cell sum of squares means nothing without the cell size)');
  if (a.unbalanced || a['cross-sections'])
    throw new UsageError('--cell-size takes a balanced panel of cluster-period cells (not --unbalanced or --cross-sections)');
}

/**
 * The estimate `stagger estimate` prints, from its parsed arguments (and `stagger sensitivity`'s panel
 * mode, which takes the same data and estimator options): the panel read, the estimator built from the
 * flags its family takes, the pre-test power when asked for.
 */
export function estimateFromArgs(a: EstimateArgs): { est: Estimate; power?: PretestPowerReport } {
  readableFile(`--data ${a.data}`, a.data, 'a long CSV panel');
  const cov = resolveCovariates(a.covariates, readHeader(a.data));
  const pair = a.pair ?? 'pair';
  // Unit-level columns read for the estimator's own use (dcdh's trends_nonparam and predict_het).
  const trends = a['trends-nonparam'] === undefined ? [] : (optionValue('trends-nonparam', a['trends-nonparam']) as string[]);
  const het = a['predict-het'] === undefined ? [] : (optionValue('predict-het', a['predict-het']) as string[]);
  // twowayfeweights' test_random_weights columns (unit-level or time-varying).
  const rw = a['random-weights'] === undefined ? [] : (optionValue('random-weights', a['random-weights']) as string[]);
  // twowayfeweights' other treatments and its regression weights (a column it reads per cell, not a sampling weight).
  const ot = a['other-treatments'] === undefined ? [] : (optionValue('other-treatments', a['other-treatments']) as string[]);
  const ownWeights = a.estimator === 'twowayfeweights' && a.weights ? [a.weights] : [];
  // Those columns are read for the estimator's own use, not as covariates (unless --covariates names them too).
  const own = [...trends, ...het, ...rw, ...ot, ...ownWeights];
  // With --treatment the treatment is that column (it may switch on and off) and no start group is read.
  const group = a.group ?? (a.treatment === undefined ? 'first_treat' : undefined);
  // R did's options with their defaults, as the long-data estimate and the pre-test power both take them.
  const didCore = (covariates: string[]) => ({
    method: a.method ?? 'dr',
    control: a.control ?? 'never',
    basePeriod: a['base-period'] ?? 'varying',
    anticipation: a.anticipation ?? 0,
    covariates,
    alpha: a.alpha,
    maxE: a['max-e'] ?? Infinity,
  });
  // biome-ignore lint/suspicious/noImplicitAnyLet: assigned in one of two branches; TypeScript infers the union of their types
  let est;
  let power: PretestPowerReport | undefined;
  try {
    if ((a.unbalanced && a.estimator !== 'dcdh') || a['cross-sections']) {
      // Long data, not balanced on read (R did's allow_unbalanced_panel / panel = FALSE).
      const { data, messages } = readLongCsv(a.data, {
        id: a.id,
        time: a.time,
        group: group!,
        outcome: a.outcome,
        cluster: a.cluster,
        covariates: cov.names,
        ownIds: a['cross-sections'],
      });
      est = estimateDidLong(
        data,
        {
          ...didCore(cov.names),
          bootstrap: a.bootstrap ?? 0,
          seed: a.seed ?? '1',
          pretest: a.pretest,
          minE: a['min-e'] ?? -Infinity,
          balanceE: a['balance-e'] ?? null,
          bootstrapWeights: a['bootstrap-weights'],
          panel: !a['cross-sections'],
          unbalanced: a.unbalanced === true,
        },
        undefined,
        seeded(`estimate\0${a.seed ?? '1'}`),
      ).estimate;
      est.messages.unshift(...(cov.note ? [cov.note] : []), ...messages);
    } else {
      const read = readPanelCsv(a.data, {
        id: a.id,
        time: a.time,
        group,
        outcome: a.outcome,
        cluster: a.cluster,
        weights: ownWeights.length ? undefined : a.weights,
        cellSize: a['cell-size'],
        cellSS: a['cell-ss'],
        // dcdh reads a panel with its gaps, as did_multiplegt_dyn does (its missing-data conventions);
        // twowayfeweights leaves out the rows that are absent or miss a value, as the package drops them.
        gaps: a.estimator === 'dcdh' || a.estimator === 'twowayfeweights',
        covariates: [
          ...new Set([...cov.names, ...(a.estimator === 'matched' ? [pair] : []), ...own, ...(a.treatment ? [a.treatment] : [])]),
        ],
      });
      const { messages } = read;
      const panel = a.treatment ? withTreatmentColumn(read.panel, a.treatment, a.data) : read.panel;
      // The columns read only for the estimator's own use (pair, trends_nonparam, predict_het, random weights, treatment) are not covariates.
      const held = read.covariates.filter((c) => c !== a.treatment && (cov.names.includes(c) || !own.includes(c)));
      // A text covariate arrives as its dummies.
      const covariates = a.estimator === 'matched' ? cov.names : held;
      // Only the options the user gave (checked against the family above); the family supplies its defaults.
      const takes = (opt: string) => opt in FAMILY_OPTIONS[a.estimator];
      est = buildEstimator(a.estimator, {
        method: a.method,
        control: a.control,
        basePeriod: a['base-period'],
        anticipation: a.anticipation,
        covariates: a.covariates === undefined ? undefined : covariates,
        alpha: a.alpha,
        bootstrap: a.bootstrap,
        seed: takes('seed') ? (a.seed ?? '1') : undefined,
        pretest: a.pretest,
        minE: a['min-e'],
        maxE: a['max-e'],
        balanceE: a['balance-e'],
        reference: a.reference,
        cluster: a.cluster ? 'column' : undefined,
        pretrends: a.pretrends,
        solver: a.solver,
        variance: a['sdid-se'],
        replications: a.replications,
        fixedEffects: a['first-stage'] === undefined ? undefined : a['first-stage'] === 'cluster' ? 'column' : 'unit',
        horizon: a.horizon,
        permutations: a.permutations,
        beta: a.beta,
        lastTreatedOnly: a['last-treated-only'],
        se: a['efficient-se'],
        vcov: a.vcov,
        df: a.df,
        wild: a.wild,
        wildWeights: a['wild-weights'],
        pair: a.estimator === 'matched' ? pair : undefined,
        correlation: a.correlation,
        data: a['hh-data'],
        inference: a.inference,
        effects: a.effects,
        placebo: a.placebo,
        switchers: a.switchers,
        normalized: a.normalized,
        sameSwitchers: a['same-switchers'],
        lessConservativeSe: a['less-conservative-se'],
        trendsNonparam: a['trends-nonparam'] === undefined ? undefined : trends,
        sameSwitchersPl: a['same-switchers-pl'],
        trendsLin: a['trends-lin'],
        predictHet: a['predict-het'] === undefined ? undefined : het,
        randomWeights: a['random-weights'] === undefined ? undefined : rw,
        twfeType: a['twfe-type'],
        otherTreatments: a['other-treatments'] === undefined ? undefined : ot,
        ...(a.estimator === 'twowayfeweights' && a.weights ? { weights: a.weights } : {}),
        continuous: a.continuous,
        dontDropLargerLower: a['dont-drop-larger-lower'],
        dropIfDMissBeforeFirstSwitch: a['drop-if-d-miss-before-first-switch'],
        predictHetEffects:
          a['predict-het-effects'] === undefined ? undefined : (optionValue('predict-het-effects', a['predict-het-effects']) as number[]),
        kappaPre: a['kappa-pre'],
        kappaPost: a['kappa-post'],
        weighting: a.weighting,
        ...(a.estimator === 'did' ? { bootstrapWeights: a['bootstrap-weights'] } : {}),
        // external: the panel goes to the program as `stagger simulate` writes one, the program runs here.
        ...(a.estimator === 'external'
          ? {
              command: a.command,
              estimands: optionValue('estimands', a.estimands ?? '') as string[],
              timeout: a.timeout,
              panelFormat: a['panel-format'],
            }
          : {}),
      }).estimate(panel, seeded(`estimate\0${a.seed ?? '1'}`));
      if (a.estimator === 'external') closeExternalProcesses();
      est.messages.unshift(...(cov.note ? [cov.note] : []), ...messages);
      if (a['pretest-power']) {
        power = pretestPowerReport(panel, didCore(covariates), {
          test: a['pretest-test'] ?? 'wald',
          alpha: a.alpha,
          periods: a['pretest-periods'] ?? 3,
          seed: a.seed ?? '1',
        });
      }
    }
  } catch (e) {
    if (e instanceof PanelCsvError || e instanceof DidInputError || e instanceof EstimatorInputError) {
      const err = new Error(`estimate: ${e.message}`);
      err.name = 'InputError';
      throw err;
    }
    throw e;
  }
  return { est, power };
}

export const estimateCommand: CommandModule<object, EstimateArgs> = {
  command: 'estimate',
  describe: "Staggered DiD on a long CSV panel: Callaway & Sant'Anna (as R did's att_gt + aggte) or --estimator NAME",
  builder: (y: Argv) =>
    y
      .option('estimator', {
        choices: ESTIMATOR_TYPES,
        default: 'did' as EstimatorType,
        group: 'Estimator:',
        describe: `Estimator: ${ESTIMATOR_TYPES.map((t) => `${t} (${ESTIMATORS[t].describe})`).join('; ')}`,
      })
      .option('data', { type: 'string', demandOption: true, describe: 'Long CSV panel: one row per unit and period', group: 'Data:' })
      .option('id', dataOption('id', { describe: 'Unit id column', group: 'Data:' }))
      .option('time', dataOption('time', { describe: 'Time period column (numeric)', group: 'Data:' }))
      .option(
        'group',
        dataOption('group', { describe: 'First treated period column; 0 = never treated (default first_treat)', group: 'Data:' }),
      )
      .option('treatment', {
        type: 'string',
        describe:
          'dcdh, twowayfeweights: the treatment column itself, a number per unit and period (binary or discrete), which may change at any date and switch back (instead of --group)',
        group: 'Data:',
      })
      .option('outcome', dataOption('outcome', { describe: 'Outcome column', group: 'Data:' }))
      .option(
        'covariates',
        dataOption('covariates', {
          describe:
            "Comma-separated covariate columns, e.g. x1,x2; a text column enters as dummies of its levels (the first in sorted order the reference), as R's model.matrix does for a factor; dcdh: did_multiplegt_dyn's controls, time-varying; twowayfeweights: its controls (differenced for --twfe-type fdTR, fdS)",
          group: 'Data:',
        }),
      )
      .option('weights', {
        type: 'string',
        describe:
          "did: sampling-weight column (R did's weightsname), constant within each unit; dcdh: the cells' weights N_g,t (did_multiplegt_dyn's weight); twowayfeweights: the regression's weights (the package's weights), per unit or per unit and period; non-negative",
        group: 'Data:',
      })
      .option('method', {
        choices: ['dr', 'ipw', 'reg'] as const,
        describe: 'did: doubly robust (default), normalised IPW, or outcome regression',
        group: 'Estimator:',
      })
      .option(
        'control',
        dataOption('control', {
          describe:
            'did: comparison units never treated (default) or not yet treated; dcdh: the same choice (default notyet; never = only_never_switchers)',
          group: 'Estimator:',
        }),
      )
      .option(
        'effects',
        numberOption('effects', ANY_NUMBER, {
          describe: 'dcdh: effects DID_1 … DID_L (default: from --max-e, else all the panel identifies)',
          group: 'Estimator:',
        }),
      )
      .option(
        'placebo',
        numberOption('placebo', ANY_NUMBER, {
          describe: 'dcdh: placebos 1 … L (default: from --min-e, else all the panel identifies)',
          group: 'Estimator:',
        }),
      )
      .option('switchers', {
        choices: ['in', 'out'] as const,
        describe: "dcdh: only switchers in (untreated at the start) or only switchers out (did_multiplegt_dyn's switchers; default both)",
        group: 'Estimator:',
      })
      .option('normalized', {
        type: 'boolean',
        describe: 'dcdh: each DID_ℓ per unit of treatment accumulated since the first switch (δ^D_ℓ)',
        group: 'Estimator:',
      })
      .option('same-switchers', {
        type: 'boolean',
        describe: 'dcdh: only the switchers that have all the --effects (same_switchers)',
        group: 'Estimator:',
      })
      .option('less-conservative-se', {
        type: 'boolean',
        describe: "dcdh: demean switchers within their treatment path (the package's less_conservative_se)",
        group: 'Inference:',
      })
      .option('same-switchers-pl', {
        type: 'boolean',
        describe: 'dcdh: placebos only from the switchers that also have all the --placebo (same_switchers_pl; needs --same-switchers)',
        group: 'Estimator:',
      })
      .option('trends-lin', {
        type: 'boolean',
        describe:
          'dcdh: unit-specific linear trends (trends_lin): the estimator on first differences, DID_ℓ the sum of the first ℓ; no average total effect',
        group: 'Estimator:',
      })
      .option(
        'continuous',
        numberOption('continuous', ANY_NUMBER, {
          describe:
            "dcdh: did_multiplegt_dyn's continuous option for a baseline treatment with many values: units compared whatever their baseline, with period × baseline-polynomial controls of this degree",
          group: 'Estimator:',
        }),
      )
      .option('dont-drop-larger-lower', {
        type: 'boolean',
        describe:
          "dcdh: keep the switchers whose treatment goes both above and below the baseline whole (did_multiplegt_dyn's dont_drop_larger_lower; those with no first stage are then left out)",
        group: 'Estimator:',
      })
      .option('drop-if-d-miss-before-first-switch', {
        type: 'boolean',
        describe:
          "dcdh: drop a unit's outcomes from its first missing treatment on when that comes before its first change (did_multiplegt_dyn's drop_if_d_miss_before_first_switch; default fills it with the baseline)",
        group: 'Estimator:',
      })
      .option('predict-het', {
        type: 'string',
        describe:
          "dcdh: comma-separated time-invariant columns the switchers' effects are regressed on, with cell fixed effects and HC1 SEs (predict_het; the text output and --json's heterogeneity)",
        group: 'Estimator:',
      })
      .option('random-weights', {
        type: 'string',
        describe:
          "twowayfeweights: comma-separated columns regressed on the weights over the treated cells, SEs clustered by unit (the package's test_random_weights; --json's twfe_weights.random_weights)",
        group: 'Estimator:',
      })
      .option('twfe-type', {
        choices: ['feTR', 'feS', 'fdTR', 'fdS'] as const,
        describe:
          "twowayfeweights: the regression and assumption (the package's type): fixed effects (fe) or first differences (fd, of the outcome, treatment and controls, done here), under common trends (TR, default feTR) or also effects constant over time (S)",
        group: 'Estimator:',
      })
      .option('other-treatments', {
        type: 'string',
        describe:
          "twowayfeweights (feTR): comma-separated other treatment columns in the regression; their contamination weights come in --json's twfe_weights.other_treatments (the package's other_treatments; de Chaisemartin & D'Haultfœuille 2020b)",
        group: 'Estimator:',
      })
      .option('predict-het-effects', {
        type: 'string',
        describe: 'dcdh: the effects ℓ for --predict-het, e.g. 1,3 (default all; the placebos of the same numbers come too)',
        group: 'Estimator:',
      })
      .option('trends-nonparam', {
        type: 'string',
        describe: 'dcdh: comma-separated unit-level columns; switchers are compared with controls in their cell only',
        group: 'Estimator:',
      })
      .option(
        'kappa-pre',
        numberOption('kappa-pre', ANY_NUMBER, {
          describe: 'stacked: periods κ_pre ≥ 1 before adoption in each sub-experiment (default −(--min-e), else 3)',
          group: 'Estimator:',
        }),
      )
      .option(
        'kappa-post',
        numberOption('kappa-post', ANY_NUMBER, {
          describe: 'stacked: periods κ_post ≥ 0 after adoption (default --max-e, else 3)',
          group: 'Estimator:',
        }),
      )
      .option('weighting', {
        choices: ['wing', 'cengiz'] as const,
        describe: 'stacked: Wing, Freedman & Hollingsworth (2024) weights (default) or unweighted (Cengiz et al. 2019)',
        group: 'Estimator:',
      })
      .option(
        'base-period',
        dataOption('base-period', { describe: 'did: base period of pre-treatment cells (default varying)', group: 'Estimator:' }),
      )
      .option(
        'anticipation',
        dataOption('anticipation', { describe: 'did, twfe, sunab, bjs: periods of anticipation δ ≥ 0 (default 0)', group: 'Estimator:' }),
      )
      .option(
        'alpha',
        numberOption('alpha', LEVEL, { default: 0.05, describe: 'Significance level of the intervals', group: 'Estimator:' }),
      )
      .option('min-e', dataOption('min-e', { describe: 'Event study: smallest event time', group: 'Estimator:' }))
      .option('max-e', dataOption('max-e', { describe: 'Event study: largest event time', group: 'Estimator:' }))
      .option(
        'balance-e',
        numberOption('balance-e', ANY_NUMBER, {
          describe: 'Event study: keep groups observed this many periods after treatment',
          group: 'Estimator:',
        }),
      )
      .option(
        'reference',
        numberOption('reference', ANY_NUMBER, {
          describe: 'twfe event study: reference event time (coefficient 0; default −1 − anticipation); --min-e/--max-e bin the end points',
          group: 'Estimator:',
        }),
      )
      .option(
        'horizon',
        numberOption('horizon', ANY_NUMBER, {
          describe: 'dim: wait-list horizon h (event time at which treated and not-yet-treated are compared; default 0)',
          group: 'Estimator:',
        }),
      )
      .option(
        'permutations',
        numberOption('permutations', ANY_NUMBER, {
          describe: 'dim, efficient: re-randomisations of the Fisher test (default 0 = none; seeded by --seed)',
          group: 'Inference:',
        }),
      )
      .option(
        'beta',
        numberOption('beta', ANY_NUMBER, {
          describe:
            "efficient: fixed coefficient on the pre-period difference (0 = difference in means, 1 = Callaway & Sant'Anna); default the plug-in β*",
          group: 'Estimator:',
        }),
      )
      .option('last-treated-only', {
        type: 'boolean',
        describe:
          "efficient: compare with the last-starting cohort only (staggered's use_last_treated_only; with --beta 1 Sun & Abraham as staggered_sa)",
        group: 'Estimator:',
      })
      .option('pair', { type: 'string', describe: 'matched: unit-level column with the pair id (default pair)', group: 'Data:' })
      .option('command', {
        type: 'string',
        describe: 'external: your estimator program and its arguments, e.g. "Rscript my_estimator.R" (one JSON request, one JSON answer)',
        group: 'Estimator:',
      })
      .option('estimands', {
        type: 'string',
        describe: 'external: the estimand ids it answers, comma-separated (simple,dynamic:0,… or dynamic for every event time)',
        group: 'Estimator:',
      })
      .option('timeout', { type: 'number', describe: 'external: seconds the answer may take (default 60)', group: 'Estimator:' })
      .option('panel-format', {
        choices: ['csv', 'binary'] as const,
        describe:
          'external: the panel as CSV (default) or as the binary frame (doubles, column after column; README, Bring your own estimator)',
        group: 'Estimator:',
      })
      .option('correlation', {
        choices: ['exchangeable', 'block', 'decay'] as const,
        describe:
          'hh: cluster random intercept (default, Hussey & Hughes), block exchangeable (cluster + cluster-period effects; needs --hh-data individual), or decaying cluster-period correlation (Kasza 2019)',
        group: 'Estimator:',
      })
      .option('hh-data', {
        choices: ['means', 'individual'] as const,
        describe:
          'hh: fit the cluster-period means (default) or the individual-level model (needs cell sizes and within-cell sums of squares)',
        group: 'Estimator:',
      })
      .option('inference', {
        choices: ['normal', 't'] as const,
        describe: 'hh: normal critical values (default, as Hussey & Hughes) or t(G − 1), G = clusters',
        group: 'Inference:',
      })
      .option('efficient-se', {
        choices: ['refined', 'neyman'] as const,
        describe: "efficient: refined design-based SE (default; the staggered package's se) or the Neyman SE",
        group: 'Inference:',
      })
      .option('pretest', {
        type: 'boolean',
        describe: 'did: Wald pre-test of parallel trends (default on; --no-pretest skips it)',
        group: 'Estimator:',
      })
      .option('pretest-power', {
        type: 'boolean',
        describe: 'did: the linear pre-trend slope the pre-test detects with 50 % and 80 % power (Roth 2022), and the bias it would cause',
        group: 'Pre-test:',
      })
      .option('pretest-test', {
        choices: ['wald', 'individual'] as const,
        describe: 'with --pretest-power: Wald test of the pre-period coefficients (default), or "none individually significant"',
        group: 'Pre-test:',
      })
      .option(
        'pretest-periods',
        numberOption('pretest-periods', WHOLE_AT_LEAST_1, {
          describe: 'with --pretest-power: pre-period event times tested, −K … −1 (default 3)',
          group: 'Pre-test:',
        }),
      )
      .option(
        'bootstrap',
        numberOption('bootstrap', ANY_NUMBER, {
          describe:
            "did: multiplier-bootstrap draws B (default 0 = analytic SEs); adds uniform bands; dcdh: did_multiplegt_dyn's bootstrap, B ≥ 2 replications of units (or --cluster clusters) for the SEs",
          group: 'Inference:',
        }),
      )
      .option('bootstrap-weights', {
        choices: BOOTSTRAP_WEIGHTS,
        default: 'rademacher' as BootstrapWeights,
        describe: "did: multiplier distribution of the bootstrap (Rademacher as R did 2.5.1, or Mammen's)",
        group: 'Inference:',
      })
      .option('vcov', {
        choices: ['cr1', 'cr2'] as const,
        describe: 'twfe: cluster-robust variance CR1 (default) or CR2 (Bell & McCaffrey 2002, as clubSandwich)',
        group: 'Inference:',
      })
      .option('df', {
        choices: ['normal', 'cluster', 'satterthwaite'] as const,
        describe: 'twfe: critical values from the normal (default), t(G − 1), or t with Satterthwaite df (Pustejovsky & Tipton 2018)',
        group: 'Inference:',
      })
      .option(
        'wild',
        numberOption('wild', ANY_NUMBER, {
          describe:
            'twfe, hh: restricted wild cluster bootstrap draws B for the static coefficient (hh: variance components fixed at REML; default 0 = off; Rademacher with 2^G ≤ B enumerates all sign vectors; seeded by --seed)',
          group: 'Inference:',
        }),
      )
      .option('wild-weights', {
        choices: ['rademacher', 'webb'] as const,
        describe: "twfe, hh: the wild bootstrap's cluster weights (Rademacher, default, or Webb's six-point)",
        group: 'Inference:',
      })
      .option('unbalanced', {
        type: 'boolean',
        describe:
          "did: keep units missing some periods (R did's allow_unbalanced_panel = TRUE: the repeated-cross-section 2×2s, SEs clustered by unit); default drops them",
        group: 'Data:',
      })
      .option('cross-sections', {
        type: 'boolean',
        describe: "did: repeated cross-sections, each row its own unit (R did's panel = FALSE); the id column may be absent",
        group: 'Data:',
      })
      .option(
        'cluster',
        dataOption('cluster', {
          describe:
            "Cluster column (time-invariant): did clusters its analytic SEs and Wald pre-test (R did's clustervars, bstrap = FALSE) or its bootstrap; twfe, bacon, sunab, bjs, twowayfeweights, stacked: CR1 SEs; dcdh: its influence-function SEs (by unit without it)",
          group: 'Inference:',
        }),
      )
      .option('first-stage', {
        type: 'string',
        choices: ['unit', 'cluster'] as const,
        describe:
          'did2s: first-stage fixed effects besides the period: the unit (default) or the --cluster column (did2s `~ 0 | state + year`)',
        group: 'Estimator:',
      })
      .option(
        'pretrends',
        numberOption('pretrends', ANY_NUMBER, {
          describe:
            "bjs: BJS (2024) Test 1 on the leads −K … −1 (didimputation's pretrends = -K:-1): lead coefficients with clustered SEs and their joint Wald test",
          group: 'Pre-test:',
        }),
      )
      .option('solver', {
        type: 'string',
        choices: ['frank-wolfe', 'exact'] as const,
        describe: "synthdid: the weights' solver: the exact optimum (default) or synthdid's Frank–Wolfe path (the package's numbers)",
        group: 'Estimator:',
      })
      .option('sdid-se', {
        type: 'string',
        choices: ['placebo', 'jackknife', 'none'] as const,
        describe: 'synthdid: placebo SE (Algorithm 4, default), fixed-weights jackknife (Algorithm 3) or none',
        group: 'Inference:',
      })
      .option(
        'replications',
        numberOption('replications', ANY_NUMBER, {
          describe: 'synthdid: placebo replications B (default 200; seeded by --seed)',
          group: 'Inference:',
        }),
      )
      .option('cell-size', {
        type: 'string',
        describe: `Cluster-period cells (a stagger simulate file of a clusters design: n): the people in each cell, for ${READS_CELLS.join(', ')}'s individual-level model`,
        group: 'Data:',
      })
      .option('cell-ss', {
        type: 'string',
        describe: 'With --cell-size: the within-cell sum of squares of the outcome (a stagger simulate file: ss)',
        group: 'Data:',
      })
      .option('seed', {
        type: 'string',
        describe: 'did, dim, efficient, twfe and hh (--wild): seed of the bootstrap weights or the Fisher re-draws (default 1)',
        group: 'Inference:',
      })
      .option('json', { type: 'boolean', describe: 'Print one JSON object on stdout', group: 'Output:' })
      .option('csv', { type: 'string', describe: "Write tidy rows (R did's tidy() columns) to this file", group: 'Output:' })
      .conflicts('json', 'csv')
      .check((a) => {
        if (a.weights && a.estimator !== 'did' && a.estimator !== 'dcdh' && a.estimator !== 'twowayfeweights')
          throw new UsageError(
            `--weights works with --estimator did (R did's weightsname), dcdh (did_multiplegt_dyn's weight) and twowayfeweights (its weights) only; ${a.estimator} takes no weights`,
          );
        if (a['pretest-power'] && a.estimator !== 'did')
          throw new UsageError(
            '--pretest-power works with --estimator did (its event-study influence functions give the pre-period covariance)',
          );
        checkEstimatorFlags(a.estimator, a as unknown as Record<string, unknown>);
        if (a.treatment !== undefined && a.estimator !== 'dcdh' && a.estimator !== 'twowayfeweights')
          throw new UsageError(
            `--treatment works with --estimator dcdh and twowayfeweights only (a treatment that switches on and off); ${a.estimator} reads a start group (--group)`,
          );
        if (a.treatment !== undefined && a.group !== undefined)
          throw new UsageError('--treatment and --group exclude each other: the treatment column defines each unit’s switches');
        if ((a['pretest-test'] !== undefined || a['pretest-periods'] !== undefined) && !a['pretest-power'])
          throw new UsageError('--pretest-test and --pretest-periods set the test of --pretest-power: add --pretest-power');
        for (const flag of ['unbalanced', 'cross-sections'] as const) {
          // (dcdh always keeps a panel's gaps, as the package does: --unbalanced asks for what it does anyway.)
          if (a[flag] && a.estimator !== 'did' && !(flag === 'unbalanced' && a.estimator === 'dcdh'))
            throw new UsageError(
              `--${flag} works with --estimator did${flag === 'unbalanced' ? ' and dcdh' : ''} only (${a.estimator} takes a balanced panel)`,
            );
          if (a[flag] && a['pretest-power'])
            throw new UsageError(`--pretest-power takes a balanced panel; it cannot be combined with --${flag}`);
        }
        if (a.unbalanced && a['cross-sections'])
          throw new UsageError(
            '--unbalanced and --cross-sections exclude each other: with repeated cross-sections every row is its own unit (R did ignores allow_unbalanced_panel when panel = FALSE)',
          );
        if (a['bootstrap-weights'] !== 'rademacher' && !(a.estimator === 'did' && (a.bootstrap ?? 0) > 0))
          throw new UsageError('--bootstrap-weights applies to the multiplier bootstrap of --estimator did (set --bootstrap B)');
        if (a.weights && ((a.unbalanced && a.estimator !== 'dcdh') || a['cross-sections']))
          throw new UsageError('--weights is not implemented with --unbalanced or --cross-sections yet');
        checkCellFlags(a);
        if (a.estimator === 'external' && (a.command === undefined || a.estimands === undefined))
          throw new UsageError('--estimator external needs --command "PROGRAM ARGS" and --estimands simple,dynamic,…');
        return true;
      })
      .example(
        '$0 estimate --data panel.csv --id id --time period --group first_treat --outcome y',
        'doubly robust, never-treated comparison',
      )
      .example('$0 estimate --data panel.csv --covariates x1,x2 --control notyet --json', 'not-yet-treated comparison, JSON out')
      .example(
        '$0 estimate --data panel.csv --bootstrap 999 --cluster county --seed 7',
        'clustered multiplier bootstrap with uniform bands',
      )
      .example(
        '$0 estimate --data panel.csv --weights w --cluster county',
        "sampling weights, analytic SEs clustered by county (R did's weightsname, clustervars)",
      )
      .example('$0 estimate --data panel.csv --unbalanced', 'keep units missing some periods, as R did with allow_unbalanced_panel = TRUE')
      .example(
        '$0 estimate --data waves.csv --cross-sections --covariates age',
        'repeated cross-sections (survey waves), as R did with panel = FALSE',
      )
      .example(
        '$0 estimate --data panel.csv --estimator twfe --min-e -5 --max-e 5 --cluster state',
        'TWFE with a binned event study, SEs clustered by state',
      )
      .example('$0 estimate --data panel.csv --estimator bacon', 'Goodman-Bacon decomposition of the TWFE estimate')
      .example(
        '$0 estimate --data panel.csv --pretest-power --pretest-periods 4',
        'what a clean pre-trend plot is worth: slopes detected with 50 % / 80 % power',
      )
      .example(
        '$0 estimate --data clinics.csv --id clinic --estimator hh --inference t',
        'stepped-wedge trial: Hussey & Hughes mixed model on cluster-period means, t(G − 1) intervals',
      )
      .example(
        '$0 estimate --data panel.csv --estimator external --command "python3 did_2x2.py" --estimands simple,dynamic',
        'your own estimator over the JSON-lines protocol (README, Bring your own estimator)',
      )
      .example(
        '$0 estimate --data panel.csv --estimator efficient --min-e 0 --max-e 23',
        "Roth & Sant'Anna efficient estimator for a randomised rollout",
      ),
  handler: (a) => {
    const started = process.hrtime.bigint();
    // Every file before any work: the panel read, the tidy rows written.
    readableFile(`--data ${a.data}`, a.data, 'a long CSV panel');
    if (a.csv) writableFile(`--csv ${a.csv}`, a.csv);
    const { est, power } = estimateFromArgs(a);
    if (a.json) {
      process.stdout.write(`${JSON.stringify(power ? { ...est, pretest_power: power } : est)}\n`);
    } else if (a.csv) {
      const rows = tidyCsv(tidyRows(est, a.alpha));
      writing(a.csv, 'make room (or choose another --csv) and run the command again', () => writeFileSync(a.csv!, rows));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stderr.write(`Wrote ${tidyRows(est, a.alpha).length} tidy rows to ${a.csv} (${ms.toFixed(0)} ms).\n`);
    } else {
      const f = (est as DimEstimate).fisher;
      const fisher = f ? `Fisher randomisation test (${f.draws} re-draws of the start times): p = ${f.p.toFixed(4)}\n` : '';
      process.stdout.write(estimateTable(est, a.alpha) + baconTable(est) + fisher + (power ? pretestPowerText(power) : ''));
    }
  },
};

/** The 2×2 comparisons of a Bacon decomposition as text ('' for other estimators). */
export function baconTable(est: { estimator: string }): string {
  const d = (est as BaconEstimate).bacon;
  if (!d) return '';
  const f = (v: number) => v.toFixed(5).padStart(10);
  const lines = [
    '',
    `Goodman-Bacon decomposition of the TWFE estimate ${d.twfe.toFixed(5)}`,
    `  ${'type'.padEnd(26)} ${'weight'.padStart(10)} ${'avg. est.'.padStart(10)}`,
  ];
  for (const b of d.byType) lines.push(`  ${b.type.padEnd(26)} ${f(b.weight)} ${f(b.estimate)}`);
  lines.push(
    '',
    `  ${'treated'.padStart(8)} ${'control'.padStart(8)}  ${'type'.padEnd(24)} ${'weight'.padStart(10)} ${'estimate'.padStart(10)}`,
  );
  for (const t of d.terms)
    lines.push(`  ${String(t.treated).padStart(8)} ${String(t.control).padStart(8)}  ${t.type.padEnd(24)} ${f(t.weight)} ${f(t.estimate)}`);
  lines.push('  (control 0 = never treated)');
  return `${lines.join('\n')}\n`;
}
