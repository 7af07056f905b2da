/**
 * The scenario schema: every key, its type, its default. The key reference for users is
 * scenarios/README.md; keep the two in step. Time settings are period labels (months for R1/R2/R5,
 * years for R3/R4); amounts are on the outcome's own scale (kr/month, shares, days).
 */
import { z } from 'zod';
import { Axis } from './axis.js';
import { isReservedName, RESERVED_EXPECTED } from './reserved-keys.js';
import { FAMILIES, FAMILY_OPTIONS, refusal, type Family } from '../estimators/family-options.js';
import { entryAggregation, isEntry, parseEntry } from '../estimators/external/estimands.js';

/** A scalar setting that may instead be a non-empty list of values: a design-grid axis. */
function axis<S extends z.ZodType>(s: S) {
  return z.union([s, z.array(s).min(1)]).transform((v) => (Array.isArray(v) ? new Axis(v as z.output<S>[]) : (v as z.output<S>)));
}
const num = z.number();
const share = z.number().min(0).max(1);
/** A share that lets someone through: 0 consent (or 1 exclusion) enrols nobody in any draw, so it is refused up front. */
const someShare = z.number().gt(0, 'a share above 0 (with 0 nobody is enrolled in any draw)').max(1);
const exclusionShare = z.number().min(0).lt(1, 'a share below 1 (with 1 everyone is excluded in every draw)');
const positive = z.number().gt(0);
const count = z.number().int().min(0);
const period = z.number().int();
const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'a name of letters, digits and _ starting with a letter', abort: true })
  .refine((n) => !isReservedName(n), RESERVED_EXPECTED);

// ---- population ------------------------------------------------------------------------------
const binaryCov = z.strictObject({ type: z.literal('binary'), p: axis(share) });
const normalCov = z.strictObject({ type: z.literal('normal'), mean: axis(num), sd: axis(z.number().min(0)) });
const categoricalCov = z.strictObject({
  type: z.literal('categorical'),
  levels: z.array(name).min(2),
  p: z.array(share).min(2),
});
export const covariateSchema = z.discriminatedUnion('type', [binaryCov, normalCov, categoricalCov]);

const subgroupCondition = z.union([z.number(), name, z.strictObject({ min: num.optional(), max: num.optional() })]);

/**
 * Resample whole units from a real panel (population.from_panel; src/world/resample-panel.ts): a long
 * CSV, file relative to the scenario file; the covariates listed come along with each unit.
 */
export const fromPanelSchema = z.strictObject({
  file: z.string().min(1),
  id: z.string().min(1),
  time: z.string().min(1),
  outcome: z.string().min(1),
  covariates: z.array(name).default([]),
});

const populationSchema = z.strictObject({
  /** Fixed population size (R2, R3, R4); recruitment designs draw people as they are referred. */
  size: axis(z.number().int().min(1)).optional(),
  covariates: z.record(name, covariateSchema).default({}),
  /** Latent (Gaussian-copula) correlations between named covariates. */
  correlations: z.array(z.strictObject({ between: z.tuple([name, name]), r: axis(z.number().gt(-1).lt(1)) })).default([]),
  /** Named subgroups: all conditions must hold, e.g. women: { woman: 1 }; young: { age: { max: 24 } }. */
  subgroups: z.record(name, z.record(name, subgroupCondition)).default({}),
  /** What one unit of the population is called, for humans only (the report): default person/people. */
  unit: z.strictObject({ one: z.string().min(1), many: z.string().min(1) }).optional(),
  /** People resampled from a real panel: covariates then come from it (filled in when the file loads). */
  from_panel: fromPanelSchema.optional(),
});

// ---- outcome ---------------------------------------------------------------------------------
const latentParts = {
  name: name.default('y'),
  /** The outcome's units in words, for humans only (the report's axis titles), e.g. kr/month. */
  units: z.string().min(1).optional(),
  /** Sd of the stable unit effect on the latent scale. */
  unit_sd: axis(z.number().min(0)).default(1),
  /** Stationary sd of the AR(1) noise on the latent scale. */
  noise_sd: axis(z.number().min(0)).default(0.5),
  /** AR(1) coefficient of the noise from one period to the next. */
  rho: axis(z.number().min(0).lt(1)).default(0.7),
  /** Shift of the latent level per unit of a covariate (latent sd units). */
  covariate_effects: z.record(name, axis(num)).default({}),
  /** Calendar trend of the latent index per period, overall and per unit of a covariate. */
  trend: z.strictObject({ slope: axis(num).default(0), by: z.record(name, axis(num)).default({}) }).default({ slope: 0, by: {} }),
};
/** The outcome types (one strict object each); `outcome:` takes one, `outcomes:` a list with an effect each. */
const earningsOutcome = z.strictObject({
  type: z.literal('earnings'),
  mean: axis(positive),
  share_any: axis(share),
  sdlog: axis(z.number().min(0)).default(0.9),
  /** Share of the amount's log-scale variance that is the person's own, the same every month (0: fresh each month). */
  amount_persistence: axis(z.number().min(0).lt(1)).default(0),
  ...latentParts,
});
/**
 * The people-inside-clusters keys (design.type: clusters; src/world/cluster-outcomes.ts), on the
 * continuous and binary types: the intra-cluster correlation on the outcome's own scale, and how a
 * cluster's period effects correlate across periods (block exchangeable cac, or decay^|s−t|).
 */
