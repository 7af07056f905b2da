/**
 * The analytic cross-check rows of the diagnosis (issue 15): for every design point of a
 * `design.type: clusters` scenario and every estimator of `type: hh`, `analytic_se` and
 * `analytic_power` on the estimator's `simple` estimand, from the Hussey & Hughes model of the planned
 * design (diagnosis/analytic-power.ts).
 *
 * A spec (what the draws file's meta keeps) holds θ, the SE and the degrees of freedom, so the rows can
 * be made again at another α by `stagger diagnose`. The rows are exact: mc_se 0 and n 0 (no draws).
 *
 * Inputs, read loosely from the resolved point (the schema of these keys is the cl-design and cl-world
 * branches'): the planned slots (design/cluster-waves.ts plannedStarts: waves or schedule, never), every
 * cluster at cluster_size.mean people per period (cv is ignored: equal sizes at the mean, documented),
 * outcome.icc, outcome.cac (default 1), outcome.decay; σ²_e = (1 − icc)·v and τ² = icc·v with v = sd²
 * (continuous: sd is the total sd) or v = p̄(1 − p̄), p̄ = p + θ/2 (binary: swCRTdesign's swPwr takes
 * the mean of the control and treated probabilities); θ = effect.size, analysis.alpha; the hh entry's
 * `inference` (normal, or t with G − 1 degrees of freedom).
 */
import { plannedStarts, type SchedulePoint, type WaveRollout } from '../design/cluster-waves.js';
import { analyticVariance, designFromStarts, twoSidedPower, type ClusterCorrelation } from './analytic-power.js';
import type { DiagnosandValue } from './diagnosands.js';

export const ANALYTIC_DIAGNOSANDS = ['analytic_se', 'analytic_power'] as const;

export interface AnalyticSpec {
  point: number;
  outcome: string;
  estimator: string;
  estimand: string;
  /** The effect the power is for (effect.size on the outcome's scale). */
  theta: number;
  /** SE of θ̂; null when θ is not identified by the design (then `reason`). */
  se: number | null;
  /** Degrees of freedom of the t reference (inference: t); null for the normal. */
  df: number | null;
  method: 'hussey-hughes' | 'gls' | null;
  reason?: string;
}

/** The slice of a resolved design point this module reads (loosely typed: see the module comment). */
export interface AnalyticPointInput {
  index: number;
  scenario: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The first outcome's name, as the records of a draw carry it (world/outcome-views.ts outcomeNames). */
function firstOutcomeName(s: Obj): string {
  const list = s.outcomes;
  if (Array.isArray(list) && list.length > 0) return String(obj(list[0]).name ?? 'y');
  return String(obj(s.outcome).name ?? 'y');
}

function rollout(design: Obj): { waves: WaveRollout } | { schedule: SchedulePoint[] } | string {
  const w = design.waves;
  if (typeof w === 'number') return { waves: { count: w } };
  if (w !== undefined && w !== null && typeof w === 'object') {
    const o = w as Obj;
    return {
      waves: {
        count: Number(o.count),
        ...(num(o.first) !== undefined ? { first: num(o.first) } : {}),
        ...(num(o.every) !== undefined ? { every: num(o.every) } : {}),
      },
    };
  }
  if (Array.isArray(design.schedule)) return { schedule: design.schedule as SchedulePoint[] };
  return 'the design has neither waves nor a schedule';
}

/**
 * The analytic specs of one resolved design point (none unless design.type is clusters and an hh
 * estimator is named). `scenario` should be the point's first outcome as drawn (with effect.target applied).
 */
export function analyticSpecsOf(p: AnalyticPointInput): AnalyticSpec[] {
  const s = obj(p.scenario);
  const design = obj(s.design);
  if (design.type !== 'clusters') return [];
  const analysis = obj(s.analysis);
  const entries = (Array.isArray(analysis.estimators) ? analysis.estimators : []).map(obj).filter((e) => e.type === 'hh');
  if (entries.length === 0) return [];
  const outcome = obj(s.outcome);
  const theta = num(obj(s.effect).size) ?? 0;
  const G = num(design.clusters) ?? 0;
  const base = { point: p.index, outcome: firstOutcomeName(s), estimand: 'simple', theta };
  const fail = (reason: string): AnalyticSpec[] =>
    entries.map((e) => ({ ...base, estimator: String(e.name), se: null, df: null, method: null, reason }));

  const icc = num(outcome.icc);
  if (icc === undefined) return fail('outcome.icc is not set');
  let v: number;
  if (outcome.type === 'continuous') {
    const sd = num(outcome.sd);
    if (sd === undefined) return fail('outcome.sd is not set');
    v = sd * sd;
  } else if (outcome.type === 'binary') {
    const p0 = num(outcome.p);
    if (p0 === undefined) return fail('outcome.p is not set');
    const pbar = p0 + theta / 2;
    v = pbar * (1 - pbar);
  } else return fail(`the analytic power is for continuous and binary outcomes (outcome.type is ${String(outcome.type)})`);
  const decay = num(outcome.decay);
  const cac = num(outcome.cac) ?? 1;
  const correlation: ClusterCorrelation =
    decay !== undefined ? { type: 'decay', r: decay } : cac < 1 ? { type: 'block', cac } : { type: 'exchangeable' };
  const periodsObj = obj(s.periods);
  const periods = { first: num(periodsObj.first) ?? 1, count: num(periodsObj.count) ?? 0 };
  const m = num(obj(design.cluster_size).mean);
  if (m === undefined || !(m > 0)) return fail('design.cluster_size.mean is not set');
  const plan = rollout(design);
  if (typeof plan === 'string') return fail(plan);
  if (!(G >= 2)) return fail('design.clusters must be at least 2');
  const d = designFromStarts(plannedStarts(G, plan, periods, num(design.never) ?? 0), periods);
  const { variance, method } = analyticVariance({ design: d, sigmaE2: (1 - icc) * v, tau2: icc * v, m, correlation });
  const se = Number.isFinite(variance) ? Math.sqrt(variance) : null;
  return entries.map((e) => {
    const inference = e.inference ?? 'normal';
    const estimator = String(e.name);
    if (inference !== 'normal' && inference !== 't')
      return {
        ...base,
        estimator,
        se: null,
        df: null,
        method: null,
        reason: `no analytic power for inference "${String(inference)}" (normal or t)`,
      };
    if (se === null)
      return {
        ...base,
        estimator,
        se,
        df: null,
        method,
        reason: 'θ is not identified by the planned design (no period has both treated and control clusters)',
      };
    return { ...base, estimator, se, df: inference === 't' ? G - 1 : null, method };
  });
}

export function analyticSpecs(points: readonly AnalyticPointInput[]): AnalyticSpec[] {
  return points.flatMap(analyticSpecsOf);
}

/** The two rows of a spec at level α: analytic_se, analytic_power (exact: mc_se 0, n 0). */
export function analyticRows(spec: AnalyticSpec, alpha: number): (DiagnosandValue & { reasons?: { reason: string; count: number }[] })[] {
  const reasons = spec.reason ? [{ reason: spec.reason, count: 0 }] : undefined;
  const se = spec.se ?? NaN;
  const power = spec.se === null ? NaN : twoSidedPower(spec.theta, spec.se, alpha, spec.df ?? Infinity);
  return [
    { diagnosand: 'analytic_se', target: '', value: se, mcSe: 0, n: 0, ...(reasons ? { reasons } : {}) },
    { diagnosand: 'analytic_power', target: '', value: power, mcSe: 0, n: 0, ...(reasons ? { reasons } : {}) },
  ];
}
