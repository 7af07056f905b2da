/**
 * One option schema per estimator family: exactly the options each family implements, in the
 * registry's (camelCase) terms. The registry validates every build against it, `stagger estimate`
 * refuses a flag its --estimator does not take, and the scenario schema derives each family's
 * `analysis.estimators` entry from it — so an option a family does not implement is an error
 * naming the family and the option, never silently ignored.
 */
import { z } from 'zod';
import { nearest } from '../scenario/nearest-name.js';
import { TWFE_TYPES } from './dcdh/twfe-weights-types.js';
import { BOOTSTRAP_WEIGHTS } from './did/bootstrap.js';
import { EstimatorInputError } from './errors.js';
import { DF_TYPES, VCOV_TYPES } from './few-cluster/inference.js';
import { WILD_WEIGHTS } from './few-cluster/wild-cluster.js';

const cluster = z.enum(['unit', 'column']);
const eventTime = z.custom<number>(
  (v) => typeof v === 'number' && (Number.isInteger(v) || v === Infinity || v === -Infinity),
  'a whole event time (or ±Infinity)',
);
const anticipation = z.number().int('a whole number of periods ≥ 0').min(0, 'a whole number of periods ≥ 0');
const covariates = z.array(z.string().min(1));
/**
 * Caps on re-draws: a Fisher p-value or a bootstrap band from 100,000 draws has an MC SE below
 * 0.0016 at p = 0.05 (√(p(1−p)/B)); more only takes longer (1e9 ran for days).
 */
export const MAX_REDRAWS = 100_000;
const redraws = (what: string) =>
  z
    .number()
    .int(`a whole number of ${what} from 0 to ${MAX_REDRAWS}`)
    .min(0, `a whole number of ${what} from 0 to ${MAX_REDRAWS}`)
    .max(MAX_REDRAWS, `a whole number of ${what} from 0 to ${MAX_REDRAWS} (the cap: more do not change the answer at 3 decimals)`);
const permutations = redraws('re-randomisations');
const seed = z.union([z.number(), z.string()]);
const aggregations = z.array(z.enum(['simple', 'group', 'dynamic', 'calendar']));

