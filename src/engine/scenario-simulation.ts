/**
 * The real Simulation: a scenario file's design grid, its generator and the estimators its `analysis`
 * block names. Loaded by every worker (module + JSON args), so it holds no state that a draw changes.
 *
 * Common random numbers: every design point's draw d is generated, and estimated, with the streams of
 * point 0 (streamFor(seed, 0, d, step); an estimator's bootstrap or re-randomisations draw from
 * streamFor(seed, 0, d, 'estimate:NAME'), with `:OUTCOME` for outcomes after the first and `@SUBGROUP`
 * on a subgroup), so two points that differ only in, say, the effect size or the
 * recruitment window see the same people and the same noise. Power curves across the grid are then
 * smooth and their differences precise; each point's own Monte Carlo SE is unchanged.
 */
import { buildEstimator } from '../estimators/registry.js';
import type { AggregationType, Estimate, Estimator } from '../estimators/types.js';
import { scoringTruths } from '../estimands/scoring-truths.js';
import { compileInquiry } from '../estimands/inquiry.js';
import { streamFor } from '../random/stream.js';
import { robustRecords } from '../sensitivity/from-estimate.js';
import type { KeptEventStudy } from './simulation.js';

const NO_ESTIMATE: Estimate = { estimator: '', att_gt: [], wald_pretest: null, aggregates: {}, messages: [] };
import { targetNotes } from '../estimands/effect-target.js';
import {
  expandGrid,
  generateDraw,
  targetedOutcomes,
  truthOptionsFor,
  type DesignPoint,
  type Draw,
  type RecruitmentSummary,
  type Scenario,
} from '../generate.js';
import { Axis } from '../scenario/axis.js';
import { pretestOutcome, type PretestConfig } from '../estimators/pretest/check.js';
import { fitRecord, fitsPropensity, FIT_SUFFIX } from './fit-records.js';
import { attempt, attemptRecords } from './unanswered.js';
import { step, type DrawOutput, type DrawRecord, type DrawRecruitment, type Simulation } from './simulation.js';
import { scenarioWithSettings, type Setting } from './settings.js';
import { sizeProblems } from '../scenario/draw-size.js';
import { ScenarioError } from '../scenario/errors.js';
import { subsetPanel } from './subset.js';
import { outcomeNames } from '../world/outcome-views.js';
import { canonicalOutcomePath } from '../scenario/outcome-paths.js';
import { analyticSpecs } from '../diagnosis/analytic-rows.js';
import { resolveCommand } from '../estimators/external/index.js';
import { dirname, resolve } from 'node:path';

export interface ScenarioArgs {
  scenarioFile: string;
  /** Replace (or create) one grid axis: `stagger mde --over PATH --values …`. */
  over?: { path: string; values: number[] };
  /** `--set PATH=VALUE` changes of the file, applied before validation. */
  set?: Setting[];
}

/** Set the value at a dotted path of a parsed scenario (the axis an MDE search scans). */
function setPath(obj: Record<string, unknown>, at: string, value: unknown, path = at): void {
  const keys = at.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') throw new Error(`--over ${path}: the scenario has no "${k}" there`);
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  const cur = o[last];
  if (!(last in o) || (typeof cur !== 'number' && !(cur instanceof Axis))) {
    throw new Error(`--over ${path}: not a numeric setting of the scenario (found ${JSON.stringify(cur)})`);
  }
  // An effect stated on an estimand (effect.target) is rescaled whatever its size: scanning the size
  // would give every point the same effect (a flat, meaningless power curve).
  if (last === 'size' && keys[keys.length - 2] === 'effect' && (o as { target?: unknown }).target) {
    const base = keys.slice(0, -1).join('.');
    throw new Error(
      `--over ${path}: ${base}.target fixes the effect's scale, so every size gives the same effect; scan ${path.replace(/size$/, 'target.value')} instead (or --set ${path.replace(/\.size$/, '.target')}=null)`,
    );
  }
  o[last] = value;
}

