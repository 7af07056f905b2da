/**
 * The generator's one entry: one draw of one design point. Draw d's streams depend only on
 * (seed, point, d, step), so a draw never depends on other draws, and design points that differ only
 * in, say, the treatment share see the same people (common random numbers).
 */
import { checkFiniteOutcomes } from './world/finite-outcomes.js';
import { makePanel, type Panel } from './panel/panel.js';
import { streamFor, type Rng } from './random/stream.js';
import type { DesignPoint, ResolvedScenario } from './scenario/grid.js';
import type { Estimate } from './estimators/types.js';
import type { RecruitedSample, RecruitmentSummary } from './design/recruited-sample.js';
import { waitlistSample } from './design/waitlist.js';
import { quotaSample } from './design/quota.js';
import { adoptionSample } from './design/adoption.js';
import { matchedSample } from './design/matching.js';
import { surveyWaves } from './design/waves.js';
import { potentialOutcomes } from './world/potential-outcomes.js';
import { panelCovariates, subgroupMasks } from './world/subgroups.js';
import type { TruthOptions } from './estimands/sample-truth.js';
import { drawTruth } from './estimands/draw-truth.js';
import { compileInquiry, truthOptionsOf } from './estimands/inquiry.js';
import { PILOT_DRAWS, PILOT_SEED, scaleEffect, targetFactor, type AppliedTarget, type DesignDraw } from './estimands/effect-target.js';
import { outcomeLevels } from './world/outcome-levels.js';
import { outcomeViews } from './world/outcome-views.js';
import { clusterDesign, clusterDraw } from './generate-clusters.js';
import { drawOf } from './draw-of.js';

export {
  loadScenario,
  parseScenario,
  expandGrid,
  ScenarioError,
  type DesignPoint,
  type ResolvedScenario,
  type Scenario,
} from './scenario/index.js';
export { sampleTruth, type TruthOptions } from './estimands/sample-truth.js';
export { populationTruth } from './estimands/population.js';
export type { RecruitmentSummary } from './design/recruited-sample.js';

export interface Truth {
  /** The options the cells and aggregates follow (the scenario's first estimator). */
  options: TruthOptions;
  estimate: Estimate;
  subgroups: Record<string, Estimate>;
}

export interface Draw {
  /** The observed panel as the evaluation analyses it (balanced); covariates unit-level. */
  panel: Panel;
  /** Potential outcomes, same periods × units shape as panel.y. */
  y0: Float64Array;
  y1: Float64Array;
  /** 0/1 per unit for each subgroup defined in population.subgroups. */
  subgroups: Record<string, Uint8Array>;
  /** Each unit's own start period (Infinity: never), when the panel's periods are calendar periods
   * (absent for survey waves). A start group's label is its first start, so members start later. */
  start?: Float64Array;
  recruitment?: RecruitmentSummary;
  truth: Truth;
  /**
   * Every outcome of the scenario in list order, each with its own observed panel (same units,
   * periods, groups and covariates; its own y), potential outcomes and truth. The first is the
   * top-level panel, y0, y1 and truth above.
   */
  outcomes: DrawOutcome[];
}

export interface DrawOutcome {
  name: string;
  panel: Panel;
  y0: Float64Array;
  y1: Float64Array;
  truth: Truth;
}

/** The truth options an estimator of the scenario's analysis block implies. */
export function truthOptionsFor(s: ResolvedScenario, estimator = 0): TruthOptions {
  return truthOptionsOf(compileInquiry(s.analysis), s.analysis.estimators[estimator]);
}

function cohortFor(s: ResolvedScenario, stream: (step: string) => Rng): RecruitedSample {
  const d = s.design;
  switch (d.type) {
    case 'waitlist':
      return waitlistSample(s, d, {
        recruitment: stream('recruitment'),
        population: stream('population'),
        consent: stream('consent'),
        assignment: stream('assignment'),
      });
    case 'quota_lists':
      return quotaSample(s, d, {
        population: stream('population'),
        spells: stream('spells'),
        assignment: stream('assignment'),
        consent: stream('consent'),
      });
    case 'adoption':
      return adoptionSample(s, d, { population: stream('population'), assignment: stream('assignment') });
    case 'matched':
      return matchedSample(s, d, { population: stream('population'), consent: stream('consent'), assignment: stream('assignment') });
    case 'clusters':
      return clusterDesign(s, stream);
  }
}

/**
 * One draw of a design point.
 * @example const [p] = expandGrid(loadScenario('scenarios/r1-isf-waitlist.yaml')); generateDraw(p, 1, 0)
 */