const clusterParts = {
  /** Correlation of two people's outcomes in the same cluster and period (outcome scale). */
  icc: axis(z.number().min(0).lt(1)).optional(),
  /** Correlation of a cluster's period effects in two different periods (1: Hussey & Hughes). */
  cac: axis(share).default(1),
  /** Kasza et al. (2019) discrete-time decay: corr of the period effects r^|s−t| (not with cac < 1). */
  decay: axis(z.number().gt(0).max(1)).optional(),
};
const binaryOutcome = z.strictObject({ type: z.literal('binary'), p: axis(share), ...clusterParts, ...latentParts });
const countOutcome = z.strictObject({
  type: z.literal('count'),
  mean: axis(positive),
  share_any: axis(share),
  max: z.number().int().min(1),
  sd_any: axis(z.number().min(0)).default(6),
  /** Share of the days' (given any) variance that is the person's own, the same every month. */
  amount_persistence: axis(z.number().min(0).lt(1)).default(0),
  ...latentParts,
});
const continuousOutcome = z.strictObject({
  type: z.literal('continuous'),
  mean: axis(num),
  sd: axis(z.number().min(0)),
  ...clusterParts,
  ...latentParts,
});
const scaleOutcome = z.strictObject({
  type: z.literal('scale'),
  mean: axis(num),
  sd: axis(z.number().min(0)),
  min: num.default(0),
  max: num.default(10),
  /** Heaping (R5: answers bunched at 0, 5 and 10): this share of answers moves to the nearest of `at`. */
  heap: z.strictObject({ at: z.array(num).min(1), share: axis(share) }).optional(),
  ...latentParts,
});
const shareOutcome = z.strictObject({
  type: z.literal('share'),
  p: axis(share),
  /** Unit population sizes (people behind each aggregate unit's share): log-normal. */
  unit_size: z.strictObject({ median: axis(positive), sdlog: axis(z.number().min(0)).default(1) }),
  ...latentParts,
});
export const outcomeSchema = z.discriminatedUnion('type', [
  earningsOutcome,
  binaryOutcome,
  countOutcome,
  continuousOutcome,
  scaleOutcome,
  shareOutcome,
]);

// ---- effect ----------------------------------------------------------------------------------
export const effectSchema = z.strictObject({
  /** Average effect at the plateau on the outcome's own scale (kr/month, share points, days). */
  size: axis(num).default(0),
  /** Multipliers by start-group rank (1st, 2nd, … group); their size-weighted mean need not be 1. */
  by_group: z.array(num).optional(),
  /** Event periods before the effect appears. */
  onset: axis(count).default(0),
  /** Periods of a linear ramp up to full size. */
  ramp: axis(count).default(0),
  /** Periods at full size (null: for ever). */
  duration: axis(count).nullable().default(null),
  /** Periods of a linear decay to zero after the plateau. */
  decay: axis(count).default(0),
  /** Effect in the last `periods` periods before start (outcome scale). */
  anticipation: z.strictObject({ periods: axis(z.number().int().min(1)), size: axis(num) }).optional(),
  /** Additive effect over event periods from..to around start (e.g. R2's announcement, −6..5). */
  announcement: z.strictObject({ from: period, to: period, size: axis(num) }).optional(),
  /** Relative change of the effect per unit of a covariate, centred at its population mean. */
  by_covariate: z.record(name, axis(num)).default({}),
  /** Sd of a unit's random effect multiplier (mean 1). */
  unit_sd: axis(z.number().min(0)).default(0),
  /** design.type clusters: sd of a person's own effect multiplier (mean 1) inside a cluster (unit_sd is then the clusters'). */
  person_sd: axis(z.number().min(0)).default(0),
  /**
   * Binary outcomes: how much whether the effect moves a person in a month is the person's own, the
   * same from month to month (0: decided afresh each month; R2's new-start jobs are spells). The share
   * moved each month, hence the effect's size, is unchanged.
   */
  persistence: axis(z.number().min(0).lt(1)).default(0),
  /**
   * State the effect on an estimand the analysis reports: the whole effect (size, anticipation and
   * announcement alike) is scaled so that the population value of `estimand` (an estimand id such as
   * group_avg, simple, dynamic_avg, group:74, dynamic:6) is `value`; `size` then sets only the shape.
   */
  target: z.strictObject({ estimand: z.string().min(1), value: axis(num) }).optional(),
});

/** The effect block's defaults (no effect). */
export const NO_EFFECT = {
  size: 0,
  onset: 0,
  ramp: 0,
  duration: null,
  decay: 0,
  by_covariate: {},
  unit_sd: 0,
  person_sd: 0,
  persistence: 0,
};