interface PointPlan {
  point: DesignPoint;
  /** Each estimator, and its copy for each subgroup (without the covariates the subgroup holds fixed). */
  estimators: { name: string; est: Estimator; sub: Record<string, Estimator>; anticipation: number; fit: boolean }[];
  types: AggregationType[];
  subgroups: string[];
  pretest?: PretestConfig;
}

/**
 * The panel columns of the scenario's covariate names: a categorical covariate `referral` is in the
 * panel as its dummies `referral_<level>` (all levels but the first), which the estimator takes.
 */
function panelColumns(names: readonly string[], panel: { covariates: Readonly<Record<string, Float64Array>> }): string[] {
  const cols = Object.keys(panel.covariates);
  return names.flatMap((n) => {
    if (cols.includes(n)) return [n];
    const dummies = cols.filter((c) => c.startsWith(`${n}_`));
    if (dummies.length === 0) throw new Error(`covariate "${n}" is not in the generated panel (columns: ${cols.join(', ')})`);
    return dummies;
  });
}

/**
 * The covariates a subgroup holds at one value (women: { woman: 1 } fixes `woman`): constant within the
 * subgroup, so they leave its propensity and outcome regressions singular and must not be adjusted for.
 */
function fixedBy(point: DesignPoint, subgroup: string): Set<string> {
  const cond = point.scenario.population.subgroups[subgroup] ?? {};
  return new Set(
    Object.entries(cond)
      .filter(([, v]) => v === null || typeof v !== 'object')
      .map(([k]) => k),
  );
}

function planPoint(point: DesignPoint, panel: { covariates: Readonly<Record<string, Float64Array>> }, folder?: string): PointPlan {
  const a = point.scenario.analysis;
  const inquiry = compileInquiry(a);
  const types = inquiry.types;
  const build = (e: (typeof a.estimators)[number], covariates: readonly string[]): Estimator =>
    buildEstimator(e.type, {
      name: e.name,
      method: e.method,
      control: e.control,
      basePeriod: e.base_period,
      anticipation: e.anticipation,
      covariates: panelColumns(covariates, panel),
      alpha: a.alpha,
      minE: inquiry.eventWindow[0],
      maxE: inquiry.eventWindow[1],
      pretest: false,
      cells: false,
      aggregations: types,
      averages: inquiry.averages,
      horizon: e.horizon,
      se: e.se,
      lastTreatedOnly: e.last_treated_only,
      // Inference the diagnosis reads (the estimator's own p-value and interval), drawn from the draw's stream.
      bootstrap: e.bootstrap,
      bootstrapWeights: e.bootstrap_weights,
      vcov: e.vcov,
      df: e.df,
      wild: e.wild,
      wildWeights: e.wild_weights,
      panel: e.panel,
      permutations: e.permutations,
      correlation: e.correlation,
      data: e.data,
      inference: e.inference,
      fixedEffects: e.fixed_effects,
      pretrends: e.pretrends,
      solver: e.solver,
      variance: e.variance,
      replications: e.replications,
      effects: e.effects,
      placebo: e.placebo,
      switchers: e.switchers,
      normalized: e.normalized,
      sameSwitchers: e.same_switchers,
      lessConservativeSe: e.less_conservative_se,
      trendsNonparam: e.trends_nonparam,
      sameSwitchersPl: e.same_switchers_pl,
      trendsLin: e.trends_lin,
      continuous: e.continuous,
      kappaPre: e.kappa_pre,
      kappaPost: e.kappa_post,
      weighting: e.weighting,
      twfeType: e.twfe_type,
      // type external: its program, estimands, time-out and panel format, run in the scenario file's folder.
      command: e.command,
      estimands: e.estimands,
      timeout: e.timeout,
      panelFormat: e.panel_format,
      ...(e.type === 'external' && folder ? { cwd: folder } : {}),
      ...(a.pretest?.test === 'wald' ? { pretestPeriods: a.pretest.periods } : {}),
    });
  const estimators = a.estimators.map((e) => {
    const est = build(e, e.covariates);
    const sub: Record<string, Estimator> = {};
    for (const g of a.subgroups) {
      const fixed = fixedBy(point, g);
      const kept = e.covariates.filter((c) => !fixed.has(c));
      sub[g] = kept.length === e.covariates.length ? est : build(e, kept);
    }
    return { name: e.name, est, sub, anticipation: e.anticipation ?? 0, fit: fitsPropensity(e) };
  });
  return { point, estimators, types, subgroups: a.subgroups, ...(a.pretest ? { pretest: a.pretest } : {}) };
}

