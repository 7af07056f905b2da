/**
 * Estimator name → factory: the one list `stagger estimate --estimator NAME` and a scenario's
 * `analysis.estimators[].type` both read. Every build is checked against the family's option schema
 * (family-options.ts): an option the family does not implement is an error, never ignored. All
 * return the same Estimate shape.
 */
import { definedOnly } from './defined.js';
import { DID_SE_NA, guarded, NO_SE } from './finite-guard.js';
import { checkFamilyOptions, type Family } from './family-options.js';
import { baconEstimator } from './bacon/index.js';
import { bjsEstimator } from './bjs/index.js';
import { dcdhEstimator } from './dcdh/index.js';
import { twfeWeightsEstimator } from './dcdh/twfe-weights-estimator.js';
import type { TwfeType } from './dcdh/twfe-weights-types.js';
import { stackedEstimator } from './stacked/index.js';
import { didEstimator, type DidOptions } from './did/index.js';
import { did2sEstimator, type Did2sOptions } from './did2s/index.js';
import { dimEstimator } from './rct/index.js';
import { etwfeEstimator } from './etwfe/index.js';
import { efficientEstimator } from './rct/efficient-estimator.js';
import { externalEstimator } from './external/index.js';
import { hhEstimator, type HhOptions } from './hh/index.js';
import { matchedEstimator } from './matched/index.js';
import { didWithPretest } from './pretest/did-wald.js';
import { synthdidEstimator, type SynthdidOptions } from './synthdid/index.js';
import { sunabEstimator } from './sunab/index.js';
import { twfeEstimator } from './twfe/index.js';
import type { Estimator } from './types.js';
import type { DfType, VcovType } from './few-cluster/inference.js';
import type { WildWeights } from './few-cluster/wild-cluster.js';

export interface EstimatorConfig extends DidOptions {
  /** Event-study reference period (TWFE). */
  reference: number;
  /** Cluster-robust SEs by unit, or by the panel's cluster column (TWFE, Bacon, SA, BJS). */
  cluster: 'unit' | 'column';
  /** Wait-list horizon of the difference in means (event time h ≥ 0). */
  horizon: number;
  /** Re-randomisations of the Fisher test (dim, efficient; 0 = none). */
  permutations: number;
  /** Report every ATT(g,t) cell where an estimator makes them optional (efficient); the engine reads only aggregates. */
  cells: boolean;
  /** efficient: a fixed coefficient on the pre-period difference (0 = difference in means, 1 = Callaway & Sant'Anna); unset = plug-in β*. */
  beta: number;
  /** efficient: the refined design-based SE (the package's) or the conservative Neyman SE. */
  se: 'refined' | 'neyman';
  /** matched: the unit-level pair id column (default `pair`, as the generator writes it). */
  pair: string;
  /** did: a Wald pre-test on the last K pre-periods only (the engine's pre-test diagnosands); unset = R did's full test. */
  pretestPeriods: number;
  /** hh: the model's correlation, the data it is fitted to (cell means or the individual level), normal or t(G − 1) inference. */
  correlation: HhOptions['correlation'];
  data: HhOptions['data'];
  inference: HhOptions['inference'];
  /** twfe: few-cluster inference (estimators/few-cluster/); wild and wildWeights also hh. */
  vcov: VcovType;
  df: DfType;
  wild: number;
  wildWeights: WildWeights;
  /** efficient: the last-starting cohort as the only comparison (staggered_sa with beta 1). */
  lastTreatedOnly: boolean;
  /** did2s: first-stage fixed effects besides the period's: the unit's or the cluster column's. */
  fixedEffects: Did2sOptions['fixedEffects'];
  /** bjs: BJS's pre-trend test (Test 1) on the leads −K … −1. */
  pretrends: number;
  /** synthdid: the weights' solver, the SE (placebo, jackknife or none) and the placebo replications. */
  solver: SynthdidOptions['solver'];
  variance: SynthdidOptions['se'];
  replications: number;
  /** dcdh: effects DID_1..DID_L and placebos (unset: from maxE / minE, else all the panel identifies). */
  effects: number;
  placebo: number;
  /** dcdh: switchers in or out only, normalized effects, same switchers, less conservative SE, trends_nonparam. */
  switchers: 'in' | 'out';
  normalized: boolean;
  sameSwitchers: boolean;
  lessConservativeSe: boolean;
  trendsNonparam: string[];
  /** dcdh: placebos from the switchers with every placebo too (same_switchers_pl); unit-specific linear trends. */
  sameSwitchersPl: boolean;
  trendsLin: boolean;
  /** dcdh: predict_het's covariates and effects. */
  predictHet: string[];
  predictHetEffects: number[];
  /** twowayfeweights: test_random_weights' columns, the regression type, other treatments, regression weights. */
  randomWeights: string[];
  twfeType: TwfeType;
  otherTreatments: string[];
  weights: string;
  /** dcdh: the continuous option's polynomial degree; dont_drop_larger_lower. */
  continuous: number;
  dontDropLargerLower: boolean;
  dropIfDMissBeforeFirstSwitch: boolean;
  /** stacked: event window a − κ_pre … a + κ_post (unset: −minE / maxE, else 3 / 3) and the weights. */
  kappaPre: number;
  kappaPost: number;
  weighting: 'wing' | 'cengiz';
  /** external: the program and its arguments, the estimands it answers, seconds per draw, the panel's format, its working folder. */
  command: string;
  estimands: string[];
  timeout: number;
  panelFormat: 'csv' | 'binary';
  cwd: string;
}