/**
 * One element of `outcomes:`: an outcome as under `outcome:`, with its own `effect:` block. Outcomes
 * share the people, the recruitment and the design; their unit levels are copula variables named by
 * the outcome's name (README.md, "Several outcomes").
 */
const withEffect = { effect: effectSchema.default(NO_EFFECT) };
export const outcomeItemSchema = z.discriminatedUnion('type', [
  earningsOutcome.extend(withEffect),
  binaryOutcome.extend(withEffect),
  countOutcome.extend(withEffect),
  continuousOutcome.extend(withEffect),
  scaleOutcome.extend(withEffect),
  shareOutcome.extend(withEffect),
]);

// ---- design ----------------------------------------------------------------------------------
const window = z.strictObject({ from: period, to: period });
const startGroups = z.union([
  z.strictObject({ count: axis(z.number().int().min(1)) }),
  z.strictObject({ windows: z.array(window).min(1) }),
]);

const recruitmentSchema = z.strictObject({
  from: period,
  to: period,
  /** Planned referrals per period (Poisson mean). */
  referrals: axis(z.number().gt(0, 'a number above 0 (with 0 nobody is referred in any draw)')),
  /** From a period on (to `to_month` inclusive, then back to plan), referrals fall by a share of the plan (shares multiply when several apply). */
  shortfalls: z.array(z.strictObject({ from_month: period, share: axis(share), to_month: period.optional() })).default([]),
  consent: axis(someShare),
  /** Log-odds shift of consent per unit of a covariate, or of the unit's latent outcome level (`level`). */
  consent_by: z.record(name, axis(num)).default({}),
  /** Share of consenting people excluded (e.g. invalid ids). */
  exclusion: axis(exclusionShare).default(0),
  /** Stop once this many are analysed; null: recruit until the window closes. */
  target: axis(z.number().int().min(1)).nullable().default(null),
  /** The target is cut mid-way (R1: 800 → 600 after a year). */
  target_cut: z.strictObject({ at: period, to: axis(z.number().int().min(1)) }).optional(),
});

const waitlistSchema = z.strictObject({
  type: z.literal('waitlist'),
  recruitment: recruitmentSchema,
  treatment_share: axis(share),
  /** Controls start this many periods after enrolment … */
  min_wait: axis(count),
  /** … plus a geometric extra wait with this mean (queues). */
  extra_wait: axis(z.number().min(0)).default(0),
  start_groups: startGroups,
  /** R1's hazard: until a period, staff can predict the arm and consent depends on it. */
  predictable_allocation: z.strictObject({ until: period, consent_treatment: axis(share), consent_control: axis(share) }).optional(),
});

const quotaSchema = z.strictObject({
  type: z.literal('quota_lists'),
  /** Spells in the programme (JOB): entry uniform over from..to, duration geometric (≥ 1) with this mean. */
  spells: z.strictObject({ from: period, to: period, mean_duration: axis(positive) }),
  /**
   * Intakes: people start in `period`; their list is a random sample of those in the programme
   * `list_lag` periods before (not offered before), and every k-th person on it is a candidate.
   */
  intakes: z
    .array(z.strictObject({ period, size: axis(z.number().int().min(1)), every_kth: axis(z.number().int().min(1)).optional() }))
    .min(1),
  /** Every k-th person on a list is offered the programme (an intake may set its own). */
  every_kth: axis(z.number().int().min(1)).default(5),
  /** List length per intake place, in candidates: the list holds size × this × k people (capped by the stock). */
  candidates_per_place: axis(z.number().min(1)).default(1.5),
  /** Periods between the list date and the intake's start. */
  list_lag: axis(count).default(1),
  consent: axis(share).default(1),
  /** Intake quotas on traits: min and/or max share of the intake with covariate == value. */
  /**
   * Intake quotas on traits: min and/or max share of the intake with covariate == value. `counting` of
   * a min cell: `joint` counts everyone offered with the trait; `separate` gives the cell its own places,
   * ignoring people with the trait offered for earlier cells (R2: "randomised on each criterion without
   * regard to the overlap"). Min cells are filled in the order listed.
   */
  quotas: z
    .array(
      z.strictObject({
        covariate: name,
        value: z.union([z.number(), name]).default(1),
        min: axis(share).optional(),
        max: axis(share).optional(),
        counting: axis(z.enum(['joint', 'separate'])).default('joint'),
      }),
    )
    .default([]),
  start_groups: z.strictObject({ windows: z.array(window).min(1) }),
  /** Never-treated controls: in the programme at some time within one of these windows. */
  controls: z.strictObject({ windows: z.array(window).min(1) }),
});

const adoptionSchema = z.strictObject({
  type: z.literal('adoption'),
  /** Cumulative number of adopters by period (linear in between); the rest never adopt. */
  schedule: z.array(z.strictObject({ period, members: z.number().int().min(0) })).min(1),
  /** Log-hazard tilt of adoption per unit of a covariate (earlier adopters differ). */
  adopt_by: z.record(name, axis(num)).default({}),
});