/** The generator's recruitment summary in the draws file's compact shape (columns, not rows). */
function compactRecruitment(r: RecruitmentSummary): DrawRecruitment {
  const col = (k: 'referred' | 'consented' | 'excluded' | 'enrolled') => r.byPeriod.map((x) => x[k]);
  return {
    design: r.design,
    periods: r.byPeriod.map((x) => x.period),
    referred: col('referred'),
    consented: col('consented'),
    excluded: col('excluded'),
    enrolled: col('enrolled'),
    totals: r.totals,
    groups: r.groups.map((g) => [g.group, g.size]),
    notes: r.notes,
  };
}

/**
 * Pre-test diagnosands (Roth 2022) as two pseudo-estimators, so diagnosis needs no new machinery:
 * `NAME|pretest`, estimand `pass`: 1 when the draw's pre-test passed, 0 when it rejected (se 0, so its
 * mean_estimate and power are the pass probability); `NAME|passed`: NAME's records, with the draws whose
 * pre-test rejected made not identified — its bias, coverage and power are conditional on passing and
 * its not_identified share is the rejection rate. No rows when the estimator has no such pre-test.
 */
function pretestRecords(name: string, recs: DrawRecord[], est: Estimate, cfg: PretestConfig): DrawRecord[] {
  const o = pretestOutcome(est, cfg);
  if (!o) return [];
  const reason = `pre-test rejected (p = ${o.p < 0.001 ? o.p.toExponential(1) : o.p.toFixed(3)} ≤ ${cfg.alpha})`;
  return [
    {
      ...(recs[0]?.outcome !== undefined ? { outcome: recs[0].outcome } : {}),
      estimator: `${name}|pretest`,
      estimand: 'pass',
      estimate: o.passed ? 1 : 0,
      se: 0,
      reason: null,
      truth: null,
      popTruth: null,
    },
    ...recs.map((r) =>
      o.passed ? { ...r, estimator: `${name}|passed` } : { ...r, estimator: `${name}|passed`, estimate: null, se: null, reason },
    ),
  ];
}

/**
 * Draw d of a design point as the run generates it: with point 0's streams (common random numbers,
 * module comment). `stagger simulate --point p --draw d` calls this too, so it reproduces the run's draw.
 */
export function generateRunDraw(point: DesignPoint, seed: string | number, d: number): Draw {
  return generateDraw({ ...point, index: 0 }, seed, d);
}

export function createSimulation(args: ScenarioArgs): Simulation {
  const scenario = scenarioWithSettings(args.scenarioFile, args.set ?? []);
  if (args.over) {
    const form = { list: Object.keys(scenario).includes('outcomes'), names: scenario.outcomes.map((o) => o.name) };
    setPath(
      scenario as unknown as Record<string, unknown>,
      canonicalOutcomePath(args.over.path, form),
      new Axis(args.over.values),
      args.over.path,
    );
    // The --over values are set after validation: their grid and draw sizes are checked here.
    const sizes = sizeProblems(scenario);
    if (sizes.length > 0) throw new ScenarioError(`${args.scenarioFile} (with --over ${args.over.path})`, sizes);
  }
  // External estimators: a program that is not there is an error now, not a failure in every draw.
  const folder = dirname(resolve(args.scenarioFile));
  for (const e of scenario.analysis.estimators) if (e.type === 'external') resolveCommand(e.command!, folder);
  return simulationOf(scenario, args.scenarioFile, folder);
}