export function generateDraw(point: DesignPoint, seed: number | string, draw: number): Draw {
  const views = targetedViews(point);
  const s = views[0];
  const stream = (step: string) => streamFor(seed, point.index, draw, step);
  // Units are clusters and outcomes cluster-period cells (generate-clusters.ts).
  if (s.design.type === 'clusters') return clusterDraw(views, stream, truthOptionsFor(s));
  const cohort = cohortFor(s, stream);
  const periods = Float64Array.from({ length: s.periods.count }, (_, t) => s.periods.first + t);
  // Each outcome's unit level continues the people's copula (world/outcome-levels.ts), from a stream
  // keyed by its name; the first outcome's level is the people's own `level`.
  const levels = outcomeLevels(
    (name) => stream(`level:${name}`),
    s.population,
    views.map((v) => v.outcome.name),
    cohort.people,
  );
  let people = cohort.people;
  let group: Float64Array = cohort.group;
  let panelPeriods: Float64Array = periods;
  let summary = cohort.summary;
  let covariates: Record<string, Float64Array> | undefined;
  let subgroups: Record<string, Uint8Array> = {};
  const options = truthOptionsFor(s);
  const outcomes = views.map((v, j): DrawOutcome => {
    // Each cohort unit draws its noise and outcomes from a stream of its own, seeded in unit order from
    // `unit`: common random numbers when a design point enrols more people (a longer recruitment window
    // appends units at the end and leaves the others' outcomes as they were). Further outcomes use
    // streams keyed by their name, so adding an outcome leaves the others' numbers as they were.
    const key = (step: string) => stream(j === 0 ? step : `${step}:${v.outcome.name}`);
    const rngs = { unit: key('unit'), effects: key('effects'), units: key('units') };
    const own = j === 0 ? cohort : { ...cohort, people: { ...cohort.people, level: levels[j] } };
    let { y0, y1, y }: { y0: Float64Array; y1: Float64Array; y: Float64Array } = potentialOutcomes(v, own, periods, rngs);
    checkFiniteOutcomes(v.outcome.name ?? '', y0, y1);
    if (s.measurement) {
      // The same answerers for every outcome: a fresh `attrition` stream and the first outcome's level.
      const w = surveyWaves(stream('attrition'), s.measurement, cohort, periods, y0, y1);
      ({ y0, y1, y, people, group, summary } = w);
      panelPeriods = w.periods;
    }
    if (!covariates) {
      covariates = panelCovariates(s.population, people.covariates);
      if (cohort.pair && !s.measurement) covariates.pair = cohort.pair; // matched designs: the pair id column
      subgroups = subgroupMasks(s.population, people.covariates, people.n);
    }
    const panel = makePanel({ periods: panelPeriods, group, y, covariates });
    const truth: Truth = drawTruth(s.analysis.subgroups, panel, y0, y1, options, subgroups);
    return { name: v.outcome.name, panel, y0, y1, truth };
  });
  return drawOf(outcomes, subgroups, s.measurement ? undefined : cohort.start, summary);
}

/**
 * The design part of a draw without its outcomes (who starts when): what a population truth needs.
 * Survey waves make the whole draw (their attrition reads the outcomes).
 */
export function drawDesign(point: DesignPoint, seed: number | string, draw: number): DesignDraw {
  const s = point.scenario;
  if (s.measurement) {
    const d = generateDraw(point, seed, draw);
    return { periods: d.panel.periods, group: d.panel.group };
  }
  const cohort = cohortFor(s, (step: string) => streamFor(seed, point.index, draw, step));
  const periods = Float64Array.from({ length: s.periods.count }, (_, t) => s.periods.first + t);
  return { periods, group: cohort.group, start: cohort.start };
}

const targets = new WeakMap<ResolvedScenario, { scenario: ResolvedScenario; applied?: AppliedTarget }>();
/** Pilot results by the scenario without its target value: a grid over effect.target.value pilots once. */
const pilots = new Map<string, AppliedTarget>();

/**
 * A design point's scenario with effect.target applied (estimands/effect-target.ts): the effect scaled
 * so the target estimand's population value is the stated one; the scenario itself when there is no
 * target. Computed once per scenario from pilot draws of point 0's streams with a fixed seed.
 */
/**
 * The scenario of each outcome (world/outcome-views.ts) with its own effect.target applied: outcome j's
 * effect is scaled so that its target estimand's population value is the stated one.
 */
export function targetedOutcomes(point: DesignPoint): { scenario: ResolvedScenario; applied?: AppliedTarget }[] {
  const first = withEffectTarget(point);
  return outcomeViews(first.scenario).map((v, j) => (j === 0 ? first : withEffectTarget({ ...point, scenario: v })));
}

/** The scenarios of targetedOutcomes alone. */
export function targetedViews(point: DesignPoint): ResolvedScenario[] {
  return targetedOutcomes(point).map((t) => t.scenario);
}

export function withEffectTarget(point: DesignPoint): { scenario: ResolvedScenario; applied?: AppliedTarget } {
  const s = point.scenario;
  const target = s.effect.target;
  if (!target) return { scenario: s };
  let r = targets.get(s);
  if (!r) {
    const key = JSON.stringify({ ...s, effect: { ...s.effect, target: { estimand: target.estimand } } });
    let unit = pilots.get(key);
    if (!unit) {
      const shape = { ...s, effect: scaleEffect(s.effect, 1) };
      const pilot = { ...point, index: 0, scenario: shape };
      const designs = Array.from({ length: PILOT_DRAWS }, (_, k) => drawDesign(pilot, PILOT_SEED, k));
      // Every aggregation, whatever the analysis reports: the effect is stated on the design's population
      // estimand, which exists whether or not a run estimates it.
      unit = targetFactor(s.effect, target, designs, truthOptionsFor(s), ['simple', 'group', 'dynamic', 'calendar']);
      pilots.set(key, unit);
    }
    const factor = target.value / unit.unit_value;
    const applied: AppliedTarget = { ...unit, value: target.value, factor, plateau: s.effect.size * factor };
    r = { scenario: { ...s, effect: scaleEffect(s.effect, factor) }, applied };
    targets.set(s, r);
  }
  return r;
}