const matchedSchema = z.strictObject({
  type: z.literal('matched'),
  /** Participants start in this period; references never. */
  start: period,
  /** Share of participants registered (consenting), log-odds shifts as in recruitment. */
  consent: axis(someShare),
  consent_by: z.record(name, axis(num)).default({}),
  references: z.strictObject({
    size: axis(z.number().int().min(1)),
    /** Covariates whose distribution differs in the reference pool (same keys as population.covariates). */
    covariates: z.record(name, covariateSchema).default({}),
  }),
  match_on: z.array(name).min(1),
});

/**
 * Stepped-wedge and other cluster rollouts (issue 15; design/clusters.ts): clusters (clinics, schools)
 * start in waves, people are measured inside them. `waves` is a bare count (an axis: `waves: [6, 12]`
 * varies it under the name design.waves) or {count, first, every}; `schedule` instead gives cumulative
 * shares of clusters started, so that `clusters` can stay an axis. Exactly one of the two (check-clusters.ts).
 */
const waveCount = z.number().int().min(1);
const waveRollout = z.strictObject({
  count: axis(waveCount),
  /** Period the first wave starts in (default: one block of baseline, periods.first + every). */
  first: period.optional(),
  /** Periods between waves (default ⌊periods.count / (count + 1)⌋). */
  every: z.number().int().min(1).optional(),
});
const clustersSchema = z.strictObject({
  type: z.literal('clusters'),
  clusters: axis(z.number().int().min(2)),
  /** People measured per cluster and period: Gamma with this mean and coefficient of variation (0: all equal). */
  cluster_size: z.strictObject({ mean: axis(positive), cv: axis(z.number().min(0)).default(0) }),
  sampling: axis(z.enum(['cohort', 'cross_section'])).default('cross_section'),
  /** Cohorts: share of a cluster's people replaced by newcomers each period. */
  churn: axis(share).default(0),
  // The mapping first: a list then reads as the axis's branch in error messages (issues.ts).
  waves: z.union([waveRollout, axis(waveCount)]).optional(),
  schedule: z.array(z.strictObject({ period, share })).min(1).optional(),
  /** Share of clusters that never start (a parallel arm), rounded to whole clusters. */
  never: axis(z.number().min(0).lt(1, 'a share below 1 (with 1 no cluster ever starts)')).default(0),
  /** A binary or categorical cluster covariate: clusters are randomised to the slots within its strata. */
  stratify_by: name.optional(),
  /** Share of clusters that drop out (rounded); they leave the balanced panel. */
  dropout: axis(z.number().min(0).lt(1, 'a share below 1 (with 1 every cluster drops out)')).default(0),
});

export const designSchema = z.discriminatedUnion('type', [waitlistSchema, quotaSchema, adoptionSchema, matchedSchema, clustersSchema]);

// ---- measurement (R5) ------------------------------------------------------------------------
export const measurementSchema = z.strictObject({
  /** Survey waves in periods since enrolment (e.g. 0, 6, 12); the panel's periods become waves 1..W. */
  waves: z.array(count).min(2),
  /** Share answering each wave (monotone attrition). */
  response: z.array(share).min(2),
  /** Log-odds shift of answering per latent-sd of the unit's outcome level (outcome-related attrition). */
  attrition_by_level: axis(num).default(0),
  /** Share of each wave's answers that come in time to be analysed (R5: within 30 days); absent: all. */
  on_time: z.array(share).min(2).optional(),
});

// ---- analysis (read by the engine) -----------------------------------------------------------
/** An external estimator's estimand: an id (estimators/external/estimands.ts), with the nearest valid name for a typo. */
const externalEstimand = z.string().superRefine((v, ctx) => {
  const e = parseEntry(v);
  if (!isEntry(e)) ctx.addIssue({ code: 'custom', input: v, message: `${e.expected}${e.nearest ? ` (nearest: ${e.nearest})` : ''}` });
});
/**
 * The per-estimator keys a scenario may set, each with its default, and the family option it sets
 * (src/estimators/family-options.ts). A family's entry has exactly the keys of the options it
 * implements; any other key is an error naming the key, the family and the nearest valid key.
 */