export interface EstimatorEntry {
  /** One line for --help and the README. */
  describe: string;
  build(name: string | undefined, o: Partial<EstimatorConfig>): Estimator;
}

export const ESTIMATORS = {
  did: {
    describe: "Callaway & Sant'Anna (2021) group-time ATTs and aggregations (R did 2.5.1)",
    build: (name, o) => {
      const {
        reference: _r,
        cluster: _c,
        horizon: _h,
        permutations: _p,
        cells: _x,
        beta: _b,
        se: _s,
        pair: _q,
        pretestPeriods: k,
        vcov: _v,
        df: _d,
        wild: _w,
        wildWeights: _ww,
        lastTreatedOnly: _l,
        fixedEffects: _fe,
        pretrends: _pt,
        solver: _so,
        variance: _va,
        replications: _re,
        effects: _e,
        placebo: _pl,
        kappaPre: _kp,
        kappaPost: _kq,
        weighting: _wt,
        switchers: _sw,
        normalized: _no,
        sameSwitchers: _ss,
        lessConservativeSe: _lc,
        trendsNonparam: _tn,
        sameSwitchersPl: _sp,
        trendsLin: _tl,
        predictHet: _ph,
        predictHetEffects: _pe,
        randomWeights: _rw,
        twfeType: _tt,
        otherTreatments: _ot,
        weights: _wc,
        continuous: _co,
        dontDropLargerLower: _dd,
        dropIfDMissBeforeFirstSwitch: _dm,
        ...did
      } = o;
      return k === undefined ? didEstimator({ name, ...did }) : didWithPretest({ name, ...did }, k);
    },
  },
  twfe: {
    describe: 'Two-way fixed effects: static coefficient and binned event study, CR1 cluster-robust SEs',
    build: (name, o) =>
      twfeEstimator({
        name,
        minE: o.minE,
        maxE: o.maxE,
        reference: o.reference,
        cluster: o.cluster,
        anticipation: o.anticipation,
        covariates: o.covariates,
        vcov: o.vcov,
        df: o.df,
        wild: o.wild,
        wildWeights: o.wildWeights,
        alpha: o.alpha,
      }),
  },
  bacon: {
    describe: 'Goodman-Bacon (2021) decomposition of the static TWFE estimate into its 2×2 comparisons',
    build: (name, o) => baconEstimator({ name, cluster: o.cluster }),
  },
  sunab: {
    describe: 'Sun & Abraham (2021) interaction-weighted event study, influence-function SEs',
    build: (name, o) =>
      sunabEstimator({ name, minE: o.minE, maxE: o.maxE, cluster: o.cluster, anticipation: o.anticipation, covariates: o.covariates }),
  },
  bjs: {
    describe: 'Borusyak, Jaravel & Spiess (2024) imputation estimator, conservative SEs',
    build: (name, o) =>
      bjsEstimator({
        name,
        minE: o.minE,
        maxE: o.maxE,
        cluster: o.cluster,
        anticipation: o.anticipation,
        covariates: o.covariates,
        pretrends: o.pretrends,
      }),
  },
  did2s: {
    describe: "Gardner (2022) two-stage DiD (R did2s): static and event-study second stage, Gardner's GMM-corrected clustered SEs",
    build: (name, o) => did2sEstimator({ name, minE: o.minE, maxE: o.maxE, cluster: o.cluster, fixedEffects: o.fixedEffects }),
  },
  etwfe: {
    describe:
      'Wooldridge (2021) extended TWFE (R etwfe): cohort × period interactions, untreated cells as controls, emfx aggregations with clustered delta-method SEs',
    build: (name, o) => etwfeEstimator({ name, minE: o.minE, maxE: o.maxE, cluster: o.cluster, covariates: o.covariates }),
  },
  synthdid: {
    describe:
      'Arkhangelsky et al. (2021) synthetic DiD (R synthdid): unit and time weights, placebo or jackknife SEs; staggered adoption cohort by cohort against never-treated units',
    build: (name, o) =>
      synthdidEstimator({ name, minE: o.minE, maxE: o.maxE, solver: o.solver, se: o.variance, replications: o.replications }),
  },
  dim: {
    describe:
      'randomised rollouts: difference in means at the wait-list horizon (Neyman SE; with covariates Lin 2013, HC2), Fisher randomisation test',
    build: (name, o) =>
      dimEstimator({ name, horizon: o.horizon, maxE: o.maxE, permutations: o.permutations, seed: o.seed, covariates: o.covariates }),
  },
  efficient: {
    describe: "randomised rollouts: Roth & Sant'Anna (2023) efficient estimator (plug-in β*), design-based SEs",
    build: (name, o) =>
      efficientEstimator({
        name,
        aggregations: o.aggregations,
        minE: o.minE,
        maxE: o.maxE,
        beta: o.beta,
        se: o.se,
        cells: o.cells,
        permutations: o.permutations,
        seed: o.seed,
        lastTreatedOnly: o.lastTreatedOnly,
      }),
  },
  matched: {
    describe: 'matched pairs (R4): matched-pairs difference in outcomes, paired SE',
    build: (name, o) => matchedEstimator({ name, pair: o.pair, aggregations: o.aggregations, minE: o.minE, maxE: o.maxE }),
  },
  hh: {
    describe:
      'stepped-wedge trials: Hussey & Hughes (2007) linear mixed model (period effects, cluster random effect) by REML, model-based SE',
    build: (name, o) =>
      hhEstimator({
        name,
        correlation: o.correlation,
        data: o.data,
        inference: o.inference,
        alpha: o.alpha,
        wild: o.wild,
        wildWeights: o.wildWeights,
      }),
  },
  twowayfeweights: {
    describe:
      "de Chaisemartin & D'Haultfœuille (2020) weights of the TWFE or first-difference coefficient (types feTR, feS, fdTR, fdS), negative weights and both sensitivity measures, with controls, other treatments and weights (R/Stata twowayfeweights)",
    build: (name, o) =>
      twfeWeightsEstimator({
        name,
        cluster: o.cluster,
        twfeType: o.twfeType,
        covariates: o.covariates,
        otherTreatments: o.otherTreatments,
        weights: o.weights,
        randomWeights: o.randomWeights,
      }),
  },
  dcdh: {
    describe:
      "de Chaisemartin & D'Haultfœuille (2024) event-study DID_ℓ, placebos and average total effect, analytic SEs (R/Stata did_multiplegt_dyn)",
    build: (name, o) =>
      dcdhEstimator({
        name,
        effects: o.effects,
        placebo: o.placebo,
        control: o.control,
        cluster: o.cluster,
        minE: o.minE,
        maxE: o.maxE,
        switchers: o.switchers,
        normalized: o.normalized,
        sameSwitchers: o.sameSwitchers,
        lessConservativeSe: o.lessConservativeSe,
        trendsNonparam: o.trendsNonparam,
        sameSwitchersPl: o.sameSwitchersPl,
        trendsLin: o.trendsLin,
        covariates: o.covariates,
        predictHet: o.predictHet,
        predictHetEffects: o.predictHetEffects,
        continuous: o.continuous,
        bootstrap: o.bootstrap,
        dontDropLargerLower: o.dontDropLargerLower,
        dropIfDMissBeforeFirstSwitch: o.dropIfDMissBeforeFirstSwitch,
      }),
  },
  stacked: {
    describe:
      'stacked DiD (Cengiz et al. 2019) with Wing, Freedman & Hollingsworth (2024) weights (or unweighted), event study and overall, CR1 SEs',
    build: (name, o) =>
      stackedEstimator({
        name,
        kappaPre: o.kappaPre,
        kappaPost: o.kappaPost,
        weighting: o.weighting,
        cluster: o.cluster,
        minE: o.minE,
        maxE: o.maxE,
      }),
  },
  external: {
    describe: 'your own estimator: a program (R, Python, …) answering one JSON line per panel (docs: "Bring your own estimator")',
    build: (name, o) =>
      externalEstimator({
        name,
        command: o.command ?? '',
        estimands: o.estimands ?? [],
        timeout: o.timeout,
        panelFormat: o.panelFormat,
        cwd: o.cwd,
        minE: o.minE,
        maxE: o.maxE,
        averages: o.averages,
      }),
  },
} satisfies Record<Family, EstimatorEntry>;

export type EstimatorType = keyof typeof ESTIMATORS;
export const ESTIMATOR_TYPES = Object.keys(ESTIMATORS) as EstimatorType[];

/**
 * Build an estimator by type name, its options checked against the family's schema.
 * @throws on an unknown name, listing the known ones; EstimatorInputError on an option the family
 * does not implement (naming it, the family and the valid ones) or a value out of range.
 */
export function buildEstimator(type: string, o: Partial<EstimatorConfig> & { name?: string } = {}): Estimator {
  const entry = (ESTIMATORS as Record<string, EstimatorEntry>)[type];
  if (!entry) throw new Error(`unknown estimator "${type}" (known: ${ESTIMATOR_TYPES.join(', ')})`);
  const { name, ...rest } = o;
  const checked = checkFamilyOptions(type as Family, definedOnly<EstimatorConfig>(rest));
  const est = entry.build(name, checked as Partial<EstimatorConfig>);
  // Finite or null with a reason, for every family (finite-guard.ts).
  const why = type === 'did' ? DID_SE_NA : NO_SE;
  return { name: est.name, estimate: guarded(type, why, (panel, rng, at) => est.estimate(panel, rng, at)) };
}
