/**
 * `stagger calibrate SCENARIO --target … --free …` without the command line: check the request, run
 * the search (calibrate/target.ts) over evaluations of the scenario (calibrate/evaluate-se.ts), and
 * gather the answer with its Monte Carlo uncertainty as one plain object (the --json output).
 */
import { createSimulation } from '../engine/scenario-simulation.js';
import { scenarioWithSettings, type Setting } from '../engine/settings.js';
import { ScenarioError } from '../scenario/errors.js';
import { evaluateAt, freeSettings, statOf, type TargetStat } from './evaluate-se.js';
import { DEFAULT_SEARCH, intervalMany, intervalOne, solveMany, solveOne, type SearchOptions, type SearchStatus } from './target.js';
import { CalibrateInputError, checkAgainstRecords, checkTargets, freeStarts, pruningSettings, type TargetSpec } from './target-spec.js';

export interface CalibrationRequest {
  scenarioFile: string;
  /** The user's --set changes. */
  set: Setting[];
  targets: TargetSpec[];
  free: string[];
  /** Default: the scenario's first estimator. */
  estimator?: string;
  seed: string;
  draws: number;
  workers: number;
  search?: Partial<SearchOptions>;
  /** Called after each evaluation (progress lines). */
  onEvaluation?: (k: number, x: readonly number[], stats: TargetStat[] | null, reason?: string) => void;
}

export interface TargetAtSolution {
  target: string;
  statistic: 'se' | 'sd';
  wanted: number;
  /** The targeted statistic at the solution and its MC SE. */
  value: number;
  mc_se: number;
  mean_se: number;
  mean_se_mc_se: number;
  sd_estimate: number;
  sd_estimate_mc_se: number;
  identified: number;
  draws: number;
  /** Lowest and highest value over the evaluations (what the free settings can reach). */
  range: [number, number];
}

export interface CalibrationResult {
  scenario: string;
  estimator: string;
  seed: string;
  draws: number;
  status: SearchStatus;
  message: string;
  /** How the free settings move: one target moves every free setting by one common multiplier. */
  mode: 'one setting' | 'common multiplier' | 'broyden';
  free: { path: string; start: number; found: number; interval: [number, number] | null }[];
  targets: TargetAtSolution[];
  /** d log S / d log x at the solution (one target: per log multiplier). */
  elasticity: number[][] | null;
  /** One target: S monotone in the multiplier over the tried values; null for k targets. */
  monotone: boolean | null;
  evaluations: { values: Record<string, number>; statistics: number[] | null; reason?: string }[];
}

/** Check the request against the scenario and one draw; returns the targets and free starts to search. */
export function prepare(req: CalibrationRequest): { targets: TargetSpec[]; starts: number[]; estimator: string; set: Setting[] } {
  if (req.targets.length === 0) throw new CalibrateInputError("name a target, e.g. --target 'group_avg.se=267.5'");
  if (req.targets.length > 1 && req.targets.length !== req.free.length) {
    throw new CalibrateInputError(
      `${req.targets.length} targets need ${req.targets.length} free settings (got ${req.free.length}: ${req.free.join(', ')}); one target may move any number of settings by one multiplier`,
    );
  }
  const label = req.set.length
    ? `${req.scenarioFile} (with ${req.set.map((s) => `--set ${s.path}=${s.value}`).join(' ')})`
    : req.scenarioFile;
  const scenario = scenarioWithSettings(req.scenarioFile, req.set);
  const estimator = req.estimator ?? scenario.analysis.estimators[0].name;
  checkTargets(label, scenario, req.targets, estimator);
  const starts = freeStarts(label, scenario, req.free);
  // A setting the search can move continuously: the scenario accepts a value 1 % off the start
  // (up or down: a start at its bound, rho = 0.995, moves one way).
  req.free.forEach((p, i) => {
    const problems: string[] = [];
    for (const f of [1.01, 0.99]) {
      try {
        scenarioWithSettings(req.scenarioFile, [...req.set, { path: p, value: String(starts[i] * f) }]);
        return;
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        problems.push(`${p}=${starts[i] * f}: ${err.problems.map((q) => `expected ${q.expected}`).join('; ')}`);
      }
    }
    throw new CalibrateInputError(`--free ${p}: not a continuous setting (${problems[0]})`);
  });
  const set = [...req.set, ...pruningSettings(scenario, req.targets)];
  const sim = createSimulation({ scenarioFile: req.scenarioFile, set });
  if (sim.points.length > 1) {
    throw new CalibrateInputError(
      `${label} is a grid of ${sim.points.length} design points (axes: ${Object.keys(sim.points[1].settings).join(', ')}); calibrate one point: fix each axis with --set PATH=VALUE`,
    );
  }
  const targets = checkAgainstRecords(req.targets, sim.runDraw(req.seed, 0, 0), estimator, (scenario.outcome as { name?: string }).name);
  return { targets, starts, estimator, set };
}