const ENTRY_KEYS = {
  method: axis(z.enum(['dr', 'ipw', 'reg'])).default('dr'),
  control: axis(z.enum(['never', 'notyet'])).default('notyet'),
  base_period: axis(z.enum(['varying', 'universal'])).default('varying'),
  anticipation: axis(count).default(0),
  covariates: z.array(name).default([]),
  /** type dim: the wait-list horizon (event time) of the difference in means. */
  horizon: FAMILY_OPTIONS.dim.horizon.default(0),
  /** type efficient: the refined design-based SE (the staggered package's `se`) or the Neyman SE. */
  se: z.enum(['refined', 'neyman']).default('refined'),
  /** type efficient: the last-starting cohort as the only comparison (staggered's use_last_treated_only). */
  last_treated_only: FAMILY_OPTIONS.efficient.lastTreatedOnly.optional(),
  /** type did: multiplier-bootstrap draws B per estimate (0 = analytic SEs); the diagnosis then uses the bootstrap's SE, p-value and interval. type dcdh: did_multiplegt_dyn's bootstrap replications (SEs). */
  bootstrap: FAMILY_OPTIONS.did.bootstrap.optional(),
  /** type did: the bootstrap's multipliers (Rademacher as R did 2.5.1, or Mammen's). */
  bootstrap_weights: z.enum(['rademacher', 'mammen', 'webb']).optional(),
  /** type twfe: the cluster-robust variance, CR1 (default) or CR2 (Bell & McCaffrey 2002). */
  vcov: FAMILY_OPTIONS.twfe.vcov.optional(),
  /** type twfe: reference distribution of the t-statistic: normal (default), cluster = t(G − 1), satterthwaite (with CR2's df). */
  df: FAMILY_OPTIONS.twfe.df.optional(),
  /** type twfe, hh: restricted wild cluster bootstrap draws B for the static coefficient (hh: θ, variance components fixed at REML) (0 = off; Rademacher with 2^G ≤ B enumerates all sign vectors). */
  wild: FAMILY_OPTIONS.twfe.wild.optional(),
  /** type twfe, hh: the wild bootstrap's cluster weights, rademacher or webb (six-point). */
  wild_weights: FAMILY_OPTIONS.twfe.wildWeights.optional(),
  /** type did: false = the waves as repeated cross-sections (R did's panel = FALSE), each unit-period its own row. */
  panel: z.boolean().optional(),
  /** type dim, efficient: Fisher re-randomisations per estimate (0 = none); the diagnosis then uses the Fisher p-value. */
  permutations: FAMILY_OPTIONS.dim.permutations.optional(),
  /** type hh: the model's correlation: cluster random intercept (Hussey & Hughes), block exchangeable, or decaying (Kasza 2019). */
  correlation: FAMILY_OPTIONS.hh.correlation.default('exchangeable'),
  /** type hh: fit the cluster-period means (weighted by cell size), or the individual-level model from the cells. */
  data: FAMILY_OPTIONS.hh.data.default('means'),
  /** type hh: normal critical values (Hussey & Hughes' power formula) or t(G − 1). */
  inference: FAMILY_OPTIONS.hh.inference.default('normal'),
  /** type did2s: first-stage fixed effects besides the period's: unit (default) or the cluster column. */
  fixed_effects: FAMILY_OPTIONS.did2s.fixedEffects.optional(),
  /** type bjs: BJS's pre-trend test (Test 1) on the leads −K … −1; its joint Wald test is the estimator's pre-test. */
  pretrends: FAMILY_OPTIONS.bjs.pretrends.optional(),
  /** type synthdid: the weights' solver (exact, default, or synthdid's Frank–Wolfe path). */
  solver: FAMILY_OPTIONS.synthdid.solver.optional(),
  /** type synthdid: placebo (default), jackknife or none. */
  variance: FAMILY_OPTIONS.synthdid.variance.optional(),
  /** type synthdid: placebo replications B (default 200). */
  replications: FAMILY_OPTIONS.synthdid.replications.optional(),
  /** type dcdh: effects DID_1..DID_L and placebos (absent: from the event window). */
  effects: FAMILY_OPTIONS.dcdh.effects.optional(),
  placebo: FAMILY_OPTIONS.dcdh.placebo.optional(),
  /** type dcdh: only switchers in or out, effects per unit of accumulated treatment, the same switchers at every ℓ. */
  switchers: FAMILY_OPTIONS.dcdh.switchers.optional(),
  normalized: FAMILY_OPTIONS.dcdh.normalized.optional(),
  same_switchers: FAMILY_OPTIONS.dcdh.sameSwitchers.optional(),
  /** type dcdh: switchers demeaned within their treatment path; comparisons within cells of these unit-level columns. */
  less_conservative_se: FAMILY_OPTIONS.dcdh.lessConservativeSe.optional(),
  trends_nonparam: FAMILY_OPTIONS.dcdh.trendsNonparam.optional(),
  /** type dcdh: placebos only from switchers with every placebo (needs same_switchers); unit-specific linear trends. */
  same_switchers_pl: FAMILY_OPTIONS.dcdh.sameSwitchersPl.optional(),
  trends_lin: FAMILY_OPTIONS.dcdh.trendsLin.optional(),
  /** type dcdh: the continuous option's baseline polynomial degree. */
  continuous: FAMILY_OPTIONS.dcdh.continuous.optional(),
  /** type twowayfeweights: the regression whose weights are computed (feTR, default, feS, fdTR, fdS). */
  twfe_type: FAMILY_OPTIONS.twowayfeweights.twfeType.optional(),
  /** type stacked: the event window of each sub-experiment (absent: the analysis' event window) and the weights. */
  kappa_pre: FAMILY_OPTIONS.stacked.kappaPre.optional(),
  kappa_post: FAMILY_OPTIONS.stacked.kappaPost.optional(),
  weighting: FAMILY_OPTIONS.stacked.weighting.default('wing'),
  /** type external: the program and its arguments, run in the scenario file's folder (estimators/external). */
  command: FAMILY_OPTIONS.external.command,
  /** type external: the estimand ids it answers (`simple`, `dynamic:0`, or `dynamic` for every event time). */
  estimands: z.array(externalEstimand).min(1, 'at least one estimand id'),
  /** type external: seconds one draw may take before it is not identified and the process restarted. */
  timeout: FAMILY_OPTIONS.external.timeout.optional(),
  /** type external: how each draw's panel is written, `csv` (default) or `binary` (the protocol's binary frame). */
  panel_format: FAMILY_OPTIONS.external.panelFormat.optional(),
};
const ENTRY_OPTION: Record<keyof typeof ENTRY_KEYS, string> = {
  method: 'method',
  control: 'control',
  base_period: 'basePeriod',
  anticipation: 'anticipation',
  covariates: 'covariates',
  horizon: 'horizon',
  se: 'se',
  last_treated_only: 'lastTreatedOnly',
  bootstrap: 'bootstrap',
  bootstrap_weights: 'bootstrapWeights',
  vcov: 'vcov',
  df: 'df',
  wild: 'wild',
  wild_weights: 'wildWeights',
  panel: 'panel',
  permutations: 'permutations',
  correlation: 'correlation',
  data: 'data',
  inference: 'inference',
  fixed_effects: 'fixedEffects',
  pretrends: 'pretrends',
  solver: 'solver',
  variance: 'variance',
  replications: 'replications',
  effects: 'effects',
  placebo: 'placebo',
  switchers: 'switchers',
  normalized: 'normalized',
  same_switchers: 'sameSwitchers',
  less_conservative_se: 'lessConservativeSe',
  trends_nonparam: 'trendsNonparam',
  same_switchers_pl: 'sameSwitchersPl',
  trends_lin: 'trendsLin',
  continuous: 'continuous',
  twfe_type: 'twfeType',
  kappa_pre: 'kappaPre',
  kappa_post: 'kappaPost',
  weighting: 'weighting',
  command: 'command',
  estimands: 'estimands',
  timeout: 'timeout',
  panel_format: 'panelFormat',
};
type EntryKey = keyof typeof ENTRY_KEYS;
/** A parsed estimator entry: the keys its family takes; `covariates` always present ([] when the family takes none). */
export type EstimatorEntry = { name: string; type: Family; covariates: string[] } & Partial<{
  [K in Exclude<EntryKey, 'covariates'>]: z.output<(typeof ENTRY_KEYS)[K]>;
}>;

