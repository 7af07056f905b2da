/**
 * One evaluation of a calibration: the scenario with the free settings at given values, run for draws
 * 0..D−1 of the same seed (common random numbers: every evaluation sees the same people and noise),
 * folded into each target's mean estimated SE and SD of the estimates, each with its Monte Carlo SE
 * (the run's own diagnosands, diagnosis/diagnosands.ts). Draws run on the worker pool and are folded
 * in draw order, so the result is byte-identical for any number of workers.
 */
import { EstimandAccumulator } from '../diagnosis/diagnosands.js';
import { criticalValue } from '../diagnosis/normal.js';
import { runUnits } from '../engine/pool.js';
import { scenarioWithSettings, type Setting } from '../engine/settings.js';
import { scenarioSpec } from '../engine/spec.js';
import { ScenarioError } from '../scenario/errors.js';
import { OutsideDomain } from './target.js';
import { recordMatches, type TargetSpec } from './target-spec.js';

export interface TargetStat {
  /** Mean of the estimated SEs over identified draws, and its MC SE. */
  meanSe: number;
  meanSeMcSe: number;
  /** SD of the estimates over identified draws (divisor S), and its MC SE. */
  sd: number;
  sdMcSe: number;
  /** Identified draws, and draws in all. */
  n: number;
  total: number;
  /** Reason → count of the not-identified draws. */
  reasons: Record<string, number>;
}

export interface EvaluationInput {
  scenarioFile: string;
  /** The user's --set changes (and the pruning ones), applied before the free values. */
  set: readonly Setting[];
  free: readonly string[];
  estimator: string;
  targets: readonly TargetSpec[];
  seed: string;
  draws: number;
  workers: number;
}

/** Free values as --set strings: the shortest text that parses back to the same double. */
export function freeSettings(free: readonly string[], x: readonly number[]): Setting[] {
  return free.map((path, i) => ({ path, value: String(x[i]) }));
}

/** The statistic a target names, from an evaluation, with its MC SE. */
export function statOf(t: TargetSpec, s: TargetStat): { value: number; mcSe: number } {
  return t.statistic === 'se' ? { value: s.meanSe, mcSe: s.meanSeMcSe } : { value: s.sd, mcSe: s.sdMcSe };
}

/**
 * Run the draws at free values x.
 * @throws {OutsideDomain} when the scenario rejects the values (e.g. a share above 1)
 * @throws when a target has no identified draw (with the draws' reasons)
 */
export async function evaluateAt(o: EvaluationInput, x: readonly number[]): Promise<TargetStat[]> {
  const set = [...o.set, ...freeSettings(o.free, x)];
  try {
    scenarioWithSettings(o.scenarioFile, set); // validate here: a rejected value is the search's domain edge
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new OutsideDomain(err.problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`).join('; '), { cause: err });
    throw err;
  }
  const r = scenarioSpec(o.scenarioFile, { set });
  // The critical value only feeds power, which calibration does not read.
  const accs = o.targets.map(() => new EstimandAccumulator(criticalValue(0.05)));
  for await (const u of runUnits({ spec: r.spec, seed: o.seed, workers: o.workers, from: 0, to: o.draws })) {
    for (const rec of u.records) {
      o.targets.forEach((t, j) => recordMatches(rec, o.estimator, t) && accs[j].push(rec));
    }
  }
  return accs.map((acc, j) => {
    const d = acc.diagnosands();
    const get = (name: string) => d.find((v) => v.diagnosand === name)!;
    const reasons = Object.fromEntries(acc.reasons);
    if (get('mean_se').n === 0) {
      const why =
        Object.entries(reasons)
          .map(([k, c]) => `${k} (${c})`)
          .join('; ') || 'no draw has it';
      throw new Error(
        `--target ${o.targets[j].text}: not identified in any of the ${o.draws} draws at ${set.map((s) => `${s.path}=${s.value}`).join(', ')}: ${why}`,
      );
    }
    return {
      meanSe: get('mean_se').value,
      meanSeMcSe: get('mean_se').mcSe,
      sd: get('sd_estimate').value,
      sdMcSe: get('sd_estimate').mcSe,
      n: get('mean_se').n,
      total: acc.total,
      reasons,
    };
  });
}