/**
 * The Simulation of a validated scenario (no file system: the explorer's Web Workers build it from the
 * scenario's text, src/explore/browser/worker.ts). `label` names the scenario in errors.
 */
export function simulationOf(scenario: Scenario, label: string, folder?: string): Simulation {
  const points = expandGrid(scenario);
  const alphas = new Set(points.map((p) => p.scenario.analysis.alpha));
  if (alphas.size > 1) throw new Error('analysis.alpha varies across the grid; run each level separately');
  const names = points[0].scenario.analysis.estimators.map((e) => e.name);
  if (points[0].scenario.analysis.pretest) names.push(...names.flatMap((n) => [`${n}|pretest`, `${n}|passed`]));
  // Propensity fits that did not converge (fit-records.ts): NAME|fit for each estimator that fits them.
  names.push(...points[0].scenario.analysis.estimators.filter(fitsPropensity).map((e) => `${e.name}${FIT_SUFFIX}`));
  const plans: (PointPlan | undefined)[] = new Array(points.length);
  // effect.target: scale every point's effect now, so a bad target fails before any draw runs.
  for (const p of points) {
    try {
      targetedOutcomes(p);
    } catch (err) {
      throw new Error(`${label}: ${(err as Error).message}`);
    }
  }

  const sim: Simulation = {
    points: points.map((p) => ({ index: p.index, settings: p.settings })),
    estimators: names,
    outcomes: outcomeNames(points[0].scenario),
    alpha: points[0].scenario.analysis.alpha,
    // The first outcome as drawn (effect.target applied): its θ is the one the analytic power is for.
    analytic: analyticSpecs(points.map((p) => ({ index: p.index, scenario: targetedOutcomes(p)[0].scenario }))),
    runDraw: (seed, p, d) => sim.runDrawOutput!(seed, p, d).records,
    runDrawOutput(seed: string, p: number, d: number): DrawOutput {
      const ctx = { point: points[p], draw: d, seed };
      // Streams of point 0 for every point: common random numbers across the grid (module comment).
      const draw = step('generate', ctx, () => generateRunDraw(points[p], seed, d));
      // Estimators are bound on a point's first draw: covariate columns are known from a panel.
      const plan = (plans[p] ??= step('set up estimators', ctx, () => planPoint(points[p], draw.panel, folder)));
      // The scenario of each outcome as drawn: with effect.target, its effect scaled (cached per point,
      // see generate.ts).
      const targeted = targetedOutcomes(points[p]);
      const views = targeted.map((t) => t.scenario);
      const out: DrawRecord[] = [];
      const keepCov = points[p].scenario.analysis.keep?.includes('covariance') ?? false;
      const kept: KeptEventStudy[] = [];
      // Every estimator on every outcome, outcome by outcome (the first outcome's records first).
      draw.outcomes.forEach((o, j) => {
        const label = draw.outcomes.length > 1 ? ` of outcome ${o.name}` : '';
        const tag = (recs: DrawRecord[]) => recs.map((r) => ({ outcome: o.name, ...r }));
        const truthsOf = scoringTruths(
          views[j].effect,
          { ...o, start: draw.start, masks: draw.subgroups },
          plan.subgroups,
          (k) => truthOptionsFor(views[j], k),
          (f) => step(`population truth${label}`, ctx, f),
        );
        const subpanels = plan.subgroups.map((g) => {
          const mask = draw.subgroups[g];
          if (!mask) throw new Error(`analysis.subgroups names "${g}", which population.subgroups does not define`);
          return { g, panel: subsetPanel(o.panel, mask) };
        });
        for (const [k, e] of plan.estimators.entries()) {
          const truth = truthsOf(k);
          const stream = `estimate:${e.name}${j > 0 ? `:${o.name}` : ''}`;
          // A refusal the draw's data forced is a not-identified draw with its reason (unanswered.ts).
          const whole = attempt(`estimate ${e.name}${label}`, ctx, () =>
            e.est.estimate(o.panel, streamFor(seed, 0, d, stream), { point: p, draw: d }),
          );
          const recs = tag(attemptRecords(e.name, plan.types, whole, truth.sample, truth.pop, undefined, sim.alpha));
          out.push(...recs);
          if (keepCov) {
            const dyn = whole.est?.aggregates.dynamic;
            kept.push({
              estimator: e.name,
              ...(j > 0 ? { outcome: o.name } : {}),
              keys: (dyn?.detail ?? []).map((r) => r.key),
              betahat: (dyn?.detail ?? []).map((r) => r.att),
              se: (dyn?.detail ?? []).map((r) => r.se),
              vcov: dyn?.vcov ?? null,
            });
          }
          const sens = points[p].scenario.analysis.sensitivity;
          if (sens) {
            const spec = {
              type: sens.type,
              bounds: (sens.type === 'smoothness' ? sens.m : sens.mbar) ?? [],
              ...(sens.bias_direction ? { shape: { bias: sens.bias_direction } } : {}),
              ...(sens.monotonicity_direction ? { shape: { monotonicity: sens.monotonicity_direction } } : {}),
              ...(sens.ci ? { ci: sens.ci } : {}),
              ...(sens.l_vec ? { lVec: sens.l_vec } : {}),
              anticipation: e.anticipation,
            };
            // The least-favourable critical value's simulation: the draw's own stream.
            const rng = streamFor(seed, 0, d, `sensitivity:${e.name}${j > 0 ? `:${o.name}` : ''}`);
            const robust = whole.est
              ? robustRecords(e.name, whole.est, truth.sample, truth.pop, spec, rng, sim.alpha)
              : robustRecords(e.name, NO_ESTIMATE, truth.sample, truth.pop, spec, rng, sim.alpha).map((r) => ({
                  ...r,
                  reason: whole.reason ?? r.reason,
                }));
            out.push(...tag(robust));
          }
          if (plan.pretest && whole.est)
            out.push(...pretestRecords(e.name, recs, whole.est, { ...plan.pretest, anticipation: e.anticipation }));
          const made = whole.est ? [{ where: '', est: whole.est }] : [];
          for (const { g, panel } of subpanels) {
            const sub = attempt(`estimate ${e.name} on subgroup ${g}${label}`, ctx, () =>
              e.sub[g].estimate(panel, streamFor(seed, 0, d, `${stream}@${g}`), { point: p, draw: d }),
            );
            out.push(...tag(attemptRecords(e.name, plan.types, sub, truth.subgroups[g], null, g, sim.alpha)));
            if (sub.est) made.push({ where: g, est: sub.est });
          }
          if (e.fit) out.push(fitRecord(e.name, made, o.name));
        }
      });
      let recruitment = draw.recruitment && compactRecruitment(draw.recruitment);
      if (keepCov) {
        recruitment ??= {
          design: 'none',
          periods: [],
          referred: [],
          consented: [],
          excluded: [],
          enrolled: [],
          totals: {},
          groups: [],
          notes: {},
        };
        recruitment.event_studies = kept;
      }
      // The applied effect.target scaling goes with every draw's notes (draws file, reports); outcomes
      // after the first are named in the note's key.
      if (recruitment) {
        targeted.forEach(({ applied }, j) => {
          if (!applied) return;
          for (const [key, val] of Object.entries(targetNotes(applied)))
            recruitment.notes[j === 0 ? key : `${key}:${views[j].outcome.name}`] = val;
        });
      }
      return { records: out, recruitment };
    },
  };
  return sim;
}