function familyEntry<F extends Family>(family: F) {
  const keys = (Object.keys(ENTRY_KEYS) as EntryKey[]).filter((k) => ENTRY_OPTION[k] in FAMILY_OPTIONS[family]);
  const shape: Record<string, z.ZodType> = { name, type: z.literal(family) };
  for (const k of keys) shape[k] = ENTRY_KEYS[k];
  const valid = Object.keys(shape);
  return z.looseObject(shape as { name: typeof name; type: z.ZodLiteral<F> }).superRefine((v, ctx) => {
    for (const k of Object.keys(v)) {
      if (valid.includes(k)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [k],
        input: v,
        message: `an option of the ${family} estimator: ${refusal(family, ENTRY_OPTION[k as EntryKey] ?? k, valid, k)}`,
      });
    }
  });
}
/** Estimator families a scenario may name: the registry's (src/estimators/registry.ts). */
export const ESTIMATOR_ENTRY_TYPES = FAMILIES;
export const estimatorSchema = z
  .preprocess(
    // `type` defaults to did.
    (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'did' } : v),
    z.discriminatedUnion('type', FAMILIES.map((f) => familyEntry(f)) as unknown as [ReturnType<typeof familyEntry<'did'>>]),
  )
  .transform((e): EstimatorEntry => {
    const out: Record<string, unknown> = { covariates: [] };
    const keys = ['name', 'type', ...Object.keys(ENTRY_KEYS)];
    for (const [k, v] of Object.entries(e)) if (keys.includes(k)) out[k] = v;
    return out as EstimatorEntry;
  });