/** Per family: option name → its schema. Add an option here when (and only when) the family implements it. */
export const FAMILY_OPTIONS = {
  did: {
    method: z.enum(['dr', 'ipw', 'reg']),
    control: z.enum(['never', 'notyet']),
    basePeriod: z.enum(['varying', 'universal']),
    anticipation,
    covariates,
    alpha: z.number().gt(0, 'a level in (0, 1)').lt(1, 'a level in (0, 1)'),
    minE: eventTime,
    maxE: eventTime,
    balanceE: z.number().int('a whole number ≥ 0').min(0, 'a whole number ≥ 0').nullable(),
    bootstrap: redraws('bootstrap draws'),
    /** The multiplier distribution (Rademacher as R did 2.5.1, or Mammen's). */
    bootstrapWeights: z.enum(BOOTSTRAP_WEIGHTS),
    /** false: repeated cross-sections (R did's panel = FALSE), each unit-period its own row. */
    panel: z.boolean(),
    /** R did's allow_unbalanced_panel = TRUE. */
    unbalanced: z.boolean(),
    seed,
    pretest: z.boolean(),
    aggregations,
    averages: z.record(z.string(), z.unknown()),
    pretestPeriods: z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1'),
    /** Clusters of the analytic SEs and of the bootstrap: the panel's cluster column (R did's clustervars). */
    cluster,
  },
  twfe: {
    minE: eventTime,
    maxE: eventTime,
    reference: z.number().int('a whole event time'),
    cluster,
    anticipation,
    covariates,
    /** Few-cluster inference (estimators/few-cluster/): CR1 (default) or CR2 variance. */
    vcov: z.enum(VCOV_TYPES),
    /** normal (default), t(G − 1) or Satterthwaite t. */
    df: z.enum(DF_TYPES),
    /** Restricted wild cluster bootstrap draws for the static coefficient (0 = off; 2^G ≤ B enumerates). */
    wild: redraws('wild bootstrap draws'),
    wildWeights: z.enum(WILD_WEIGHTS),
    alpha: z.number().gt(0, 'a level in (0, 1)').lt(1, 'a level in (0, 1)'),
    /** `stagger estimate --seed`: seeds the stream the wild bootstrap draws from (in a run: the draw's own stream). */
    seed,
  },
  sunab: { minE: eventTime, maxE: eventTime, cluster, anticipation, covariates },
  bjs: {
    minE: eventTime,
    maxE: eventTime,
    cluster,
    anticipation,
    covariates,
    /** BJS (2024) Test 1 on the leads −K … −1 (didimputation's pretrends = -K:-1); the joint test is wald_pretest. */
    pretrends: z.number().int('a whole number of leads ≥ 1').min(1, 'a whole number of leads ≥ 1'),
  },
  bacon: { cluster },
  /** Arkhangelsky et al. (2021) synthetic DiD (estimators/synthdid). */
  synthdid: {
    minE: eventTime,
    maxE: eventTime,
    solver: z.enum(['frank-wolfe', 'exact']),
    variance: z.enum(['placebo', 'jackknife', 'none']),
    replications: redraws('placebo replications'),
    /** `stagger estimate --seed`: seeds the placebo's stream (in a run: the draw's own stream). */
    seed,
  },
  /** Wooldridge (2021) extended TWFE (estimators/etwfe). */
  etwfe: { minE: eventTime, maxE: eventTime, cluster, covariates },
  /** Gardner (2022) two-stage DiD (estimators/did2s). */
  did2s: { minE: eventTime, maxE: eventTime, cluster, fixedEffects: z.enum(['unit', 'column']) },
  dim: {
    horizon: z.number().int('a whole event time ≥ 0').min(0, 'a whole event time ≥ 0'),
    maxE: eventTime,
    permutations,
    seed,
    covariates,
  },
  efficient: {
    aggregations,
    minE: eventTime,
    maxE: eventTime,
    beta: z.number(),
    se: z.enum(['refined', 'neyman']),
    cells: z.boolean(),
    permutations,
    seed,
    /** Compare with the last-starting cohort only (staggered's use_last_treated_only; β = 1: staggered_sa). */
    lastTreatedOnly: z.boolean(),
  },
  matched: { pair: z.string().min(1), aggregations, minE: eventTime, maxE: eventTime },
  /** Hussey & Hughes (2007) mixed model (estimators/hh). */
  hh: {
    correlation: z.enum(['exchangeable', 'block', 'decay']),
    data: z.enum(['means', 'individual']),
    inference: z.enum(['normal', 't']),
    /** The level of the t(G − 1) or wild bootstrap interval (the analysis' alpha). */
    alpha: z.number().gt(0, 'a level in (0, 1)').lt(1, 'a level in (0, 1)'),
    /** Restricted wild cluster bootstrap draws, variance components fixed at REML (0 = off; 2^G ≤ B enumerates). */
    wild: redraws('wild bootstrap draws'),
    wildWeights: z.enum(WILD_WEIGHTS),
    /** `stagger estimate --seed`: seeds the wild bootstrap's stream (in a run: the draw's own stream). */
    seed,
  },
  /** de Chaisemartin & D'Haultfœuille (2020) TWFE weights (estimators/dcdh/twfe-weights.ts). */
  twowayfeweights: {
    cluster,
    /** The regression: feTR (default), feS, fdTR, fdS (the package's type). */
    twfeType: z.enum(TWFE_TYPES),
    /** The package's controls (first-differenced for the fd types). */
    covariates,
    /** The package's other_treatments (feTR; the CLI only). */
    otherTreatments: z.array(z.string().min(1)).min(1, 'at least one column'),
    /** The package's weights: a regression-weight column (the CLI only). */
    weights: z.string().min(1),
    /** test_random_weights: columns regressed on the weights (the CLI only). */
    randomWeights: z.array(z.string().min(1)).min(1, 'at least one column'),
  },
  /** de Chaisemartin & D'Haultfœuille (2024) DID_ℓ (estimators/dcdh). */
  dcdh: {
    effects: z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1'),
    placebo: z.number().int('a whole number ≥ 0').min(0, 'a whole number ≥ 0'),
    control: z.enum(['never', 'notyet']),
    cluster,
    minE: eventTime,
    maxE: eventTime,
    /** Only switchers in or only switchers out (did_multiplegt_dyn's switchers). */
    switchers: z.enum(['in', 'out']),
    normalized: z.boolean(),
    sameSwitchers: z.boolean(),
    lessConservativeSe: z.boolean(),
    trendsNonparam: z.array(z.string().min(1)).min(1, 'at least one column'),
    sameSwitchersPl: z.boolean(),
    trendsLin: z.boolean(),
    /** did_multiplegt_dyn's controls: time-varying columns. */
    covariates,
    /** predict_het: time-invariant columns, and the effects ℓ to regress (the CLI only). */
    predictHet: z.array(z.string().min(1)).min(1, 'at least one column'),
    predictHetEffects: z.array(z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1')).min(1, 'at least one effect'),
    /** did_multiplegt_dyn's continuous: the degree of the baseline polynomial. */
    continuous: z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1'),
    /** did_multiplegt_dyn's bootstrap: replications (0 = the analytic SEs; else ≥ 2). */
    bootstrap: redraws('bootstrap replications').refine((b) => b !== 1, 'a whole number of bootstrap replications: 0 (off) or at least 2'),
    dontDropLargerLower: z.boolean(),
    /** did_multiplegt_dyn's drop_if_d_miss_before_first_switch (a panel with missing treatments; the CLI only). */
    dropIfDMissBeforeFirstSwitch: z.boolean(),
  },
  /** Stacked DiD, Cengiz et al. (2019) / Wing, Freedman & Hollingsworth (2024) weights (estimators/stacked). */
  stacked: {
    kappaPre: z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1'),
    kappaPost: z.number().int('a whole number ≥ 0').min(0, 'a whole number ≥ 0'),
    weighting: z.enum(['wing', 'cengiz']),
    cluster,
    minE: eventTime,
    maxE: eventTime,
  },
  /** Your own estimator over the JSON-lines protocol (estimators/external). `cwd` is set by the engine, not the scenario. */
  external: {
    command: z.string().trim().min(1, 'a program and its arguments, e.g. "Rscript my_estimator.R"'),
    estimands: z.array(z.string()).min(1, 'at least one estimand id'),
    timeout: z.number().gt(0, 'seconds > 0'),
    /** How each draw's panel is written: the CSV of `stagger simulate`, or the binary frame (external/panel-binary.ts). */
    panelFormat: z.enum(['csv', 'binary']),
    cwd: z.string().min(1),
    /** The analysis' event window: which dynamic:E a request for `dynamic` lists. */
    minE: eventTime,
    maxE: eventTime,
    /** The analysis' narrowed averages, sent as the request's options (external/options.ts). */
    averages: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, Record<string, z.ZodType>>;

export type Family = keyof typeof FAMILY_OPTIONS;
export const FAMILIES = Object.keys(FAMILY_OPTIONS) as Family[];

/**
 * Settings of the whole run that every family receives and uses where they mean something (the
 * engine passes the analysis block's event window, estimands and averages to every estimator): not
 * options of one family, so they are not refused — except that their values are checked.
 */
const RUN_WIDE: Record<string, z.ZodType> = {
  alpha: z.number().gt(0, 'a level in (0, 1)').lt(1, 'a level in (0, 1)'),
  minE: eventTime,
  maxE: eventTime,
  aggregations,
  averages: z.record(z.string(), z.unknown()),
  pretest: z.boolean(),
  cells: z.boolean(),
  pretestPeriods: z.number().int('a whole number ≥ 1').min(1, 'a whole number ≥ 1'),
};

/** Values that mean "not used" (no covariates, no anticipation): a family without the option accepts them. */
function neutral(key: string, value: unknown): boolean {
  return (key === 'covariates' && Array.isArray(value) && value.length === 0) || (key === 'anticipation' && value === 0);
}

/** The families that implement an option (for "did, twfe and bjs take it"). */
export function familiesTaking(option: string): Family[] {
  return FAMILIES.filter((f) => option in FAMILY_OPTIONS[f]);
}

/** "bacon does not take anticipation (bacon takes: cluster; anticipation is taken by did, twfe, sunab, bjs)" */
export function refusal(family: Family, option: string, valid: readonly string[], shown = option): string {
  const takers = familiesTaking(option);
  const near = nearest(shown, valid);
  return (
    `${family} does not take ${shown} (${family} takes: ${valid.length ? valid.join(', ') : 'no options'}` +
    `${near ? `; nearest: ${near}` : ''})${takers.length ? `; ${shown} is taken by ${takers.join(', ')}` : ''}`
  );
}

/**
 * Check an option bag against its family: every set option must be one the family implements (or a
 * run-wide setting, or a neutral value), and every value must fit its schema.
 * @returns the bag without run-wide settings the family does not use.
 * @throws {EstimatorInputError} naming the family, the option and the valid ones.
 */
export function checkFamilyOptions(family: Family, bag: Record<string, unknown>): Record<string, unknown> {
  const own = FAMILY_OPTIONS[family] as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(bag)) {
    if (value === undefined) continue;
    const schema = own[key] ?? RUN_WIDE[key];
    if (!schema) {
      if (neutral(key, value)) continue;
      throw new EstimatorInputError(refusal(family, key, Object.keys(own)));
    }
    const r = schema.safeParse(value);
    if (!r.success)
      throw new EstimatorInputError(
        `${family}: ${key}: expected ${r.error.issues[0].message.replace(/^Invalid input: expected /, '')}, found ${JSON.stringify(value)}`,
      );
    if (key in own) out[key] = value;
  }
  return out;
}