export async function calibrateTarget(req: CalibrationRequest): Promise<CalibrationResult> {
  const { targets, starts, estimator, set } = prepare(req);
  const opts: SearchOptions = { ...DEFAULT_SEARCH, ...req.search };
  const input = {
    scenarioFile: req.scenarioFile,
    set,
    free: req.free,
    estimator,
    targets,
    seed: req.seed,
    draws: req.draws,
    workers: req.workers,
  };
  const stats: (TargetStat[] | null)[] = [];
  const objective = async (x: readonly number[]): Promise<number[]> => {
    try {
      const s = await evaluateAt(input, x);
      stats.push(s);
      req.onEvaluation?.(stats.length, x, s);
      return targets.map((t, j) => statOf(t, s[j]).value);
    } catch (err) {
      if ((err as Error).name === 'OutsideDomain') {
        stats.push(null);
        req.onEvaluation?.(stats.length, x, null, (err as Error).message);
      }
      throw err;
    }
  };
  const one = targets.length === 1;
  const res = one
    ? await solveOne(objective, starts, targets[0].value, opts)
    : await solveMany(
        objective,
        starts,
        targets.map((t) => t.value),
        opts,
      );
  const best = res.history[res.best];
  const atBest = stats[res.best]!;
  const tAt: TargetAtSolution[] = targets.map((t, j) => {
    const st = statOf(t, atBest[j]);
    return {
      target: t.text,
      statistic: t.statistic,
      wanted: t.value,
      value: st.value,
      mc_se: st.mcSe,
      mean_se: atBest[j].meanSe,
      mean_se_mc_se: atBest[j].meanSeMcSe,
      sd_estimate: atBest[j].sd,
      sd_estimate_mc_se: atBest[j].sdMcSe,
      identified: atBest[j].n,
      draws: atBest[j].total,
      range: res.range[j],
    };
  });
  const found = best.x;
  // An interval only where the search met the target: elsewhere "consistent with the target" is empty.
  const iv =
    res.status !== 'found' || !res.elasticity
      ? null
      : one
        ? intervalOne(found, tAt[0].value, tAt[0].mc_se, res.elasticity[0][0])
        : intervalMany(
            found,
            tAt.map((t) => t.value),
            tAt.map((t) => t.mc_se),
            res.elasticity,
          );
  return {
    scenario: req.scenarioFile,
    estimator,
    seed: req.seed,
    draws: req.draws,
    status: res.status,
    message: res.message,
    mode: !one ? 'broyden' : req.free.length > 1 ? 'common multiplier' : 'one setting',
    free: req.free.map((path, i) => ({ path, start: starts[i], found: found[i], interval: iv ? iv[i] : null })),
    targets: tAt,
    elasticity: res.elasticity,
    monotone: res.monotone,
    evaluations: res.history.map((e) => ({
      values: Object.fromEntries(freeSettings(req.free, e.x).map((s) => [s.path, Number(s.value)])),
      statistics: e.s,
      ...(e.reason ? { reason: e.reason } : {}),
    })),
  };
}