const DEFAULT_ESTIMATOR: EstimatorEntry = {
  name: 'cs_dr',
  type: 'did',
  method: 'dr',
  control: 'notyet',
  base_period: 'varying',
  anticipation: 0,
  covariates: [],
};
const estimandName = z.enum(['simple', 'group', 'dynamic', 'calendar']);
export const analysisSchema = z
  .strictObject({
    alpha: axis(z.number().gt(0).lt(1)).default(0.05),
    estimators: z.array(estimatorSchema).min(1).default([DEFAULT_ESTIMATOR]),
    estimands: z.array(estimandName).min(1).default(['simple', 'group', 'dynamic', 'calendar']),
    subgroups: z.array(name).default([]),
    /** Event times kept in the dynamic aggregate (R did's min_e, max_e). */
    event_window: z.tuple([z.number().int(), z.number().int()]).default([-6, 20]),
    /** Event times `dynamic_avg` averages (R did's aggte(type = "dynamic", min_e, max_e) overall); default 0 to the window's end. */
    dynamic_avg_window: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
    /** Pre-period event times averaged into the estimand `dynamic_pre_avg` (reported only when set). */
    dynamic_pre_avg_window: z.tuple([z.number().int().max(-1), z.number().int().max(-1)]).optional(),
    /** Start groups left out of `group_avg`, by position (1 = the earliest start group, as by_group counts). */
    group_avg_exclude: z.array(z.number().int().min(1)).default([]),
    /**
     * Pre-test diagnosands (Roth 2022): each draw's pre-trend test, and every estimator's diagnosis
     * conditional on passing it. `wald`: the estimator's Wald pre-test (CS: pre-period ATT(g,t) of the
     * last `periods` pre-periods; TWFE: its binned pre-period coefficients); `individual`: no event-study
     * coefficient e = −periods … −1 significant at `alpha`.
     */
    pretest: z
      .strictObject({
        test: z.enum(['wald', 'individual']).default('wald'),
        alpha: z.number().gt(0).lt(1).default(0.05),
        periods: z.number().int().min(1).default(3),
      })
      .optional(),
    /** What the draws store keeps beyond the records: `covariance`, each draw's event-study coefficients and covariance per estimator. */
    keep: z.array(z.enum(['covariance'])).optional(),
    /**
     * Robust estimands (Rambachan & Roth 2023, HonestDiD; src/sensitivity/from-estimate.ts): per
     * estimator whose dynamic aggregate has an event-study covariance, one estimand per bound,
     * `robust:relative_magnitudes:mbar=0.5` / `robust:smoothness:m=0.01`: θ̂ = l'β̂_post, its robust
     * interval, scored against l'τ_post. Needs `dynamic` among the estimands. `bias_direction` or
     * `monotonicity_direction` (one at most, as HonestDiD) intersects the restriction with a sign or
     * monotonicity restriction (the id then names it: `robust:smoothness:bias_direction=positive:m=0.01`).
     */
    sensitivity: z
      .strictObject({
        type: z.enum(['relative_magnitudes', 'smoothness', 'smoothness_relative_magnitudes']),
        mbar: z.array(z.number().min(0)).min(1).optional(),
        m: z.array(z.number().min(0)).min(1).optional(),
        ci: z.enum(['flci', 'conditional', 'c-f', 'c-lf', 'hybrid']).optional(),
        bias_direction: z.enum(['positive', 'negative']).optional(),
        monotonicity_direction: z.enum(['increasing', 'decreasing']).optional(),
        l_vec: z.array(z.number()).min(1).optional(),
      })
      .superRefine((v, ctx) => {
        if (v.bias_direction !== undefined && v.monotonicity_direction !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['monotonicity_direction'],
            message: 'give bias_direction or monotonicity_direction, not both (HonestDiD: a shape restriction or a sign restriction)',
          });
        else if (v.ci !== undefined) {
          // The constructions each restriction implements (src/sensitivity/index.ts's resolveCi).
          const shaped = v.bias_direction !== undefined || v.monotonicity_direction !== undefined;
          const cis =
            v.type === 'smoothness'
              ? shaped
                ? ['c-f', 'conditional', 'c-lf']
                : ['flci', 'conditional', 'c-f', 'c-lf']
              : ['c-lf', 'conditional'];
          if (v.ci !== 'hybrid' && !cis.includes(v.ci))
            ctx.addIssue({
              code: 'custom',
              path: ['ci'],
              message: `type ${v.type}${shaped ? ` with ${v.bias_direction !== undefined ? 'bias_direction' : 'monotonicity_direction'}` : ''} implements ${[...cis, 'hybrid'].join(', ')}${v.ci === 'flci' && shaped ? ' (the FLCI does not use sign or monotonicity restrictions; HonestDiD ignores them with a warning, stagger refuses)' : ''}`,
            });
        }
        const own = v.type === 'smoothness' ? 'm' : 'mbar';
        const other = own === 'mbar' ? 'm' : 'mbar';
        if (v[other] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [other],
            message: `${other} bounds the other restriction; with type ${v.type} give ${own}`,
          });
        if (v[own] === undefined)
          ctx.addIssue({ code: 'custom', path: [own], message: `type ${v.type} needs ${own}: a list of bounds, e.g. [0.5, 1]` });
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (a.sensitivity) {
      // The robust sets are formed from the event study (from-dynamic.ts), as HonestDiD forms them.
      if (!a.estimands.includes('dynamic'))
        ctx.addIssue({
          code: 'custom',
          path: ['sensitivity'],
          input: a.sensitivity,
          message: 'needs the dynamic estimand: add dynamic to analysis.estimands',
        });
      a.estimators.forEach((e, i) => {
        // With a varying base period the pre-period rows are short differences (HonestDiD requires a universal base).
        if (e.type === 'did' && e.base_period !== 'universal')
          ctx.addIssue({
            code: 'custom',
            path: ['estimators', i, 'base_period'],
            input: e.base_period,
            message:
              'base_period: universal with analysis.sensitivity (HonestDiD needs event-study coefficients against one reference period; varying gives short differences before treatment)',
          });
      });
    }
    // An external estimator's estimand must be one of the analysis': the truths it is scored by are theirs.
    a.estimators.forEach((e, i) => {
      (e.estimands ?? []).forEach((t, j) => {
        const p = parseEntry(t);
        if (!isEntry(p) || a.estimands.includes(entryAggregation(p))) return;
        ctx.addIssue({
          code: 'custom',
          path: ['estimators', i, 'estimands', j],
          input: t,
          message: `an estimand of the analysis' (analysis.estimands: ${a.estimands.join(', ')}; ${t} belongs to ${entryAggregation(p)})`,
        });
      });
    });
  });

const scenarioObject = z.strictObject({
  name,
  title: z.string().default(''),
  description: z.string().default(''),
  periods: z.strictObject({
    first: period.default(1),
    count: z.number().int().min(2),
    unit: z.enum(['month', 'year']).default('month'),
    /** Calendar label of the first period, for humans only (e.g. "2015-01"). */
    calendar_start: z.string().optional(),
  }),
  draws: z.number().int().min(1).default(1000),
  seed: z.union([z.number().int(), z.string()]).default(1),
  population: populationSchema,
  /** One outcome and its effect (`outcome:` + `effect:`), or a list of outcomes (`outcomes:`), not both. */
  outcome: outcomeSchema.optional(),
  effect: effectSchema.optional(),
  outcomes: z.array(outcomeItemSchema).min(1).optional(),
  design: designSchema,
  measurement: measurementSchema.optional(),
  analysis: analysisSchema.default({
    alpha: 0.05,
    estimators: [DEFAULT_ESTIMATOR],
    estimands: ['simple', 'group', 'dynamic', 'calendar'],
    subgroups: [],
    event_window: [-6, 20],
    group_avg_exclude: [],
  }),
});

type ScenarioObject = z.output<typeof scenarioObject>;
export type OutcomeSpecIn = z.output<typeof outcomeSchema>;
export type EffectSpecIn = z.output<typeof effectSchema>;
export type OutcomeItemIn = z.output<typeof outcomeItemSchema>;

/**
 * A parsed scenario: `outcome` and `effect` are always the first outcome's, `outcomes` always the
 * whole list (length ≥ 1), whichever form the file used. The form the file did not use is attached
 * as non-enumerable aliases (withOutcomeAliases), so grid axes are found once, under the path the
 * file wrote them at.
 */
export type Scenario = Omit<ScenarioObject, 'outcome' | 'effect' | 'outcomes'> & {
  outcome: OutcomeSpecIn;
  effect: EffectSpecIn;
  outcomes: OutcomeItemIn[];
};

export const scenarioSchema = scenarioObject.transform((s, ctx): Scenario => {
  if (s.outcomes && (s.outcome || s.effect)) {
    ctx.issues.push({
      code: 'custom',
      path: [s.outcome ? 'outcome' : 'effect'],
      input: s,
      message: 'either outcome: (+ effect:) or outcomes: (each with its own effect:), not both',
    });
    return z.NEVER;
  }
  if (!s.outcomes && !s.outcome) {
    ctx.issues.push({ code: 'custom', path: ['outcome'], input: s, message: 'an outcome: block (or an outcomes: list)' });
    return z.NEVER;
  }
  return withOutcomeAliases(s) as unknown as Scenario;
});

/**
 * Complete the outcome keys of a scenario object: from `outcomes` (list form) derive `outcome` and
 * `effect` (the first element's), or from `outcome` + `effect` (single form) derive `outcomes`. The
 * derived keys are non-enumerable unless `enumerable` (resolved design points hold plain data).
 */
export function withOutcomeAliases<T extends { outcome?: unknown; effect?: unknown; outcomes?: unknown[] }>(s: T, enumerable = false): T {
  const define = (k: string, v: unknown) => Object.defineProperty(s, k, { value: v, enumerable, writable: true, configurable: true });
  if (Array.isArray(s.outcomes) && s.outcomes.length > 0 && Object.keys(s).includes('outcomes')) {
    const { effect, ...first } = s.outcomes[0] as Record<string, unknown>;
    define('outcome', first);
    define('effect', effect ?? NO_EFFECT);
  } else {
    if (s.effect === undefined)
      Object.defineProperty(s, 'effect', { value: { ...NO_EFFECT }, enumerable: true, writable: true, configurable: true });
    define('outcomes', [{ ...(s.outcome as object), effect: s.effect }]);
  }
  return s;
}
